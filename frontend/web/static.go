package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
)

// staticFiles are the site's stylesheet and scripts.
//
//go:embed static
var staticFiles embed.FS

// fingerprint returns the URL of a static file with a hash of its content,
// so browsers may cache it for ever and still see a new version at once.
func fingerprint(static fs.FS, name string) (string, error) {
	b, err := fs.ReadFile(static, name)
	if err != nil {
		return "", fmt.Errorf("static %s: %w", name, err)
	}
	sum := sha256.Sum256(b)
	return "/static/" + name + "?v=" + hex.EncodeToString(sum[:6]), nil
}

func staticHandler(static fs.FS) http.Handler {
	files := http.FileServerFS(static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		files.ServeHTTP(w, r)
	})
}

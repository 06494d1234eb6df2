package about

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"agora/frontend/web"
	"agora/instances/site"
	"agora/storage/blobs"
)

// stylesheet sets the admin's accent, after the site's own stylesheet.
// Its URL carries the colour, so it is kept for a year.
func (s *surface) stylesheet(w http.ResponseWriter, r *http.Request) {
	accent := s.settings(r.Context()).Accent
	if accent == "" {
		accent = site.DefaultAccent
	}
	body := ":root { --accent: " + accent + "; --accent-dark: " + site.Darker(accent, 0.35) + "; }\n"
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", cacheFor(r, strings.TrimPrefix(accent, "#")))
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		w.Write([]byte(body))
	}
}

// logo serves the admin's logo, an image re-encoded when it was sent;
// its URL carries its hash, so it is kept for a year.
func (s *surface) logo(w http.ResponseWriter, r *http.Request) {
	st := s.settings(r.Context())
	if st.LogoKey == "" {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, errors.New("no logo")))
		return
	}
	obj, err := s.blobs.Open(r.Context(), st.LogoKey)
	if errors.Is(err, blobs.ErrNotFound) {
		err = web.HTTPError(http.StatusNotFound, err)
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	defer obj.Close()
	w.Header().Set("Content-Type", st.LogoType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", cacheFor(r, st.LogoKey[:min(12, len(st.LogoKey))]))
	http.ServeContent(w, r, "", time.Time{}, obj)
}

// cacheFor keeps an answer a year when its URL names the version served
// (?v=); otherwise, as right after a change that another process has not
// seen yet, browsers must ask again.
func cacheFor(r *http.Request, version string) string {
	if r.URL.Query().Get("v") == version {
		return "public, max-age=31536000, immutable"
	}
	return "no-cache"
}

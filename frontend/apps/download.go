package apps

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"time"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/apps"
	"agora/storage/blobs"
)

// appArtifact serves a file of a release from the blob store, local or
// S3, as a stream: ranges work (a download resumes), the type is what
// its content is (never the uploader's word), the browser saves it under
// its name and never sniffs it, and the ETag is its SHA-256, which a
// client can check.
func (s *surface) appArtifact(w http.ResponseWriter, r *http.Request) {
	ctx, vars := r.Context(), mux.Vars(r)
	releases, err := s.apps.Releases(ctx, vars["slug"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, rel := range releases {
		for _, f := range rel.Artifacts {
			if f.ID == vars["id"] {
				s.serveBlob(w, r, f.BlobKey, f.SHA256, "", "attachment", f.Name)
				return
			}
		}
	}
	s.Fail(w, r, web.HTTPError(http.StatusNotFound, errors.New("no such artifact")))
}

// appMedia serves a logo or screenshot, inline: its type was detected
// from its content when it was stored (PNG, JPEG or WebP only).
func (s *surface) appMedia(w http.ResponseWriter, r *http.Request) {
	ctx, vars := r.Context(), mux.Vars(r)
	a, err := s.apps.BySlug(ctx, vars["slug"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	m, err := s.apps.MediaByID(ctx, vars["id"])
	if err == nil && m.AppID != a.ID {
		err = apps.ErrNotFound
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.serveBlob(w, r, m.BlobKey, m.SHA256, m.MediaType, "inline", "")
}

// serveBlob streams a blob with http.ServeContent, which answers ranges,
// HEAD and conditional requests (If-None-Match on the ETag, If-Range).
// An empty mediaType is read from the blob's first bytes (downloadType).
func (s *surface) serveBlob(w http.ResponseWriter, r *http.Request, key, sha, mediaType, disposition, name string) {
	obj, err := s.blobs.Open(r.Context(), key)
	if errors.Is(err, blobs.ErrNotFound) {
		err = web.HTTPError(http.StatusNotFound, err)
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	defer obj.Close()
	if mediaType == "" {
		if mediaType, err = downloadType(obj); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	h := w.Header()
	h.Set("Content-Type", mediaType)
	params := map[string]string{}
	if name != "" {
		params["filename"] = name
	}
	cd := mime.FormatMediaType(disposition, params)
	if cd == "" {
		cd = disposition
	}
	h.Set("Content-Disposition", cd)
	h.Set("X-Content-Type-Options", "nosniff")
	// The content of a key never changes: the ETag is its hash, and a
	// revalidation costs a 304.
	h.Set("ETag", `"`+sha+`"`)
	h.Set("Cache-Control", "public, max-age=86400")
	http.ServeContent(w, r, "", time.Time{}, obj)
}

// downloadTypes are the types a release file may be served with, when
// its content is one of them: archives, documents and images. Anything
// else, a page or a script above all, goes as application/octet-stream.
var downloadTypes = []string{"application/zip", "application/x-gzip", "application/pdf", "application/wasm",
	"image/png", "image/jpeg", "image/webp", "image/gif", "text/plain; charset=utf-8"}

// downloadType reads what a file is from its first bytes, and leaves it
// at its start.
func downloadType(f io.ReadSeeker) (string, error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return "", fmt.Errorf("read the start of a file: %w", err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", fmt.Errorf("rewind a file: %w", err)
	}
	if ct := http.DetectContentType(head[:n]); slices.Contains(downloadTypes, ct) {
		return ct, nil
	}
	return "application/octet-stream", nil
}

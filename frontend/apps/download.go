package apps

import (
	"errors"
	"mime"
	"net/http"
	"time"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/apps"
	"agora/storage/blobs"
)

// appArtifact serves a file of a release from the blob store, local or
// S3, as a stream: ranges work (a download resumes), the type is the
// one recorded, the browser saves it under its name and never sniffs it,
// and the ETag is its SHA-256, which a client can check.
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
				s.serveBlob(w, r, f.BlobKey, f.SHA256, f.MediaType, "attachment", f.Name)
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

package participation

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/storage/blobs"
)

// attachmentServe serves a proposal's file n: images inline, PDFs as a
// download, never sniffed by the browser as anything else. The files of a
// hidden proposal are for moderators only.
func (s *surface) attachmentServe(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := mux.Vars(r)["id"]
	n, _ := strconv.Atoi(mux.Vars(r)["n"])
	p, err := s.proposals.ByID(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if p.Hidden() && !web.CurrentAccount(r).Has(accounts.Moderator) {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, errors.New("attachment of a hidden proposal")))
		return
	}
	list, err := s.proposals.Attachments(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, a := range list {
		if a.Position != n {
			continue
		}
		obj, err := s.blobs.Open(ctx, a.BlobKey)
		if errors.Is(err, blobs.ErrNotFound) {
			err = web.HTTPError(http.StatusNotFound, err)
		}
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		defer obj.Close()
		disposition := "inline"
		if a.ContentType == "application/pdf" {
			disposition = "attachment"
		}
		h := w.Header()
		h.Set("Content-Type", a.ContentType)
		h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": a.Name}))
		h.Set("X-Content-Type-Options", "nosniff")
		// The content of a key never changes; revalidating costs a 304.
		h.Set("ETag", `"`+a.BlobKey+`"`)
		h.Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, "", time.Time{}, obj)
		return
	}
	s.Fail(w, r, web.HTTPError(http.StatusNotFound, errors.New("no such attachment")))
}

package participation

import (
	"fmt"
	"net/http"
	"net/url"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/proposals"
	"agora/instances/spaces"
)

// proposalFieldMax bounds a text field of the proposal form (a body of
// 20,000 characters, each up to 4 bytes, fits).
const proposalFieldMax = 96 << 10

func (s *surface) proposalNewPage(w http.ResponseWriter, r *http.Request) {
	sp := s.spaceBySlug(w, r, mux.Vars(r)["slug"])
	if sp == nil {
		return
	}
	f := web.EmptyForm()
	f.Values["desk"] = web.RememberedDesk(r)
	s.renderProposalNew(w, r, http.StatusOK, sp, f, false)
}

func (s *surface) renderProposalNew(w http.ResponseWriter, r *http.Request, status int, sp *spaces.Space, f *web.Form, filesAgain bool) {
	d := s.newProposalFormData(r, sp, f)
	d.Action = "/proposals/new?space=" + url.QueryEscape(sp.Slug)
	d.FilesAgain = filesAgain
	err := s.mayPropose(r, &d)
	if err == nil {
		d.Room, err = s.room(r, web.CurrentAccount(r).ID)
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	// The form posts to /proposals/new; the page it answers with is the
	// form's own, and so are the links to it in the other language.
	r2 := r.WithContext(r.Context())
	r2.URL = &url.URL{Path: "/spaces/" + sp.Slug + "/proposals/new"}
	s.HTML(w, r2, status, "proposal_form", s.Printer(r).T("proposal.new.title"), d)
}

// proposalNewSave publishes a proposal with its files. Every field and
// every file is checked before anything is written: a form with any
// error creates nothing, stores no file, and shows each message next to
// its field.
func (s *surface) proposalNewSave(w http.ResponseWriter, r *http.Request) {
	sp := s.spaceBySlug(w, r, r.URL.Query().Get("space"))
	if sp == nil {
		return
	}
	l := s.Printer(r)
	f, files, err := s.readProposalForm(r, proposals.MaxAttachments)
	defer func() {
		for _, u := range files {
			u.Close()
		}
	}()
	if err != nil {
		if web.IsTooLarge(err) {
			w.Header().Set("Connection", "close")
			f.Errors["attachments"] = l.T("attachment.error.too_large", proposalUploadLimit>>20)
			s.renderProposalNew(w, r, http.StatusRequestEntityTooLarge, sp, f, true)
			return
		}
		s.Fail(w, r, err)
		return
	}
	in := s.proposalInput(r, sp, f)
	actor, ok, err := s.DeskActor(r, f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	sent := len(files) > 0 || f.Errors["attachments"] != ""
	if !ok || f.Invalid() {
		s.renderProposalNew(w, r, http.StatusBadRequest, sp, f, sent)
		return
	}
	// Files go to the blob store first (content-addressed: a file stored
	// for a proposal that then fails harms nothing), and their rows are
	// written with the proposal, in its transaction; files that could not
	// be kept within the author's quota are not stored at all.
	if len(files) > 0 {
		author := actor.Account
		if actor.OnBehalfOf != nil {
			author = actor.OnBehalfOf
		}
		if err := s.proposals.FitsQuota(r.Context(), author.ID, uploadBytes(files)); err != nil {
			s.refused(w, r, f, err, func(status int) { s.renderProposalNew(w, r, status, sp, f, true) })
			return
		}
		if in.Attachments, err = s.storeUploads(r.Context(), files); err != nil {
			s.Fail(w, r, fmt.Errorf("store the files of a new proposal: %w", err))
			return
		}
	}
	p, err := s.proposals.Create(r.Context(), actor, sp.ID, in)
	if err != nil {
		s.refused(w, r, f, err, func(status int) { s.renderProposalNew(w, r, status, sp, f, sent) })
		return
	}
	if actor.OnBehalfOf != nil {
		s.RememberDesk(w, actor.Desk)
	}
	http.Redirect(w, r, "/proposals/"+url.PathEscape(p.ID)+"?done=published", http.StatusSeeOther)
}

// readProposalForm reads the proposal form, new or edited, taking up to
// maxFiles files. A multipart form is read as a stream: each file is
// checked as it arrives and kept in a temporary file; a file refused for
// what it is gets its message next to the field and the rest is still
// read. A form without files may come url-encoded.
func (s *surface) readProposalForm(r *http.Request, maxFiles int) (*web.Form, []*web.Upload, error) {
	return s.ReadFileForm(r, web.FileForm{Field: "attachments", MaxFiles: maxFiles, FieldMax: proposalFieldMax,
		TooMany: s.Printer(r).T("attachment.error.count", proposals.MaxAttachments)})
}

// refused shows a proposal form again (show) with what the service
// refused, or the error page for a failure of the node or a proposal that
// is gone.
func (s *surface) refused(w http.ResponseWriter, r *http.Request, f *web.Form, err error, show func(status int)) {
	if e := s.AsError(err); e.Status >= 500 || e.Status == http.StatusNotFound {
		s.Fail(w, r, err)
		return
	}
	show(s.Refuse(w, r, f, err))
}

// uploadBytes is the size of the files of a form, as they will be stored.
func uploadBytes(files []*web.Upload) int64 {
	var n int64
	for _, u := range files {
		n += u.Size
	}
	return n
}

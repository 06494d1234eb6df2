package participation

import (
	"fmt"
	"net/http"
	"net/url"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// proposalEditPage shows the proposal form filled with the proposal, to
// its author within the edit window, or to a moderator.
func (s *surface) proposalEditPage(w http.ResponseWriter, r *http.Request) {
	p, sp, moderate, ok := s.editable(w, r)
	if !ok {
		return
	}
	f := web.EmptyForm()
	f.Values["title"], f.Values["body"], f.Values["category"], f.Values["address"] = p.Title, p.Body, p.Category, p.Address
	if p.Lat != nil && p.Lon != nil {
		l := s.Printer(r)
		f.Values["lat"], f.Values["lon"] = l.Decimal(*p.Lat, -1), l.Decimal(*p.Lon, -1)
	}
	s.renderProposalEdit(w, r, http.StatusOK, p, sp, f, moderate, false)
}

// renderProposalEdit shows the edit form. It posts to /proposals/edit?id=,
// one fixed path, because upload limits are registered by path (see
// proposalRoutes); the page it answers with is the form's own, and so are
// the links to it in the other language.
func (s *surface) renderProposalEdit(w http.ResponseWriter, r *http.Request, status int, p *proposals.Proposal, sp *spaces.Space, f *web.Form, moderate, filesAgain bool) {
	have, err := s.proposals.Attachments(r.Context(), p.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := s.newProposalFormData(r, sp, f)
	d.Edit, d.Moderate, d.FilesAgain = true, moderate, filesAgain
	d.FilesHave, d.MaxFiles = len(have), max(0, proposals.MaxAttachments-len(have))
	d.Action = "/proposals/edit?id=" + url.QueryEscape(p.ID)
	if d.Room, err = s.room(r, p.AuthorID); err != nil {
		s.Fail(w, r, err)
		return
	}
	r2 := r.WithContext(r.Context())
	r2.URL = &url.URL{Path: "/proposals/" + p.ID + "/edit"}
	s.HTML(w, r2, status, "proposal_form", s.Printer(r).T("proposal.edit.title"), d)
}

// proposalEditSave saves the edit and the files added with it; the
// service checks the window again. As for a new proposal, every field and
// every file is checked before anything is written, and the text and the
// files are saved in one transaction: a form with any error changes
// nothing and shows each message next to its field.
func (s *surface) proposalEditSave(w http.ResponseWriter, r *http.Request) {
	p, sp, moderate, ok := s.editable(w, r)
	if !ok {
		return
	}
	l := s.Printer(r)
	have, err := s.proposals.Attachments(r.Context(), p.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f, files, err := s.readProposalForm(r, proposals.MaxAttachments-len(have))
	defer func() {
		for _, u := range files {
			u.Close()
		}
	}()
	if err != nil {
		if web.IsTooLarge(err) {
			w.Header().Set("Connection", "close")
			f.Errors["attachments"] = l.T("attachment.error.too_large", proposalUploadLimit>>20)
			s.renderProposalEdit(w, r, http.StatusRequestEntityTooLarge, p, sp, f, moderate, true)
			return
		}
		s.Fail(w, r, err)
		return
	}
	in := s.proposalInput(r, sp, f)
	reason := ""
	if moderate {
		reason = f.Values["reason"]
		if reason == "" {
			s.FailForm(r, f, proposals.ErrReason)
		}
	}
	sent := len(files) > 0 || f.Errors["attachments"] != ""
	status := http.StatusBadRequest
	if !moderate && !p.AuthorMayEdit(s.Now()) {
		// Too late: said now, before any file is stored (the service
		// would refuse the same).
		s.FailForm(r, f, proposals.ErrEditWindow)
		status = http.StatusForbidden
	}
	if f.Invalid() {
		s.renderProposalEdit(w, r, status, p, sp, f, moderate, sent)
		return
	}
	// Files go to the blob store first (content-addressed: a file stored
	// for an edit that then fails harms nothing); their rows are written
	// with the edit, in its transaction.
	if len(files) > 0 {
		if err := s.proposals.FitsQuota(r.Context(), p.AuthorID, uploadBytes(files)); err != nil {
			s.refused(w, r, f, err, func(status int) { s.renderProposalEdit(w, r, status, p, sp, f, moderate, true) })
			return
		}
		if in.Attachments, err = s.storeUploads(r.Context(), files); err != nil {
			s.Fail(w, r, fmt.Errorf("store the files of an edit: %w", err))
			return
		}
	}
	if err := s.proposals.Edit(r.Context(), accounts.As(web.CurrentAccount(r)), p.ID, in, reason); err != nil {
		s.refused(w, r, f, err, func(status int) { s.renderProposalEdit(w, r, status, p, sp, f, moderate, sent) })
		return
	}
	http.Redirect(w, r, "/proposals/"+url.PathEscape(p.ID)+"?done=edited", http.StatusSeeOther)
}

// editable loads the proposal of the URL for the edit form: its author
// may edit it until the first support and within the edit window,
// moderators at any time with a reason. Anyone else gets the error page,
// which says why; so does the author too late when opening the form, but
// not when sending it: the service refuses then, and the form comes back
// with what they typed, so no text is lost.
func (s *surface) editable(w http.ResponseWriter, r *http.Request) (*proposals.Proposal, *spaces.Space, bool, bool) {
	acc := web.CurrentAccount(r)
	id := mux.Vars(r)["id"]
	if id == "" { // the fixed path the form posts to: /proposals/edit?id=
		id = r.URL.Query().Get("id")
	}
	p, err := s.proposals.ByID(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return nil, nil, false, false
	}
	moderate := acc.ID != p.AuthorID && acc.Has(accounts.Moderator)
	switch {
	case moderate:
	case acc.ID != p.AuthorID:
		err = proposals.ErrForbidden
	case r.Method == http.MethodGet && !p.AuthorMayEdit(s.Now()):
		err = proposals.ErrEditWindow
	}
	if err != nil {
		s.Fail(w, r, err)
		return nil, nil, false, false
	}
	sp, err := s.spaces.ByID(r.Context(), p.SpaceID)
	if err != nil {
		s.Fail(w, r, err)
		return nil, nil, false, false
	}
	return p, sp, moderate, true
}

package frontend

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// proposalEditPage shows the proposal form filled with the proposal, to
// its author within the edit window, or to a moderator.
func (s *server) proposalEditPage(w http.ResponseWriter, r *http.Request) {
	p, sp, moderate, ok := s.editable(w, r)
	if !ok {
		return
	}
	f := emptyForm()
	f.Values["title"], f.Values["body"], f.Values["category"], f.Values["address"] = p.Title, p.Body, p.Category, p.Address
	if p.Lat != nil && p.Lon != nil {
		f.Values["lat"], f.Values["lon"] = strconv.FormatFloat(*p.Lat, 'f', -1, 64), strconv.FormatFloat(*p.Lon, 'f', -1, 64)
	}
	s.renderProposalEdit(w, r, http.StatusOK, p, sp, f, moderate)
}

func (s *server) renderProposalEdit(w http.ResponseWriter, r *http.Request, status int, p *proposals.Proposal, sp *spaces.Space, f *form, moderate bool) {
	d := s.newProposalFormData(r, sp, f)
	d.Edit, d.Moderate = true, moderate
	d.Action = "/proposals/" + url.PathEscape(p.ID) + "/edit"
	s.render.html(w, r, status, "proposal_form", s.render.printer(r).T("proposal.edit.title"), d)
}

// proposalEditSave saves the edit; the service checks the window again.
func (s *server) proposalEditSave(w http.ResponseWriter, r *http.Request) {
	if !s.postForm(w, r) {
		return
	}
	p, sp, moderate, ok := s.editable(w, r)
	if !ok {
		return
	}
	l := s.render.printer(r)
	f := newForm(r)
	in := s.proposalInput(r, sp, f)
	reason := ""
	if moderate {
		reason = f.Values["reason"]
		if reason == "" {
			f.fail(l, proposals.ErrReason)
		}
	}
	if f.Invalid() {
		s.renderProposalEdit(w, r, http.StatusBadRequest, p, sp, f, moderate)
		return
	}
	if err := s.proposals.Edit(r.Context(), accounts.As(currentAccount(r)), p.ID, in, reason); err != nil {
		e := asError(err)
		if e.Status >= 500 || e.Status == http.StatusNotFound {
			s.render.fail(w, r, err)
			return
		}
		f.fail(l, err)
		s.renderProposalEdit(w, r, e.Status, p, sp, f, moderate)
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
func (s *server) editable(w http.ResponseWriter, r *http.Request) (*proposals.Proposal, *spaces.Space, bool, bool) {
	acc := currentAccount(r)
	p, err := s.proposals.ByID(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.render.fail(w, r, err)
		return nil, nil, false, false
	}
	moderate := acc.ID != p.AuthorID && acc.Has(accounts.Moderator)
	switch {
	case moderate:
	case acc.ID != p.AuthorID:
		err = proposals.ErrForbidden
	case r.Method == http.MethodGet && (p.State != proposals.Published || p.SupportCount > 0 || s.now().Sub(p.CreatedAt) > proposals.EditWindow):
		err = proposals.ErrEditWindow
	}
	if err != nil {
		s.render.fail(w, r, err)
		return nil, nil, false, false
	}
	sp, err := s.spaces.ByID(r.Context(), p.SpaceID)
	if err != nil {
		s.render.fail(w, r, err)
		return nil, nil, false, false
	}
	return p, sp, moderate, true
}

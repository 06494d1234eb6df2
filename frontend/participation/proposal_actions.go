package participation

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/proposals"
)

// The acts on a proposal's page. Each one changes nothing when it is
// refused, and shows the page again with the message in the form that
// was posted.

func (s *surface) proposalSupport(w http.ResponseWriter, r *http.Request) {
	s.proposalAct(w, r, "supported", s.proposals.Support)
}

func (s *surface) proposalUnsupport(w http.ResponseWriter, r *http.Request) {
	s.proposalAct(w, r, "unsupported", s.proposals.Unsupport)
}

// proposalAct supports or withdraws a support, for the reader or, from an
// agent's form, for a resident present at the desk.
func (s *surface) proposalAct(w http.ResponseWriter, r *http.Request, done string,
	act func(context.Context, accounts.Actor, string) error) {
	if !s.ParseForm(w, r) {
		return
	}
	id := mux.Vars(r)["id"]
	f := web.NewForm(r)
	failed := "support"
	if f.Values["behalf"] != "" {
		failed = "behalf"
	}
	actor, ok, err := s.DeskActor(r, f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !ok {
		s.renderProposal(w, r, http.StatusBadRequest, id, f, failed)
		return
	}
	if err := act(r.Context(), actor, id); err != nil {
		s.proposalFailed(w, r, id, f, failed, err)
		return
	}
	anchor := "#support"
	if actor.OnBehalfOf != nil {
		s.RememberDesk(w, actor.Desk)
		done += "_behalf"
	}
	http.Redirect(w, r, "/proposals/"+url.PathEscape(id)+"?done="+done+anchor, http.StatusSeeOther)
}

// proposalWithdraw lets the author take the proposal back, once they
// ticked the box that says it is final.
func (s *surface) proposalWithdraw(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	id := mux.Vars(r)["id"]
	f := web.NewForm(r)
	if f.Values["confirm"] != "on" {
		f.Errors["confirm"] = s.Printer(r).T("proposal.withdraw.confirm_required")
		s.renderProposal(w, r, http.StatusBadRequest, id, f, "withdraw")
		return
	}
	if err := s.proposals.Withdraw(r.Context(), accounts.As(web.CurrentAccount(r)), id); err != nil {
		s.proposalFailed(w, r, id, f, "withdraw", err)
		return
	}
	http.Redirect(w, r, "/proposals/"+url.PathEscape(id)+"?done=withdrawn", http.StatusSeeOther)
}

// proposalAnswer records an official's answer, which moves the proposal.
func (s *surface) proposalAnswer(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	id := mux.Vars(r)["id"]
	f := web.NewForm(r)
	err := s.proposals.Answer(r.Context(), accounts.As(web.CurrentAccount(r)), id, proposals.State(f.Values["to"]), r.PostForm.Get("answer"))
	if err != nil {
		s.proposalFailed(w, r, id, f, "answer", err)
		return
	}
	http.Redirect(w, r, "/proposals/"+url.PathEscape(id)+"?done=answered#timeline", http.StatusSeeOther)
}

// proposalFailed shows the page again with err in the form that failed;
// a missing proposal, an act the reader may not do (no form offers it) or
// a failure of the node gets the error page.
func (s *surface) proposalFailed(w http.ResponseWriter, r *http.Request, id string, f *web.Form, failed string, err error) {
	e := s.AsError(err)
	if e.Status >= 500 || e.Status == http.StatusNotFound || errors.Is(err, proposals.ErrForbidden) || errors.Is(err, proposals.ErrSignIn) {
		s.Fail(w, r, err)
		return
	}
	s.FailForm(r, f, err)
	s.renderProposal(w, r, e.Status, id, f, failed)
}

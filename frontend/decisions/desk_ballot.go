package decisions

import (
	"net/http"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/decisions"
)

// The desk page of a vote: an agent records the ballot of a resident
// present at the desk (the resident can change it later, online or at
// a desk), or enters their paper ballot, which is final. The resident
// sees on the vote's page that an agent entered it, where and when.

// deskView is a vote's desk page.
type deskView struct {
	V      *decisions.Vote
	Open   bool
	Ballot ballotView
	Form   *web.Form
}

func (s *surface) deskPage(w http.ResponseWriter, r *http.Request) {
	f := web.EmptyForm()
	f.Values["desk"] = web.RememberedDesk(r)
	s.deskRender(w, r, http.StatusOK, mux.Vars(r)["id"], f)
}

func (s *surface) deskRender(w http.ResponseWriter, r *http.Request, status int, id string, f *web.Form) {
	v, err := s.decisions.ByID(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	d := &deskView{V: v, Open: v.Window(s.Now()) == nil, Ballot: ballotOf(l, v, f), Form: f}
	s.HTML(w, r, status, "vote_desk", l.T("votepages.desk.title", v.Question), d)
}

// deskCast records the ballot for the resident named in on_behalf and
// shows its receipt, to hand to them.
func (s *surface) deskCast(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	id := mux.Vars(r)["id"]
	f := web.NewForm(r)
	for _, k := range r.PostForm["option"] {
		f.Values["option_"+k] = "on"
	}
	f.Values["behalf"] = "1" // the resident's identifier is required here
	v, err := s.decisions.ByID(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	actor, ok, err := s.DeskActor(r, f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	c, good := choice(v, r, f)
	if !good {
		f.Errors["ballot"] = s.Printer(r).T("vote.error.repeated_rank")
		ok = false
	}
	if !ok {
		s.deskRender(w, r, http.StatusBadRequest, id, f)
		return
	}
	paper := f.Values["paper"] == "on"
	res, err := s.decisions.CastIn(r.Context(), actor, v, c, paper)
	if err != nil {
		if e := s.AsError(err); e.Status >= 500 {
			s.Fail(w, r, err)
			return
		}
		s.deskRender(w, r, s.Refuse(w, r, f, err), id, f)
		return
	}
	s.RememberDesk(w, actor.Desk)
	w.Header().Set("Cache-Control", "no-store")
	s.HTML(w, r, http.StatusOK, "receipt", s.Printer(r).T("vote.receipt.title"), receiptView{V: v, Receipt: res.Receipt,
		Changed: res.Changed, For: actor.OnBehalfOf.DisplayName, Desk: actor.Desk, Paper: paper})
}

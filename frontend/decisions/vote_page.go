package decisions

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/spaces"
)

// listView is the list of votes.
type listView struct {
	Open, Closed, Coming []decisions.Vote
	SignedIn, MayRun     bool          // links to the delegation page and the vote form
	Space                *spaces.Space // the space whose votes are listed, nil for all
}

// list lists the node's votes, or with ?space= one space's.
func (s *surface) list(w http.ResponseWriter, r *http.Request) {
	var d listView
	var votes []decisions.Vote
	var err error
	if id := r.URL.Query().Get("space"); id != "" {
		if d.Space, err = s.spaces.ByID(r.Context(), id); err != nil {
			s.Fail(w, r, err)
			return
		}
		votes, err = s.decisions.InSpace(r.Context(), id)
	} else {
		votes, err = s.decisions.List(r.Context())
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if acc := web.CurrentAccount(r); acc != nil {
		d.SignedIn, d.MayRun = true, decisions.MayRun(accounts.As(acc)) == nil
	}
	now := s.Now()
	for _, v := range votes {
		switch v.Window(now) {
		case nil:
			d.Open = append(d.Open, v)
		case decisions.ErrNotOpen:
			d.Coming = append(d.Coming, v)
		default:
			d.Closed = append(d.Closed, v)
		}
	}
	title := s.Printer(r).T("vote.list.title")
	if d.Space != nil {
		title = s.Printer(r).T("votepages.space.title", d.Space.Title)
	}
	s.HTML(w, r, http.StatusOK, "votes", title, d)
}

// optionView is one option on the ballot form.
type optionView struct {
	decisions.Option
	Checked bool
	Rank    string // ranked: the rank typed
	Score   string // score: the score typed
}

// ballotView is the fields of a ballot (the "ballot-fields" partial),
// on the vote's page and on the desk's.
type ballotView struct {
	L             *i18n.Printer
	V             *decisions.Vote
	Options       []optionView
	Ranks, Scores []int // the choices of the selects
	Form          *web.Form
}

func ballotOf(l *i18n.Printer, v *decisions.Vote, f *web.Form) ballotView {
	b := ballotView{L: l, V: v, Form: f}
	for i, o := range v.Options {
		ov := optionView{Option: o, Rank: f.Values["rank_"+o.Key], Score: f.Values["score_"+o.Key]}
		ov.Checked = f.Values["option_"+o.Key] == "on" || v.Method == decisions.Single && f.Values["option"] == o.Key
		b.Options = append(b.Options, ov)
		b.Ranks = append(b.Ranks, i+1)
	}
	for x := v.ScoreMin; x <= v.ScoreMax && v.Method == decisions.Score; x++ {
		b.Scores = append(b.Scores, x)
	}
	return b
}

// voteView is a vote's page.
type voteView struct {
	V                    *decisions.Vote
	Open, Coming, Closed bool
	Ballot               ballotView
	Form                 *web.Form
	MayRun, Editable     bool // the reader may open and edit votes; this one can still change
	Agent                bool // the reader may record ballots at a desk
	SignedIn, MayVote    bool
	Refusal              string // why the reader may not vote, in words
	Mine                 *decisions.Mine
	Chain                *decisions.Chain
	Carry                *decisions.Carry
	Results              *resultsView
	Opinion              *opinionView // the fediverse's answers, apart (opinion.go)
}

func (s *surface) page(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, mux.Vars(r)["id"], web.EmptyForm())
}

// render shows a vote's page with form f (values and messages).
func (s *surface) render(w http.ResponseWriter, r *http.Request, status int, id string, f *web.Form) {
	ctx := r.Context()
	v, err := s.decisions.ByID(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	d := &voteView{V: v, Form: f}
	switch v.Window(s.Now()) {
	case nil:
		d.Open = true
	case decisions.ErrNotOpen:
		d.Coming = true
	default:
		d.Closed = true
	}
	d.Ballot = ballotOf(l, v, f)
	if acc := web.CurrentAccount(r); acc != nil {
		d.SignedIn = true
		actor := accounts.As(acc)
		d.Agent = acc.Has(accounts.Agent) && d.Open
		if decisions.MayRun(actor) == nil {
			d.MayRun = true
			switch err := s.decisions.Editable(ctx, v.ID); {
			case err == nil:
				d.Editable = v.Method != decisions.Budget // the budget's own pages edit it
			case !errors.Is(err, decisions.ErrBallotsCast):
				s.Fail(w, r, err)
				return
			}
		}
		if d.Mine, err = s.decisions.MyBallot(ctx, actor, v.ID); err != nil {
			s.Fail(w, r, err)
			return
		}
		if v.Delegation {
			if d.Chain, err = s.decisions.Chain(ctx, actor, v.ID); err != nil {
				s.Fail(w, r, err)
				return
			}
			if d.Carry, err = s.decisions.Carried(ctx, actor, v.ID); err != nil {
				s.Fail(w, r, err)
				return
			}
		}
		switch err := s.decisions.MayVote(ctx, acc, v); {
		case err == nil:
			d.MayVote = d.Mine == nil || d.Mine.Channel != decisions.Paper
			if !d.MayVote {
				d.Refusal = l.T("vote.error.paper")
			}
		case errors.Is(err, decisions.ErrNotVerified):
			d.Refusal = l.T("vote.error.not_verified")
		case errors.Is(err, decisions.ErrNotOpen), errors.Is(err, decisions.ErrClosed):
		case err != nil:
			// Outside the vote's electorate: why, and what to do.
			if e := s.AsError(err); e.Status < 500 {
				d.Refusal = e.Message(l)
			} else {
				s.Fail(w, r, err)
				return
			}
		}
	}
	if d.Closed {
		t, err := s.decisions.Results(ctx, v.ID)
		switch {
		case errors.Is(err, decisions.ErrStillOpen):
			// Counting: the node closes votes every minute.
		case err != nil:
			s.Fail(w, r, err)
			return
		default:
			d.Results = results(l, v, t)
		}
	}
	if d.Opinion, err = s.opinion(ctx, v); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.HTML(w, r, status, "vote", v.Question, d)
}

// published serves the published results, for anyone to count again.
func (s *surface) published(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	if _, err := s.decisions.Results(r.Context(), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", fmt.Sprintf("inline; filename=\"vote-%s.json\"", id))
	if err := s.decisions.WritePublished(r.Context(), w, id); err != nil {
		s.Log().ErrorContext(r.Context(), "write published results", "vote", id, "err", err)
	}
}

package decisions

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/decisions"
)

// listView is the list of votes.
type listView struct {
	Open, Closed, Coming []decisions.Vote
}

func (s *surface) list(w http.ResponseWriter, r *http.Request) {
	votes, err := s.decisions.List(r.Context())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var d listView
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
	s.HTML(w, r, http.StatusOK, "votes", s.Printer(r).T("vote.list.title"), d)
}

// optionView is one option on the ballot form.
type optionView struct {
	decisions.Option
	Checked bool
	Rank    string // ranked: the rank typed
	Score   string // score: the score typed
}

// voteView is a vote's page.
type voteView struct {
	V                    *decisions.Vote
	Open, Coming, Closed bool
	Options              []optionView
	Ranks, Scores        []int // the choices of the selects
	Form                 *web.Form
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
	for i, o := range v.Options {
		ov := optionView{Option: o, Rank: f.Values["rank_"+o.Key], Score: f.Values["score_"+o.Key]}
		ov.Checked = f.Values["option_"+o.Key] == "on"
		d.Options = append(d.Options, ov)
		d.Ranks = append(d.Ranks, i+1)
	}
	for x := v.ScoreMin; x <= v.ScoreMax && v.Method == decisions.Score; x++ {
		d.Scores = append(d.Scores, x)
	}
	if acc := web.CurrentAccount(r); acc != nil {
		d.SignedIn = true
		actor := accounts.As(acc)
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

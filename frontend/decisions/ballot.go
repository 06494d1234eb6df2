package decisions

import (
	"net/http"
	"sort"
	"strconv"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/decisions"
)

// receiptView is the page shown once after a ballot: its receipt.
type receiptView struct {
	V       *decisions.Vote
	Receipt string
	Changed bool
	// At a desk: the resident it was recorded for, the desk, and whether
	// it was a paper ballot.
	For, Desk string
	Paper     bool
}

// cast records the reader's ballot and shows its receipt, once: the
// page is not kept anywhere and the receipt is not shown again.
func (s *surface) cast(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	id := mux.Vars(r)["id"]
	f := web.NewForm(r)
	for _, k := range r.PostForm["option"] {
		f.Values["option_"+k] = "on"
	}
	v, err := s.decisions.ForBallot(r.Context(), id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	c, ok := choice(v, r, f)
	if !ok {
		f.Errors["ballot"] = s.Printer(r).T("vote.error.repeated_rank")
		s.render(w, r, http.StatusBadRequest, id, f)
		return
	}
	res, err := s.decisions.CastIn(r.Context(), accounts.As(web.CurrentAccount(r)), v, c, false)
	if err != nil {
		s.FailForm(r, f, err)
		s.render(w, r, s.AsError(err).Status, id, f)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.HTML(w, r, http.StatusOK, "receipt", s.Printer(r).T("vote.receipt.title"), receiptView{V: v, Receipt: res.Receipt, Changed: res.Changed})
}

// choice reads the ballot form of v's method; false when a ranked
// ballot gives two options the same rank.
func choice(v *decisions.Vote, r *http.Request, f *web.Form) (decisions.Choice, bool) {
	switch v.Method {
	case decisions.Ranked:
		type ranked struct {
			key  string
			rank int
		}
		var rs []ranked
		seen := map[int]bool{}
		for _, o := range v.Options {
			n, err := strconv.Atoi(f.Values["rank_"+o.Key])
			if err != nil || n < 1 {
				continue // not ranked
			}
			if seen[n] {
				return decisions.Choice{}, false
			}
			seen[n] = true
			rs = append(rs, ranked{o.Key, n})
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i].rank < rs[j].rank })
		c := decisions.Choice{Ranking: []string{}}
		for _, x := range rs {
			c.Ranking = append(c.Ranking, x.key)
		}
		return c, true
	case decisions.Score:
		c := decisions.Choice{Scores: map[string]int{}}
		for _, o := range v.Options {
			if n, err := strconv.Atoi(f.Values["score_"+o.Key]); err == nil {
				c.Scores[o.Key] = n
			}
		}
		return c, true
	case decisions.Single:
		if k := f.Values["option"]; k != "" {
			return decisions.Choice{Options: []string{k}}, true
		}
		return decisions.Choice{}, true
	}
	return decisions.Choice{Options: r.PostForm["option"]}, true
}

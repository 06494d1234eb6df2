package decisions

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/decisions"
)

// The results of a closed vote and its published ballots as CSV, beside
// the JSON document, for spreadsheets. Text cells that a spreadsheet
// would take for a formula are written with a leading apostrophe.

// resultsCSV writes one line per option, in the result's order: rank,
// key, label, votes (or score), their direct and delegated parts, and
// whether a budget vote funds it.
func (s *surface) resultsCSV(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	ctx := r.Context()
	t, err := s.decisions.Results(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	v, err := s.decisions.ByID(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	label, byKey, funded := map[string]string{}, map[string]decisions.OptionTotal{}, map[string]bool{}
	for _, o := range v.Options {
		label[o.Key] = o.Label
	}
	for _, tot := range t.Result.Totals {
		byKey[tot.Key] = tot
	}
	for _, k := range t.Result.Funded {
		funded[k] = true
	}
	cw := startCSV(w, "vote-"+id+"-results.csv")
	cw.Write([]string{"rank", "key", "option", "votes", "direct", "delegated", "score", "tied", "funded"})
	for i, k := range t.Result.Order {
		tot := byKey[k]
		tied := i < len(t.Result.Tied) && t.Result.Tied[i]
		cw.Write([]string{strconv.Itoa(i + 1), cell(k), cell(label[k]), strconv.FormatInt(tot.Votes, 10),
			strconv.FormatInt(tot.Votes-tot.Delegated, 10), strconv.FormatInt(tot.Delegated, 10),
			strconv.FormatInt(tot.Score, 10), strconv.FormatBool(tied), strconv.FormatBool(funded[k])})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.Log().ErrorContext(ctx, "write results csv", "vote", id, "err", err)
	}
}

// ballotsCSV writes the published ballots, one line each, sorted by
// receipt: receipt, choice (option keys; "a;b" for single and approval,
// "a>b>c" for ranked, "a=4;b=2" for scores), weight, delegated weight
// and delegate (delegates vote in public).
func (s *surface) ballotsCSV(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	ctx := r.Context()
	// Refuse before the first byte, when the vote is not closed.
	v, err := s.decisions.ByID(ctx, id)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if _, err := s.decisions.Results(ctx, id); err != nil {
		s.Fail(w, r, err)
		return
	}
	cw := startCSV(w, "vote-"+id+"-ballots.csv")
	cw.Write([]string{"receipt", "choice", "weight", "delegated", "delegate"})
	err = s.decisions.EachPublished(ctx, id, func(pb decisions.PublishedBallot) error {
		return cw.Write([]string{pb.Receipt, cell(choiceText(v, pb.Choice)), strconv.FormatInt(pb.Weight, 10),
			strconv.FormatInt(pb.Delegated, 10), cell(pb.Delegate)})
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		s.Log().ErrorContext(ctx, "write ballots csv", "vote", id, "err", err)
	}
}

func startCSV(w http.ResponseWriter, name string) *csv.Writer {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	return csv.NewWriter(w)
}

// choiceText writes a ballot's choice by option keys.
func choiceText(v *decisions.Vote, c decisions.Choice) string {
	switch {
	case v.Method == decisions.Ranked:
		return strings.Join(c.Ranking, ">")
	case v.Method == decisions.Score:
		var parts []string
		for _, o := range v.Options { // the vote's order, not the map's
			if x, ok := c.Scores[o.Key]; ok {
				parts = append(parts, o.Key+"="+strconv.Itoa(x))
			}
		}
		return strings.Join(parts, ";")
	}
	return strings.Join(c.Options, ";")
}

// cell keeps a spreadsheet from reading text as a formula.
func cell(s string) string { return web.CSVCell(s) }

package decisions

import (
	"fmt"
	"strings"

	"agora/frontend/i18n"
	"agora/instances/decisions"
)

// The results drawn on the server: one bar per option, its direct part
// and its delegated part side by side in the same bar, sized in the
// SVG's own units (no style attribute: the Content-Security-Policy
// allows none), and the same numbers in a table for screen readers.

const (
	barWidth  = 600 // the longest bar
	barHeight = 28
	barGap    = 12
)

// barView is one option's bar and its line in the table.
type barView struct {
	Label                  string
	Value, Direct, Delegat int64
	Y, TextY, W, DW        int // geometry: top, text baseline, direct width, delegated width
	Funded, Winner         bool
}

// resultsView is the results block of a closed vote.
type resultsView struct {
	Bars                   []barView
	Height                 int
	Score                  bool // values are scores, not votes
	Ranked                 bool
	Order                  []string // labels, winner first
	TiedFirst              bool
	Matrix                 [][]int64
	Labels                 []string
	BeatStatusQuo          []string
	Ballots, Weight, Deleg int64
	LostNoVote, LostCycle  int64
	Electorate             int64
	Turnout                string
	Quorum                 int64
	Quorate                bool
	Weighed                []decisions.Weighed
	Budget                 bool
}

func results(l *i18n.Printer, v *decisions.Vote, t *decisions.Tally) *resultsView {
	r := t.Result
	label := map[string]string{}
	for _, o := range v.Options {
		label[o.Key] = o.Label
	}
	d := &resultsView{Ballots: r.Ballots, Weight: r.Weight, Deleg: r.Delegated, LostNoVote: r.Lost.NoVote,
		LostCycle: r.Lost.Cycle, Electorate: t.Electorate, Quorum: r.Quorum, Quorate: r.Quorate,
		Weighed: t.Weighed, Score: v.Method == decisions.Score, Ranked: v.Method == decisions.Ranked,
		Budget: v.Method == decisions.Budget}
	if t.Electorate > 0 {
		d.Turnout = fmt.Sprintf("%.1f %%", 100*float64(r.Weight)/float64(t.Electorate))
		if l.Lang == "fr" {
			d.Turnout = strings.Replace(d.Turnout, ".", ",", 1)
		}
	}
	for _, k := range r.Order {
		d.Order = append(d.Order, label[k])
	}
	d.TiedFirst = len(r.Tied) > 0 && r.Tied[0]
	funded := map[string]bool{}
	for _, k := range r.Funded {
		funded[k] = true
	}
	if d.Ranked {
		for _, o := range v.Options {
			d.Labels = append(d.Labels, o.Label)
		}
		d.Matrix = r.Pairwise
		for _, k := range r.BeatStatusQuo {
			d.BeatStatusQuo = append(d.BeatStatusQuo, label[k])
		}
		return d
	}
	var most int64 = 1
	for _, tot := range r.Totals {
		most = max(most, tot.Votes, tot.Score)
	}
	// Bars in the order of the result, winner first.
	byKey := map[string]decisions.OptionTotal{}
	for _, tot := range r.Totals {
		byKey[tot.Key] = tot
	}
	for i, k := range r.Order {
		tot := byKey[k]
		b := barView{Label: label[k], Value: tot.Votes, Direct: tot.Votes - tot.Delegated, Delegat: tot.Delegated,
			Funded: funded[k], Winner: i == 0 && !d.Budget}
		if d.Score {
			b.Value, b.Direct, b.Delegat = tot.Score, tot.Score, 0
		}
		b.Y = i*(barHeight+barGap+16) + 18
		b.TextY = b.Y - 4
		if b.Value > 0 {
			b.W = int(int64(barWidth) * max(b.Direct, 0) / most)
			b.DW = int(int64(barWidth) * b.Delegat / most)
		}
		d.Bars = append(d.Bars, b)
	}
	d.Height = len(d.Bars)*(barHeight+barGap+16) + 10
	return d
}

package budgets

import (
	"agora/frontend/i18n"
	"agora/instances/projects"
)

// moneyChart is the chart of a decided edition: for each heading, the
// money its funded projects were voted and what they have cost so far,
// drawn as bars in SVG on the server (no script) beside a table with
// the same figures for screen readers.
type moneyChart struct {
	Rows   []chartRow
	Height int // of the drawing, in its own units
}

type chartRow struct {
	Name                 string
	Voted, Spent         string // as readers write money
	VotedW, SpentW       int    // bar widths, 0 to chartWidth
	Y, VotedY, SpentY    int    // positions of the label and the two bars
	VotedText, SpentText int    // x of each bar's figure
	VotedBase, SpentBase int    // y of each bar's figure
}

// Drawing units: labels above two bars per heading.
const (
	chartWidth = 560
	chartRow_  = 76 // height of one heading's block
)

func newMoneyChart(l *i18n.Printer, b *projects.Budget, list []projects.Project) *moneyChart {
	type sums struct{ voted, spent int64 }
	by := map[string]*sums{}
	var top int64
	for _, p := range list {
		if !p.Funded {
			continue
		}
		s := by[p.Heading]
		if s == nil {
			s = &sums{}
			by[p.Heading] = s
		}
		s.voted += p.Cost
		s.spent += p.ActualCost
		top = max(top, s.voted, s.spent)
	}
	if top == 0 {
		return nil
	}
	c := &moneyChart{}
	for _, h := range b.Headings {
		s := by[h.Slug]
		if s == nil {
			s = &sums{}
		}
		y := len(c.Rows) * chartRow_
		row := chartRow{Name: h.Name, Voted: money(l, s.voted, b.Currency), Spent: money(l, s.spent, b.Currency),
			VotedW: int(s.voted * chartWidth / top), SpentW: int(s.spent * chartWidth / top),
			Y: y + 16, VotedY: y + 24, SpentY: y + 48}
		row.VotedText, row.SpentText = min(row.VotedW+6, chartWidth-120), min(row.SpentW+6, chartWidth-120)
		row.VotedBase, row.SpentBase = row.VotedY+14, row.SpentY+14
		c.Rows = append(c.Rows, row)
	}
	c.Height = len(c.Rows) * chartRow_
	return c
}

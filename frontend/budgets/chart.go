package budgets

import (
	"slices"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"agora/frontend/i18n"
	"agora/instances/projects"
)

// moneyChart is a chart of a decided edition: for each group of its
// funded projects (each heading, or each theme), the money they were
// voted and what they have cost so far, drawn as bars in SVG on the
// server (no script) beside a table with the same figures for screen
// readers.
type moneyChart struct {
	ID      string // prefix of the element ids
	Title   string // the section's heading
	Caption string // the figure's and the table's caption
	Group   string // the first column's name: heading, theme
	// VotedWord and SpentWord name the two bars and the two columns.
	VotedWord, SpentWord string
	Rows                 []chartRow
	Height               int // of the drawing, in its own units
}

type chartRow struct {
	Name                 string
	Voted, Spent         string // as readers write money
	VotedW, SpentW       int    // bar widths, 0 to chartWidth
	Y, VotedY, SpentY    int    // positions of the label and the two bars
	VotedText, SpentText int    // x of each bar's figure
	VotedBase, SpentBase int    // y of each bar's figure
}

// Drawing units: labels above two bars per group.
const (
	chartWidth = 560
	chartRow_  = 76 // height of one group's block
)

// chartGroup is one bar pair to draw: its name and its projects' key.
type chartGroup struct{ key, name string }

// newMoneyChart draws the funded projects of list by groups, in the
// order given; key says which group a project is in. Nil when nothing
// was funded.
func newMoneyChart(l *i18n.Printer, b *projects.Budget, list []projects.Project, groups []chartGroup, key func(projects.Project) string) *moneyChart {
	type sums struct{ voted, spent int64 }
	by := map[string]*sums{}
	var top int64
	for _, p := range list {
		if !p.Funded {
			continue
		}
		s := by[key(p)]
		if s == nil {
			s = &sums{}
			by[key(p)] = s
		}
		s.voted += p.Cost
		s.spent += p.ActualCost
		top = max(top, s.voted, s.spent)
	}
	if top == 0 {
		return nil
	}
	c := &moneyChart{VotedWord: l.T("budget.chart.voted"), SpentWord: l.T("budget.chart.spent")}
	for _, g := range groups {
		s := by[g.key]
		if s == nil {
			s = &sums{}
		}
		y := len(c.Rows) * chartRow_
		row := chartRow{Name: g.name, Voted: money(l, s.voted, b.Currency), Spent: money(l, s.spent, b.Currency),
			VotedW: int(s.voted * chartWidth / top), SpentW: int(s.spent * chartWidth / top),
			Y: y + 16, VotedY: y + 24, SpentY: y + 48}
		row.VotedText, row.SpentText = min(row.VotedW+6, chartWidth-120), min(row.SpentW+6, chartWidth-120)
		row.VotedBase, row.SpentBase = row.VotedY+14, row.SpentY+14
		c.Rows = append(c.Rows, row)
	}
	c.Height = len(c.Rows) * chartRow_
	return c
}

// headingChart is the money voted and spent per heading (envelope).
func headingChart(l *i18n.Printer, b *projects.Budget, list []projects.Project) *moneyChart {
	var groups []chartGroup
	for _, h := range b.Headings {
		groups = append(groups, chartGroup{h.Slug, h.Name})
	}
	c := newMoneyChart(l, b, list, groups, func(p projects.Project) string { return p.Heading })
	if c != nil {
		c.ID, c.Title, c.Caption, c.Group = "money", l.T("budget.chart.title"), l.T("budget.chart.caption"), l.T("budget.project.heading")
	}
	return c
}

// themeChart is the money voted and spent per theme of the funded
// projects, themes in alphabetical order and projects without one last.
func themeChart(l *i18n.Printer, b *projects.Budget, list []projects.Project) *moneyChart {
	var themes []string
	untitled := false
	for _, p := range list {
		switch {
		case !p.Funded:
		case p.Theme == "":
			untitled = true
		case !slices.Contains(themes, p.Theme):
			themes = append(themes, p.Theme)
		}
	}
	coll := collate.New(language.Make(l.Lang))
	slices.SortFunc(themes, coll.CompareString)
	var groups []chartGroup
	for _, t := range themes {
		groups = append(groups, chartGroup{t, t})
	}
	if untitled {
		groups = append(groups, chartGroup{"", l.T("budgetpics.chart.no_theme")})
	}
	c := newMoneyChart(l, b, list, groups, func(p projects.Project) string { return p.Theme })
	if c != nil {
		c.ID, c.Title, c.Caption, c.Group = "money-theme", l.T("budgetpics.chart.theme_title"), l.T("budgetpics.chart.theme_caption"), l.T("budget.theme")
	}
	return c
}

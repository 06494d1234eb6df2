package budgets

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/budgets"
	"agora/instances/projects"
)

// Live open data of the editions (docs/API.md): every project of an
// edition, or of every edition of the node (/budgets/all/...), with its
// heading, theme, cost, votes, what each rule funds, its follow-up
// status, progress and the money spent, as CSV and JSON, read from the
// database at each request. Text cells of the CSV that a spreadsheet
// would take for a formula get a leading apostrophe (web.CSVCell).

// allEditions is the id that names every edition of the node in the
// open data's paths; editions' ids are opaque 26-character ids.
const allEditions = "all"

// openProject is one project of the open data.
type openProject struct {
	BudgetID          string     `json:"budget_id"`
	Budget            string     `json:"budget"`
	SpaceID           string     `json:"space_id"`
	Rule              string     `json:"rule"`
	Currency          string     `json:"currency"`
	ResultsAt         *time.Time `json:"results_at"`
	Heading           string     `json:"heading"`
	HeadingName       string     `json:"heading_name"`
	HeadingAmount     int64      `json:"heading_amount"`
	ID                string     `json:"id"`
	Reference         string     `json:"reference"`
	Title             string     `json:"title"`
	Theme             string     `json:"theme"`
	Address           string     `json:"address"`
	Service           string     `json:"service"`
	Cost              int64      `json:"cost"`
	Review            string     `json:"review"`
	Votes             *int64     `json:"votes"`               // null before the result
	FundedGreedy      *bool      `json:"funded_greedy"`       // null before the result
	FundedEqualShares *bool      `json:"funded_equal_shares"` // null before the result
	Status            string     `json:"status"`
	Progress          int        `json:"progress"`
	Spent             int64      `json:"spent"`
	URL               string     `json:"url"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

var openCSVHeader = []string{"budget_id", "budget", "space_id", "rule", "currency", "results_at", "heading", "heading_name",
	"heading_amount", "id", "reference", "title", "theme", "address", "service", "cost", "review", "votes",
	"funded_greedy", "funded_equal_shares", "status", "progress", "spent", "url", "updated_at"}

// openProjects reads the projects the path names: one edition's, or all.
func (s *surface) openProjects(r *http.Request) ([]openProject, error) {
	ctx, id := r.Context(), mux.Vars(r)["id"]
	var editions []projects.Budget
	if id == allEditions {
		var err error
		if editions, err = s.projects.Editions(ctx); err != nil {
			return nil, err
		}
	} else {
		b, err := s.projects.Budget(ctx, id)
		if err != nil {
			return nil, err
		}
		editions = []projects.Budget{*b}
	}
	out := []openProject{}
	for _, b := range editions {
		list, err := s.projects.Projects(ctx, b.ID)
		if err != nil {
			return nil, err
		}
		for _, p := range list {
			o := openProject{BudgetID: b.ID, Budget: b.Title, SpaceID: b.SpaceID, Rule: string(b.Rule), Currency: b.Currency,
				Heading: p.Heading, ID: p.ID, Reference: p.Ref, Title: p.Title, Theme: p.Theme, Address: p.Address,
				Service: p.Service, Cost: p.Cost, Review: string(p.Review), Status: string(p.Status), Progress: p.Progress,
				Spent: p.ActualCost, URL: s.BaseURL().JoinPath("budgets", "projects", p.ID).String(), UpdatedAt: p.UpdatedAt.UTC()}
			for _, h := range b.Headings {
				if h.Slug == p.Heading {
					o.HeadingName, o.HeadingAmount = h.Name, h.Amount
				}
			}
			if !b.ResultsAt.IsZero() {
				at, votes := b.ResultsAt.UTC(), p.Votes
				greedy, mes := p.Funded, p.FundedOther
				if b.Rule == budgets.EqualShares {
					greedy, mes = p.FundedOther, p.Funded
				}
				o.ResultsAt, o.Votes, o.FundedGreedy, o.FundedEqualShares = &at, &votes, &greedy, &mes
			}
			out = append(out, o)
		}
	}
	return out, nil
}

func (s *surface) projectsJSON(w http.ResponseWriter, r *http.Request) {
	list, err := s.openProjects(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.PublicJSON(w, r, struct {
		Projects []openProject `json:"projects"`
	}{list})
}

func (s *surface) projectsCSV(w http.ResponseWriter, r *http.Request) {
	list, err := s.openProjects(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="budget-projects.csv"`)
	h.Set("Cache-Control", "no-cache")
	if r.Method == http.MethodHead {
		return
	}
	opt := func(b *bool) string {
		if b == nil {
			return ""
		}
		return strconv.FormatBool(*b)
	}
	cw := csv.NewWriter(w)
	cw.Write(openCSVHeader)
	c := web.CSVCell
	for _, o := range list {
		results, votes := "", ""
		if o.ResultsAt != nil {
			results, votes = o.ResultsAt.Format(time.RFC3339), strconv.FormatInt(*o.Votes, 10)
		}
		cw.Write([]string{o.BudgetID, c(o.Budget), o.SpaceID, o.Rule, o.Currency, results, c(o.Heading), c(o.HeadingName),
			strconv.FormatInt(o.HeadingAmount, 10), o.ID, c(o.Reference), c(o.Title), c(o.Theme), c(o.Address), c(o.Service),
			strconv.FormatInt(o.Cost, 10), o.Review, votes, opt(o.FundedGreedy), opt(o.FundedEqualShares), o.Status,
			strconv.Itoa(o.Progress), strconv.FormatInt(o.Spent, 10), o.URL, o.UpdatedAt.Format(time.RFC3339)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.Log().ErrorContext(r.Context(), "write budget projects csv", "err", err)
	}
}

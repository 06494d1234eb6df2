package budgets

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/projects"
)

// The vote phase of an edition: officials open it (one decisions vote per
// heading), residents vote heading by heading with a running total that
// needs no script, agents use the votes' desk pages, and officials count
// the edition once the votes have closed.

// localTime is the format of a datetime-local field.
const localTime = "2006-01-02T15:04"

// voteNewData is the form that opens an edition's vote.
type voteNewData struct {
	Budget *projects.Budget
	Form   *web.Form
}

func (s *surface) voteNew(w http.ResponseWriter, r *http.Request) {
	f := web.EmptyForm()
	day := s.Now().In(s.Location()).Truncate(time.Hour).Add(24 * time.Hour)
	f.Values["opens_at"] = day.Format(localTime)
	f.Values["closes_at"] = day.Add(21 * 24 * time.Hour).Format(localTime)
	s.showVoteNew(w, r, http.StatusOK, f)
}

func (s *surface) showVoteNew(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	b, err := s.projects.Budget(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.HTML(w, r, status, "budget_vote_new", s.Printer(r).T("budgetvote.open.title", b.Title), voteNewData{Budget: b, Form: f})
}

// voteOpen opens the edition's vote; every mistake is shown at once and
// nothing is stored.
func (s *surface) voteOpen(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f, l, loc := web.NewForm(r), s.Printer(r), s.Location()
	var in projects.VoteInput
	var err error
	if in.OpensAt, err = time.ParseInLocation(localTime, f.Values["opens_at"], loc); err != nil {
		f.Errors["opens_at"] = l.T("budgetvote.error.time")
	}
	if in.ClosesAt, err = time.ParseInLocation(localTime, f.Values["closes_at"], loc); err != nil {
		f.Errors["closes_at"] = l.T("budgetvote.error.time")
	}
	if f.Invalid() {
		s.showVoteNew(w, r, http.StatusBadRequest, f)
		return
	}
	id := mux.Vars(r)["id"]
	_, err = s.voting.OpenVote(r.Context(), accounts.As(web.CurrentAccount(r)), id, in)
	var ie *projects.InvalidError
	switch {
	case errors.As(err, &ie):
		b, berr := s.projects.Budget(r.Context(), id)
		if berr != nil {
			s.Fail(w, r, berr)
			return
		}
		var above []string
		for field, problem := range ie.Problems {
			switch {
			case field == "closes_at":
				f.Errors["closes_at"] = l.T("budgetvote.error.closes_at")
			case field == "projects":
				above = append(above, l.T("budgetvote.error.pending"))
			default:
				var n int
				if _, err := fmt.Sscanf(field, "heading.%d.projects", &n); err == nil && n >= 1 && n <= len(b.Headings) {
					above = append(above, l.T("budgetvote.error.heading_projects", b.Headings[n-1].Name))
				} else {
					above = append(above, field+": "+problem)
				}
			}
		}
		f.Error = strings.Join(above, " ")
		if f.Error == "" {
			f.Error = l.T("form.invalid")
		}
		s.showVoteNew(w, r, http.StatusBadRequest, f)
	case err != nil:
		s.Fail(w, r, err)
	default:
		http.Redirect(w, r, "/budgets/"+id+"#vote", http.StatusSeeOther)
	}
}

// voteCount counts a closed edition.
func (s *surface) voteCount(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	id := mux.Vars(r)["id"]
	if _, err := s.voting.Count(r.Context(), accounts.As(web.CurrentAccount(r)), id); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/budgets/"+id+"#results", http.StatusSeeOther)
}

// voteView is the vote section of an edition's page.
type voteView struct {
	Headings  []voteHeading
	Turnout   bool // some heading has ballots or is closed
	MayCount  bool // an official may count now
	Agent     bool
	OpensAt   time.Time
	ClosesAt  time.Time
	Open      bool
	Closed    bool
	MayOpen   bool // no vote yet: an official may open it
	ForResult bool // the result comes from the node's own count
}

type voteHeading struct {
	Slug, Name, VoteID, District string
	Online, Desk, Paper, Total   string
	Electorate                   string // "" before closing
	Turnout                      string // percent, "" before closing
}

// vote reads the vote section of an edition for its page.
func (s *surface) vote(r *http.Request, b *projects.Budget) (*voteView, error) {
	if s.voting == nil {
		return nil, nil
	}
	all, err := s.voting.Ballots(r.Context(), b.ID)
	if err != nil {
		return nil, err
	}
	acc := web.CurrentAccount(r)
	if len(all) == 0 {
		if b.ResultsAt.IsZero() && official(r) {
			return &voteView{MayOpen: true}, nil
		}
		return nil, nil
	}
	tt, err := s.voting.Turnout(r.Context(), b.ID)
	if err != nil {
		return nil, err
	}
	l, now := s.Printer(r), s.Now()
	v := &voteView{OpensAt: all[0].Vote.OpensAt, ClosesAt: all[0].Vote.ClosesAt, Agent: acc != nil && acc.Has(accounts.Agent),
		ForResult: !b.ResultsAt.IsZero()}
	v.Open = all[0].Vote.Window(now) == nil
	v.Closed = !now.Before(v.ClosesAt)
	v.MayCount = v.Closed && b.ResultsAt.IsZero() && official(r)
	for i, hb := range all {
		h := voteHeading{Slug: hb.Heading.Slug, Name: hb.Heading.Name, VoteID: hb.Vote.ID, District: hb.Vote.District,
			Online: l.Int(tt[i].Online), Desk: l.Int(tt[i].Desk), Paper: l.Int(tt[i].Paper), Total: l.Int(tt[i].Total())}
		if tt[i].Electorate > 0 {
			h.Electorate = l.Int(tt[i].Electorate)
			h.Turnout = fmt.Sprintf("%.1f %%", 100*float64(tt[i].Total())/float64(tt[i].Electorate))
			if l.Lang == "en" {
				h.Turnout = strings.ReplaceAll(h.Turnout, " ", "")
			} else {
				h.Turnout = strings.ReplaceAll(strings.ReplaceAll(h.Turnout, ".", ","), " ", "\u00a0")
			}
		}
		if tt[i].Total() > 0 || hb.Vote.ClosedAt != nil {
			v.Turnout = true
		}
		v.Headings = append(v.Headings, h)
	}
	return v, nil
}

// ballotData is one heading's ballot page.
type ballotData struct {
	Budget   *projects.Budget
	Heading  projects.Heading
	VoteID   string
	Amount   string
	Knapsack bool
	Max      int
	Rows     []ballotRow
	// The running total, once asked for (or after a refusal).
	Shown           bool
	Chosen          int
	Sum, Left, Over string
	Open, SignedIn  bool
	MayVote         bool
	Refusal         string
	Agent           bool
	OpensAt         time.Time
	ClosesAt        time.Time
	Form            *web.Form
}

type ballotRow struct {
	Key, ProjectID, Ref, Title, Theme, Cost string
	CostN                                   int64 // the cost as a number, for the script's running total
	Checked                                 bool
}

func (s *surface) ballotPage(w http.ResponseWriter, r *http.Request) {
	s.showBallot(w, r, http.StatusOK, web.EmptyForm(), nil)
}

// showBallot renders a heading's ballot with the keys checked (nil: a
// fresh ballot) and, when keys is not nil, the running total.
func (s *surface) showBallot(w http.ResponseWriter, r *http.Request, status int, f *web.Form, keys []string) {
	ctx, vars := r.Context(), mux.Vars(r)
	hb, err := s.voting.Ballot(ctx, vars["id"], vars["heading"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	b, err := s.projects.Budget(ctx, vars["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l, acc := s.Printer(r), web.CurrentAccount(r)
	d := ballotData{Budget: b, Heading: hb.Heading, VoteID: hb.Vote.ID, Amount: money(l, hb.Heading.Amount, b.Currency),
		Knapsack: hb.Vote.Method == decisions.Budget, Max: hb.Vote.MaxChoices, Open: hb.Vote.Window(s.Now()) == nil,
		SignedIn: acc != nil, Agent: acc != nil && acc.Has(accounts.Agent), OpensAt: hb.Vote.OpensAt, ClosesAt: hb.Vote.ClosesAt, Form: f}
	checked := map[string]bool{}
	for _, k := range keys {
		checked[k] = true
	}
	for i, o := range hb.Vote.Options {
		p := hb.Projects[i]
		d.Rows = append(d.Rows, ballotRow{Key: o.Key, ProjectID: p.ID, Ref: p.Ref, Title: p.Title, Theme: p.Theme,
			Cost: money(l, o.Cost, b.Currency), CostN: o.Cost, Checked: checked[o.Key]})
	}
	if keys != nil {
		sum, _ := hb.Check(keys)
		d.Shown, d.Chosen, d.Sum = true, sum.Chosen, money(l, sum.Cost, b.Currency)
		if d.Knapsack && sum.Left >= 0 {
			d.Left = money(l, sum.Left, b.Currency)
		} else if d.Knapsack {
			d.Over = money(l, -sum.Left, b.Currency)
		}
	}
	if acc != nil && d.Open {
		switch err := s.voting.MayVote(ctx, acc, hb); {
		case err == nil:
			d.MayVote = true
		default:
			d.Refusal = s.AsError(err).Message(l)
		}
	}
	title := l.T("budgetvote.ballot.title", hb.Heading.Name)
	s.HTML(w, r, status, "budget_ballot", title, d)
}

// ballotMistake words what is wrong with a ballot's projects, "" when
// nothing is: over the heading's amount, too many projects.
func (s *surface) ballotMistake(r *http.Request, b *projects.Budget, hb *projects.HeadingBallot, keys []string) string {
	l := s.Printer(r)
	sum, err := hb.Check(keys)
	switch {
	case errors.Is(err, decisions.ErrOverBudget):
		return l.T("budgetvote.ballot.over", money(l, sum.Cost, b.Currency), money(l, -sum.Left, b.Currency), money(l, hb.Heading.Amount, b.Currency))
	case errors.Is(err, decisions.ErrTooMany):
		return l.T("budgetvote.ballot.too_many", sum.Chosen, sum.Max)
	case err != nil:
		return s.AsError(err).Message(l)
	}
	return ""
}

// ballotPost either shows the running total (the "update total" button)
// or casts the ballot and shows its receipt, once.
func (s *surface) ballotPost(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	ctx, vars := r.Context(), mux.Vars(r)
	f, keys := web.NewForm(r), r.PostForm["project"]
	if keys == nil {
		keys = []string{}
	}
	hb, err := s.voting.Ballot(ctx, vars["id"], vars["heading"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	b, err := s.projects.Budget(ctx, vars["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if msg := s.ballotMistake(r, b, hb, keys); msg != "" {
		f.Errors["ballot"] = msg
		s.showBallot(w, r, http.StatusBadRequest, f, keys)
		return
	}
	if r.PostFormValue("action") == "total" {
		s.showBallot(w, r, http.StatusOK, f, keys)
		return
	}
	if len(keys) == 0 {
		f.Errors["ballot"] = s.Printer(r).T("budgetvote.ballot.empty")
		s.showBallot(w, r, http.StatusBadRequest, f, keys)
		return
	}
	res, err := s.voting.Cast(ctx, accounts.As(web.CurrentAccount(r)), b.ID, hb.Heading.Slug, keys)
	if err != nil {
		if e := s.AsError(err); e.Status >= 500 {
			s.Fail(w, r, err)
			return
		}
		status := s.Refuse(w, r, f, err)
		if msg := f.Errors["ballot"]; msg != "" { // shown once, above the projects
			f.Error, f.Errors = msg, map[string]string{}
		}
		s.showBallot(w, r, status, f, keys)
		return
	}
	// As for every vote, the receipt is shown once and the page is kept
	// nowhere; it does not repeat the ballot's content (a desk's screen
	// is shared).
	w.Header().Set("Cache-Control", "no-store")
	s.HTML(w, r, http.StatusOK, "budget_receipt", s.Printer(r).T("budgetvote.receipt.title"), receiptData{Budget: b, Heading: hb.Heading,
		VoteID: hb.Vote.ID, Receipt: res.Receipt, Changed: res.Changed})
}

// receiptData is the page shown once after a ballot: its receipt.
type receiptData struct {
	Budget  *projects.Budget
	Heading projects.Heading
	VoteID  string
	Receipt string
	Changed bool
}

package budgets

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/notifications"
	"agora/instances/projects"
	"agora/instances/spaces"
)

// spaceBudgetsData is a space's editions.
type spaceBudgetsData struct {
	Space   *spaces.Space
	Budgets []budgetLine
	MayOpen bool // the reader may open an edition
}

type budgetLine struct {
	ID, Title, Results string // Results: the date of the result, or ""
}

func (s *surface) spaceBudgets(w http.ResponseWriter, r *http.Request) {
	sp, err := s.spaces.BySlug(r.Context(), mux.Vars(r)["slug"])
	if err != nil {
		s.Fail(w, r, notFound(err))
		return
	}
	list, err := s.projects.OfSpace(r.Context(), sp.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	d := spaceBudgetsData{Space: sp, MayOpen: official(r)}
	for _, b := range list {
		line := budgetLine{ID: b.ID, Title: b.Title}
		if !b.ResultsAt.IsZero() {
			line.Results = l.Date(b.ResultsAt)
		}
		d.Budgets = append(d.Budgets, line)
	}
	s.HTML(w, r, http.StatusOK, "space_budgets", l.T("budget.space.title", sp.Title), d)
}

// budgetData is an edition with its projects by heading.
type budgetData struct {
	Budget    *projects.Budget
	Space     *spaces.Space
	Rule      string // the chosen rule's name
	Other     string // the other rule's name
	Ballot    string // how residents choose, in words
	Total     string
	Decided   bool
	Headings  []headingView
	HasPBFile bool
	PBFiles   []pbLink      // the .pb file of each heading of an edition voted on the node, once counted
	Charts    []*moneyChart // per heading and per theme; none before the count
	Vote      *voteView     // the vote phase, nil when there is none to show
	// Form adds a project, for officials before the result.
	Form        *web.Form
	HeadingOpts []web.Option
	Map         *web.MapView // the form's picker, nil without tiles
}

type pbLink struct{ Name, URL string }

type headingView struct {
	Name, Amount, Used, UsedOther string
	Projects                      []projectLine
}

type projectLine struct {
	ID, Ref, Title, Theme, Cost, Status, Votes, Review string
	Funded, FundedOther                                bool
	Progress                                           int
}

func (s *surface) load(w http.ResponseWriter, r *http.Request) (*projects.Budget, []projects.Project, bool) {
	b, err := s.projects.Budget(r.Context(), mux.Vars(r)["id"])
	if err == nil {
		var list []projects.Project
		if list, err = s.projects.Projects(r.Context(), b.ID); err == nil {
			return b, list, true
		}
	}
	s.Fail(w, r, err)
	return nil, nil, false
}

func (s *surface) budgetPage(w http.ResponseWriter, r *http.Request) {
	s.showBudget(w, r, http.StatusOK, web.EmptyForm())
}

func (s *surface) showBudget(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	b, list, ok := s.load(w, r)
	if !ok {
		return
	}
	l := s.Printer(r)
	d := budgetData{Budget: b, Rule: l.T("budget.rule." + string(b.Rule)), Other: l.T("budget.rule." + string(b.Rule.Other())),
		Total: money(l, b.Total(), b.Currency), Decided: !b.ResultsAt.IsZero(), HasPBFile: b.PBKey != ""}
	if b.BallotKind == projects.Knapsack {
		d.Ballot = l.T("budget.ballot.knapsack")
	} else if b.MaxChoices > 0 {
		d.Ballot = l.T("budget.ballot.approval_max", b.MaxChoices)
	} else {
		d.Ballot = l.T("budget.ballot.approval")
	}
	if sp, err := s.spaces.ByID(r.Context(), b.SpaceID); err == nil {
		d.Space = sp
	}
	for _, h := range b.Headings {
		v := headingView{Name: h.Name, Amount: money(l, h.Amount, b.Currency)}
		var used, usedOther int64
		for _, p := range list {
			if p.Heading != h.Slug {
				continue
			}
			line := projectLine{ID: p.ID, Ref: p.Ref, Title: p.Title, Theme: p.Theme, Cost: money(l, p.Cost, b.Currency),
				Review: l.T("budget.review." + string(p.Review)),
				Votes:  l.Int(p.Votes), Funded: p.Funded, FundedOther: p.FundedOther, Progress: p.Progress}
			if p.Status != "" {
				line.Status = l.T("budget.status." + string(p.Status))
			}
			if p.Funded {
				used += p.Cost
			}
			if p.FundedOther {
				usedOther += p.Cost
			}
			v.Projects = append(v.Projects, line)
		}
		v.Used, v.UsedOther = money(l, used, b.Currency), money(l, usedOther, b.Currency)
		d.Headings = append(d.Headings, v)
	}
	if d.Decided {
		for _, c := range []*moneyChart{headingChart(l, b, list), themeChart(l, b, list)} {
			if c != nil {
				d.Charts = append(d.Charts, c)
			}
		}
	}
	vote, err := s.vote(r, b)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Vote = vote
	if d.Decided && !d.HasPBFile && vote != nil {
		for _, h := range b.Headings {
			d.PBFiles = append(d.PBFiles, pbLink{Name: h.Name, URL: "/budgets/" + b.ID + "/budget.pb?heading=" + h.Slug})
		}
	}

	if !d.Decided && official(r) && (d.Vote == nil || d.Vote.MayOpen) {
		d.Form = f
		for _, h := range b.Headings {
			d.HeadingOpts = append(d.HeadingOpts, web.Option{Value: h.Slug, Label: h.Name})
		}
		d.Map = s.picker(r, nil)
	}
	s.HTML(w, r, status, "budget", b.Title, d)
}

// pbFile serves an edition's .pb file: an imported edition's as it was
// imported; once counted, an edition voted on the node's, made from the
// published ballots of one heading's vote (?heading=, needed when the
// edition has several).
func (s *surface) pbFile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	b, err := s.projects.Budget(ctx, mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	name, body := "budget.pb", io.Reader(nil)
	if b.PBKey != "" {
		f, err := s.projects.PB(ctx, b.ID)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		defer f.Close()
		body = f
	} else {
		if s.voting == nil {
			s.Fail(w, r, projects.ErrNotFound)
			return
		}
		heading := r.URL.Query().Get("heading")
		if heading == "" && len(b.Headings) == 1 {
			heading = b.Headings[0].Slug
		}
		if heading == "" {
			s.Fail(w, r, errChooseHeading)
			return
		}
		pb, err := s.voting.PBFile(ctx, b.ID, heading)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		if err := budgets.WritePB(&buf, pb); err != nil {
			s.Fail(w, r, err)
			return
		}
		name, body = "budget-"+heading+".pb", &buf
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	io.Copy(w, body)
}

// errChooseHeading: the .pb file of an edition voted on the node is one
// heading's, and the edition has several.
var errChooseHeading = errors.New("choose the heading of the .pb file")

// stepPage sends a reader who opens a step (a link from the fediverse)
// to its place on the project's timeline.
func (s *surface) stepPage(w http.ResponseWriter, r *http.Request) {
	_, p, _, err := s.projects.StepOf(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/budgets/projects/"+p.ID+"#step-"+mux.Vars(r)["id"], http.StatusSeeOther)
}

// projectData is a project with its follow-up.
type projectData struct {
	Project    *projects.Project
	Budget     *projects.Budget
	Cost       string
	Votes      string
	ActualCost string
	Review     string
	Status     string
	Point      string // the map point as typed, "" for none
	Ideas      []projects.Idea
	Photos     []photoView // the project's own
	Timeline   []milestoneView
	Form       *web.Form // a milestone
	Statuses   []web.Option
	MayFollow  bool      // the reader may post a milestone
	ReviewForm *web.Form // the technical review, for officials before the result
	// For officials: the place (address and map point, with a picker
	// map when the node has tiles), and a photo to add.
	PlaceForm    *web.Form
	PhotoForm    *web.Form
	PhotoTargets []web.Option // the project, or one of its steps
	Map          *web.MapView
	MaxPhotos    int
	MaxMiB       int
	Follow       *web.FollowButton
	Comments     *commentsView // a funded project's thread; nil otherwise
}

type milestoneView struct {
	ID, At, Status, Text, ActualCost string
	Progress                         int
	Photos                           []photoView
}

// photoView is a photo as a page shows it: its URL and alt text, and
// for officials the form that takes it off.
type photoView struct {
	URL, Alt           string
	Remove, RemoveWord string // "" for readers who may not
}

// projectForms are the forms of a project's page, as posted (with their
// errors) or empty.
type projectForms struct {
	Milestone, Review, Place, Photo *web.Form
}

func (f projectForms) orEmpty() projectForms {
	for _, p := range []**web.Form{&f.Milestone, &f.Review, &f.Place, &f.Photo} {
		if *p == nil {
			*p = web.EmptyForm()
		}
	}
	return f
}

func (s *surface) projectPage(w http.ResponseWriter, r *http.Request) {
	s.showProject(w, r, http.StatusOK, projectForms{})
}

func (s *surface) showProject(w http.ResponseWriter, r *http.Request, status int, forms projectForms) {
	forms = forms.orEmpty()
	f, review := forms.Milestone, forms.Review
	p, ms, err := s.projects.Project(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	b, err := s.projects.Budget(r.Context(), p.BudgetID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	photos, err := s.projects.Photos(r.Context(), p.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	d := projectData{Project: p, Budget: b, Cost: money(l, p.Cost, b.Currency), Review: l.T("budget.review." + string(p.Review)), Form: f,
		Votes: l.Int(p.Votes)}
	if at, ok := p.Point(); ok {
		d.Point = web.Coord(at.Lat) + ", " + web.Coord(at.Lon)
	}
	if p.ActualCost > 0 {
		d.ActualCost = money(l, p.ActualCost, b.Currency)
	}
	if p.Status != "" {
		d.Status = l.T("budget.status." + string(p.Status))
	}
	if d.Ideas, err = s.projects.Ideas(r.Context(), p); err != nil {
		s.Fail(w, r, err)
		return
	}
	byStep := map[string][]photoView{}
	for _, ph := range photos {
		v := photoView{URL: "/budgets/projects/" + p.ID + "/photos/" + strconv.Itoa(ph.Position), Alt: ph.Alt}
		if official(r) {
			v.Remove, v.RemoveWord = v.URL+"/remove", l.T("budgetpics.photo.remove")
		}
		if ph.MilestoneID == "" {
			d.Photos = append(d.Photos, v)
		} else {
			byStep[ph.MilestoneID] = append(byStep[ph.MilestoneID], v)
		}
	}
	for _, m := range ms {
		v := milestoneView{ID: m.ID, At: l.Date(m.At), Status: l.T("budget.status." + string(m.Status)), Text: m.Text, Progress: m.Progress,
			Photos: byStep[m.ID]}
		if m.ActualCost > 0 {
			v.ActualCost = money(l, m.ActualCost, b.Currency)
		}
		d.Timeline = append(d.Timeline, v)
	}
	frozen := false // the vote is open: the review no longer changes
	if s.voting != nil && official(r) {
		if frozen, err = s.voting.Opened(r.Context(), b.ID); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	if official(r) && b.ResultsAt.IsZero() && !frozen {
		d.ReviewForm = review
		if len(review.Values) == 0 {
			review.Values["cost"] = strconv.FormatInt(p.Cost, 10)
			review.Values["reasons"] = p.ReviewReasons
			review.Values["feasible"] = map[projects.Review]string{projects.Feasible: "yes", projects.Unfeasible: "no"}[p.Review]
		}
	}
	if official(r) {
		s.placeAndPhotoForms(r, &d, forms, ms)
	}
	if p.Funded && official(r) {
		d.MayFollow = true
		for _, st := range projects.Statuses {
			d.Statuses = append(d.Statuses, web.Option{Value: string(st), Label: l.T("budget.status." + string(st))})
		}
		if f.Values["status"] == "" {
			f.Values["status"] = string(p.Status)
			f.Values["progress"] = strconv.Itoa(p.Progress)
		}
	}
	if p.Funded {
		if d.Comments, err = s.projectComments(r, l, p.ID); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	// Residents follow a project that is or may still be funded: its
	// follow-up steps are what they are told of.
	if acc := web.CurrentAccount(r); s.follows != nil && acc != nil && (p.Funded || b.ResultsAt.IsZero()) {
		t := notifications.Target{Kind: notifications.BudgetProject, ID: p.ID}
		on, err := s.follows.Following(r.Context(), acc.ID, t)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		d.Follow = &web.FollowButton{L: l, Kind: string(t.Kind), ID: p.ID, Back: r.URL.Path, Following: on,
			Done: r.URL.Query().Get("follow")}
	}
	s.HTML(w, r, status, "project", p.Title, d)
}

// milestoneSave records a step of a funded project's follow-up. Every
// field at fault is named at once; nothing changes then.
func (s *surface) milestoneSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f, l := web.NewForm(r), s.Printer(r)
	in := projects.MilestoneInput{Status: projects.Status(f.Values["status"]), Text: r.PostFormValue("text")}
	var err error
	if v := f.Values["progress"]; v != "" {
		if in.Progress, err = strconv.Atoi(v); err != nil {
			f.Errors["progress"] = l.T("budget.error.progress.range")
		}
	}
	in.ActualCost = parseAmount(l, f, "actual_cost", false)
	refused(l, f, in.Problems())
	if f.Invalid() {
		s.showProject(w, r, http.StatusBadRequest, projectForms{Milestone: f})
		return
	}
	id := mux.Vars(r)["id"]
	if _, err := s.projects.AddMilestone(r.Context(), accounts.As(web.CurrentAccount(r)), id, in); err != nil {
		if s.invalid(l, f, err) {
			s.showProject(w, r, http.StatusBadRequest, projectForms{Milestone: f})
			return
		}
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/budgets/projects/"+id+"#timeline", http.StatusSeeOther)
}

// money writes an amount of whole currency units as residents read it:
// "1 500 000 €" in French, "€1,500,000" in English.
func money(l *i18n.Printer, n int64, currency string) string {
	lang, out := l.Lang, l.Int(n)
	symbol := map[string]string{"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF", "PLN": "zł"}[currency]
	if symbol == "" {
		symbol = currency
	}
	if lang == "en" && (symbol == "€" || symbol == "$" || symbol == "£") {
		return symbol + out
	}
	return out + "\u00a0" + symbol
}

// budgetJSON and resultsJSON are the API's view of an edition.
type budgetJSON struct {
	ID        string        `json:"id"`
	Title     string        `json:"title"`
	SpaceID   string        `json:"space_id"`
	Rule      budgets.Rule  `json:"rule"`
	Ballot    string        `json:"ballot"`
	MaxChoice int           `json:"max_choices,omitempty"`
	Currency  string        `json:"currency"`
	Total     int64         `json:"total"`
	Headings  []headingJSON `json:"headings"`
	ResultsAt *time.Time    `json:"results_at,omitempty"`
	PBFile    string        `json:"pb_file,omitempty"`
}

type headingJSON struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
}

type projectJSON struct {
	ID          string `json:"id"`
	Reference   string `json:"reference"`
	Title       string `json:"title"`
	Heading     string `json:"heading"`
	Cost        int64  `json:"cost"`
	Votes       int64  `json:"votes"`
	Funded      bool   `json:"funded"`
	FundedOther bool   `json:"funded_by_other_rule"`
	Status      string `json:"status,omitempty"`
	Progress    int    `json:"progress"`
	URL         string `json:"url"`
}

func (s *surface) budgetView(b *projects.Budget) budgetJSON {
	out := budgetJSON{ID: b.ID, Title: b.Title, SpaceID: b.SpaceID, Rule: b.Rule, Ballot: string(b.BallotKind), MaxChoice: b.MaxChoices,
		Currency: b.Currency, Total: b.Total()}
	for _, h := range b.Headings {
		out.Headings = append(out.Headings, headingJSON{ID: h.Slug, Name: h.Name, Amount: h.Amount})
	}
	if !b.ResultsAt.IsZero() {
		at := b.ResultsAt
		out.ResultsAt = &at
	}
	if b.PBKey != "" {
		out.PBFile = s.BaseURL().JoinPath("budgets", b.ID, "budget.pb").String()
	}
	return out
}

func (s *surface) budgetJSON(w http.ResponseWriter, r *http.Request) {
	b, err := s.projects.Budget(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.PublicJSON(w, r, s.budgetView(b))
}

func (s *surface) resultsJSON(w http.ResponseWriter, r *http.Request) {
	b, list, ok := s.load(w, r)
	if !ok {
		return
	}
	out := struct {
		Budget   budgetJSON    `json:"budget"`
		Decided  bool          `json:"decided"`
		Projects []projectJSON `json:"projects"`
	}{Budget: s.budgetView(b), Decided: !b.ResultsAt.IsZero(), Projects: []projectJSON{}}
	for _, p := range list {
		out.Projects = append(out.Projects, projectJSON{ID: p.ID, Reference: p.Ref, Title: p.Title, Heading: p.Heading, Cost: p.Cost,
			Votes: p.Votes, Funded: p.Funded, FundedOther: p.FundedOther, Status: string(p.Status), Progress: p.Progress,
			URL: s.BaseURL().JoinPath("budgets", "projects", p.ID).String()})
	}
	s.PublicJSON(w, r, out)
}

// official reports whether the reader manages budgets.
func official(r *http.Request) bool { return projects.Manages(web.CurrentAccount(r)) }

// managing guards a manager's handler: others get the kit's 403.
func (s *surface) managing(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !official(r) {
			s.Fail(w, r, projects.ErrForbidden)
			return
		}
		h(w, r)
	}
}

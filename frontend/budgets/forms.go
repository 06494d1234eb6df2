package budgets

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/projects"
	"agora/instances/spaces"
)

// refused words each problem next to its field: a message for the field
// and the problem ("budget.error.cost.amount") when there is one, else
// the problem's own ("budget.error.amount"). A field already refused by
// the page keeps the page's message.
func refused(l *i18n.Printer, f *web.Form, problems projects.Problems) {
	for field, problem := range problems {
		if _, done := f.Errors[field]; done {
			continue
		}
		key := "budget.error." + field + "." + problem
		msg := l.T(key)
		if msg == key {
			msg = l.T("budget.error." + problem)
		}
		f.Errors[field] = msg
	}
}

// invalid words a domain refusal of bad input in the form; false when
// err is another error.
func (s *surface) invalid(l *i18n.Printer, f *web.Form, err error) bool {
	var ie *projects.InvalidError
	if !errors.As(err, &ie) {
		return false
	}
	refused(l, f, ie.Problems)
	return true
}

// parseAmount reads a whole amount typed with or without thousands
// separators ("1 500 000", "1,500,000", "1.500.000"); 0 and a message
// when it is not one, 0 when empty and not required.
func parseAmount(l *i18n.Printer, f *web.Form, field string, required bool) int64 {
	v := strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == ',' || r == '.' || r == '\u202f' || r == '€' || r == '\'' {
			return -1
		}
		return r
	}, f.Values[field])
	if v == "" {
		if required {
			f.Errors[field] = l.T("budget.error.amount")
		}
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		f.Errors[field] = l.T("budget.error.amount")
		return 0
	}
	return n
}

// newBudgetData is the form that opens an edition in a space.
type newBudgetData struct {
	Slug, SpaceTitle string
	Form             *web.Form
	Rules, Ballots   []web.Option
}

func (s *surface) newBudget(w http.ResponseWriter, r *http.Request) {
	f := web.EmptyForm()
	f.Values["rule"], f.Values["ballot"] = string(budgets.Greedy), string(projects.Approval)
	s.showNewBudget(w, r, http.StatusOK, f)
}

func (s *surface) showNewBudget(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	sp, err := s.spaces.BySlug(r.Context(), mux.Vars(r)["slug"])
	if err != nil {
		s.Fail(w, r, notFound(err))
		return
	}
	l := s.Printer(r)
	d := newBudgetData{Slug: sp.Slug, SpaceTitle: sp.Title, Form: f}
	for _, rule := range []budgets.Rule{budgets.Greedy, budgets.EqualShares} {
		d.Rules = append(d.Rules, web.Option{Value: string(rule), Label: l.T("budget.rule." + string(rule))})
	}
	for _, b := range []projects.BallotKind{projects.Approval, projects.Knapsack} {
		d.Ballots = append(d.Ballots, web.Option{Value: string(b), Label: l.T("budget.ballot.kind." + string(b))})
	}
	s.HTML(w, r, status, "budget_new", l.T("budget.new.title"), d)
}

// headingLine is one line of the headings field: "name ; amount".
var headingLine = regexp.MustCompile(`^(.+?)\s*[;:]\s*([\d\s\x{202f}.,€]+)$`)

// createBudget opens an edition. Every field at fault is named at once;
// nothing is created then.
func (s *surface) createBudget(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	sp, err := s.spaces.BySlug(r.Context(), mux.Vars(r)["slug"])
	if err != nil {
		s.Fail(w, r, notFound(err))
		return
	}
	l, f := s.Printer(r), web.NewForm(r)
	f.Values["headings"] = r.PostFormValue("headings")
	in := projects.BudgetInput{SpaceID: sp.ID, Title: f.Values["title"], Rule: budgets.Rule(f.Values["rule"]),
		BallotKind: projects.BallotKind(f.Values["ballot"])}
	if v := f.Values["max_choices"]; v != "" {
		if in.MaxChoices, err = strconv.Atoi(v); err != nil {
			f.Errors["max_choices"] = l.T("budget.error.max_choices.range")
		}
	}
	var bad []string
	for i, line := range strings.Split(strings.ReplaceAll(f.Values["headings"], "\r", ""), "\n") {
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		m := headingLine.FindStringSubmatch(line)
		if m == nil {
			bad = append(bad, strconv.Itoa(i+1))
			continue
		}
		amount := web.EmptyForm()
		amount.Values["a"] = m[2]
		h := projects.HeadingInput{Name: m[1], Amount: parseAmount(l, amount, "a", true)}
		if amount.Invalid() {
			bad = append(bad, strconv.Itoa(i+1))
		}
		in.Headings = append(in.Headings, h)
	}
	if len(bad) > 0 {
		f.Errors["headings"] = l.T("budget.error.headings.lines", strings.Join(bad, ", "))
	}
	problems := projects.Problems{}
	if err := in.Check(); err != nil {
		var ie *projects.InvalidError
		if !errors.As(err, &ie) {
			s.Fail(w, r, err)
			return
		}
		problems = ie.Problems
	}
	for field, problem := range problems {
		if strings.HasPrefix(field, "heading.") { // one message for the field that holds them all
			if _, done := f.Errors["headings"]; !done {
				f.Errors["headings"] = l.T("budget.error.headings." + problem)
			}
			delete(problems, field)
		}
	}
	refused(l, f, problems)
	if f.Invalid() {
		s.showNewBudget(w, r, http.StatusBadRequest, f)
		return
	}
	b, err := s.projects.CreateBudget(r.Context(), accounts.As(web.CurrentAccount(r)), in)
	if err != nil {
		if s.invalid(l, f, err) {
			s.showNewBudget(w, r, http.StatusBadRequest, f)
			return
		}
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/budgets/"+b.ID, http.StatusSeeOther)
}

// addProject puts a project on an edition's ballot.
func (s *surface) addProject(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	l, f := s.Printer(r), web.NewForm(r)
	f.Values["description"], f.Values["ideas"] = r.PostFormValue("description"), r.PostFormValue("ideas")
	in := projects.ProjectInput{BudgetID: mux.Vars(r)["id"], Heading: f.Values["heading"], Title: f.Values["title"], Ref: f.Values["ref"],
		Description: f.Values["description"], Theme: f.Values["theme"], Address: f.Values["address"], Service: f.Values["service"],
		Cost: parseAmount(l, f, "cost", true), Ideas: ideaIDs(f.Values["ideas"]), Point: readPoint(l, f)}
	refused(l, f, in.Problems())
	pointRefused(l, f)
	if !f.Invalid() {
		p, err := s.projects.AddProject(r.Context(), accounts.As(web.CurrentAccount(r)), in)
		if err == nil {
			http.Redirect(w, r, "/budgets/projects/"+p.ID, http.StatusSeeOther)
			return
		}
		if !s.invalid(l, f, err) {
			s.Fail(w, r, err)
			return
		}
		pointRefused(l, f)
	}
	s.showBudget(w, r, http.StatusBadRequest, f)
}

// ideaIDs reads the ideas field: proposal links or ids, one per line or
// separated by spaces or commas.
func ideaIDs(v string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return unicode.IsSpace(r) || r == ',' }) {
		f = strings.TrimSuffix(f, "/")
		out = append(out, f[strings.LastIndex(f, "/")+1:])
	}
	return out
}

// review records the technical review of a project.
func (s *surface) review(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	l, f := s.Printer(r), web.NewForm(r)
	f.Values["reasons"] = r.PostFormValue("reasons")
	in := projects.ReviewInput{Reasons: f.Values["reasons"]}
	switch f.Values["feasible"] {
	case "yes":
		in.Feasible = true
		in.Cost = parseAmount(l, f, "cost", true)
	case "no":
	default:
		f.Errors["feasible"] = l.T("budget.error.feasible")
	}
	refused(l, f, in.Problems())
	if !f.Invalid() {
		id := mux.Vars(r)["id"]
		err := s.projects.SetReview(r.Context(), accounts.As(web.CurrentAccount(r)), id, in)
		if err == nil {
			http.Redirect(w, r, "/budgets/projects/"+id, http.StatusSeeOther)
			return
		}
		if !s.invalid(l, f, err) {
			s.Fail(w, r, err)
			return
		}
	}
	s.showProject(w, r, http.StatusBadRequest, projectForms{Review: f})
}

// notFound makes a missing space a 404.
func notFound(err error) error {
	if errors.Is(err, spaces.ErrNotFound) {
		return web.HTTPError(http.StatusNotFound, err)
	}
	return err
}

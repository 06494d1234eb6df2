package admin

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"agora/frontend/web"

	"agora/instances/spaces"
)

// The form of a space, shared by opening and editing one. It has as many
// rows of phases and of categories as the space needs: the "add a
// phase" and "add a theme" buttons post the form, which comes back with
// one more empty row and nothing saved, so it works without JavaScript.
// Empty rows are ignored.

// Rows: how many the form shows at least, and at most.
const (
	maxPhaseRows    = 30
	maxCategoryRows = 50
)

// spaceFormData is the form that opens or changes a space.
type spaceFormData struct {
	Form              *web.Form
	Action            string // where the form posts
	Edit              bool   // changing a space, not opening one
	Space             *spaces.Space
	PhaseRows         []phaseRow
	CategoryRows      []categoryRow
	MorePhases        bool // another row of phases may be added
	MoreCategories    bool
	Kinds, PhaseKinds []web.Option
}

// phaseRow and categoryRow name the fields of one row of the form.
type phaseRow struct {
	N                      int
	Kind, Name, Start, End string
}

type categoryRow struct {
	N            int
	Slug, FR, EN string
}

func phaseFields(i int) phaseRow {
	return phaseRow{N: i + 1, Kind: fmt.Sprint("phase_kind_", i), Name: fmt.Sprint("phase_name_", i),
		Start: fmt.Sprint("phase_start_", i), End: fmt.Sprint("phase_end_", i)}
}

func categoryFields(i int) categoryRow {
	return categoryRow{N: i + 1, Slug: fmt.Sprint("category_slug_", i), FR: fmt.Sprint("category_fr_", i), EN: fmt.Sprint("category_en_", i)}
}

// rowFields matches the fields of the rows, to count the rows posted.
var rowFields = regexp.MustCompile(`^(phase|category)_[a-z]+_([0-9]+)$`)

// rows returns how many rows of phases and of categories f holds: what
// its hidden counters say, or more when fields of later rows were posted.
func rows(f *web.Form) (phases, categories int) {
	phases, _ = strconv.Atoi(f.Values["phase_rows"])
	categories, _ = strconv.Atoi(f.Values["category_rows"])
	for k := range f.Values {
		m := rowFields.FindStringSubmatch(k)
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		if m[1] == "phase" {
			phases = max(phases, n+1)
		} else {
			categories = max(categories, n+1)
		}
	}
	return min(max(phases, 1), maxPhaseRows), min(max(categories, 1), maxCategoryRows)
}

// renderSpaceForm shows the form over f, with its rows.
func (s *surface) renderSpaceForm(w http.ResponseWriter, r *http.Request, status int, f *web.Form, sp *spaces.Space) {
	l := s.Printer(r)
	d := spaceFormData{Form: f, Action: "/admin/spaces/new", Edit: sp != nil, Space: sp}
	title := l.T("space.new.title")
	if sp != nil {
		d.Action, title = "/admin/spaces/"+sp.Slug+"/edit", l.T("rules.space.edit.title", sp.Title)
	}
	np, nc := rows(f)
	f.Values["phase_rows"], f.Values["category_rows"] = strconv.Itoa(np), strconv.Itoa(nc)
	for i := range np {
		d.PhaseRows = append(d.PhaseRows, phaseFields(i))
	}
	for i := range nc {
		d.CategoryRows = append(d.CategoryRows, categoryFields(i))
	}
	d.MorePhases, d.MoreCategories = np < maxPhaseRows, nc < maxCategoryRows
	for _, k := range spaces.Kinds {
		d.Kinds = append(d.Kinds, web.Option{Value: string(k), Label: l.T("space.kind." + string(k))})
	}
	d.PhaseKinds = []web.Option{{Value: "", Label: l.T("space.new.phase_none")}}
	for _, k := range spaces.PhaseKinds {
		label := l.T("space.phase." + string(k))
		if k == spaces.Vote {
			label = l.T("rules.space.phase_vote")
		}
		d.PhaseKinds = append(d.PhaseKinds, web.Option{Value: string(k), Label: label})
	}
	s.HTML(w, r, status, "admin_space_form", title, d)
}

// addRow handles the "add a phase" and "add a theme" buttons: the form
// comes back with one more row, nothing checked or saved. It reports
// whether the post was one of them.
func (s *surface) addRow(w http.ResponseWriter, r *http.Request, f *web.Form, sp *spaces.Space) bool {
	np, nc := rows(f)
	switch f.Values["add"] {
	case "phase":
		f.Values["phase_rows"] = strconv.Itoa(min(np+1, maxPhaseRows))
	case "category":
		f.Values["category_rows"] = strconv.Itoa(min(nc+1, maxCategoryRows))
	default:
		return false
	}
	delete(f.Values, "add")
	s.renderSpaceForm(w, r, http.StatusOK, f, sp)
	return true
}

// postedSpace reads the form into what the spaces service takes. What
// cannot be read (a date, a number) gets its message next to its field
// here; the service checks the rest. Days are the node's: a phase runs
// from the start of its first day to the end of its last. When editing,
// a date left as it was shown keeps the phase's exact time.
func (s *surface) postedSpace(r *http.Request, f *web.Form, old *spaces.Space) (spaces.EditSpace, postedRows) {
	l, loc := s.Printer(r), s.Location()
	in := spaces.EditSpace{Title: f.Values["title"], Description: f.Values["description"], Kind: spaces.Kind(f.Values["kind"]),
		UnverifiedMayPropose: f.Values["unverified"] == "on"}
	in.TitleMax = s.intField(r, f, "title_max", 10, 300)
	in.BodyMax = s.intField(r, f, "body_max", 100, 20000)
	in.SupportThreshold = s.intField(r, f, "threshold", 0, 1_000_000)
	np, nc := rows(f)
	var at postedRows
	for i := range np {
		row := phaseFields(i)
		if f.Values[row.Kind] == "" && f.Values[row.Name] == "" && f.Values[row.Start] == "" && f.Values[row.End] == "" {
			continue
		}
		date := func(field string, shown func(spaces.Phase) time.Time, end bool) time.Time {
			if old != nil && i < len(old.Phases) && f.Values[field] == s.dayOf(shown(old.Phases[i]), end) {
				return shown(old.Phases[i])
			}
			d, err := time.ParseInLocation(time.DateOnly, f.Values[field], loc)
			if err != nil {
				f.Errors[field] = l.T("space.error.date")
				return time.Time{}
			}
			if end {
				d = d.AddDate(0, 0, 1)
			}
			return d
		}
		in.Phases = append(in.Phases, spaces.PhaseInput{Kind: spaces.PhaseKind(f.Values[row.Kind]), Name: f.Values[row.Name],
			StartsAt: date(row.Start, func(p spaces.Phase) time.Time { return p.StartsAt }, false),
			EndsAt:   date(row.End, func(p spaces.Phase) time.Time { return p.EndsAt }, true)})
		at.phases = append(at.phases, i)
	}
	for i := range nc {
		row := categoryFields(i)
		c := spaces.CategoryInput{Slug: f.Values[row.Slug], NameFR: f.Values[row.FR], NameEN: f.Values[row.EN]}
		if c == (spaces.CategoryInput{}) {
			continue
		}
		in.Categories = append(in.Categories, c)
		at.categories = append(at.categories, i)
	}
	return in, at
}

// postedRows says which row of the form each phase and category the
// service sees came from (empty rows are skipped).
type postedRows struct{ phases, categories []int }

// dayOf writes a phase's start (or its last day, for an end) as the form
// shows it, in the node's days.
func (s *surface) dayOf(t time.Time, end bool) string {
	if end {
		t = t.Add(-time.Nanosecond)
	}
	return t.In(s.Location()).Format(time.DateOnly)
}

// spaceFormFields is where each field of the spaces service goes on the form.
var spaceFormFields = map[string]string{"slug": "slug", "title": "title", "description": "description", "kind": "kind",
	"title_max": "title_max", "body_max": "body_max", "support_threshold": "threshold", "phases": "phases", "categories": "categories"}

// spaceMessages are the messages of the service's rules, by field where
// one rule reads differently on two fields.
var spaceMessages = []struct {
	err   error
	field string // "" for any
	key   string
}{
	{spaces.ErrSlug, "", "space.error.slug"},
	{spaces.ErrSlugTaken, "", "space.error.slug_taken"},
	{spaces.ErrTitle, "", "space.error.title"},
	{spaces.ErrDescription, "", "space.error.description"},
	{spaces.ErrKind, "", "space.error.kind"},
	{spaces.ErrLimits, "", "space.error.limits"},
	{spaces.ErrPhaseKind, "", "space.error.phase_kind"},
	{spaces.ErrPhaseName, "", "space.error.phase_name"},
	{spaces.ErrPhaseDates, "start", "space.error.date"},
	{spaces.ErrPhaseDates, "end", "space.error.end_before_start"},
	{spaces.ErrPhaseOverlap, "", "rules.space.overlap"},
	{spaces.ErrCategorySlug, "", "rules.space.category_slug"},
	{spaces.ErrCategoryTwice, "", "space.error.category_twice"},
	{spaces.ErrCategoryName, "", "rules.space.category_name"},
	{spaces.ErrCategoryInUse, "", "rules.space.category_in_use"},
	{spaces.ErrPhases, "", "rules.space.no_phases"},
}

// spaceFailed puts every problem err holds next to its field (those the
// form found already keep their own message). It reports false for an
// error that is not about the form.
func (s *surface) spaceFailed(r *http.Request, f *web.Form, at postedRows, err error) bool {
	var inv *spaces.InvalidError
	if !errors.As(err, &inv) {
		return false
	}
	l := s.Printer(r)
	for _, fe := range inv.Errors {
		field, part := spaceFormFields[fe.Field], ""
		if kind, idx, ok := cutIndex(fe.Field); ok {
			switch {
			case kind == "phases" && idx.n < len(at.phases):
				row := phaseFields(at.phases[idx.n])
				field = map[string]string{"kind": row.Kind, "name": row.Name, "start": row.Start, "end": row.End}[idx.sub]
				part = idx.sub
			case kind == "categories" && idx.n < len(at.categories):
				row := categoryFields(at.categories[idx.n])
				field = map[string]string{"slug": row.Slug, "name_fr": row.FR, "name_en": row.EN}[idx.sub]
			}
		}
		if field == "" {
			field = "form"
		}
		if _, taken := f.Errors[field]; taken {
			continue
		}
		key := ""
		for _, m := range spaceMessages {
			if errors.Is(fe.Err, m.err) && (m.field == "" || m.field == part) {
				key = m.key
				break
			}
		}
		if field == "form" {
			f.Error = l.T(key)
			continue
		}
		f.Errors[field] = l.T(key)
	}
	return true
}

// fieldIndex is the place of a row's field: "phases.2.end" is row 2, "end".
type fieldIndex struct {
	n   int
	sub string
}

// cutIndex splits "phases.2.end" into "phases", 2 and "end".
func cutIndex(field string) (string, fieldIndex, bool) {
	m := indexedField.FindStringSubmatch(field)
	if m == nil {
		return "", fieldIndex{}, false
	}
	n, _ := strconv.Atoi(m[2])
	return m[1], fieldIndex{n: n, sub: m[3]}, true
}

var indexedField = regexp.MustCompile(`^(phases|categories)\.([0-9]+)\.([a-z_]+)$`)

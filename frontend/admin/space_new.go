package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"agora/frontend/web"

	"agora/instances/accounts"
	"agora/instances/spaces"
)

// The new-space form has a fixed number of rows of phases and of
// categories; rows left empty are ignored.
const (
	spacePhaseRows    = 6
	spaceCategoryRows = 6
)

// spaceNewData is the form that opens a space.
type spaceNewData struct {
	Form              *web.Form
	PhaseRows         []phaseRow
	CategoryRows      []categoryRow
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

func (s *surface) spaceNewPage(w http.ResponseWriter, r *http.Request) {
	f := web.EmptyForm()
	f.Values["kind"] = string(spaces.Process)
	f.Values["title_max"] = strconv.Itoa(spaces.DefaultTitleMax)
	f.Values["body_max"] = strconv.Itoa(spaces.DefaultBodyMax)
	f.Values["threshold"] = strconv.Itoa(spaces.DefaultThreshold)
	s.renderSpaceNew(w, r, http.StatusOK, f)
}

func (s *surface) renderSpaceNew(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	l := s.Printer(r)
	d := spaceNewData{Form: f}
	for i := range spacePhaseRows {
		d.PhaseRows = append(d.PhaseRows, phaseFields(i))
	}
	for i := range spaceCategoryRows {
		d.CategoryRows = append(d.CategoryRows, categoryFields(i))
	}
	for _, k := range spaces.Kinds {
		d.Kinds = append(d.Kinds, web.Option{Value: string(k), Label: l.T("space.kind." + string(k))})
	}
	d.PhaseKinds = []web.Option{{Value: "", Label: l.T("space.new.phase_none")}}
	for _, k := range spaces.PhaseKinds {
		d.PhaseKinds = append(d.PhaseKinds, web.Option{Value: string(k), Label: l.T("space.phase." + string(k))})
	}
	s.HTML(w, r, status, "admin_space_new", l.T("space.new.title"), d)
}

// spaceNewSave opens the space. Each row and number is checked first, so
// that every message shows next to its field; the service checks the
// rest (slug, order of the phases...) and creates nothing on error.
func (s *surface) spaceNewSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	in := spaces.NewSpace{
		Slug: f.Values["slug"], Title: f.Values["title"], Description: f.Values["description"],
		Kind: spaces.Kind(f.Values["kind"]), UnverifiedMayPropose: f.Values["unverified"] == "on",
	}
	if in.Slug == "" {
		s.FailForm(r, f, spaces.ErrSlug)
	}
	if in.Title == "" {
		s.FailForm(r, f, spaces.ErrTitle)
	}
	in.TitleMax = s.intField(r, f, "title_max", 10, 300)
	in.BodyMax = s.intField(r, f, "body_max", 100, 20000)
	in.SupportThreshold = s.intField(r, f, "threshold", 0, 1_000_000)
	in.Phases = s.postedPhases(r, f)
	in.Categories = s.postedCategories(r, f)
	if f.Invalid() {
		s.renderSpaceNew(w, r, http.StatusBadRequest, f)
		return
	}
	sp, err := s.spaces.Create(r.Context(), accounts.As(web.CurrentAccount(r)), in)
	if err != nil {
		e := s.AsError(err)
		if e.Status >= 500 {
			s.Fail(w, r, err)
			return
		}
		s.FailForm(r, f, err)
		s.renderSpaceNew(w, r, e.Status, f)
		return
	}
	http.Redirect(w, r, "/spaces/"+url.PathEscape(sp.Slug)+"?done=created", http.StatusSeeOther)
}

// postedPhases reads the rows of phases that are not empty. Days are the
// node's: a phase runs from the start of its first day to the end of its
// last.
func (s *surface) postedPhases(r *http.Request, f *web.Form) []spaces.PhaseInput {
	l, loc := s.Printer(r), s.Location()
	var out []spaces.PhaseInput
	for i := range spacePhaseRows {
		row := phaseFields(i)
		kk, nk, sk, ek := row.Kind, row.Name, row.Start, row.End
		kind := spaces.PhaseKind(f.Values[kk])
		if kind == "" && f.Values[nk] == "" && f.Values[sk] == "" && f.Values[ek] == "" {
			continue
		}
		if !slices.Contains(spaces.PhaseKinds, kind) {
			f.Errors[kk] = l.T("space.error.phase_kind")
		}
		if len([]rune(f.Values[nk])) > 80 {
			f.Errors[nk] = l.T("space.error.phase_name")
		}
		from, err := time.ParseInLocation(time.DateOnly, f.Values[sk], loc)
		if err != nil {
			f.Errors[sk] = l.T("space.error.date")
		}
		to, err := time.ParseInLocation(time.DateOnly, f.Values[ek], loc)
		switch {
		case err != nil:
			f.Errors[ek] = l.T("space.error.date")
		case f.Errors[sk] == "" && to.Before(from):
			f.Errors[ek] = l.T("space.error.end_before_start")
		}
		out = append(out, spaces.PhaseInput{Kind: kind, Name: f.Values[nk], StartsAt: from, EndsAt: to.AddDate(0, 0, 1)})
	}
	return out
}

// postedCategories reads the rows of categories that are not empty.
func (s *surface) postedCategories(r *http.Request, f *web.Form) []spaces.CategoryInput {
	l := s.Printer(r)
	var out []spaces.CategoryInput
	seen := map[string]bool{}
	for i := range spaceCategoryRows {
		row := categoryFields(i)
		sk, fk, ek := row.Slug, row.FR, row.EN
		c := spaces.CategoryInput{Slug: f.Values[sk], NameFR: f.Values[fk], NameEN: f.Values[ek]}
		if c == (spaces.CategoryInput{}) {
			continue
		}
		switch {
		case c.Slug == "":
			f.Errors[sk] = l.T("space.error.category_slug")
		case seen[c.Slug]:
			f.Errors[sk] = l.T("space.error.category_twice")
		}
		seen[c.Slug] = true
		if c.NameFR == "" {
			f.Errors[fk] = l.T("space.error.category_name")
		}
		out = append(out, c)
	}
	return out
}

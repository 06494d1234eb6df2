package reports

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/reports"
)

// DuplicateRadius is how far from the point the form looks for open
// reports of the same category before sending a new one.
const DuplicateRadius = 100 // metres

// newData is the report form: step 1 asks what and where; step 2 shows
// the open reports of that kind nearby, then the rest of the form.
type newData struct {
	Form       *web.Form
	Step2      bool
	Categories []web.Option
	Category   string     // its name, at step 2
	Suggestion bool       // the category is one of suggestions: step 2 says so
	Items      []listItem // open reports of the category nearby
	Agent      bool
	FilesAgain bool
	MaxPhotos  int
	MaxMiB     int
	Back       string       // step 1 again, with what was typed
	Map        *web.MapView // the picker of step 1; nil without tiles
}

// newPage is step 1 of the form (GET /reports/new), or step 2 once what
// and where are given (?step=2&category=&address=&lat=&lon=).
func (s *surface) newPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := web.EmptyForm()
	for _, k := range []string{"category", "address", "lat", "lon"} {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	f.Values["desk"] = web.RememberedDesk(r)
	step2 := q.Get("step") == "2"
	if step2 {
		step2 = s.checkWhere(r, f)
	}
	s.renderNew(w, r, http.StatusOK, f, step2, false)
}

// checkWhere checks the fields of step 1, putting messages next to them.
func (s *surface) checkWhere(r *http.Request, f *web.Form) bool {
	l := s.Printer(r)
	if _, err := s.reports.CategoryBySlug(r.Context(), f.Values["category"]); err != nil {
		s.FailForm(r, f, err)
	}
	p, ok := web.ParsePoint(f.Values["lat"], f.Values["lon"])
	switch {
	case !ok:
		f.Errors["lat"] = l.T("street.error.point")
	case p == nil && f.Values["address"] == "":
		f.Errors["address"] = l.T("street.error.location")
	}
	return !f.Invalid()
}

func (s *surface) renderNew(w http.ResponseWriter, r *http.Request, status int, f *web.Form, step2, filesAgain bool) {
	l := s.Printer(r)
	cats, err := s.reports.Categories(r.Context(), false)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := newData{Form: f, Step2: step2, Agent: web.CurrentAccount(r).Has(accounts.Agent), FilesAgain: filesAgain,
		MaxPhotos: reports.MaxPhotos, MaxMiB: web.UploadMaxBytes >> 20}
	if !step2 {
		d.Map = s.newMap(r, "picker-map", "picker")
	}
	// Suggestion categories, when the admin flagged some, are a group of
	// their own: the form is the same, the kind is the category's.
	var problems, suggestions []web.Option
	for _, c := range cats {
		o := web.Option{Value: c.Slug, Label: c.Name(l.Lang)}
		if c.Kind == reports.Suggestion {
			suggestions = append(suggestions, o)
		} else {
			problems = append(problems, o)
		}
		if c.Slug == f.Values["category"] {
			d.Category, d.Suggestion = c.Name(l.Lang), c.Kind == reports.Suggestion
		}
	}
	d.Categories = problems
	if len(suggestions) > 0 {
		d.Categories = []web.Option{{Label: l.T("suggestions.form.problems"), Group: problems},
			{Label: l.T("suggestions.form.suggestions"), Group: suggestions}}
	}
	back := url.Values{}
	for _, k := range []string{"category", "address", "lat", "lon"} {
		if v := f.Values[k]; v != "" {
			back.Set(k, v)
		}
	}
	d.Back = "/reports/new?" + back.Encode()
	if step2 {
		if p, _ := web.ParsePoint(f.Values["lat"], f.Values["lon"]); p != nil {
			near, err := s.reports.Nearby(r.Context(), *p, DuplicateRadius,
				reports.Filter{Category: f.Values["category"], OpenOnly: true}, 10)
			if err != nil && status < 400 {
				s.FailForm(r, f, err)
			}
			if d.Items, err = s.items(r, nearToItems(near)); err != nil {
				s.Fail(w, r, err)
				return
			}
		}
	}
	s.HTML(w, r, status, "street_new", l.T("street.new.title"), d)
}

// newSave sends a report. Every field and photo is checked before
// anything is written: a form with any error stores no photo and creates
// nothing, and comes back with each message next to its field.
func (s *surface) newSave(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	f, files, err := s.readForm(r, reports.MaxPhotos)
	defer closeAll(files)
	if err != nil {
		if web.IsTooLarge(err) {
			w.Header().Set("Connection", "close")
			f.Errors["photos"] = l.T("street.error.too_large", uploadLimit>>20)
			s.renderNew(w, r, http.StatusRequestEntityTooLarge, f, true, true)
			return
		}
		s.Fail(w, r, err)
		return
	}
	sent := len(files) > 0 || f.Errors["photos"] != ""
	s.checkWhere(r, f)
	p, _ := web.ParsePoint(f.Values["lat"], f.Values["lon"])
	in := reports.Input{Category: f.Values["category"], Point: p, Address: f.Values["address"],
		Description: f.Values["description"], NamePublic: f.Values["name_public"] == "on"}
	actor, ok, err := s.DeskActor(r, f)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !ok || f.Invalid() {
		s.renderNew(w, r, http.StatusBadRequest, f, true, sent)
		return
	}
	// Photos go to the blob store first (content-addressed: a photo stored
	// for a report that then fails harms nothing, and is not listed).
	if in.Photos, err = s.storePhotos(r, files); err != nil {
		s.Fail(w, r, fmt.Errorf("store the photos of a report: %w", err))
		return
	}
	rep, err := s.reports.Create(r.Context(), actor, in)
	if err != nil {
		if e := s.AsError(err); e.Status >= 500 {
			s.Fail(w, r, err)
			return
		}
		s.renderNew(w, r, s.Refuse(w, r, f, err), f, true, sent)
		return
	}
	if actor.OnBehalfOf != nil {
		s.RememberDesk(w, actor.Desk)
	}
	http.Redirect(w, r, "/reports/"+url.PathEscape(rep.ID)+"?done=sent", http.StatusSeeOther)
}

package reports

import (
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/reports"
)

// Planned works: the list of works not yet over, a work's page with the
// reports around it, and the officials' form to publish one.

func (s *surface) worksRoutes() {
	anyone, signedIn := s.Anyone(), s.SignedIn()
	anyone.Get("/reports/works", s.worksPage)
	signedIn.Get("/reports/works/new", s.workNewPage)
	signedIn.Post("/reports/works/new", s.workSave)
	anyone.Get("/reports/works/{id}", s.workPage)
}

// workItem is a work as pages show it.
type workItem struct {
	ID, Title, Description, Service, Address, Dates string
}

func (s *surface) workItem(r *http.Request, w *reports.Work) workItem {
	l := s.Printer(r)
	return workItem{ID: w.ID, Title: w.Title, Description: w.Description, Service: w.Service, Address: w.Address,
		Dates: l.T("reportsmap.works.dates", l.Date(w.StartsOn), l.Date(w.EndsOn))}
}

type worksData struct {
	Works    []workItem
	Official bool
	Map      *web.MapView
}

func (s *surface) worksPage(w http.ResponseWriter, r *http.Request) {
	works, err := s.reports.CurrentWorks(r.Context(), 200)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := worksData{Official: len(officialServices(web.CurrentAccount(r))) > 0, Map: s.newMap(r, "works-map", "pins")}
	for i := range works {
		d.Works = append(d.Works, s.workItem(r, &works[i]))
	}
	s.HTML(w, r, http.StatusOK, "street_works", s.Printer(r).T("reportsmap.works.title"), d)
}

// WorkRadius is how far around a work its page looks for reports.
const WorkRadius = 200 // metres

type workData struct {
	Work  workItem
	Point string
	Items []listItem
	Done  string
}

func (s *surface) workPage(w http.ResponseWriter, r *http.Request) {
	wk, err := s.reports.WorkByID(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	near, err := s.reports.Nearby(r.Context(), wk.Point(), WorkRadius, reports.Filter{}, 50)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := workData{Work: s.workItem(r, wk), Point: coord(wk.Point().Lat) + ", " + coord(wk.Point().Lon), Done: r.URL.Query().Get("done")}
	if d.Items, err = s.items(r, nearToItems(near)); err != nil {
		s.Fail(w, r, err)
		return
	}
	s.HTML(w, r, http.StatusOK, "street_work", wk.Title, d)
}

// officialServices are the services an account answers for.
func officialServices(a *accounts.Account) []string {
	if a == nil {
		return nil
	}
	var out []string
	for _, g := range a.Roles {
		if g.Role == accounts.Official && strings.TrimSpace(g.Service) != "" {
			out = append(out, strings.TrimSpace(g.Service))
		}
	}
	return out
}

type workFormData struct {
	Form     *web.Form
	Services []web.Option
	Map      *web.MapView
}

func (s *surface) workNewPage(w http.ResponseWriter, r *http.Request) {
	s.renderWorkForm(w, r, http.StatusOK, web.EmptyForm())
}

func (s *surface) renderWorkForm(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	services := officialServices(web.CurrentAccount(r))
	if len(services) == 0 {
		s.Fail(w, r, reports.ErrWorkNotOfficial)
		return
	}
	d := workFormData{Form: f, Map: s.newMap(r, "picker-map", "picker")}
	for _, sv := range services {
		d.Services = append(d.Services, web.Option{Value: sv, Label: sv})
	}
	s.HTML(w, r, status, "street_work_new", s.Printer(r).T("reportsmap.works.new"), d)
}

func (s *surface) workSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	l := s.Printer(r)
	in := reports.WorkInput{Service: f.Values["service"], Title: f.Values["title"], Description: f.Values["description"],
		Address: f.Values["address"]}
	p, ok := web.ParsePoint(f.Values["lat"], f.Values["lon"])
	if !ok || p == nil {
		f.Errors["lat"] = l.T("street.error.point")
	} else {
		in.Point = *p
	}
	for _, k := range []string{"starts_on", "ends_on"} {
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(f.Values[k]))
		if err != nil {
			f.Errors[k] = l.T("reportsmap.error.date")
		}
		if k == "starts_on" {
			in.StartsOn = t
		} else {
			in.EndsOn = t
		}
	}
	if len(f.Errors) > 0 {
		s.renderWorkForm(w, r, http.StatusBadRequest, f)
		return
	}
	wk, err := s.reports.PublishWork(r.Context(), accounts.As(web.CurrentAccount(r)), in)
	if err != nil {
		s.renderWorkForm(w, r, s.Refuse(w, r, f, err), f)
		return
	}
	http.Redirect(w, r, "/reports/works/"+wk.ID+"?done=published", http.StatusSeeOther)
}

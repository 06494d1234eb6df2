package reports

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/reports"
)

// Planned works: the list of works not yet over, a work's page with the
// reports around it, and the officials' forms to publish, edit and
// withdraw one.

func (s *surface) worksRoutes() {
	anyone, signedIn := s.Anyone(), s.SignedIn()
	anyone.Get("/reports/works", s.worksPage)
	signedIn.Get("/reports/works/new", s.workNewPage)
	signedIn.Post("/reports/works/new", s.workSave)
	anyone.Get("/reports/works/{id}", s.workPage)
	signedIn.Get("/reports/works/{id}/edit", s.workEditPage)
	signedIn.Post("/reports/works/{id}/edit", s.workEditSave)
	signedIn.Get("/reports/works/{id}/withdraw", s.workWithdrawPage)
	signedIn.Post("/reports/works/{id}/withdraw", s.workWithdrawSave)
}

// workItem is a work as pages show it.
type workItem struct {
	ID, Title, Description, Service, Address, Dates string
	Updated                                         string // the day of the last edit, if any
	Withdrawn                                       string // "Withdrawn on …: reason", if it was
}

func (s *surface) workItem(r *http.Request, w *reports.Work) workItem {
	l := s.Printer(r)
	it := workItem{ID: w.ID, Title: w.Title, Description: w.Description, Service: w.Service, Address: w.Address,
		Dates: l.T("reportsmap.works.dates", l.Date(w.StartsOn), l.Date(w.EndsOn))}
	if w.UpdatedAt != nil {
		it.Updated = l.T("reportsmore.works.updated", l.Date(*w.UpdatedAt))
	}
	if w.CancelledAt != nil {
		it.Withdrawn = l.T("reportsmore.works.withdrawn", l.Date(*w.CancelledAt), w.CancelReason)
	}
	return it
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
	Work    workItem
	Point   string
	Items   []listItem
	Done    string
	MayEdit bool // the reader may edit and withdraw it
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
	d := workData{Work: s.workItem(r, wk), Point: coord(wk.Point().Lat) + ", " + coord(wk.Point().Lon), Done: r.URL.Query().Get("done"),
		MayEdit: reports.MayEditWork(accounts.As(web.CurrentAccount(r)), wk)}
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

// fieldError is a message of a form with the field it is about, for the
// summary above the form that links to each field.
type fieldError struct{ Field, Message string }

type workFormData struct {
	Form     *web.Form
	Errors   []fieldError
	Services []web.Option
	Map      *web.MapView
	Action   string // where the form posts
	Submit   string // its button
	Work     *workItem
}

// workFields are the work form's fields, in the order of the page.
var workFields = []string{"service", "title", "description", "starts_on", "ends_on", "address", "lat", "lon", "reason"}

func (s *surface) workNewPage(w http.ResponseWriter, r *http.Request) {
	s.renderWorkForm(w, r, http.StatusOK, web.EmptyForm(), nil)
}

// renderWorkForm shows the form to publish a work, or to edit wk.
func (s *surface) renderWorkForm(w http.ResponseWriter, r *http.Request, status int, f *web.Form, wk *reports.Work) {
	l := s.Printer(r)
	services := officialServices(web.CurrentAccount(r))
	d := workFormData{Form: f, Map: s.newMap(r, "picker-map", "picker"), Action: "/reports/works/new",
		Submit: l.T("reportsmap.works.form.submit")}
	title := l.T("reportsmap.works.new")
	if wk != nil {
		if !reports.MayEditWork(accounts.As(web.CurrentAccount(r)), wk) {
			s.Fail(w, r, refusedEdit(wk))
			return
		}
		if !containsFold(services, wk.Service) {
			services = append([]string{wk.Service}, services...)
		}
		it := s.workItem(r, wk)
		d.Work, d.Action, d.Submit = &it, "/reports/works/"+url.PathEscape(wk.ID)+"/edit", l.T("reportsmore.works.edit_submit")
		title = l.T("reportsmore.works.edit_title", wk.Title)
	}
	if len(services) == 0 {
		s.Fail(w, r, reports.ErrWorkNotOfficial)
		return
	}
	for _, sv := range services {
		d.Services = append(d.Services, web.Option{Value: sv, Label: sv})
	}
	d.Errors = errorList(f)
	s.HTML(w, r, status, "street_work_new", title, d)
}

// refusedEdit is why a work's forms are not shown to this reader.
func refusedEdit(wk *reports.Work) error {
	if wk.Withdrawn() {
		return reports.ErrWorkWithdrawn
	}
	return reports.ErrWorkNotOfficial
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// errorList is a form's messages in the order of its fields.
func errorList(f *web.Form) []fieldError {
	var out []fieldError
	for _, k := range workFields {
		if msg := f.Errors[k]; msg != "" {
			out = append(out, fieldError{Field: k, Message: msg})
		}
	}
	return out
}

// readWork reads the work form: what cannot be read (a point, a day) is
// noted next to its field.
func (s *surface) readWork(r *http.Request, f *web.Form) reports.WorkInput {
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
	if f.Errors["starts_on"] != "" || f.Errors["ends_on"] != "" {
		in.StartsOn, in.EndsOn = time.Time{}, time.Time{}
	}
	return in
}

// refuseWork puts each of the domain's refusals next to its field
// (joined errors: every one at once), leaving the messages the form's
// own reading already gave, and returns the page's status.
func (s *surface) refuseWork(w http.ResponseWriter, r *http.Request, f *web.Form, err error) int {
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	status := http.StatusBadRequest
	for _, e := range errs {
		ae := s.AsError(e)
		if ae.Status != http.StatusBadRequest {
			return s.Refuse(w, r, f, e) // forbidden, gone: alone
		}
		if ae.Field != "" && f.Errors[ae.Field] != "" {
			continue
		}
		if ae.Field == "ends_on" && f.Errors["starts_on"] != "" {
			continue // the days were not read: the dates' message is there
		}
		s.FailForm(r, f, e)
	}
	return status
}

func (s *surface) workSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	in := s.readWork(r, f)
	actor := accounts.As(web.CurrentAccount(r))
	if len(f.Errors) > 0 {
		// Still every other check, so the page says all at once; nothing
		// is written.
		if err := s.reports.CheckWork(r.Context(), in); err != nil {
			s.renderWorkForm(w, r, s.refuseWork(w, r, f, err), f, nil)
			return
		}
		s.renderWorkForm(w, r, http.StatusBadRequest, f, nil)
		return
	}
	wk, err := s.reports.PublishWork(r.Context(), actor, in)
	if err != nil {
		if e := s.AsError(err); e.Status >= 500 {
			s.Fail(w, r, err)
			return
		}
		s.renderWorkForm(w, r, s.refuseWork(w, r, f, err), f, nil)
		return
	}
	http.Redirect(w, r, "/reports/works/"+wk.ID+"?done=published", http.StatusSeeOther)
}

func (s *surface) workEditPage(w http.ResponseWriter, r *http.Request) {
	wk, err := s.reports.WorkByID(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f := web.EmptyForm()
	f.Values = map[string]string{"service": wk.Service, "title": wk.Title, "description": wk.Description, "address": wk.Address,
		"starts_on": wk.StartsOn.Format(time.DateOnly), "ends_on": wk.EndsOn.Format(time.DateOnly),
		"lat": coord(wk.Point().Lat), "lon": coord(wk.Point().Lon)}
	s.renderWorkForm(w, r, http.StatusOK, f, wk)
}

func (s *surface) workEditSave(w http.ResponseWriter, r *http.Request) {
	wk, err := s.reports.WorkByID(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !s.ParseForm(w, r) {
		return
	}
	actor := accounts.As(web.CurrentAccount(r))
	if !reports.MayEditWork(actor, wk) {
		s.Fail(w, r, refusedEdit(wk))
		return
	}
	f := web.NewForm(r)
	in := s.readWork(r, f)
	if len(f.Errors) > 0 {
		if err := s.reports.CheckWork(r.Context(), in); err != nil {
			s.renderWorkForm(w, r, s.refuseWork(w, r, f, err), f, wk)
			return
		}
		s.renderWorkForm(w, r, http.StatusBadRequest, f, wk)
		return
	}
	if _, err := s.reports.EditWork(r.Context(), actor, wk.ID, in); err != nil {
		if e := s.AsError(err); e.Status >= 500 || e.Status == http.StatusConflict {
			s.Fail(w, r, err)
			return
		}
		s.renderWorkForm(w, r, s.refuseWork(w, r, f, err), f, wk)
		return
	}
	http.Redirect(w, r, "/reports/works/"+url.PathEscape(wk.ID)+"?done=edited", http.StatusSeeOther)
}

type workWithdrawData struct {
	Form   *web.Form
	Errors []fieldError
	Work   workItem
}

func (s *surface) workWithdrawPage(w http.ResponseWriter, r *http.Request) {
	s.renderWithdraw(w, r, http.StatusOK, web.EmptyForm())
}

func (s *surface) renderWithdraw(w http.ResponseWriter, r *http.Request, status int, f *web.Form) {
	wk, err := s.reports.WorkByID(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if !reports.MayEditWork(accounts.As(web.CurrentAccount(r)), wk) {
		s.Fail(w, r, refusedEdit(wk))
		return
	}
	d := workWithdrawData{Form: f, Errors: errorList(f), Work: s.workItem(r, wk)}
	s.HTML(w, r, status, "street_work_withdraw", s.Printer(r).T("reportsmore.works.withdraw_title", wk.Title), d)
}

func (s *surface) workWithdrawSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	id := mux.Vars(r)["id"]
	_, err := s.reports.WithdrawWork(r.Context(), accounts.As(web.CurrentAccount(r)), id, f.Values["reason"])
	if errors.Is(err, reports.ErrWorkReason) {
		s.renderWithdraw(w, r, s.Refuse(w, r, f, err), f)
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/reports/works/"+url.PathEscape(id)+"?done=withdrawn", http.StatusSeeOther)
}

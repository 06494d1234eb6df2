package apps

import (
	"errors"
	"net/http"
	"time"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/apps"
)

// appAdopt records that a city of this node uses the app ("we use
// this"): its name, the version deployed, a contact, since when.
// Recording it again for the same city updates it.
func (s *surface) appAdopt(w http.ResponseWriter, r *http.Request) {
	slug := mux.Vars(r)["slug"]
	if !s.mayCurate(w, r) || !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	in := apps.AdoptionInput{Name: f.Values["name"], Version: f.Values["version"], Contact: f.Values["contact"]}
	if v := f.Values["since"]; v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			f.Errors["since"] = s.Printer(r).T("app.adopt.bad_date")
			s.renderApp(w, r, http.StatusBadRequest, slug, f, "adopt", nil)
			return
		}
		in.Since = t
	}
	actor, err := appActor(r)
	if err == nil {
		_, err = s.apps.Adopt(r.Context(), actor, slug, in)
	}
	if err != nil {
		s.adoptFailed(w, r, slug, f, "adopt", err)
		return
	}
	http.Redirect(w, r, appDoneURL(slug, "adopted", "users"), http.StatusSeeOther)
}

// appUnadopt removes a city of this node from the app's users.
func (s *surface) appUnadopt(w http.ResponseWriter, r *http.Request) {
	slug := mux.Vars(r)["slug"]
	if !s.mayCurate(w, r) || !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	actor, err := appActor(r)
	if err == nil {
		err = s.apps.Unadopt(r.Context(), actor, slug, f.Values["name"])
	}
	if err != nil {
		s.adoptFailed(w, r, slug, f, "unadopt", err)
		return
	}
	http.Redirect(w, r, appDoneURL(slug, "unadopted", "users"), http.StatusSeeOther)
}

// adoptFailed shows each field's problem next to it.
func (s *surface) adoptFailed(w http.ResponseWriter, r *http.Request, slug string, f *web.Form, failed string, err error) {
	l := s.Printer(r)
	fes := fieldErrors(err)
	if len(fes) == 0 {
		if errors.Is(err, apps.ErrNotAdopted) {
			f.Error = l.T("app.error.not_adopted")
			s.renderApp(w, r, http.StatusNotFound, slug, f, failed, nil)
			return
		}
		s.appFailed(w, r, slug, f, failed, err)
		return
	}
	f.Error = l.T("app.error.fields", len(fes))
	for _, fe := range fes {
		f.Errors[fe.Path] = l.T("app.adopt.field." + fe.Code)
	}
	s.renderApp(w, r, http.StatusBadRequest, slug, f, failed, nil)
}

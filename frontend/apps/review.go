package apps

import (
	"net/http"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/apps"
)

// appReview records the checklist a steward went through.
func (s *surface) appReview(w http.ResponseWriter, r *http.Request) {
	slug := mux.Vars(r)["slug"]
	if !s.mayCurate(w, r) {
		return
	}
	f, c, ok := s.reviewForm(w, r)
	if !ok {
		return
	}
	actor, err := appActor(r)
	if err == nil {
		_, err = s.apps.Review(r.Context(), actor, slug, c)
	}
	if err != nil {
		s.appFailed(w, r, slug, f, "review", err)
		return
	}
	http.Redirect(w, r, appDoneURL(slug, "reviewed", "review"), http.StatusSeeOther)
}

// appCertify certifies an app from the review form: it is refused, and
// nothing recorded, unless every item of the checklist is checked;
// otherwise the checklist is recorded and the app certified.
func (s *surface) appCertify(w http.ResponseWriter, r *http.Request) {
	slug := mux.Vars(r)["slug"]
	if !s.mayCurate(w, r) {
		return
	}
	f, c, ok := s.reviewForm(w, r)
	if !ok {
		return
	}
	if !c.Complete() {
		s.appFailed(w, r, slug, f, "review", apps.ErrChecklist)
		return
	}
	actor, err := appActor(r)
	if err == nil {
		// Refused before the checklist is recorded, so a refusal changes nothing.
		var a *apps.App
		if a, err = s.apps.BySlug(r.Context(), slug); err == nil {
			err = s.apps.MayCertify(actor, a)
		}
	}
	if err == nil {
		_, err = s.apps.Review(r.Context(), actor, slug, c)
	}
	if err == nil {
		_, err = s.apps.Certify(r.Context(), actor, slug)
	}
	if err != nil {
		s.appFailed(w, r, slug, f, "review", err)
		return
	}
	http.Redirect(w, r, appDoneURL(slug, "certified", "review"), http.StatusSeeOther)
}

// reviewForm reads the checklist's boxes.
func (s *surface) reviewForm(w http.ResponseWriter, r *http.Request) (*web.Form, apps.Checklist, bool) {
	if !s.ParseForm(w, r) {
		return nil, apps.Checklist{}, false
	}
	f := web.NewForm(r)
	on := func(name string) bool { return f.Values[name] == "on" }
	return f, apps.Checklist{OSILicence: on("osi_licence"), SourceReachable: on("source_reachable"),
		MaintenanceDeclared: on("maintenance_declared"), Accessibility: on("accessibility"),
		FrenchDocumentation: on("french_documentation")}, true
}

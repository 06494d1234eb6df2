package frontend

import (
	"net/http"

	"github.com/gorilla/mux"

	"agora/instances/apps"
)

// Body limits of the catalogue's upload routes.
const (
	// appPublicCodeLimit is the body of the publish and update forms: a
	// publiccode.yml pasted and one uploaded, with room for the rest.
	appPublicCodeLimit = 2*apps.MaxPublicCodeSize + 64<<10
	// appReleaseLimitMin is the least body limit of the release form; the
	// service refuses each artifact over its own limit as it streams.
	appReleaseLimitMin = 1 << 30
	// appFieldMax bounds a text field of a multipart form of the catalogue
	// (a changelog of 20,000 characters of up to 4 bytes fits).
	appFieldMax = 96 << 10
)

// appRoutes is the route table of the catalogue of free software: the
// list, an app's page and what stewards do there, the downloads, the
// exported publiccode.yml and the JSON list. docs/APPS.md describes it.
//
// Acts that change the catalogue need a signed-in account first (an
// anonymous visitor must never reach the service, which would take it
// for the node itself); the service then decides who may curate.
func (s *server) appRoutes(r *mux.Router) {
	get, post := []string{http.MethodGet, http.MethodHead}, []string{http.MethodPost}
	artifactMax, imageMax := s.apps.Limits()

	r.HandleFunc("/apps", s.appListPage).Methods(get...)
	r.HandleFunc("/apps/new", s.requireSignIn(s.appNewPage)).Methods(get...)
	r.HandleFunc("/apps/new", s.requireSignIn(s.appNewSave)).Methods(post...)
	s.uploads["/apps/new"] = appPublicCodeLimit
	r.HandleFunc("/apps/{slug}", s.appPage).Methods(get...)
	r.HandleFunc("/apps/{slug}/publiccode.yml", s.appPublicCode).Methods(get...)
	r.HandleFunc("/apps/{slug}/update", s.requireSignIn(s.appUpdateSave)).Methods(post...)
	s.uploadPatterns["/apps/*/update"] = appPublicCodeLimit

	r.HandleFunc("/apps/{slug}/releases/new", s.requireSignIn(s.appReleasePage)).Methods(get...)
	r.HandleFunc("/apps/{slug}/releases/new", s.requireSignIn(s.appReleaseSave)).Methods(post...)
	s.uploadPatterns["/apps/*/releases/new"] = max(appReleaseLimitMin, artifactMax) + 1<<20
	r.HandleFunc("/apps/{slug}/artifacts/{id}", s.appArtifact).Methods(get...)
	s.downloads = append(s.downloads, "/apps/*/artifacts/*")

	r.HandleFunc("/apps/{slug}/logo", s.requireSignIn(s.appLogoSave)).Methods(post...)
	s.uploadPatterns["/apps/*/logo"] = imageMax + 64<<10
	r.HandleFunc("/apps/{slug}/screenshots", s.requireSignIn(s.appScreenshotSave)).Methods(post...)
	s.uploadPatterns["/apps/*/screenshots"] = imageMax + 64<<10
	r.HandleFunc("/apps/{slug}/media/{id}", s.appMedia).Methods(get...)
	r.HandleFunc("/apps/{slug}/media/{id}/remove", s.requireSignIn(s.appMediaRemove)).Methods(post...)

	r.HandleFunc("/apps/{slug}/review", s.requireSignIn(s.appReview)).Methods(post...)
	r.HandleFunc("/apps/{slug}/certify", s.requireSignIn(s.appCertify)).Methods(post...)
	r.HandleFunc("/apps/{slug}/adopt", s.requireSignIn(s.appAdopt)).Methods(post...)
	r.HandleFunc("/apps/{slug}/unadopt", s.requireSignIn(s.appUnadopt)).Methods(post...)

	// The JSON list sits with the read API (see apiRoutes): open data.
	r.Handle("/api/v1/apps", openData(http.HandlerFunc(s.apiApps))).Methods(get...)
	r.Handle("/api/v1/apps", openData(http.HandlerFunc(apiPreflight))).Methods(http.MethodOptions)
}

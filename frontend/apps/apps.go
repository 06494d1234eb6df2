// Package apps is the surface of the catalogue of free software: the
// list, an app's page and what stewards do there, the downloads, the
// exported publiccode.yml and the JSON list. docs/APPS.md describes it.
package apps

import (
	"embed"
	"errors"
	"fmt"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/instances/markup"
	"agora/storage/blobs"
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

//go:embed templates
var templates embed.FS

// Deps are the services the catalogue uses.
type Deps struct {
	Accounts *accounts.Service
	Apps     *apps.Service
	Markup   *markup.Renderer
	Blobs    blobs.Store // the store the catalogue writes to: downloads are served from it
}

type surface struct {
	*web.Pages
	accounts *accounts.Service
	apps     *apps.Service
	markup   *markup.Renderer
	blobs    blobs.Store
}

// Register serves the catalogue on the kit's router and links it from
// the navigation.
func Register(k *web.Kit, d Deps) error {
	if d.Accounts == nil || d.Apps == nil || d.Blobs == nil {
		return errors.New("the app catalogue needs accounts, apps and blobs")
	}
	if d.Markup == nil {
		d.Markup = markup.New()
	}
	pages, err := k.Pages(templates, "templates/*.html")
	if err != nil {
		return fmt.Errorf("apps: %w", err)
	}
	s := &surface{Pages: pages, accounts: d.Accounts, apps: d.Apps, markup: d.Markup, blobs: d.Blobs}
	k.MapErrors(errorTable...)
	k.Nav("apps")
	s.routes()
	return nil
}

// routes is the route table of the catalogue of free software: the
// list, an app's page and what stewards do there, the downloads, the
// exported publiccode.yml and the JSON list. docs/APPS.md describes it.
//
// Acts that change the catalogue need a signed-in account first (an
// anonymous visitor must never reach the service, which would take it
// for the node itself); the service then decides who may curate.
func (s *surface) routes() {
	anyone, signedIn := s.Anyone(), s.SignedIn()
	artifactMax, imageMax := s.apps.Limits()

	anyone.Get("/apps", s.appListPage)
	signedIn.Get("/apps/new", s.appNewPage)
	signedIn.Post("/apps/new", s.appNewSave)
	s.Upload("/apps/new", appPublicCodeLimit)
	anyone.Get("/apps/{slug}", s.appPage)
	anyone.Get("/apps/{slug}/publiccode.yml", s.appPublicCode)
	signedIn.Post("/apps/{slug}/update", s.appUpdateSave)
	s.UploadPattern("/apps/*/update", appPublicCodeLimit)

	signedIn.Get("/apps/{slug}/releases/new", s.appReleasePage)
	signedIn.Post("/apps/{slug}/releases/new", s.appReleaseSave)
	s.UploadPattern("/apps/*/releases/new", max(appReleaseLimitMin, artifactMax)+1<<20)
	signedIn.Put("/apps/{slug}/releases/{version}/{name}", s.appArtifactPut)
	s.UploadPattern("/apps/*/releases/*/*", max(appReleaseLimitMin, artifactMax)+1<<20)
	anyone.Get("/apps/{slug}/artifacts/{id}", s.appArtifact)
	s.Download("/apps/*/artifacts/*")

	signedIn.Post("/apps/{slug}/logo", s.appLogoSave)
	s.UploadPattern("/apps/*/logo", imageMax+64<<10)
	signedIn.Post("/apps/{slug}/screenshots", s.appScreenshotSave)
	s.UploadPattern("/apps/*/screenshots", imageMax+64<<10)
	anyone.Get("/apps/{slug}/media/{id}", s.appMedia)
	signedIn.Post("/apps/{slug}/media/{id}/remove", s.appMediaRemove)

	signedIn.Post("/apps/{slug}/review", s.appReview)
	signedIn.Post("/apps/{slug}/certify", s.appCertify)
	signedIn.Post("/apps/{slug}/adopt", s.appAdopt)
	signedIn.Post("/apps/{slug}/unadopt", s.appUnadopt)

	// The JSON list is open data, as the read API is.
	s.OpenData("/api/v1/apps", s.apiApps)
}

// Package reports is the surface of street reports: the list of reports
// (newest first, or nearest to a point), the report form in two steps
// (what and where, then the open reports of the same kind nearby to
// confirm instead, then the description and photos), a report's page
// with its timeline and dialogue, the officials' form to change its
// state, and the admin's page for categories and the territory. Every
// page works without JavaScript. The Open311 API is in open311*.go.
package reports

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/http"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/notifications"
	"agora/instances/reports"
	"agora/storage/blobs"
	"agora/storage/ratelimit"
)

//go:embed templates
var templates embed.FS

// Deps are the services the surface uses.
type Deps struct {
	Accounts *accounts.Service
	Reports  *reports.Service
	Blobs    blobs.Store
	Council  *reports.Council // the councils' votes on suggestions; nil leaves their page out
	// Open311Limits are how many requests and updates one API key
	// creates; nil is DefaultOpen311Limits.
	Open311Limits []ratelimit.Rule
	// Follows, when set, shows a signed-in resident the button that
	// follows a report (package notifications; the button posts to
	// /follow, served by the notifications surface).
	Follows Follows
}

// Follows tells whether a resident follows a report.
type Follows interface {
	Following(ctx context.Context, accountID string, t notifications.Target) (bool, error)
}

type surface struct {
	*web.Pages
	accounts *accounts.Service
	reports  *reports.Service
	blobs    blobs.Store
	council  *reports.Council
	// o311Limits: see Deps.Open311Limits.
	o311Limits []ratelimit.Rule
	follows    Follows
}

// uploadLimit is the body limit of the report form: its photos and room
// for the text fields.
const uploadLimit = reports.MaxPhotos*web.UploadMaxBytes + 1<<20

// Register serves the street reports' pages on the kit's router.
func Register(k *web.Kit, d Deps) error {
	if d.Accounts == nil || d.Reports == nil || d.Blobs == nil {
		return errors.New("reports needs accounts, reports and blobs")
	}
	pages, err := k.Pages(templates, "templates/*.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("reports: %w", err)
	}
	s := &surface{Pages: pages, accounts: d.Accounts, reports: d.Reports, blobs: d.Blobs, council: d.Council,
		o311Limits: d.Open311Limits, follows: d.Follows}
	if s.o311Limits == nil {
		s.o311Limits = DefaultOpen311Limits
	}
	k.MapErrors(errorTable...)
	k.Nav("reports")
	// Open311 clients poll the same lists: one rendering per page-cache
	// period serves them all.
	k.Cache(o311Root)
	k.Cache(dataRoot + "counts.")
	k.Cache("/reports/map.json")
	k.Cache("/reports/suggestions/map.json")
	// A million reports take longer than a page to download.
	k.Download(dataRoot + "reports.csv")
	k.Download(dataRoot + "reports.geojson")
	k.Upload("/reports/new", uploadLimit)
	k.UploadPattern("/reports/{id}/state", web.UploadMaxBytes+1<<20)
	for _, p := range []string{"requests.json", "requests.xml", "servicerequestupdates.json", "servicerequestupdates.xml"} {
		k.Upload(o311Root+p, o311BodyMax) // a photo in "media"
	}
	s.routes()
	return nil
}

func (s *surface) routes() {
	anyone, signedIn, admin := s.Anyone(), s.SignedIn(), s.Role(accounts.Admin)

	anyone.Get("/reports", s.listPage)
	anyone.Get("/reports/map.json", s.mapData) // before /reports/{id}
	anyone.Get("/reports/suggestions/map.json", s.suggestionsMap)
	if s.council != nil {
		signedIn.Get("/reports/council/vote", s.councilPage)
		signedIn.Post("/reports/council/vote", s.councilSave)
	}
	s.worksRoutes() // likewise
	signedIn.Get("/reports/new", s.newPage)
	signedIn.Post("/reports/new", s.newSave)
	anyone.Get("/reports/{id}", s.reportPage)
	anyone.Get("/reports/{id}/photos/{n:[0-9]+}", s.photoServe)
	signedIn.Post("/reports/{id}/confirm", s.confirm)
	signedIn.Post("/reports/{id}/messages", s.say)
	signedIn.Post("/reports/{id}/state", s.changeState)

	admin.Get("/admin/reports", s.adminPage)
	admin.Post("/admin/reports/categories", s.adminCategorySave)
	admin.Post("/admin/reports/territory", s.adminTerritorySave)

	s.open311Routes()
	s.openDataRoutes()
}

// errorTable maps the domain's refusals to messages and fields.
var errorTable = []web.DomainError{
	web.MapError(reports.ErrNotFound, http.StatusNotFound, "street.error.not_found", ""),
	web.MapError(reports.ErrForbidden, http.StatusForbidden, "street.error.forbidden", ""),
	web.MapError(reports.ErrUnknownCategory, http.StatusBadRequest, "street.error.category", "category"),
	web.MapError(reports.ErrOutsideTerritory, http.StatusBadRequest, "street.error.outside", "lat"),
	web.MapError(reports.ErrPoint, http.StatusBadRequest, "street.error.point", "lat"),
	web.MapError(reports.ErrLocation, http.StatusBadRequest, "street.error.location", "address"),
	web.MapError(reports.ErrDescription, http.StatusBadRequest, "street.error.description", "description"),
	web.MapError(reports.ErrAddress, http.StatusBadRequest, "street.error.address", "address"),
	web.MapError(reports.ErrPhotos, http.StatusBadRequest, "street.error.photos", "photos"),
	web.MapError(reports.ErrTransition, http.StatusConflict, "street.error.transition", "to"),
	web.MapError(reports.ErrClosed, http.StatusConflict, "street.error.closed", ""),
	web.MapError(reports.ErrMessage, http.StatusBadRequest, "street.error.message", "message"),
	web.MapError(reports.ErrSchedule, http.StatusBadRequest, "street.error.schedule", "scheduled_for"),
	web.MapError(reports.ErrOperator, http.StatusBadRequest, "street.error.operator", "operator"),
	web.MapError(reports.ErrRequalify, http.StatusBadRequest, "street.error.requalify", "category"),
	web.MapError(reports.ErrAlreadyConfirmed, http.StatusConflict, "street.error.confirmed", ""),
	web.MapError(reports.ErrOwnReport, http.StatusConflict, "street.error.own", ""),
	web.MapError(reports.ErrNotVerified, http.StatusForbidden, "suggestions.error.not_verified", ""),
	web.MapError(reports.ErrNotCouncil, http.StatusBadRequest, "suggestions.error.not_council", "space"),
	web.MapError(reports.ErrNotSuggestion, http.StatusBadRequest, "suggestions.error.not_suggestion", "category"),
	web.MapError(reports.ErrSuggestionsFew, http.StatusBadRequest, "suggestions.error.few", "category"),
	web.MapError(reports.ErrMethod, http.StatusBadRequest, "suggestions.error.method", "method"),
	web.MapError(reports.ErrBoxTooLarge, http.StatusBadRequest, "street.error.box", ""),
	web.MapError(reports.ErrCategoryInput, http.StatusBadRequest, "street.error.category_input", "slug"),
	web.MapError(reports.ErrTerritory, http.StatusBadRequest, "street.error.territory", "territory"),
	web.MapError(reports.ErrBadKey, http.StatusForbidden, "street.open311.key", ""),
	web.MapError(reports.ErrWorkTitle, http.StatusBadRequest, "reportsmore.error.work_title", "title"),
	web.MapError(reports.ErrWorkDates, http.StatusBadRequest, "reportsmap.error.work_dates", "ends_on"),
	web.MapError(reports.ErrWorkNotOfficial, http.StatusForbidden, "reportsmap.error.work_official", "service"),
	web.MapError(reports.ErrWorkNotFound, http.StatusNotFound, "reportsmap.error.work_not_found", ""),
	web.MapError(reports.ErrWorkDescription, http.StatusBadRequest, "reportsmore.error.work_description", "description"),
	web.MapError(reports.ErrWorkReason, http.StatusBadRequest, "reportsmore.error.work_reason", "reason"),
	web.MapError(reports.ErrWorkWithdrawn, http.StatusConflict, "reportsmore.error.work_withdrawn", ""),
}

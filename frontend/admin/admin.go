// Package admin is the surface of the node's administration: accounts and
// roles, residency verification (letters and census), the audit log, and
// opening participatory spaces.
package admin

import (
	"embed"
	"errors"
	"fmt"
	"net/http"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/site"
	"agora/instances/spaces"
	"agora/storage/blobs"
)

// censusUploadLimit is the body limit of a census file upload: a city's
// file of hashes is far above the default limit.
const censusUploadLimit = 512 << 20

//go:embed templates
var templates embed.FS

// Deps are the services the administration uses.
type Deps struct {
	Accounts *accounts.Service
	// Spaces, when set, lets the admin open participatory spaces.
	Spaces *spaces.Service
	// Site, when set, lets the admin set how the node presents itself;
	// Blobs keeps its logo.
	Site  *site.Service
	Blobs blobs.Store
}

type surface struct {
	*web.Pages
	accounts *accounts.Service
	spaces   *spaces.Service
	site     *site.Service
	blobs    blobs.Store
}

// Register serves the administration on the kit's router.
func Register(k *web.Kit, d Deps) error {
	if d.Accounts == nil {
		return errors.New("the administration needs the accounts service")
	}
	pages, err := k.Pages(templates, "templates/*.html")
	if err != nil {
		return fmt.Errorf("admin: %w", err)
	}
	if d.Site != nil && d.Blobs == nil {
		return errors.New("the administration needs the blob store for the site's logo")
	}
	s := &surface{Pages: pages, accounts: d.Accounts, spaces: d.Spaces, site: d.Site, blobs: d.Blobs}
	k.MapErrors(siteErrors...)
	s.routes()
	return nil
}

// routes is the route table of the node's administration.
func (s *surface) routes() {
	admin := s.Role(accounts.Admin)

	admin.Get("/admin", s.adminPage)
	admin.Get("/admin/audit", s.adminAuditPage)
	admin.Get("/admin/accounts", s.adminAccountsPage)
	admin.Post("/admin/accounts/{id}/roles", s.adminRoleSave)
	admin.Get("/admin/residency", s.adminResidencyPage)
	admin.Post("/admin/residency/letters", s.adminLetters)
	admin.Post("/admin/residency/census", s.adminCensus)
	s.Upload("/admin/residency/census", censusUploadLimit)
	if s.site != nil {
		admin.Get("/admin/site", s.sitePage)
		admin.Post("/admin/site", s.siteSave)
		admin.Post("/admin/site/logo", s.siteLogoSave)
		s.Upload("/admin/site/logo", logoUploadLimit)
		admin.Post("/admin/site/logo/remove", s.siteLogoRemove)
	}
	if s.spaces != nil {
		admin.Get("/admin/spaces", s.spaceListPage)
		admin.Get("/admin/spaces/new", s.spaceNewPage)
		admin.Post("/admin/spaces/new", s.spaceNewSave)
		admin.Get("/admin/spaces/{slug}/edit", s.spaceEditPage)
		admin.Post("/admin/spaces/{slug}/edit", s.spaceEditSave)
	}
}

// adminPage is the administration's home: links to its pages.
func (s *surface) adminPage(w http.ResponseWriter, r *http.Request) {
	s.HTML(w, r, http.StatusOK, "admin", s.Printer(r).T("admin.title"), s.site != nil)
}

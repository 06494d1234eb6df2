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
	"agora/instances/spaces"
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
}

type surface struct {
	*web.Pages
	accounts *accounts.Service
	spaces   *spaces.Service
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
	s := &surface{Pages: pages, accounts: d.Accounts, spaces: d.Spaces}
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
	if s.spaces != nil {
		admin.Get("/admin/spaces/new", s.spaceNewPage)
		admin.Post("/admin/spaces/new", s.spaceNewSave)
	}
}

// adminPage is the administration's home: links to its pages.
func (s *surface) adminPage(w http.ResponseWriter, r *http.Request) {
	s.HTML(w, r, http.StatusOK, "admin", s.Printer(r).T("admin.title"), nil)
}

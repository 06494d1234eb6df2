package frontend

import (
	"net/http"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
)

// censusUploadLimit is the body limit of a census file upload: a city's
// file of hashes is far above the default limit.
const censusUploadLimit = 512 << 20

// adminRoutes is the route table of the node's administration.
func (s *server) adminRoutes(r *mux.Router) {
	get, post := []string{http.MethodGet, http.MethodHead}, []string{http.MethodPost}
	admin := func(h http.HandlerFunc) http.HandlerFunc { return s.requireRole(accounts.Admin, h) }

	r.HandleFunc("/admin", admin(s.adminPage)).Methods(get...)
	r.HandleFunc("/admin/audit", admin(s.adminAuditPage)).Methods(get...)
	r.HandleFunc("/admin/accounts", admin(s.adminAccountsPage)).Methods(get...)
	r.HandleFunc("/admin/accounts/{id}/roles", admin(s.adminRoleSave)).Methods(post...)
	r.HandleFunc("/admin/residency", admin(s.adminResidencyPage)).Methods(get...)
	r.HandleFunc("/admin/residency/letters", admin(s.adminLetters)).Methods(post...)
	r.HandleFunc("/admin/residency/census", admin(s.adminCensus)).Methods(post...)
	s.uploads["/admin/residency/census"] = censusUploadLimit
}

// adminPage is the administration's home: links to its pages.
func (s *server) adminPage(w http.ResponseWriter, r *http.Request) {
	s.render.html(w, r, http.StatusOK, "admin", s.render.printer(r).T("admin.title"), nil)
}

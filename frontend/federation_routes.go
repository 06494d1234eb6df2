package frontend

import (
	"net/http"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
)

// federationRoutes is the route table of federation's pages, served when
// Deps.Federation is set: the admin's page (followed spaces, peers, the
// delivery queue, domain blocks) and the "Other cities" pages anyone may
// read, where a signed-in resident may comment. The ActivityPub surface
// itself (actors, inboxes, WebFinger) is the federation package's.
func (s *server) federationRoutes(r *mux.Router) {
	get, post := []string{http.MethodGet, http.MethodHead}, []string{http.MethodPost}
	admin := func(h http.HandlerFunc) http.HandlerFunc { return s.requireRole(accounts.Admin, h) }

	r.HandleFunc("/admin/federation", admin(s.federationAdminPage)).Methods(get...)
	r.HandleFunc("/admin/federation/follow", admin(s.federationFollow)).Methods(post...)
	r.HandleFunc("/admin/federation/unfollow", admin(s.federationUnfollow)).Methods(post...)
	r.HandleFunc("/admin/federation/blocks", admin(s.federationBlockSet)).Methods(post...)
	r.HandleFunc("/admin/federation/blocks/remove", admin(s.federationBlockRemove)).Methods(post...)

	r.HandleFunc("/cities", s.citiesPage).Methods(get...)
	r.HandleFunc("/cities/item", s.cityItemPage).Methods(get...)
	r.HandleFunc("/cities/comment", s.requireSignIn(s.cityComment)).Methods(post...)
}

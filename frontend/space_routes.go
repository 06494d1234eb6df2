package frontend

import (
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
)

// spaceRoutes is the route table of the participatory spaces: the list,
// a space's page, and opening one (administration).
func (s *server) spaceRoutes(r *mux.Router) {
	get, post := []string{http.MethodGet, http.MethodHead}, []string{http.MethodPost}
	admin := func(h http.HandlerFunc) http.HandlerFunc { return s.requireRole(accounts.Admin, h) }

	r.HandleFunc("/spaces", s.spaceListPage).Methods(get...)
	r.HandleFunc("/spaces/{slug}", s.spacePage).Methods(get...)
	r.HandleFunc("/admin/spaces/new", admin(s.spaceNewPage)).Methods(get...)
	r.HandleFunc("/admin/spaces/new", admin(s.spaceNewSave)).Methods(post...)
}

// now is the time participation pages judge phases and windows by. The
// services keep their own clock; in production both are the wall clock.
func (s *server) now() time.Time { return s.clock().UTC() }

package frontend

import (
	"net/http"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
)

// deskRoutes is the route table of the desk, where agents act for
// residents who come in person. Every act records the agent, the desk and
// the resident.
func (s *server) deskRoutes(r *mux.Router) {
	get, post := []string{http.MethodGet, http.MethodHead}, []string{http.MethodPost}
	agent := func(h http.HandlerFunc) http.HandlerFunc { return s.requireRole(accounts.Agent, h) }

	r.HandleFunc("/desk", agent(s.deskPage)).Methods(get...)
	r.HandleFunc("/desk/name", agent(s.deskNameSave)).Methods(post...)
	r.HandleFunc("/desk/accounts/new", agent(s.deskNewPage)).Methods(get...)
	r.HandleFunc("/desk/accounts/new", agent(s.deskNewSave)).Methods(post...)
	r.HandleFunc("/desk/accounts/{id}", agent(s.deskResidentPage)).Methods(get...)
	r.HandleFunc("/desk/accounts/{id}/verify", agent(s.deskVerify)).Methods(post...)
	r.HandleFunc("/desk/accounts/{id}/revoke", agent(s.deskRevoke)).Methods(post...)
	r.HandleFunc("/desk/accounts/{id}/profile", agent(s.deskProfile)).Methods(post...)
	r.HandleFunc("/desk/accounts/{id}/sheet", agent(s.deskSheet)).Methods(post...)
}

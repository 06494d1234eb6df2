package web

import (
	"net/http"

	"agora/instances/accounts"
)

// Routes adds a surface's routes to the kit's router, each behind the
// same guard: anyone (Anyone), a signed-in account (SignedIn) or the
// holders of a role (Role). A route table then reads as a list:
//
//	agent := s.Role(accounts.Agent)
//	agent.Get("/desk", s.deskPage)
//	agent.Post("/desk/name", s.deskNameSave)
type Routes struct {
	k     *Kit
	guard func(http.HandlerFunc) http.HandlerFunc
}

// Anyone's routes need no account.
func (k *Kit) Anyone() Routes {
	return Routes{k: k, guard: func(h http.HandlerFunc) http.HandlerFunc { return h }}
}

// SignedIn's routes send visitors to the sign-in page first.
func (k *Kit) SignedIn() Routes { return Routes{k: k, guard: k.RequireSignIn} }

// Role's routes are for accounts holding role only.
func (k *Kit) Role(role accounts.Role) Routes {
	return Routes{k: k, guard: func(h http.HandlerFunc) http.HandlerFunc { return k.RequireRole(role, h) }}
}

// Get serves GET (and HEAD) at path.
func (rt Routes) Get(path string, h http.HandlerFunc) {
	rt.k.router.HandleFunc(path, rt.guard(h)).Methods(http.MethodGet, http.MethodHead)
}

// Post serves POST at path.
func (rt Routes) Post(path string, h http.HandlerFunc) {
	rt.k.router.HandleFunc(path, rt.guard(h)).Methods(http.MethodPost)
}

// Put serves PUT at path, for scripts: its answers, errors included,
// are JSON whatever the client accepts.
func (rt Routes) Put(path string, h http.HandlerFunc) {
	guarded := rt.guard(h)
	rt.k.router.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		if !WantsJSON(r) {
			r.Header.Set("Accept", "application/json")
		}
		guarded(w, r)
	}).Methods(http.MethodPut)
}

package web

import (
	"net/http"
	"strings"

	"github.com/gorilla/mux"

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
	r, p := rt.k.routerFor(path)
	r.HandleFunc(p, rt.guard(h)).Methods(http.MethodGet, http.MethodHead)
}

// Post serves POST at path.
func (rt Routes) Post(path string, h http.HandlerFunc) {
	r, p := rt.k.routerFor(path)
	r.HandleFunc(p, rt.guard(h)).Methods(http.MethodPost)
}

// Put serves PUT at path, for scripts: its answers, errors included,
// are JSON whatever the client accepts.
func (rt Routes) Put(path string, h http.HandlerFunc) {
	guarded := rt.guard(h)
	r, p := rt.k.routerFor(path)
	r.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) {
		if !WantsJSON(r) {
			r.Header.Set("Accept", "application/json")
		}
		guarded(w, r)
	}).Methods(http.MethodPut)
}

// routerFor returns where a route of path goes, and its path there. A
// path of two segments or more whose first is a plain word goes to a
// router of its own for that word: the router tries its routes one by
// one, each a regular expression, and the node has hundreds, so a
// request now tries the routes of its first segment only (a tenth of
// the node's CPU went there under a flood of ballots). The router's
// order is kept within a segment; across segments no path can match two.
func (k *Kit) routerFor(path string) (*mux.Router, string) {
	seg, rest, ok := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if !ok || seg == "" || strings.ContainsAny(seg, "{}") {
		return k.router, path
	}
	sub := k.segments[seg]
	if sub == nil {
		sub = k.router.PathPrefix("/" + seg + "/").Subrouter()
		k.segments[seg] = sub
	}
	return sub, "/" + rest
}

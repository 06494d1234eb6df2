package frontend

import (
	"net/http"

	"github.com/gorilla/mux"
)

// apiRoutes is the route table of the JSON read API, /api/v1/: open data
// on spaces and proposals, readable from any origin. docs/API.md is its
// reference; keep both in step.
//
// The routes sit on the main router, each wrapped in openData, rather
// than on a PathPrefix subrouter: gorilla/mux 1.8 turns a subrouter's
// 405 into a 404 once it holds two routes.
func (s *server) apiRoutes(r *mux.Router) {
	for _, route := range []struct {
		path string
		h    http.HandlerFunc
	}{
		{"/api/v1/spaces", s.apiSpaces},
		{"/api/v1/spaces/{slug}", s.apiSpace},
		{"/api/v1/spaces/{slug}/proposals", s.apiProposals},
		{"/api/v1/proposals/{id}", s.apiProposal},
		{"/api/v1/proposals/{id}/comments", s.apiProposalComments},
		{"/api/v1/debates/{id}/comments", s.apiDebateComments},
	} {
		r.Handle(route.path, openData(route.h)).Methods(http.MethodGet, http.MethodHead)
		r.Handle(route.path, openData(http.HandlerFunc(apiPreflight))).Methods(http.MethodOptions)
	}
}

// openData lets pages of any origin read the API: the data is public and
// no request carries credentials (the wildcard origin forbids them).
func openData(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "ETag")
		next.ServeHTTP(w, r)
	})
}

// apiPreflight answers a CORS preflight. Plain GETs need none; a client
// that sends If-None-Match or Accept-Language by hand gets one.
func apiPreflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match")
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	w.WriteHeader(http.StatusNoContent)
}

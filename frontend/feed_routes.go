package frontend

import (
	"net/http"

	"github.com/gorilla/mux"
)

// feedRoutes is the route table of the Atom feeds, for feed readers: the
// newest proposals of a space, and the timeline of one proposal.
func (s *server) feedRoutes(r *mux.Router) {
	read := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/spaces/{slug}/feed.atom", s.spaceFeed).Methods(read...)
	r.HandleFunc("/proposals/{id}/feed.atom", s.proposalFeed).Methods(read...)
}

package frontend

import (
	"net/http"

	"github.com/gorilla/mux"
)

// participationRoutes is the route table of participation: spaces,
// proposals, debates, moderation, feeds and the JSON read API. Each part
// registers its routes in its own file.
func (s *server) participationRoutes(r *mux.Router) {
	s.spaceRoutes(r)
	s.proposalRoutes(r)
	s.debateRoutes(r)
	s.moderationRoutes(r)
	s.feedRoutes(r)
	s.apiRoutes(r)
	r.HandleFunc("/people/{handle}", s.personPage).Methods(http.MethodGet, http.MethodHead)
}

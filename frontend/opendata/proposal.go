package opendata

import (
	"net/http"

	"github.com/gorilla/mux"
)

// apiProposal shows one proposal with its timeline and official answers.
func (s *surface) apiProposal(w http.ResponseWriter, r *http.Request) {
	p, err := s.findPublicProposal(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	sp, err := s.spaces.ByID(r.Context(), p.SpaceID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	events, err := s.proposals.Timeline(r.Context(), p.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.PublicJSON(w, r, s.proposalDetail(p, sp, events, s.Printer(r)))
}

package frontend

import (
	"net/http"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
)

// apiProposal shows one proposal with its timeline and official answers.
func (s *server) apiProposal(w http.ResponseWriter, r *http.Request) {
	p, err := s.findPublicProposal(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	sp, err := s.spaces.ByID(r.Context(), p.SpaceID)
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	events, err := s.proposals.Timeline(r.Context(), p.ID)
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	s.apiJSON(w, r, s.proposalDetail(p, sp, events, s.render.printer(r)))
}

// chosenLang is the language the reader chose with ?lang=, to keep in the
// links given back, or "" when they did not choose (or chose none we have).
func chosenLang(r *http.Request, l *i18n.Printer) string {
	if r.URL.Query().Get("lang") == l.Lang {
		return l.Lang
	}
	return ""
}

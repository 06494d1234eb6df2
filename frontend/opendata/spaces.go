package opendata

import (
	"context"
	"errors"
	"net/http"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/proposals"
	"agora/instances/spaces"
)

// apiSpaces lists every space, newest first. A node has a few dozen at
// most, so the list is not paginated.
func (s *surface) apiSpaces(w http.ResponseWriter, r *http.Request) {
	list, err := s.spaces.List(r.Context())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	now := s.Now()
	items := make([]apiSpaceJSON, 0, len(list))
	for i := range list {
		items = append(items, s.spaceJSON(&list[i], now))
	}
	s.PublicJSON(w, r, struct {
		Items []apiSpaceJSON `json:"items"`
		Total int            `json:"total"`
	}{items, len(items)})
}

// apiSpace shows one space with its phases, categories and rules.
func (s *surface) apiSpace(w http.ResponseWriter, r *http.Request) {
	sp, err := s.findPublicSpace(r.Context(), mux.Vars(r)["slug"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.PublicJSON(w, r, s.spaceJSON(sp, s.Now()))
}

// findPublicSpace loads a space for the API and the feeds; an unknown
// slug is a 404 that says what was not found.
func (s *surface) findPublicSpace(ctx context.Context, slug string) (*spaces.Space, error) {
	sp, err := s.spaces.BySlug(ctx, slug)
	if errors.Is(err, spaces.ErrNotFound) {
		return nil, &web.Error{Status: http.StatusNotFound, Key: "api.error.no_space", Err: err}
	}
	return sp, err
}

// findPublicProposal loads a proposal with its author for the API and
// the feeds.
func (s *surface) findPublicProposal(ctx context.Context, id string) (*proposals.Proposal, error) {
	p, err := s.proposals.ByID(ctx, id)
	if errors.Is(err, proposals.ErrNotFound) {
		return nil, &web.Error{Status: http.StatusNotFound, Key: "api.error.no_proposal", Err: err}
	}
	return p, err
}

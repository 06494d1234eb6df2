// Package opendata is the node's participation read by software: the JSON
// read API under /api/v1/ (spaces, proposals, comments; docs/API.md is its
// reference, keep both in step) and the Atom feeds of spaces and
// proposals, for feed readers. Everything here is public, cacheable and
// readable from any origin.
package opendata

import (
	"errors"

	"agora/frontend/web"
	"agora/instances/debates"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// Deps are the services open data reads.
type Deps struct {
	Spaces    *spaces.Service
	Proposals *proposals.Service
	Debates   *debates.Service
}

type surface struct {
	*web.Kit
	spaces    *spaces.Service
	proposals *proposals.Service
	debates   *debates.Service
}

// Register serves the API and the feeds on the kit's router.
func Register(k *web.Kit, d Deps) error {
	if d.Spaces == nil || d.Proposals == nil || d.Debates == nil {
		return errors.New("open data needs spaces, proposals and debates")
	}
	s := &surface{Kit: k, spaces: d.Spaces, proposals: d.Proposals, debates: d.Debates}
	k.Cache("/api/v1/")
	k.OpenData("/api/v1/spaces", s.apiSpaces)
	k.OpenData("/api/v1/spaces/{slug}", s.apiSpace)
	k.OpenData("/api/v1/spaces/{slug}/proposals", s.apiProposals)
	k.OpenData("/api/v1/proposals/{id}", s.apiProposal)
	k.OpenData("/api/v1/proposals/{id}/comments", s.apiProposalComments)
	k.OpenData("/api/v1/debates/{id}/comments", s.apiDebateComments)

	k.Anyone().Get("/spaces/{slug}/feed.atom", s.spaceFeed)
	k.Anyone().Get("/proposals/{id}/feed.atom", s.proposalFeed)
	return nil
}

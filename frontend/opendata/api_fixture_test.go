package opendata_test

import (
	"testing"
	"time"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// The API and feed tests' fixtures: a participation node per dialect,
// residents, a space with categories, proposals, and readers of JSON.

// apiNewSpace opens a space in its proposal phase, with two categories.
func apiNewSpace(t *testing.T, n *frontendtest.Node, slug string) *spaces.Space {
	t.Helper()
	sp, err := n.Spaces.Create(t.Context(), accounts.System, spaces.NewSpace{
		Slug: slug, Title: "Budget participatif 2027", Description: "Proposez des **projets**.", Kind: spaces.Process,
		Categories: []spaces.CategoryInput{
			{Slug: "voirie", NameFR: "Voirie", NameEN: "Streets"},
			{Slug: "nature", NameFR: "Nature en ville"},
		},
		SupportThreshold: 2,
	})
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// apiPropose publishes a proposal, one second after the previous one so
// "newest" has one order.
func apiPropose(t *testing.T, n *frontendtest.Node, actor accounts.Actor, sp *spaces.Space, title, body, category string) *proposals.Proposal {
	t.Helper()
	n.Clock.Advance(time.Second)
	p, err := n.Proposals.Create(t.Context(), actor, sp.ID, proposals.Input{Title: title, Body: body, Category: category})
	if err != nil {
		t.Fatalf("propose %q: %v", title, err)
	}
	return p
}

// Fields of the shapes, as docs/API.md lists them.
var (
	apiSpaceKeys = []string{"id", "slug", "kind", "title", "description", "description_html", "phases", "categories",
		"limits", "support_threshold", "unverified_may_propose", "created_at", "updated_at",
		"url", "api_url", "proposals_url", "feed_url"}
	apiProposalKeys = []string{"id", "space", "title", "body", "body_html", "category", "address", "location", "state",
		"support_count", "comment_count", "author", "created_at", "updated_at", "edited_at", "hidden", "hidden_reason",
		"merged_into", "url", "api_url", "feed_url"}
	apiPageKeys = []string{"items", "page", "per_page", "total", "pages", "sort", "seed", "next", "prev"}
)

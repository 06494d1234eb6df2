package frontend

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// The API and feed tests' fixtures: a participation node per dialect,
// residents, a space with categories, proposals, and readers of JSON.

// apiOnEachDialect runs fn on a fresh participation node on SQLite and on
// PostgreSQL, in parallel.
func apiOnEachDialect(t *testing.T, fn func(t *testing.T, n *participationNode)) {
	t.Helper()
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		fn(t, newParticipationNode(t, dialect))
	})
}

// apiResident opens a verified resident's account, public or not.
func apiResident(t *testing.T, n *participationNode, handle string, public bool) *accounts.Account {
	t.Helper()
	acc := n.account(t, handle)
	if err := n.svc.VerifyByOperator(t.Context(), acc.ID); err != nil {
		t.Fatal(err)
	}
	if public {
		if err := n.svc.UpdateProfile(t.Context(), accounts.As(acc), acc.ID,
			accounts.Profile{DisplayName: acc.DisplayName, Language: "fr", Public: true}); err != nil {
			t.Fatal(err)
		}
		acc.Public = true
	}
	return acc
}

// apiNewSpace opens a space in its proposal phase, with two categories.
func apiNewSpace(t *testing.T, n *participationNode, slug string) *spaces.Space {
	t.Helper()
	sp, err := n.spaces.Create(t.Context(), accounts.System, spaces.NewSpace{
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
func apiPropose(t *testing.T, n *participationNode, actor accounts.Actor, sp *spaces.Space, title, body, category string) *proposals.Proposal {
	t.Helper()
	n.clock.Advance(time.Second)
	p, err := n.proposals.Create(t.Context(), actor, sp.ID, proposals.Input{Title: title, Body: body, Category: category})
	if err != nil {
		t.Fatalf("propose %q: %v", title, err)
	}
	return p
}

// apiGet sends a GET with the headers given as name, value pairs.
func apiGet(n *participationNode, target string, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	n.h.ServeHTTP(w, r)
	return w
}

// apiObject reads a 200 JSON answer as an object.
func apiObject(t *testing.T, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	wantStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	var v map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, w.Body)
	}
	return v
}

// apiWantKeys fails unless the object has exactly these keys.
func apiWantKeys(t *testing.T, what string, v any, keys ...string) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is %T, not an object", what, v)
	}
	got := slices.Sorted(maps.Keys(m))
	slices.Sort(keys)
	if !slices.Equal(got, keys) {
		t.Errorf("%s keys:\n got %v\nwant %v", what, got, keys)
	}
}

// apiItems returns the items of a list answer.
func apiItems(t *testing.T, v map[string]any) []map[string]any {
	t.Helper()
	raw, ok := v["items"].([]any)
	if !ok {
		t.Fatalf("items is %T", v["items"])
	}
	out := make([]map[string]any, len(raw))
	for i, it := range raw {
		out[i] = it.(map[string]any)
	}
	return out
}

func apiTitles(t *testing.T, v map[string]any) []string {
	t.Helper()
	var out []string
	for _, it := range apiItems(t, v) {
		title, _ := it["title"].(string)
		out = append(out, title)
	}
	return out
}

// apiQueryCounter counts the database queries the node makes.
type apiQueryCounter struct{ n atomic.Int64 }

func (c *apiQueryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}
func (c *apiQueryCounter) AfterQuery(context.Context, *bun.QueryEvent) { c.n.Add(1) }

// queries returns how many queries serving one request took.
func (c *apiQueryCounter) queries(serve func()) int64 {
	before := c.n.Load()
	serve()
	return c.n.Load() - before
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

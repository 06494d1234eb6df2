package frontendtest

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// Space opens a space through the service: with no phases given, a
// proposal phase that began an hour ago and lasts 30 days, then an
// evaluation phase; two categories (nature, mobilite); the given support
// threshold.
func (n *Node) Space(t testing.TB, slug string, threshold int, phases ...spaces.PhaseInput) *spaces.Space {
	t.Helper()
	now := n.Clock.Now()
	if len(phases) == 0 {
		phases = []spaces.PhaseInput{
			{Kind: spaces.Proposals, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(30 * 24 * time.Hour)},
			{Kind: spaces.Evaluation, StartsAt: now.Add(30 * 24 * time.Hour), EndsAt: now.Add(60 * 24 * time.Hour)},
		}
	}
	sp, err := n.Spaces.Create(t.Context(), accounts.System, spaces.NewSpace{
		Slug: slug, Title: "Budget participatif " + slug, Description: "Des **idées** pour le quartier.",
		Phases: phases, SupportThreshold: threshold,
		Categories: []spaces.CategoryInput{{Slug: "nature", NameFR: "Nature en ville", NameEN: "Nature in the city"},
			{Slug: "mobilite", NameFR: "Mobilité", NameEN: "Getting around"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

// Resident opens a resident's account, verified or not, and signs it in.
func (n *Node) Resident(t testing.TB, handle string, verified bool) (*accounts.Account, string) {
	t.Helper()
	acc := n.Account(t, handle)
	if verified {
		if err := n.Accounts.VerifyByOperator(t.Context(), acc.ID, accounts.Electoral{}); err != nil {
			t.Fatal(err)
		}
	}
	return acc, n.Session(t, acc)
}

// Propose publishes a proposal through the service, in category nature.
func (n *Node) Propose(t testing.TB, author *accounts.Account, sp *spaces.Space, title string) *proposals.Proposal {
	t.Helper()
	p, err := n.Proposals.Create(t.Context(), accounts.As(author), sp.ID, proposals.Input{Title: title,
		Body: "Le texte de « " + title + " », assez long pour être lu.", Category: "nature"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// OpenDebate opens a debate in the space through the service.
func (n *Node) OpenDebate(t testing.TB, author *accounts.Account, sp *spaces.Space, question string) *debates.Debate {
	t.Helper()
	d, err := n.Debates.CreateDebate(t.Context(), accounts.As(author), debates.NewDebate{SpaceID: sp.ID, Question: question,
		Description: "Parlons-en **ensemble**."})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Comment posts a comment through the pages and returns its id, from the
// redirect to #comment-ID on the page of what it is on.
func (n *Node) Comment(t testing.TB, token string, target debates.Target, body, alignment string) string {
	t.Helper()
	w := n.Request("POST", "/comments", token, url.Values{"target_kind": {string(target.Kind)}, "target_id": {target.ID},
		"comment": {body}, "alignment": {alignment}})
	return Commented(t, w, web.TargetURL(target)+"?comment=added#comment-")
}

// Commented returns the id of the comment a post redirected to, failing
// unless the redirect starts with prefix.
func Commented(t testing.TB, w *httptest.ResponseRecorder, prefix string) string {
	t.Helper()
	WantStatus(t, w, http.StatusSeeOther)
	loc := w.Header().Get("Location")
	id, ok := strings.CutPrefix(loc, prefix)
	if !ok || id == "" {
		t.Fatalf("redirected to %q, want %q…", loc, prefix)
	}
	return id
}

// participationTables are the tables participation's pages write.
var participationTables = []string{"debates", "comments", "comment_versions", "comment_supports", "reports", "moderation_log", "outbox_events"}

// Counts is the number of rows of each table participation writes.
func (n *Node) Counts(t testing.TB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range participationTables {
		out[table] = n.Count(t, table)
	}
	return out
}

// WantCounts fails unless those tables hold as many rows as before.
func (n *Node) WantCounts(t testing.TB, before map[string]int, what string) {
	t.Helper()
	for table, c := range n.Counts(t) {
		if c != before[table] {
			t.Errorf("%s: %s went from %d to %d rows", what, table, before[table], c)
		}
	}
}

// WantNoBody fails the test if the body holds any of the strings.
func WantNoBody(t testing.TB, w *httptest.ResponseRecorder, unwanted ...string) {
	t.Helper()
	for _, s := range unwanted {
		if strings.Contains(w.Body.String(), s) {
			t.Errorf("body holds %q", s)
		}
	}
}

// Get sends a GET with the headers given as name, value pairs.
func (n *Node) Get(target string, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	n.H.ServeHTTP(w, r)
	return w
}

// JSONObject reads a 200 JSON answer as an object.
func JSONObject(t testing.TB, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	WantStatus(t, w, http.StatusOK)
	if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	var v map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, w.Body)
	}
	return v
}

// Items returns the items of a JSON list answer.
func Items(t testing.TB, v map[string]any) []map[string]any {
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

// Titles returns the titles of the items of a JSON list answer.
func Titles(t testing.TB, v map[string]any) []string {
	t.Helper()
	var out []string
	for _, it := range Items(t, v) {
		title, _ := it["title"].(string)
		out = append(out, title)
	}
	return out
}

// Queries counts the database queries the node makes, once added as a
// query hook of its database (db.AddQueryHook).
type Queries struct{ n atomic.Int64 }

func (c *Queries) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (c *Queries) AfterQuery(context.Context, *bun.QueryEvent)                        { c.n.Add(1) }

// During returns how many queries serve took.
func (c *Queries) During(serve func()) int64 {
	before := c.n.Load()
	serve()
	return c.n.Load() - before
}

// WantKeys fails unless v is an object with exactly these keys.
func WantKeys(t testing.TB, what string, v any, keys ...string) {
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

// Public makes a resident's profile public: their name shows on their
// contributions and they have a page (and, federated, an actor).
func (n *Node) Public(t testing.TB, acc *accounts.Account) {
	t.Helper()
	if err := n.Accounts.UpdateProfile(t.Context(), accounts.As(acc), acc.ID,
		accounts.Profile{DisplayName: acc.DisplayName, Language: "fr", Public: true}); err != nil {
		t.Fatal(err)
	}
	acc.Public = true
}

// Verified opens a verified resident's account, with a public profile or
// not.
func (n *Node) Verified(t testing.TB, handle string, public bool) *accounts.Account {
	t.Helper()
	acc, _ := n.Resident(t, handle, true)
	if public {
		n.Public(t, acc)
	}
	return acc
}

package frontend

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/spaces"
)

// debSpace opens a space with two categories, as propSpace does, and a
// debate in it written by author through the service.
func debSpace(t *testing.T, n *participationNode, slug string) *spaces.Space {
	t.Helper()
	return propSpace(t, n, slug, 0)
}

// debOpen opens a debate in the space through the service.
func debOpen(t *testing.T, n *participationNode, author *accounts.Account, sp *spaces.Space, question string) *debates.Debate {
	t.Helper()
	d, err := n.debates.CreateDebate(t.Context(), accounts.As(author), debates.NewDebate{SpaceID: sp.ID, Question: question,
		Description: "Parlons-en **ensemble**."})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// debComment posts a comment through the pages and returns its id, from
// the redirect to #comment-ID on the page of what it is on.
func debComment(t *testing.T, n *participationNode, token string, target debates.Target, body, alignment string) string {
	t.Helper()
	w := n.request("POST", "/comments", token, url.Values{"target_kind": {string(target.Kind)}, "target_id": {target.ID},
		"comment": {body}, "alignment": {alignment}})
	return debCommented(t, w, targetURL(target)+"?comment=added#comment-")
}

// debCommented returns the id of the comment a post redirected to,
// failing unless the redirect starts with prefix.
func debCommented(t *testing.T, w *httptest.ResponseRecorder, prefix string) string {
	t.Helper()
	wantStatus(t, w, http.StatusSeeOther)
	loc := w.Header().Get("Location")
	id, ok := strings.CutPrefix(loc, prefix)
	if !ok || id == "" {
		t.Fatalf("redirected to %q, want %q…", loc, prefix)
	}
	return id
}

// debLacks fails the test if the body holds any of the strings.
func debLacks(t *testing.T, w *httptest.ResponseRecorder, unwanted ...string) {
	t.Helper()
	for _, s := range unwanted {
		if strings.Contains(w.Body.String(), s) {
			t.Errorf("body holds %q", s)
		}
	}
}

// debComments reads every comment of a target, as rows, through the
// service: what the pages must not have changed.
func debComments(t *testing.T, n *participationNode, target debates.Target) []*debates.Node {
	t.Helper()
	nodes, err := n.debates.Thread(t.Context(), target, debates.ThreadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return nodes
}

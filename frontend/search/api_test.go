package search_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
)

// TestSearchAPI: /api/v1/search answers JSON results by kind with a link
// to each kind's next page, narrowed by kind and space; the page paginates
// a kind; bad input (10,000 characters, operator syntax only, a bad page,
// an unknown space) gets a clear JSON error or, for operators, is words.
func TestSearchAPI(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		nord, sud := n.Space(t, "nord", 0), n.Space(t, "sud", 0)
		alice, _ := n.Resident(t, "alice", true)
		for i := range 22 {
			n.Clock.Advance(1e9)
			n.Propose(t, alice, nord, fmt.Sprintf("Fontaine numéro %d", i))
		}
		n.Clock.Advance(1e9)
		south := n.Propose(t, alice, sud, "Fontaine du sud")

		type result struct {
			Query   string
			Words   []string
			Page    int
			Results map[string]struct {
				Items []struct{ Kind, ID, Title, URL string }
				Next  string
			}
		}
		get := func(q string, status int) (result, map[string]any) {
			t.Helper()
			w := n.Request("GET", "/api/v1/search?"+q, "", nil)
			frontendtest.WantStatus(t, w, status)
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Fatalf("%s: Content-Type %q", q, ct)
			}
			var r result
			var raw map[string]any
			json.Unmarshal(w.Body.Bytes(), &r)
			json.Unmarshal(w.Body.Bytes(), &raw)
			return r, raw
		}
		r, _ := get("q=FONTAINE", http.StatusOK)
		props := r.Results["proposal"]
		if len(props.Items) != 20 || props.Items[0].ID != south.ID || !strings.HasSuffix(props.Items[0].URL, "/proposals/"+south.ID) {
			t.Fatalf("proposals = %+v", props)
		}
		if _, ok := r.Results["comment"]; !ok || len(r.Results) != 8 {
			t.Errorf("every kind is listed, empty or not: %v", r.Results)
		}
		next, err := url.Parse(props.Next)
		if err != nil || next.Query().Get("page") != "2" || next.Query().Get("kind") != "proposal" {
			t.Fatalf("next = %q", props.Next)
		}
		r, _ = get(next.RawQuery, http.StatusOK)
		if got := r.Results["proposal"]; len(got.Items) != 3 || got.Next != "" || len(r.Results) != 1 || r.Page != 2 {
			t.Errorf("page 2 = %+v", r)
		}
		r, _ = get("q=fontaine&space=sud", http.StatusOK)
		if got := r.Results["proposal"].Items; len(got) != 1 || got[0].ID != south.ID {
			t.Errorf("in sud = %+v", got)
		}
		// Operator syntax is only words.
		r, _ = get("q="+url.QueryEscape(`fontaine OR "sud" NEAR(x) -nord *`), http.StatusOK)
		if got := r.Results["proposal"].Items; len(got) != 0 {
			t.Errorf("operators were read as operators: %+v", got)
		}
		for _, c := range []struct{ q, msg string }{
			{"q=" + strings.Repeat("e", 10_000), "200 characters at most"},
			{"q=%28%29", "one word of two letters"},
			{"q=fontaine&page=99", "page 1 to page 50"},
			{"q=fontaine&page=x", "page 1 to page 50"},
			{"q=fontaine&space=ouest", "This space does not exist"},
			{"q=fontaine&kind=budget", "where to search"},
		} {
			_, raw := get(c.q+"&lang=en", http.StatusBadRequest)
			if msg, _ := raw["error"].(string); !strings.Contains(msg, c.msg) {
				t.Errorf("%.40s: error %q, want it to say %q", c.q, msg, c.msg)
			}
		}
	})
}

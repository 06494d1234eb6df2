package participation_test

import (
	"net/http"
	"testing"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
)

// TestHomeAndPersonPages: the home page lists the spaces; a public
// resident has a page with their fediverse handle, a private one has none
// (404, as for a handle that never existed).
func TestHomeAndPersonPages(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		n.Space(t, "budget-2027", 5)
		w := n.Request("GET", "/?lang=fr", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Espaces de participation", `href="/spaces/budget-2027"`)
		frontendtest.WantNoBody(t, w, "ouvriront ici")

		pub, _ := n.Resident(t, "camille", false)
		if err := n.Accounts.UpdateProfile(t.Context(), accounts.As(pub), pub.ID, accounts.Profile{DisplayName: "Camille", Language: "fr", Public: true}); err != nil {
			t.Fatal(err)
		}
		n.Resident(t, "discrete", false)
		w = n.Request("GET", "/people/camille", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "<h1>Camille</h1>", "@camille@localhost")
		for _, h := range []string{"discrete", "nobody"} {
			if w := n.Request("GET", "/people/"+h, "", nil); w.Code != http.StatusNotFound {
				t.Errorf("/people/%s: %d, want 404", h, w.Code)
			}
		}
	})
}

package frontend

import (
	"net/http"
	"testing"

	"agora/instances/accounts"
)

// TestHomeAndPersonPages: the home page lists the spaces; a public
// resident has a page with their fediverse handle, a private one has none
// (404, as for a handle that never existed).
func TestHomeAndPersonPages(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		propSpace(t, n, "budget-2027", 5)
		w := n.request("GET", "/?lang=fr", "", nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Espaces de participation", `href="/spaces/budget-2027"`)
		debLacks(t, w, "ouvriront ici")

		pub, _ := propResident(t, n, "camille", false)
		if err := n.svc.UpdateProfile(t.Context(), accounts.As(pub), pub.ID, accounts.Profile{DisplayName: "Camille", Language: "fr", Public: true}); err != nil {
			t.Fatal(err)
		}
		propResident(t, n, "discrete", false)
		w = n.request("GET", "/people/camille", "", nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "<h1>Camille</h1>", "@camille@localhost")
		for _, h := range []string{"discrete", "nobody"} {
			if w := n.request("GET", "/people/"+h, "", nil); w.Code != http.StatusNotFound {
				t.Errorf("/people/%s: %d, want 404", h, w.Code)
			}
		}
	})
}

package accounts_test

import (
	"net/http"
	"net/url"
	"testing"

	"agora/frontend/frontendtest"

	"agora/storage/storagetest"
)

// The sessions page signs out one session, every other one, or all of
// them, this one included; another account's session is never touched.
func TestSessionsEnd(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		n := frontendtest.NewStaffNode(t, dialect)
		alice := n.Account(t, "alice")
		bob := n.Account(t, "bob")
		bobToken := n.Session(t, bob)
		live := func(token string) bool {
			return n.Request("GET", "/account", token, nil).Code == http.StatusOK
		}

		here, phone, laptop := n.Session(t, alice), n.Session(t, alice), n.Session(t, alice)
		list, err := n.Accounts.Sessions(t.Context(), alice.ID)
		if err != nil || len(list) != 3 {
			t.Fatalf("sessions = %d, %v", len(list), err)
		}

		// Bob's session id, sent by Alice, ends nothing.
		bobSessions, _ := n.Accounts.Sessions(t.Context(), bob.ID)
		w := n.Request("POST", "/account/sessions/end", here, url.Values{"id": {bobSessions[0].ID}})
		frontendtest.WantStatus(t, w, http.StatusNotFound)
		if !live(bobToken) {
			t.Fatal("Alice signed Bob out")
		}

		// Every other session of Alice's.
		w = n.Request("POST", "/account/sessions/end", here, url.Values{"id": {"others"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if !live(here) || live(phone) || live(laptop) {
			t.Fatalf("after 'others': here %v phone %v laptop %v", live(here), live(phone), live(laptop))
		}

		// All of them, this one included.
		other := n.Session(t, alice)
		w = n.Request("POST", "/account/sessions/end", here, url.Values{"id": {"all"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if live(here) || live(other) {
			t.Fatal("a session survived 'all'")
		}
		if !live(bobToken) {
			t.Fatal("Bob was signed out by Alice's 'all'")
		}
		cleared := false
		for _, c := range w.Result().Cookies() {
			if c.Name == "agora_session" && c.MaxAge < 0 {
				cleared = true
			}
		}
		if !cleared {
			t.Error("the session cookie was not cleared")
		}
	})
}

// A signed-in visitor sent to /login?next=... goes to a page of this node
// only: what a browser would read as another host goes to the account.
func TestLoginRedirectStaysHere(t *testing.T) {
	n := frontendtest.NewStaffNode(t, "sqlite")
	token := n.Session(t, n.Account(t, "alice"))
	for next, want := range map[string]string{
		"/%09/evil.example":  "/account",
		"/%0A/evil.example":  "/account",
		"%2F%2Fevil.example": "/account",
		"/%5Cevil.example":   "/account",
		"/account/sessions":  "/account/sessions",
	} {
		w := n.Request("GET", "/login?next="+next, token, nil)
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if got := w.Header().Get("Location"); got != want {
			t.Errorf("next=%s: Location %q, want %q", next, got, want)
		}
	}
}

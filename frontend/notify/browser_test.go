package notify_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"agora/frontend/browsertest"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/proposals"
)

// TestFollowReceiveReadInBrowser: in a real browser, without JavaScript
// of ours, a resident follows a proposal with its button, sees the count
// in the header once the city answers, reads the notification and marks
// it read; the pages pass axe-core in French and English, and a public
// profile too.
func TestFollowReceiveReadInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	sp := n.Space(t, "quartier", 0)
	author := n.Verified(t, "autrice", true)
	reader, _ := n.Resident(t, "lectrice", false)
	p := n.Propose(t, author, sp, "Un banc au square")
	base := browsertest.Serve(t, n.H)
	page := base + "/proposals/" + p.ID

	b := n.BrowserAs(t, base, reader)
	b.Open(page + "?lang=fr")
	b.AssertAccessible()
	if status := b.Submit(`form[action="/follow"] button`); status != http.StatusOK {
		t.Fatalf("following: status %d", status)
	}
	if got := b.Text("#follow"); !strings.Contains(got, "Vous suivez maintenant cette page.") {
		t.Errorf("after following, the button's place says %q", got)
	}
	b.AssertAccessible()

	n.Clock.Advance(time.Minute)
	if err := n.Proposals.Answer(t.Context(), accounts.As(n.Staff[accounts.Official]), p.ID, proposals.Accepted, "Oui, en mars."); err != nil {
		t.Fatal(err)
	}
	b.Open(page + "?lang=fr")
	if got := b.Text(`header a[href="/notifications"]`); !strings.Contains(got, "1") {
		t.Errorf("the header's notifications link says %q, want the count", got)
	}
	for _, lang := range []string{"en", "fr"} {
		b.Open(base + "/notifications?lang=" + lang)
		b.AssertAccessible()
	}
	if got := b.Text("ul.notifications"); !strings.Contains(got, "Réponse officielle") {
		t.Errorf("the notifications say %q", got)
	}
	if status := b.Submit(`form[action="/notifications/read"] button`); status != http.StatusOK {
		t.Fatalf("marking read: status %d", status)
	}
	b.AssertAccessible()
	if got := b.Text("main"); !strings.Contains(got, "0 notification non lue.") {
		t.Errorf("after marking read, the page says %q", got)
	}
	for _, path := range []string{"/people/autrice?lang=fr", "/notifications/settings?lang=fr", "/notifications/settings?lang=en",
		"/notifications/unsubscribe/" + strings.Repeat("0", 48) + "?lang=fr"} {
		b.Open(base + path)
		b.AssertAccessible()
	}
}

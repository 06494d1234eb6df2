package notify_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"agora/frontend"
	"agora/frontend/browsertest"
	"agora/frontend/frontendtest"
	"agora/frontend/notify"
	"agora/instances/notifications"
	"agora/storage/storagetest"
)

// fakeFediverse stands for the node's federation (whose own tests link
// against a fake remote server, federation/fedlink_test.go): it knows
// one account, @camille@mastodon.example, and finds the code when told.
type fakeFediverse struct {
	svc   *notifications.Service
	found atomic.Bool
}

const camille = "https://mastodon.example/users/camille"

func (f *fakeFediverse) LinkFediverse(ctx context.Context, accountID, handle string) (*notifications.FediverseLink, error) {
	h, err := notifications.ParseHandle(handle)
	if err != nil {
		return nil, err
	}
	if h != "@camille@mastodon.example" {
		return nil, fmt.Errorf("%w: no such account", notifications.ErrUnreachable)
	}
	return f.svc.StartFediverse(ctx, accountID, h, camille)
}

func (f *fakeFediverse) CheckFediverse(ctx context.Context, accountID string) error {
	if !f.found.Load() {
		return notifications.ErrCodeAbsent
	}
	return f.svc.VerifyFediverse(ctx, accountID, camille)
}

func fediverseNode(t testing.TB, dialect string) (*frontendtest.Node, *fakeFediverse) {
	fake := &fakeFediverse{}
	n := frontendtest.NewNodeOn(t, storagetest.MigratedDB(t, dialect), func(d *frontend.Deps) {
		fake.svc = d.Notifications
		d.Fediverse = fake
	})
	return n, fake
}

// TestFediverseAccount: a resident links a fediverse account from their
// account pages, without JavaScript: a bad handle, an unknown account, a
// code not found each say why and change nothing; the code found
// verifies it; direct messages turn off; unlink forgets it.
func TestFediverseAccount(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		n, fake := fediverseNode(t, dialect)
		acc, token := n.Resident(t, "lectrice", true)
		state := func() string {
			l, err := n.Deps.Notifications.Fediverse(t.Context(), acc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if l == nil {
				return ""
			}
			return fmt.Sprintf("%s %s %v %v", l.Handle, l.Code, l.Verified(), l.Enabled)
		}

		w := n.Request("GET", "/account?lang=fr", token, nil)
		frontendtest.WantBody(t, w, `href="/account/fediverse"`, "Compte du fédivers")
		w = n.Request("GET", "/account/fediverse?lang=fr", token, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `action="/account/fediverse"`, `name="handle"`)

		for _, c := range []struct {
			handle, want string
			status       int
		}{
			{"camille", "Écrivez votre compte sous la forme @nom@serveur", http.StatusBadRequest},
			{"https://mastodon.example/@camille", "Écrivez votre compte sous la forme @nom@serveur", http.StatusBadRequest},
			{"@personne@mastodon.example", "Ce compte est introuvable, ou son serveur ne répond pas.", http.StatusUnprocessableEntity},
		} {
			w := n.Request("POST", "/account/fediverse?lang=fr", token, url.Values{"handle": {c.handle}})
			frontendtest.WantStatus(t, w, c.status)
			frontendtest.WantBody(t, w, c.want, `value="`+c.handle+`"`)
			if s := state(); s != "" {
				t.Fatalf("%q: link stored: %s", c.handle, s)
			}
		}

		w = n.Request("POST", "/account/fediverse", token, url.Values{"handle": {" @camille@Mastodon.Example "}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		l, _ := n.Deps.Notifications.Fediverse(t.Context(), acc.ID)
		w = n.Request("GET", "/account/fediverse?done=linked&lang=fr", token, nil)
		frontendtest.WantBody(t, w, "Compte trouvé.", "@camille@mastodon.example", "<code id=\"fedlink-code\">"+l.Code+"</code>",
			`action="/account/fediverse/check"`, `action="/account/fediverse/unlink"`)

		before := state()
		w = n.Request("POST", "/account/fediverse/check?lang=en", token, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, "The code was found neither in the profile")
		if s := state(); s != before {
			t.Fatalf("a failed check changed the link: %s, was %s", s, before)
		}

		fake.found.Store(true)
		w = n.Request("POST", "/account/fediverse/check", token, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		w = n.Request("GET", "/account/fediverse?done=verified&lang=fr", token, nil)
		frontendtest.WantBody(t, w, "Compte vérifié", "Vos notifications y arrivent en message direct.", `value="off"`)

		w = n.Request("POST", "/account/fediverse/messages", token, url.Values{"messages": {"off"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if s := state(); !strings.HasSuffix(s, "true false") {
			t.Errorf("after turning off: %s", s)
		}
		frontendtest.WantBody(t, n.Request("GET", "/account/fediverse?lang=fr", token, nil), "Les messages directs sont arrêtés.", `value="on"`)

		w = n.Request("POST", "/account/fediverse/unlink", token, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if s := state(); s != "" {
			t.Errorf("after unlink: %s", s)
		}
		frontendtest.WantStatus(t, n.Request("POST", "/account/fediverse/check", token, url.Values{}), http.StatusConflict)
	})
}

// TestFediverseMessages: a direct message says the notification in the
// resident's language, with the absolute link of what it is about.
func TestFediverseMessages(t *testing.T) {
	base, _ := url.Parse("https://paris15.example/")
	m, err := notify.NewMessages(base)
	if err != nil {
		t.Fatal(err)
	}
	n := &notifications.Notification{Kind: "moderation.hide", SubjectKind: notifications.Proposal, SubjectID: "p1",
		Title: "Un banc", Detail: "Hors sujet"}
	for _, c := range []struct{ lang, want string }{
		{"fr", "La modération"},
		{"en", "Moderators"},
	} {
		text, link := m.Message(c.lang, n)
		if !strings.Contains(text, c.want) || !strings.Contains(text, "Un banc") {
			t.Errorf("%s: %q, want %q and the title", c.lang, text, c.want)
		}
		if link != "https://paris15.example/proposals/p1" {
			t.Errorf("%s: link %q", c.lang, link)
		}
	}
}

// TestFediverseInBrowser: the page passes axe-core, linked or not.
func TestFediverseInBrowser(t *testing.T) {
	t.Parallel()
	n, _ := fediverseNode(t, "sqlite")
	acc, _ := n.Resident(t, "lectrice", true)
	base := browsertest.Serve(t, n.H)
	b := n.BrowserAs(t, base, acc)
	for _, lang := range []string{"fr", "en"} {
		b.Open(base + "/account/fediverse?lang=" + lang)
		b.AssertAccessible()
	}
	if _, err := n.Deps.Fediverse.LinkFediverse(t.Context(), acc.ID, "@camille@mastodon.example"); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "en"} {
		b.Open(base + "/account/fediverse?done=linked&lang=" + lang)
		b.AssertAccessible()
	}
	b.Open(base + "/account?lang=fr")
	b.AssertAccessible()
}

// TestFediverseLimit: tries that make the node fetch from other servers
// are bounded per account.
func TestFediverseLimit(t *testing.T) {
	n, _ := fediverseNode(t, "sqlite")
	_, token := n.Resident(t, "lectrice", true)
	for i := range 12 {
		w := n.Request("POST", "/account/fediverse?lang=fr", token, url.Values{"handle": {"@personne@mastodon.example"}})
		want := http.StatusUnprocessableEntity
		if i >= 10 {
			want = http.StatusTooManyRequests
		}
		frontendtest.WantStatus(t, w, want)
	}
}

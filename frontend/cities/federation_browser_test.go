package cities_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
)

// Federation's pages as an admin, a resident and a visitor meet them:
// each passes axe-core in both languages, with and without form errors,
// and the admin follows a space with the keyboard alone.
func TestFederationPagesInBrowser(t *testing.T) {
	t.Parallel()
	fed := newFakeFederation().seed()
	n := newFederatedNode(t, fed)
	admin := n.Staff[accounts.Admin]
	public, private := n.Verified(t, "marie", true), n.Verified(t, "paul", false)
	base := browsertest.Serve(t, n.H)
	item := "/cities/item?id=" + url.QueryEscape(fedProposal)

	b := n.BrowserAs(t, base, admin)
	project := "/cities/item?id=" + url.QueryEscape(fedProject)
	for _, path := range []string{"/admin/federation?lang=fr", "/cities", item, "/admin?lang=fr",
		"/admin/federation?lang=en", "/cities?lang=en", item + "&lang=en", project + "&lang=fr", project + "&lang=en"} {
		b.Open(base + path)
		b.AssertAccessible()
	}

	// The forms with their errors, next to the fields.
	b.Open(base + "/admin/federation?lang=fr")
	b.NoValidate()
	b.Fill("#f-target", "paris12.example")
	b.SubmitWant(`form[action="/admin/federation/follow"] button`, http.StatusBadRequest)
	b.AssertAccessible()
	if got := b.Text("#f-target-error"); !strings.Contains(got, "@espace@serveur") {
		t.Errorf("follow error %q", got)
	}
	b.NoValidate()
	b.Fill("#f-host", "https://spam.example")
	b.SubmitWant(`form[action="/admin/federation/blocks"] button`, http.StatusBadRequest)
	b.AssertAccessible()
	if got := b.Text("#f-severity-error"); !strings.Contains(got, "Choisissez une des trois décisions") {
		t.Errorf("severity error %q", got)
	}
	if len(fed.Calls()) > 0 {
		t.Fatalf("bad input reached federation: %v", fed.Calls())
	}

	// Following a space with the keyboard: Tab to the field, type, Enter.
	b.Open(base + "/admin/federation?lang=fr")
	found := false
	for range 80 {
		if f := b.Tab(); f.ID == "f-target" {
			found = true
			break
		}
	}
	if !found {
		t.Fatal("the follow field is not reachable with Tab")
	}
	b.Press("@velo@grenoble.example")
	if status := b.PressAndLoad(kb.Enter); status != http.StatusOK {
		t.Fatalf("follow: status %d", status)
	}
	b.AssertAccessible()
	if got := b.Text(".notice"); !strings.HasPrefix(got, "Demande envoyée : la ville doit l’accepter") {
		t.Errorf("notice %q", got)
	}
	want := []fedCall{{"FollowSpace", []string{"@velo@grenoble.example", admin.ID}}}
	if !sameCalls(fed.Calls(), want) {
		t.Errorf("calls %v, want %v", fed.Calls(), want)
	}

	// A resident with a public profile comments, with an error first.
	r := n.BrowserAs(t, base, public)
	r.Open(base + item + "&lang=fr")
	r.AssertAccessible()
	r.NoValidate()
	r.SubmitWant(`form[action="/cities/comment"] button`, http.StatusBadRequest)
	r.AssertAccessible()
	r.Fill("#f-comment", "Bonne idée, à Paris 15e aussi.")
	r.SubmitWant(`form[action="/cities/comment"] button`, http.StatusOK)
	r.AssertAccessible()
	if got := r.Text(".notice[role=status]"); got != "Votre commentaire est envoyé à leur plateforme." {
		t.Errorf("notice %q", got)
	}

	// A resident with a private profile is told why there is no form.
	p := n.BrowserAs(t, base, private)
	for _, path := range []string{item, item + "&lang=en"} {
		p.Open(base + path)
		p.AssertAccessible()
	}
	if got := p.Text("#comments"); !strings.Contains(got, "Only people with a public profile") {
		t.Errorf("comments section %q", got)
	}

	// A visitor reads the pages and is offered to sign in.
	v := browsertest.New(t)
	for _, path := range []string{"/cities?lang=fr", item, "/cities?lang=en", item + "&lang=en"} {
		v.Open(base + path)
		v.AssertAccessible()
	}
	if !slices.ContainsFunc(fed.Calls(), func(c fedCall) bool { return c.Method == "CommentRemote" }) {
		t.Error("the comment did not reach federation")
	}
}

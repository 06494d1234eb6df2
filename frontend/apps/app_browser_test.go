package apps_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"agora/frontend/browsertest"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/apps"
)

// The catalogue's pages as people meet them: each passes axe-core, in
// French and in English, with and without errors, for a visitor and a
// steward; a steward publishes with the keyboard, then records that the
// city uses the app.
func TestAppPagesInBrowser(t *testing.T) {
	t.Parallel()
	n := newAppNode(t, "sqlite", "local", apps.Options{})
	a := appPublish(t, n, "Inscriptions scolaires")
	for _, name := range []string{"Cantine", "Voirie"} {
		appPublish(t, n, name)
	}
	ctx := t.Context()
	if _, err := n.apps.AddRelease(ctx, accounts.System, a.Slug, apps.ReleaseInput{Version: "1.2.0", Changelog: "- **Nouveau** : suivi du dossier",
		Artifacts: []apps.ArtifactInput{{Name: "inscriptions-1.2.0.tar.gz", MediaType: "application/gzip", Body: strings.NewReader("archive")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.apps.SetLogo(ctx, accounts.System, a.Slug, strings.NewReader(string(frontendtest.PNG(t)))); err != nil {
		t.Fatal(err)
	}
	if _, err := n.apps.AddScreenshot(ctx, accounts.System, a.Slug, strings.NewReader(string(frontendtest.PNG(t)))); err != nil {
		t.Fatal(err)
	}
	if _, err := n.apps.Adopt(ctx, accounts.System, a.Slug, apps.AdoptionInput{Name: "Mairie du 11e", Version: "1.2.0", Contact: "dsi@example.org"}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.apps.Review(ctx, accounts.System, a.Slug, apps.Checklist{OSILicence: true, SourceReachable: true, MaintenanceDeclared: true, Accessibility: true, FrenchDocumentation: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := n.apps.Certify(ctx, accounts.System, a.Slug); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, n.H)
	page := "/apps/" + a.Slug
	check := func(b *browsertest.Browser, paths ...string) {
		t.Helper()
		for _, lang := range []string{"fr", "en"} {
			for _, p := range paths {
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				b.Open(base + p + sep + "lang=" + lang)
				b.AssertAccessible()
			}
		}
	}

	t.Run("visitor", func(t *testing.T) {
		b := browsertest.New(t, browsertest.Timeout(2*time.Minute))
		check(b, "/apps", "/apps?q=cantine&category=survey&status=stable&certified=on", page, "/apps/cantine")
	})
	t.Run("steward", func(t *testing.T) {
		b := n.BrowserAs(t, base, n.Staff[accounts.Admin])
		check(b, "/apps", page, "/apps/cantine", "/apps/new", page+"/releases/new")
		for _, lang := range []string{"fr", "en"} {
			// The publish form with every error of a bad file.
			b.Open(base + "/apps/new?lang=" + lang)
			setValue(t, b, "#f-publiccode", "publiccodeYmlVersion: \"0.4\"\nname: [Agora\n")
			b.SubmitWant("#publish-form button[type=submit]", http.StatusBadRequest)
			b.AssertAccessible()
			setValue(t, b, "#f-publiccode", strings.Replace(appYAML("Erreurs"), "developmentStatus: stable", "developmentStatus: mature", 1))
			b.SubmitWant("#publish-form button[type=submit]", http.StatusBadRequest)
			b.AssertAccessible()
			if got := b.Text(".alert li"); !strings.Contains(got, "developmentStatus") || !strings.Contains(got, "12") {
				t.Errorf("%s: error %q", lang, got)
			}
			// The release form with its errors.
			b.Open(base + page + "/releases/new?lang=" + lang)
			b.NoValidate()
			b.Fill("#f-date", "")
			b.SubmitWant("#release-form button[type=submit]", http.StatusBadRequest)
			b.AssertAccessible()
			// Certifying without every box checked.
			b.Open(base + "/apps/cantine?lang=" + lang)
			b.SubmitWant(`#review-form button[formaction$="/certify"]`, http.StatusConflict)
			b.AssertAccessible()
			// Adopting without a name.
			b.Open(base + "/apps/cantine?lang=" + lang)
			b.NoValidate()
			b.Fill("#f-name", "")
			b.SubmitWant("#adopt-form button[type=submit]", http.StatusBadRequest)
			b.AssertAccessible()
		}
	})
}

// A steward publishes an app with the keyboard and records that the
// city uses it.
func TestAppPublishAndAdoptInBrowser(t *testing.T) {
	t.Parallel()
	n := newAppNode(t, "sqlite", "local", apps.Options{})
	base := browsertest.Serve(t, n.H)
	b := n.BrowserAs(t, base, n.Staff[accounts.Admin])

	b.Open(base + "/apps?lang=fr")
	if status := b.Submit(`a[href="/apps/new"]`); status != http.StatusOK {
		t.Fatalf("publish form: status %d", status)
	}
	setValue(t, b, "#f-publiccode", appYAML("Portail famille"))
	b.Eval(`document.querySelector("#f-publiccode").focus(), ""`)
	found := false
	for range 10 {
		if f := b.Tab(); f.Role == "button" && f.Name == "Vérifier et publier" {
			found = true
			break
		}
	}
	if !found {
		t.Fatal("the publish button is not reachable with Tab from the text")
	}
	if status := b.PressAndLoad(kb.Enter); status != http.StatusOK {
		t.Fatalf("publish: status %d", status)
	}
	b.AssertAccessible()
	if got := b.Text("h1"); got != "Portail famille" {
		t.Fatalf("page titled %q", got)
	}
	if got := b.Text(".notice"); got != "Le logiciel est publié au catalogue." {
		t.Errorf("notice %q", got)
	}

	// "We use this": the node's name is offered; the city adds when.
	if got := b.Eval(`document.querySelector("#f-name").value`); got != "Paris 15e" {
		t.Errorf("adopter offered %q", got)
	}
	b.Fill("#f-version", "1.0.0")
	b.Fill("#f-contact", "numerique@paris15.example")
	setValue(t, b, "#f-since", "2026-10-01")
	b.SubmitWant("#adopt-form button[type=submit]", http.StatusOK)
	b.AssertAccessible()
	if got := b.Text("#users ~ ul, section[aria-labelledby=users] ul"); !strings.Contains(got, "Paris 15e") || !strings.Contains(got, "depuis le 1er octobre 2026") {
		t.Errorf("users %q", got)
	}
}

// setValue sets a field's value at once (a long text typed key by key
// would only slow the test).
func setValue(t *testing.T, b *browsertest.Browser, selector, value string) {
	t.Helper()
	sel, _ := json.Marshal(selector)
	v, _ := json.Marshal(value)
	b.Eval(`document.querySelector(` + string(sel) + `).value = ` + string(v) + `, ""`)
}

package reports_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"agora/frontend/browsertest"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/reports"
)

// The report pages as people meet them, without JavaScript's help: each
// passes axe-core in French and English, for a visitor, the reporter, a
// neighbour (with the "already reported nearby" step), the official in
// charge (with the state form, and its error) and the admin.
func TestReportPagesInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	setUp(t, n)
	alice, _ := n.Resident(t, "alice", true)
	neighbour, _ := n.Resident(t, "bob", true)
	rep, err := n.Reports.Create(t.Context(), accounts.As(alice), reports.Input{Category: "nid-de-poule",
		Point: &reports.Point{Lat: 48.8606, Lon: 2.3795}, Address: "12 rue Oberkampf", Description: "Un trou profond.",
		Photos: nil, NamePublic: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Reports.Say(t.Context(), accounts.As(n.Staff[accounts.Official]), rep.ID, "Quelle taille ?", false); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, n.H)
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
	page := "/reports/" + rep.ID

	t.Run("visitor", func(t *testing.T) {
		b := browsertest.New(t, browsertest.Timeout(2*time.Minute))
		check(b, "/reports", "/reports?sort=distance&lat=48.861&lon=2.38", page)
	})
	t.Run("neighbour", func(t *testing.T) {
		b := n.BrowserAs(t, base, neighbour)
		check(b, "/reports/new", "/reports/new?step=2&category=nid-de-poule&lat=48.8608&lon=2.3795")
		if got := b.Text("#nearby"); got == "" {
			t.Errorf("no nearby reports shown")
		}
		b.Open(base + page + "?lang=en")
		b.SubmitWant("form[action='"+page+"/confirm'] button", http.StatusOK)
		if got := b.Text("#confirm-count"); !strings.Contains(got, "1 resident confirmed it") {
			t.Errorf("after confirming: %q", got)
		}
		// The form with its errors shown.
		b.Open(base + "/reports/new?step=2&category=nid-de-poule&lat=48.8608&lon=2.3795&lang=fr")
		b.NoValidate()
		b.SubmitWant("form[action='/reports/new'] button[type=submit]", http.StatusBadRequest)
		b.AssertAccessible()
	})
	t.Run("official", func(t *testing.T) {
		b := n.BrowserAs(t, base, n.Staff[accounts.Official])
		check(b, page)
		b.Open(base + page + "?lang=fr")
		b.NoValidate()
		b.Select("#f-to", "scheduled")
		b.SubmitWant("form[action='"+page+"/state'] button", http.StatusBadRequest)
		b.AssertAccessible()
		// A date field takes its value as the browser's date picker sets it.
		b.Eval(`document.querySelector("#f-scheduled_for").value = "2099-01-15", ""`)
		b.Fill("#f-note", "Rebouchage prévu.")
		b.SubmitWant("form[action='"+page+"/state'] button", http.StatusOK)
		if got := b.Text(".meta .badge"); !strings.Contains(got, "Intervention programmée") {
			t.Errorf("after the change: %q", got)
		}
	})
	t.Run("reporter", func(t *testing.T) {
		b := n.BrowserAs(t, base, alice)
		check(b, page)
		b.Open(base + page + "?lang=fr")
		b.Fill("#f-message", "Un mètre environ.")
		b.SubmitWant("form[action='"+page+"/messages'] button", http.StatusOK)
		if got := b.Text(".timeline"); !strings.Contains(got, "Un mètre environ.") {
			t.Errorf("after replying: %q", got)
		}
	})
	t.Run("admin", func(t *testing.T) {
		b := n.BrowserAs(t, base, n.Staff[accounts.Admin])
		check(b, "/admin/reports")
	})
}

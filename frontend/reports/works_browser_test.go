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

// The forms to edit and withdraw planned works in a browser, without
// JavaScript's help: each passes axe-core in French and English, and
// so do their pages of errors (every message listed and linked to its
// field); the withdrawn work's page shows the reason.
func TestWorkEditPagesInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	setUp(t, n)
	now := n.Clock.Now()
	wk, err := n.Reports.PublishWork(t.Context(), accounts.As(n.Staff[accounts.Official]), reports.WorkInput{Service: "Voirie",
		Title: "Réfection de la chaussée", Address: "rue Oberkampf", Point: reports.Point{Lat: 48.8606, Lon: 2.3795},
		StartsOn: now.Add(48 * time.Hour), EndsOn: now.Add(9 * 24 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, n.H)
	page := "/reports/works/" + wk.ID
	b := n.BrowserAs(t, base, n.Staff[accounts.Official])
	for _, lang := range []string{"fr", "en"} {
		for _, p := range []string{page, page + "/edit", page + "/withdraw"} {
			b.Open(base + p + "?lang=" + lang)
			b.AssertAccessible()
		}
		b.Open(base + page + "/edit?lang=" + lang)
		b.Fill("#f-title", "")
		b.Fill("#f-starts_on", "demain")
		b.Fill("#f-lat", "45.76")
		b.SubmitWant("form[action='"+page+"/edit'] button", http.StatusBadRequest)
		b.AssertAccessible()
		if got := b.Eval(`String(document.querySelectorAll(".alert a[href^='#f-']").length)`); got != "3" {
			t.Errorf("%s: %s errors linked, want 3 (title, starts_on, lat)", lang, got)
		}
		b.Open(base + page + "/withdraw?lang=" + lang)
		b.SubmitWant("form[action='"+page+"/withdraw'] button", http.StatusBadRequest)
		b.AssertAccessible()
	}
	b.Fill("#f-reason", "Chantier reporté au printemps.")
	b.SubmitWant("form[action='"+page+"/withdraw'] button", http.StatusOK)
	b.AssertAccessible()
	if got := b.Text("main"); !strings.Contains(got, "Chantier reporté au printemps.") || !strings.Contains(got, "withdrawn on") {
		t.Errorf("withdrawn page: %q", got)
	}
}

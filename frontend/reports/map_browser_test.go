package reports_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/prometheus/client_golang/prometheus"

	"agora/frontend"
	"agora/frontend/browsertest"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/reports"
)

// TestMapInBrowser: with tiles configured and JavaScript, the list of
// reports shows a map whose pins come from the box query, and the report
// form's map fills the latitude and longitude where one clicks; both
// pass axe-core in French and English. Without JavaScript the map stays
// hidden and the fields and lists remain.
func TestMapInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	setUp(t, n)
	alice, _ := n.Resident(t, "alice", true)
	for _, p := range []reports.Point{{Lat: 48.8606, Lon: 2.3795}, {Lat: 48.858, Lon: 2.372}} {
		if _, err := n.Reports.Create(t.Context(), accounts.As(alice), reports.Input{Category: "graffiti", Point: &p,
			Description: "Un tag.", NamePublic: true}); err != nil {
			t.Fatal(err)
		}
	}
	deps := n.Deps
	deps.Registry = prometheus.NewRegistry()
	h, err := frontend.New(frontend.Config{NodeName: "Paris 11e", BaseURL: frontendtest.MustURL(t, "http://localhost"),
		MapTiles: frontendtest.TileServer(t)}, deps)
	if err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, h)
	// The privacy page names the tile provider, and the policy lets its
	// images in.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/donnees-personnelles?lang=en", nil))
	if body, csp := rec.Body.String(), rec.Header().Get("Content-Security-Policy"); !strings.Contains(body, "Map background") ||
		!strings.Contains(body, "© Test tiles") || !strings.Contains(csp, "img-src 'self' data: http://127.0.0.1:") {
		t.Errorf("privacy page or policy without the tile provider: %s", csp)
	}

	t.Run("javascript", func(t *testing.T) {
		b := n.BrowserAs(t, base, alice)
		for _, lang := range []string{"fr", "en"} {
			b.Open(base + "/reports?lang=" + lang)
			if got := waitFor(b, `document.querySelector("#reports-map").dataset.loaded || ""`); got != "2" {
				t.Errorf("%s: %q pins drawn, want 2", lang, got)
			}
			b.AssertAccessible()
			b.Open(base + "/reports/new?lang=" + lang)
			b.Click("#picker-map")
			if lat := b.Eval(`document.querySelector("#f-lat").value`); !strings.HasPrefix(lat, "48.8") {
				t.Errorf("%s: the picker set latitude %q", lang, lat)
			}
			b.AssertAccessible()
		}
	})
	t.Run("no javascript", func(t *testing.T) {
		b := n.BrowserAs(t, base, alice)
		b.Do("turn JavaScript off", func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		})
		b.Open(base + "/reports?lang=fr")
		if got := b.Eval(`String(document.querySelector("#reports-map").hidden) + " " + document.querySelectorAll(".leaflet-container").length`); got != "true 0" {
			t.Errorf("without JavaScript the map is %q, want hidden and not drawn", got)
		}
	})
}

// waitFor evaluates js until it answers something, for up to 10 s.
func waitFor(b *browsertest.Browser, js string) string {
	for range 100 {
		if v := b.Eval(js); v != "" {
			return v
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ""
}

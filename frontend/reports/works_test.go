package reports_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/reports"
	"agora/storage/storagetest"
)

// TestWorksAndMapData: an official publishes planned works (bad input
// refused, nothing stored), the work's page shows the reports around it,
// and the map's JSON gives the pins and works of a box; without tiles
// no page carries a map.
func TestWorksAndMapData(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		setUp(t, n)
		alice, aliceToken := n.Resident(t, "alice", true)
		official := n.Session(t, n.Staff[accounts.Official]) // Voirie
		if _, err := n.Reports.Create(t.Context(), accounts.As(alice), reports.Input{Category: "nid-de-poule",
			Point: &reports.Point{Lat: 48.8607, Lon: 2.3796}, Address: "12 rue Oberkampf", Description: "Un trou.", NamePublic: true}); err != nil {
			t.Fatal(err)
		}
		day := func(d int) string { return n.Clock.Now().Add(time.Duration(d) * 24 * time.Hour).Format(time.DateOnly) }
		good := fields("service", "Voirie", "title", "Réfection de la chaussée", "starts_on", day(2), "ends_on", day(9),
			"address", "rue Oberkampf", "lat", "48.8606", "lon", "2.3795")

		bad := []struct {
			name, token, key, value string
			status                  int
		}{
			{"a resident", aliceToken, "", "", http.StatusForbidden},
			{"no date", official, "ends_on", "bientôt", http.StatusBadRequest},
			{"ends before it starts", official, "ends_on", day(1), http.StatusBadRequest},
			{"outside the territory", official, "lat", "45.76", http.StatusBadRequest},
			{"another service", official, "service", "Propreté", http.StatusForbidden},
		}
		before := storagetest.TakeSnapshot(t, n.DB, "report_works")
		for _, tt := range bad {
			form := fields()
			for k, v := range good {
				form[k] = v
			}
			if tt.key != "" {
				form.Set(tt.key, tt.value)
			}
			w := n.Request("POST", "/reports/works/new", tt.token, form)
			if w.Code != tt.status {
				t.Errorf("%s: status %d, want %d", tt.name, w.Code, tt.status)
			}
		}
		before.Unchanged(t, n.DB, "refused works")

		w := n.Request("POST", "/reports/works/new", official, good)
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		page, _, _ := strings.Cut(w.Header().Get("Location"), "?")
		w = n.Request("GET", page+"?lang=fr", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Réfection de la chaussée", "Voirie", "12 rue Oberkampf", "Signalements à moins de 200 m")
		w = n.Request("GET", "/reports/works?lang=en", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Planned works", "Réfection de la chaussée", page)

		w = n.Request("GET", "/reports/map.json?bbox=2.37,48.855,2.39,48.865&lang=en", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		var got struct {
			Pins  []struct{ Label, URL string }
			Works []struct{ Label, URL string }
		}
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.Pins) != 1 || len(got.Works) != 1 ||
			got.Pins[0].Label != "Pothole – New" || got.Works[0].URL != page {
			t.Errorf("map.json: %v, %s", err, w.Body)
		}
		for _, q := range []string{"", "bbox=1,2,3", "bbox=2.39,48.855,2.37,48.865", "bbox=-180,-80,180,80"} {
			if w := n.Request("GET", "/reports/map.json?"+q, "", nil); w.Code != http.StatusBadRequest {
				t.Errorf("map.json?%s: %d, want 400", q, w.Code)
			}
		}
		for _, p := range []string{"/reports", "/reports/works"} {
			w := n.Request("GET", p, aliceToken, nil)
			if strings.Contains(w.Body.String(), "data-map") || strings.Contains(w.Body.String(), "leaflet") {
				t.Errorf("%s shows a map without tiles", p)
			}
		}
	})
}

package reports_test

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/reports"
)

// TestOpenData: the CSV and GeoJSON of reports name no reporter, round
// the point of a reporter who kept their name private, follow each
// change at once, and the counts per service and state add up.
func TestOpenData(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		setUp(t, n)
		alice, _ := n.Resident(t, "alice", true)
		who := accounts.As(alice)
		named, err := n.Reports.Create(t.Context(), who, reports.Input{Category: "graffiti", Point: &reports.Point{Lat: 48.861234, Lon: 2.379876},
			Address: "3 rue Oberkampf", Description: "Tag près de chez Alice Martin.", NamePublic: true})
		if err != nil {
			t.Fatal(err)
		}
		private, err := n.Reports.Create(t.Context(), who, reports.Input{Category: "nid-de-poule", Point: &reports.Point{Lat: 48.862345, Lon: 2.381234},
			Address: "12 rue Oberkampf", Description: "Trou."})
		if err != nil {
			t.Fatal(err)
		}

		w := n.Request("GET", "/reports/data/reports.csv", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		if ct, cors := w.Header().Get("Content-Type"), w.Header().Get("Access-Control-Allow-Origin"); !strings.HasPrefix(ct, "text/csv") || cors != "*" {
			t.Errorf("CSV served as %q, CORS %q", ct, cors)
		}
		rows, err := csv.NewReader(w.Body).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("CSV: %v, %d rows", err, len(rows))
		}
		// Both reports are sent at the same instant: found by id.
		byID := map[string][]string{rows[1][0]: rows[1], rows[2][0]: rows[2]}
		body := strings.Join(append(rows[1], rows[2]...), "|")
		for _, leak := range []string{"alice", "Alice", "Tag", "12 rue Oberkampf", "48.862345"} {
			if strings.Contains(body, leak) {
				t.Errorf("the CSV says %q: %v", leak, rows)
			}
		}
		if got := strings.Join(byID[named.ID][2:9], ","); got != "graffiti,Propreté,new,open,48.861234,2.379876,false" {
			t.Errorf("named report: %s", got)
		}
		if got := strings.Join(byID[private.ID][6:10], ","); got != "48.862,2.381,true," {
			t.Errorf("private report's place: %s", got)
		}

		// Always current: a state change shows in the next download.
		if err := n.Reports.ChangeState(t.Context(), accounts.As(n.Staff[accounts.Official]), private.ID,
			reports.Change{To: reports.Acknowledged, Message: "Vu."}); err != nil {
			t.Fatal(err)
		}
		w = n.Request("GET", "/reports/data/reports.geojson", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		var fc struct {
			Type     string
			Features []struct {
				ID         string
				Geometry   struct{ Coordinates []float64 }
				Properties map[string]any
			}
		}
		if err := json.Unmarshal(w.Body.Bytes(), &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != 2 {
			t.Fatalf("GeoJSON: %v, %+v", err, fc)
		}
		f := fc.Features[1]
		if f.ID != private.ID {
			f = fc.Features[0]
		}
		if f.ID != private.ID || f.Properties["state"] != "acknowledged" || f.Geometry.Coordinates[0] != 2.381 || f.Properties["address"] != nil {
			t.Errorf("private report in GeoJSON: %+v", f)
		}

		w = n.Request("GET", "/reports/data/counts.json", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `{"service":"Propreté","state":"new","status":"open","count":1}`,
			`{"service":"Voirie","state":"acknowledged","status":"open","count":1}`)
		w = n.Request("GET", "/reports/data/counts.csv", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "service,state,status,count\nPropreté,new,open,1\nVoirie,acknowledged,open,1\n")
	})
}

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

// TestWorkEditAndWithdraw: through the pages, without JavaScript, an
// official of the work's service edits it (every error at once, each
// linked to its field, nothing changed) and withdraws it with a reason;
// the reason is public on its page and the work leaves the list and the
// map. Others get no forms.
func TestWorkEditAndWithdraw(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		setUp(t, n)
		_, aliceToken := n.Resident(t, "alice", true)
		official := n.Session(t, n.Staff[accounts.Official]) // Voirie
		admin := n.Session(t, n.Staff[accounts.Admin])
		cleaner, err := n.Accounts.Create(t.Context(), accounts.System, accounts.NewAccount{Handle: "proprete_1",
			DisplayName: "Propreté", Roles: []accounts.Role{accounts.Official}, Service: "Propreté"})
		if err != nil {
			t.Fatal(err)
		}
		other := n.Session(t, cleaner)
		day := func(d int) string { return n.Clock.Now().Add(time.Duration(d) * 24 * time.Hour).Format(time.DateOnly) }
		good := fields("service", "Voirie", "title", "Réfection de la chaussée", "starts_on", day(2), "ends_on", day(9),
			"address", "rue Oberkampf", "lat", "48.8606", "lon", "2.3795")
		w := n.Request("POST", "/reports/works/new", official, good)
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		page, _, _ := strings.Cut(w.Header().Get("Location"), "?")

		// Who sees the forms.
		for _, tt := range []struct {
			who, token string
			status     int
		}{{"anonymous", "", http.StatusSeeOther}, {"a resident", aliceToken, http.StatusForbidden},
			{"another service", other, http.StatusForbidden}, {"the service", official, http.StatusOK}, {"an admin", admin, http.StatusOK}} {
			for _, p := range []string{page + "/edit", page + "/withdraw"} {
				if w := n.Request("GET", p, tt.token, nil); w.Code != tt.status {
					t.Errorf("%s GET %s: %d, want %d", tt.who, p, w.Code, tt.status)
				}
			}
		}
		w = n.Request("GET", page+"?lang=en", aliceToken, nil)
		frontendtest.WantNoBody(t, w, page+"/edit", page+"/withdraw")
		w = n.Request("GET", page+"?lang=fr", official, nil)
		frontendtest.WantBody(t, w, page+"/edit", page+"/withdraw", "Modifier ces travaux")
		w = n.Request("GET", page+"/edit?lang=fr", official, nil)
		frontendtest.WantBody(t, w, `value="Réfection de la chaussée"`, `value="`+day(9)+`"`, `action="`+page+`/edit"`, `<label for="f-title">`)

		// Bad edits: all errors at once, each linked, nothing changed.
		before := storagetest.TakeSnapshot(t, n.DB, "report_works")
		bad := fields()
		for k, v := range good {
			bad[k] = v
		}
		bad.Set("title", "")
		bad.Set("description", strings.Repeat("x", 2001))
		bad.Set("starts_on", "demain")
		bad.Set("lat", "45.76")
		bad.Set("lon", "4.83")
		w = n.Request("POST", page+"/edit?lang=en", official, bad)
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `href="#f-title"`, `href="#f-description"`, `href="#f-starts_on"`, `href="#f-lat"`,
			`aria-describedby="f-title-error"`, "Write a title of 1 to 200 characters.", "outside")
		for _, tt := range []struct {
			name, token, key, value string
			status                  int
		}{
			{"a resident", aliceToken, "", "", http.StatusForbidden},
			{"another service", other, "", "", http.StatusForbidden},
			{"moved to a service not held", official, "service", "Propreté", http.StatusForbidden},
			{"ends before it starts", official, "ends_on", day(1), http.StatusBadRequest},
		} {
			form := fields()
			for k, v := range good {
				form[k] = v
			}
			if tt.key != "" {
				form.Set(tt.key, tt.value)
			}
			if w := n.Request("POST", page+"/edit", tt.token, form); w.Code != tt.status {
				t.Errorf("%s: %d, want %d", tt.name, w.Code, tt.status)
			}
		}
		for _, tt := range []struct{ name, token, reason string }{{"a resident", aliceToken, "Non."}, {"another service", other, "Non."},
			{"no reason", official, " "}} {
			w := n.Request("POST", page+"/withdraw?lang=fr", tt.token, fields("reason", tt.reason))
			if w.Code < 400 {
				t.Errorf("withdraw by %s: %d", tt.name, w.Code)
			}
			if tt.name == "no reason" {
				frontendtest.WantBody(t, w, `href="#f-reason"`, "Écrivez pourquoi")
			}
		}
		before.Unchanged(t, n.DB, "refused edits and withdrawals")

		// A good edit moves the work; the list and the map follow.
		edit := fields()
		for k, v := range good {
			edit[k] = v
		}
		edit.Set("title", "Réfection du trottoir")
		edit.Set("lat", "48.8535")
		edit.Set("lon", "2.3635")
		w = n.Request("POST", page+"/edit", official, edit)
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		w = n.Request("GET", page+"?lang=en", "", nil)
		frontendtest.WantBody(t, w, "Réfection du trottoir", "Updated on")
		type mapDoc struct{ Works []struct{ URL string } }
		mapWorks := func(bbox string) int {
			w := n.Request("GET", "/reports/map.json?bbox="+bbox+"&lang=en", "", nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			var d mapDoc
			if err := json.Unmarshal(w.Body.Bytes(), &d); err != nil {
				t.Fatal(err)
			}
			return len(d.Works)
		}
		n.Clock.Advance(3 * time.Second) // past the page cache
		if old, moved := mapWorks("2.375,48.858,2.385,48.863"), mapWorks("2.360,48.851,2.367,48.856"); old != 0 || moved != 1 {
			t.Errorf("map after the edit: %d at the old place, %d at the new one", old, moved)
		}

		// Withdrawn by the admin: public reason, gone from the list and map.
		w = n.Request("POST", page+"/withdraw", admin, fields("reason", "Chantier reporté au printemps."))
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		w = n.Request("GET", page+"?lang=fr", "", nil)
		frontendtest.WantBody(t, w, "Travaux annulés le", "Chantier reporté au printemps.")
		w = n.Request("GET", page+"?lang=fr", official, nil)
		frontendtest.WantNoBody(t, w, page+"/edit")
		w = n.Request("GET", "/reports/works?lang=en", "", nil)
		frontendtest.WantNoBody(t, w, "Réfection du trottoir")
		n.Clock.Advance(3 * time.Second)
		if got := mapWorks("2.360,48.851,2.367,48.856"); got != 0 {
			t.Errorf("a withdrawn work is on the map")
		}
		before = storagetest.TakeSnapshot(t, n.DB, "report_works")
		if w := n.Request("POST", page+"/edit", official, edit); w.Code != http.StatusConflict {
			t.Errorf("edit a withdrawn work: %d, want 409", w.Code)
		}
		if w := n.Request("POST", page+"/withdraw", official, fields("reason", "Encore.")); w.Code != http.StatusConflict {
			t.Errorf("withdraw twice: %d, want 409", w.Code)
		}
		before.Unchanged(t, n.DB, "a withdrawn work")
	})
}

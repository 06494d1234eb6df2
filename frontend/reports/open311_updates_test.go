package reports_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/reports"
	"agora/storage/storagetest"
)

// specUpdate is an update as FixMyStreet's Open311 extension
// (servicerequestupdates) names its fields.
type specUpdate struct {
	UpdateID           string `json:"update_id" xml:"update_id"`
	ServiceRequestID   string `json:"service_request_id" xml:"service_request_id"`
	Status             string `json:"status" xml:"status"`
	ExternalStatusCode string `json:"external_status_code" xml:"external_status_code"`
	UpdatedDatetime    string `json:"updated_datetime" xml:"updated_datetime"`
	Description        string `json:"description" xml:"description"`
	MediaURL           string `json:"media_url" xml:"media_url"`
}

func (c *open311Client) updates(query string) (int, []specUpdate) {
	code, b := c.do("GET", c.base+"/servicerequestupdates."+c.format+query, nil)
	var out []specUpdate
	if code == http.StatusOK {
		c.decode(b, "request_update", &out)
	}
	return code, out
}

func (c *open311Client) addUpdate(form url.Values) (int, []byte) {
	return c.do("POST", c.base+"/servicerequestupdates."+c.format, form)
}

func TestOpen311Updates(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		setUp(t, n)
		client := n.Account(t, "appli_dmr")
		key, err := n.Reports.CreateKey(t.Context(), accounts.System, "Appli DansMaRue", client.ID)
		if err != nil {
			t.Fatal(err)
		}
		official := accounts.As(n.Staff[accounts.Official]) // of the roads service (Voirie)
		// A request of the client's, acknowledged with a message; a
		// report of a resident's, with a private message from the service.
		mine, err := n.Reports.Create(t.Context(), accounts.As(client), reports.Input{Category: "nid-de-poule",
			Point: &reports.Point{Lat: 48.8606, Lon: 2.3795}, Description: "Trou rue Oberkampf."})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Reports.ChangeState(t.Context(), official, mine.ID, reports.Change{To: reports.Acknowledged, Message: "Vu, nous passons."}); err != nil {
			t.Fatal(err)
		}
		other, err := n.Reports.Create(t.Context(), accounts.As(n.Staff[accounts.Resident]), reports.Input{Category: "nid-de-poule",
			Point: &reports.Point{Lat: 48.8607, Lon: 2.3796}, Description: "Un autre trou."})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.Reports.Say(t.Context(), official, other.ID, "Votre numéro ?", true); err != nil {
			t.Fatal(err)
		}
		for i, format := range []string{"json", "xml"} {
			c := &open311Client{t: t, h: n.H, format: format}
			c.discover()

			// The client adds its user's message to its own request.
			code, b := c.addUpdate(url.Values{"api_key": {key}, "service_request_id": {mine.ID},
				"description": {"Toujours là (" + format + ")."}, "status": {"closed"}, "email": {"x@example.org"}})
			if code != http.StatusCreated {
				t.Fatalf("%s add update: %d %s", format, code, b)
			}
			// Refused, nothing stored: another's request, no key, a bad
			// key, no description, an unknown request.
			for _, bad := range []struct {
				form url.Values
				code int
			}{
				{url.Values{"api_key": {key}, "service_request_id": {other.ID}, "description": {"Moi aussi."}}, http.StatusForbidden},
				{url.Values{"service_request_id": {mine.ID}, "description": {"Sans clé."}}, http.StatusForbidden},
				{url.Values{"api_key": {"o311_nope"}, "service_request_id": {mine.ID}, "description": {"Mauvaise clé."}}, http.StatusForbidden},
				{url.Values{"api_key": {key}, "service_request_id": {mine.ID}, "description": {"  "}}, http.StatusBadRequest},
				{url.Values{"api_key": {key}, "service_request_id": {"nope"}, "description": {"Perdu."}}, http.StatusNotFound},
			} {
				before := storagetest.TakeSnapshot(t, n.DB, "report_events", "street_reports")
				if code, b := c.addUpdate(bad.form); code != bad.code {
					t.Errorf("%s add update %v: %d %s, want %d", format, bad.form, code, b, bad.code)
				}
				before.Unchanged(t, n.DB, format+" refused update")
			}

			code, got := c.updates("")
			// The state change, then the client's messages (one per
			// format so far); neither creation nor the private message.
			if code != http.StatusOK || len(got) != 2+i {
				t.Fatalf("%s updates: %d %+v", format, code, got)
			}
			if u := got[0]; u.ServiceRequestID != mine.ID || u.Status != "investigating" || u.ExternalStatusCode != "acknowledged" ||
				u.Description != "Vu, nous passons." || u.UpdateID == "" || u.UpdatedDatetime == "" {
				t.Errorf("%s state update: %+v", format, u)
			}
			if u := got[len(got)-1]; u.ServiceRequestID != mine.ID || u.Description != "Toujours là ("+format+")." || u.Status != "investigating" {
				t.Errorf("%s the client's update: %+v", format, u)
			}
			if _, got := c.updates("?service_request_id=" + other.ID); len(got) != 0 {
				t.Errorf("%s updates of the other report (private only): %+v", format, got)
			}
			if _, got := c.updates("?start_date=" + url.QueryEscape(n.Clock.Now().AddDate(0, 0, 1).Format("2006-01-02T15:04:05Z07:00"))); len(got) != 0 {
				t.Errorf("%s updates from tomorrow: %+v", format, got)
			}
			if _, got := c.updates("?page_size=1&page=2"); len(got) != 1 || got[0].Description == "Vu, nous passons." {
				t.Errorf("%s second page of one: %+v", format, got)
			}
			for _, q := range []string{"?page_size=0", "?start_date=hier", "?start_date=2026-12-07&end_date=2026-12-01"} {
				if code, _ := c.updates(q); code != http.StatusBadRequest {
					t.Errorf("%s updates%s: %d, want 400", format, q, code)
				}
			}
		}
		// Done with an "after" photo: the fixed update carries it.
		after := reports.Photo{BlobKey: "sha256-after", ContentType: "image/jpeg", Size: 1234}
		if err := n.Reports.ChangeState(t.Context(), official, mine.ID, reports.Change{To: reports.Done, Message: "Rebouché.", After: &after}); err != nil {
			t.Fatal(err)
		}
		c := &open311Client{t: t, h: n.H, format: "json"}
		c.discover()
		_, got := c.updates("?service_request_id=" + mine.ID)
		last := got[len(got)-1]
		if last.Status != "fixed" || last.ExternalStatusCode != "done" || !strings.HasSuffix(last.MediaURL, "/reports/"+mine.ID+"/photos/1") {
			t.Errorf("fixed update: %+v", last)
		}
		if got[0].MediaURL != "" {
			t.Errorf("an update before done has a photo: %+v", got[0])
		}
	})
}

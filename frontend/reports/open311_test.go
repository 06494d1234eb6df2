package reports_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/reports"
)

// open311Client is a small GeoReport v2 client written from the
// specification (wiki.open311.org/GeoReport_v2), not from the node's
// code: it finds the endpoint through discovery, then speaks the format
// it was given, JSON or XML.
type open311Client struct {
	t      *testing.T
	h      http.Handler
	base   string      // the endpoint's path, from discovery
	format string      // "json" or "xml"
	last   http.Header // the headers of the last answer
}

// Documents as the specification names their fields.
type specService struct {
	ServiceCode string `json:"service_code" xml:"service_code"`
	ServiceName string `json:"service_name" xml:"service_name"`
	Metadata    bool   `json:"metadata" xml:"metadata"`
	Type        string `json:"type" xml:"type"`
}

type specRequest struct {
	ServiceRequestID  string  `json:"service_request_id" xml:"service_request_id"`
	Status            string  `json:"status" xml:"status"`
	StatusNotes       string  `json:"status_notes" xml:"status_notes"`
	ServiceCode       string  `json:"service_code" xml:"service_code"`
	Description       string  `json:"description" xml:"description"`
	AgencyResponsible string  `json:"agency_responsible" xml:"agency_responsible"`
	RequestedDatetime string  `json:"requested_datetime" xml:"requested_datetime"`
	ExpectedDatetime  string  `json:"expected_datetime" xml:"expected_datetime"`
	Address           string  `json:"address" xml:"address"`
	Lat               float64 `json:"lat" xml:"lat"`
	Long              float64 `json:"long" xml:"long"`
	Token             string  `json:"token" xml:"token"`
	MediaURL          string  `json:"media_url" xml:"media_url"`
}

type specError struct {
	Code        int    `json:"code" xml:"code"`
	Description string `json:"description" xml:"description"`
}

func (c *open311Client) do(method, path string, form url.Values) (int, []byte) {
	c.t.Helper()
	if form == nil {
		return c.send(method, path, "", nil)
	}
	return c.send(method, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

// send makes a request with a body of the content type given.
func (c *open311Client) send(method, path, contentType string, body io.Reader) (int, []byte) {
	c.t.Helper()
	r := httptest.NewRequest(method, path, body)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	c.last = w.Header()
	c.h.ServeHTTP(w, r)
	ct := w.Header().Get("Content-Type")
	if want := map[string]string{"json": "application/json", "xml": "text/xml"}[c.format]; !strings.HasPrefix(ct, want) {
		c.t.Errorf("%s %s: Content-Type %q", method, path, ct)
	}
	return w.Code, w.Body.Bytes()
}

// decode reads a document: a list is an array in JSON, and in XML a root
// element holding one element per item (rootItem names the item).
func (c *open311Client) decode(b []byte, item string, v any) {
	c.t.Helper()
	var err error
	if c.format == "json" {
		err = json.Unmarshal(b, v)
	} else {
		err = decodeXMLList(b, item, v)
	}
	if err != nil {
		c.t.Fatalf("decode %s: %v\n%s", c.format, err, b)
	}
}

func decodeXMLList(b []byte, item string, v any) error {
	switch list := v.(type) {
	case *[]specService:
		var doc struct {
			Items []specService `xml:"service"`
		}
		err := xml.Unmarshal(b, &doc)
		*list = doc.Items
		return err
	case *[]specRequest:
		var doc struct {
			Items []specRequest `xml:"request"`
		}
		err := xml.Unmarshal(b, &doc)
		*list = doc.Items
		return err
	case *[]specUpdate:
		var doc struct {
			Items []specUpdate `xml:"request_update"`
		}
		err := xml.Unmarshal(b, &doc)
		*list = doc.Items
		return err
	case *[]specError:
		var doc struct {
			Items []specError `xml:"error"`
		}
		err := xml.Unmarshal(b, &doc)
		*list = doc.Items
		return err
	}
	return xml.Unmarshal(b, v)
}

func (c *open311Client) discover() {
	c.t.Helper()
	code, b := c.do("GET", "/open311/v2/discovery."+c.format, nil)
	if code != http.StatusOK {
		c.t.Fatalf("discovery: %d %s", code, b)
	}
	var doc struct {
		Endpoints []struct {
			Specification string   `json:"specification" xml:"specification"`
			URL           string   `json:"url" xml:"url"`
			Type          string   `json:"type" xml:"type"`
			Formats       []string `json:"formats" xml:"formats>format"`
		} `json:"endpoints" xml:"endpoints>endpoint"`
	}
	c.decode(b, "", &doc)
	for _, e := range doc.Endpoints {
		if e.Specification == "http://wiki.open311.org/GeoReport_v2" && e.Type == "production" {
			u, err := url.Parse(e.URL)
			if err != nil {
				c.t.Fatal(err)
			}
			c.base = strings.TrimSuffix(u.Path, "/")
			return
		}
	}
	c.t.Fatalf("no GeoReport v2 endpoint in %s", b)
}

func (c *open311Client) services() []specService {
	code, b := c.do("GET", c.base+"/services."+c.format, nil)
	if code != http.StatusOK {
		c.t.Fatalf("services: %d %s", code, b)
	}
	var out []specService
	c.decode(b, "service", &out)
	return out
}

func (c *open311Client) create(form url.Values) (int, []specRequest, []specError) {
	code, b := c.do("POST", c.base+"/requests."+c.format, form)
	var ok []specRequest
	var bad []specError
	if code >= 400 {
		c.decode(b, "error", &bad)
	} else {
		c.decode(b, "request", &ok)
	}
	return code, ok, bad
}

func (c *open311Client) requests(query string) (int, []specRequest) {
	code, b := c.do("GET", c.base+"/requests."+c.format+query, nil)
	var out []specRequest
	if code == http.StatusOK {
		c.decode(b, "request", &out)
	}
	return code, out
}

func TestOpen311(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		setUp(t, n)
		client := n.Account(t, "appli_dmr")
		key, err := n.Reports.CreateKey(t.Context(), accounts.System, "Appli DansMaRue", client.ID)
		if err != nil {
			t.Fatal(err)
		}
		// A report entered on the site, then scheduled by the service.
		onSite, err := n.Reports.Create(t.Context(), accounts.As(n.Staff[accounts.Resident]), reports.Input{Category: "nid-de-poule",
			Point: &reports.Point{Lat: 48.8606, Lon: 2.3795}, Description: "Trou rue Oberkampf."})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Reports.ChangeState(t.Context(), accounts.As(n.Staff[accounts.Official]), onSite.ID, reports.Change{
			To: reports.Scheduled, Message: "Rebouchage prévu.", ScheduledFor: n.Clock.Now().AddDate(0, 0, 3)}); err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"json", "xml"} {
			c := &open311Client{t: t, h: n.H, format: format}
			c.discover()
			svcs := c.services()
			if len(svcs) != 2 || svcs[0].ServiceCode != "graffiti" && svcs[1].ServiceCode != "graffiti" {
				t.Fatalf("%s services: %+v", format, svcs)
			}
			if code, b := c.do("GET", c.base+"/services/graffiti."+format, nil); code != http.StatusOK || !strings.Contains(string(b), "graffiti") {
				t.Errorf("%s service definition: %d %s", format, code, b)
			}
			if code, _ := c.do("GET", c.base+"/services/licorne."+format, nil); code != http.StatusNotFound {
				t.Errorf("%s unknown service definition: %d", format, code)
			}

			// Create: refused without a key, with a bad point, outside the territory.
			valid := url.Values{"api_key": {key}, "service_code": {"graffiti"}, "lat": {"48.861"}, "long": {"2.38"},
				"description": {"Tag sur la porte (" + format + ")."}, "email": {"x@example.org"}}
			for _, bad := range []struct {
				change func(url.Values)
				code   int
			}{
				{func(v url.Values) { v.Del("api_key") }, http.StatusForbidden},
				{func(v url.Values) { v.Set("api_key", "o311_nope") }, http.StatusForbidden},
				{func(v url.Values) { v.Set("service_code", "licorne") }, http.StatusBadRequest},
				{func(v url.Values) { v.Set("lat", "north") }, http.StatusBadRequest},
				{func(v url.Values) { v.Set("lat", "48.8584"); v.Set("long", "2.2945") }, http.StatusBadRequest},
				{func(v url.Values) { v.Del("description") }, http.StatusBadRequest},
			} {
				form := url.Values{}
				for k, vs := range valid {
					form[k] = append([]string(nil), vs...)
				}
				bad.change(form)
				before := n.Count(t, "street_reports")
				code, _, errs := c.create(form)
				if code != bad.code || len(errs) != 1 || errs[0].Code != bad.code || errs[0].Description == "" {
					t.Errorf("%s create %v: %d %+v, want %d", format, form, code, errs, bad.code)
				}
				if after := n.Count(t, "street_reports"); after != before {
					t.Errorf("%s refused create stored a report", format)
				}
			}
			code, created, _ := c.create(valid)
			if code != http.StatusCreated || len(created) != 1 || created[0].ServiceRequestID == "" {
				t.Fatalf("%s create: %d %+v", format, code, created)
			}
			id := created[0].ServiceRequestID

			// Read it back, alone and in lists.
			code, got := c.requests("")
			if code != http.StatusOK || len(got) < 2 {
				t.Fatalf("%s list: %d %+v", format, code, got)
			}
			code, got = c.get("/requests/" + id)
			if code != http.StatusOK || len(got) != 1 || got[0].ServiceRequestID != id || got[0].Status != "open" ||
				got[0].ServiceCode != "graffiti" || got[0].Lat != 48.861 || got[0].Long != 2.38 || got[0].AgencyResponsible != "Propreté" {
				t.Errorf("%s get: %d %+v", format, code, got)
			}
			_, got = c.requests("?service_request_id=" + onSite.ID + "," + id)
			if len(got) != 2 {
				t.Errorf("%s by ids: %+v", format, got)
			}
			_, got = c.requests("?service_code=nid-de-poule&status=open")
			if len(got) != 1 || got[0].ServiceRequestID != onSite.ID || got[0].StatusNotes != "Rebouchage prévu." || got[0].ExpectedDatetime == "" {
				t.Errorf("%s open potholes: %+v", format, got)
			}
			_, got = c.requests("?status=closed")
			if len(got) != 0 {
				t.Errorf("%s closed: %+v", format, got)
			}
			_, got = c.requests("?start_date=" + url.QueryEscape(n.Clock.Now().AddDate(0, 0, 1).Format("2006-01-02T15:04:05Z07:00")))
			if len(got) != 0 {
				t.Errorf("%s from tomorrow: %+v", format, got)
			}
			for _, q := range []string{"?status=lost", "?start_date=yesterday", "?start_date=2026-12-07&end_date=2026-12-01"} {
				if code, _ := c.requests(q); code != http.StatusBadRequest {
					t.Errorf("%s %s: %d", format, q, code)
				}
			}
			if code, _ := c.get("/requests/nope"); code != http.StatusNotFound {
				t.Errorf("%s unknown request: %d", format, code)
			}
			if code, b := c.do("GET", c.base+"/tokens/"+id+"."+format, nil); code != http.StatusOK || !strings.Contains(string(b), id) {
				t.Errorf("%s token: %d %s", format, code, b)
			}
		}
	})
}

// get reads a list of requests at a path under the endpoint.
func (c *open311Client) get(path string) (int, []specRequest) {
	code, b := c.do("GET", c.base+path+"."+c.format, nil)
	var out []specRequest
	if code == http.StatusOK {
		c.decode(b, "request", &out)
	}
	return code, out
}

package reports_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/reports"
	"agora/storage/storagetest"
)

// tables are what the report pages write.
var tables = []string{"street_reports", "report_photos", "report_events", "report_confirmations", "report_categories", "node_settings"}

// territory is a square around the 11th arrondissement of Paris.
var territory = reports.Polygon{{Lat: 48.85, Lon: 2.36}, {Lat: 48.87, Lon: 2.36}, {Lat: 48.87, Lon: 2.40}, {Lat: 48.85, Lon: 2.40}}

// setUp gives the node two categories and its territory.
func setUp(t *testing.T, n *frontendtest.Node) {
	t.Helper()
	for _, c := range []reports.Category{
		{Slug: "nid-de-poule", NameFR: "Nid-de-poule", NameEN: "Pothole", Service: "Voirie"},
		{Slug: "graffiti", NameFR: "Graffiti", NameEN: "Graffiti", Service: "Propreté"},
	} {
		if err := n.Reports.SaveCategory(t.Context(), accounts.System, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := n.Reports.SetTerritory(t.Context(), accounts.System, territory); err != nil {
		t.Fatal(err)
	}
}

type file struct {
	name string
	data []byte
}

// post sends a form as a browser does: multipart, files in "photos".
func post(n *frontendtest.Node, target, token string, fields url.Values, files ...file) *httptest.ResponseRecorder {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="photos"; filename="`+f.name+`"`)
		h.Set("Content-Type", "application/octet-stream")
		pw, _ := mw.CreatePart(h)
		pw.Write(f.data)
	}
	mw.Close()
	r := httptest.NewRequest("POST", target, &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		r.AddCookie(&http.Cookie{Name: frontendtest.SessionCookie, Value: token})
	}
	w := httptest.NewRecorder()
	n.H.ServeHTTP(w, r)
	return w
}

// sent returns the id of the report a post redirected to.
func sent(t testing.TB, w *httptest.ResponseRecorder) string {
	t.Helper()
	frontendtest.WantStatus(t, w, http.StatusSeeOther)
	loc := w.Header().Get("Location")
	id, ok := strings.CutPrefix(loc, "/reports/")
	id, _, _ = strings.Cut(id, "?")
	if !ok || id == "" {
		t.Fatalf("redirected to %q", loc)
	}
	return id
}

func fields(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// TestReportJourney: a resident reports with a photo, a neighbour is
// shown it before sending theirs and confirms it instead, the service
// changes its state with a message, the reporter replies; all without
// JavaScript, in French and English.
func TestReportJourney(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		setUp(t, n)
		_, alice := n.Resident(t, "alice", true)
		_, bob := n.Resident(t, "bob", true)
		official := n.Session(t, n.Staff[accounts.Official]) // Voirie

		w := n.Request("GET", "/reports/new", alice, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Nid-de-poule", `name="lat"`, `action="/reports/new"`)

		photo := frontendtest.JPEG(t, 40, 20, 6)
		id := sent(t, post(n, "/reports/new", alice, fields("category", "nid-de-poule", "address", "12 rue Oberkampf",
			"lat", "48,8606", "lon", "2,3795", "description", "Un trou profond devant le 12.", "name_public", "on"),
			file{"IMG_2041.jpg", photo}))
		w = n.Request("GET", "/reports/"+id+"?done=sent", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Un trou profond devant le 12.", "Test alice", "Nouveau", "/reports/"+id+"/photos/1",
			"Se connecter", "Voirie")
		w = n.Request("GET", "/reports/"+id+"/photos/1", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		if body := w.Body.Bytes(); bytes.Contains(body, []byte("Exif")) || bytes.Contains(body, []byte("GPS 48.8414N")) ||
			w.Header().Get("Content-Type") != "image/jpeg" {
			t.Errorf("the photo kept its metadata, or is served as %q", w.Header().Get("Content-Type"))
		}

		// Bob, 20 m away, is shown Alice's report before he sends his.
		w = n.Request("GET", "/reports/new?step=2&category=nid-de-poule&lat=48.8608&lon=2.3795", bob, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Déjà signalé à côté ?", `href="/reports/`+id+`"`, "à 22 m")
		w = n.Request("GET", "/reports/new?step=2&category=graffiti&lat=48.8608&lon=2.3795", bob, nil)
		frontendtest.WantNoBody(t, w, "Déjà signalé à côté ?")
		frontendtest.WantStatus(t, n.Request("POST", "/reports/"+id+"/confirm", bob, url.Values{}), http.StatusSeeOther)
		frontendtest.WantBody(t, n.Request("GET", "/reports/"+id, bob, nil), "Vous l’avez confirmé.", "1 habitant l’a confirmé")

		// The service schedules the work; the reporter answers in private.
		frontendtest.WantStatus(t, post(n, "/reports/"+id+"/state", official, fields("to", "scheduled",
			"note", "Rebouchage prévu.", "scheduled_for", n.Clock.Now().AddDate(0, 0, 7).Format("2006-01-02"))), http.StatusSeeOther)
		frontendtest.WantStatus(t, n.Request("POST", "/reports/"+id+"/messages", alice, url.Values{"message": {"Merci ! Mon code : 1234"}, "private": {"on"}}), http.StatusSeeOther)
		w = n.Request("GET", "/reports/"+id+"?lang=en", "", nil)
		frontendtest.WantBody(t, w, "Work scheduled", "Rebouchage prévu.", "Voirie service")
		frontendtest.WantNoBody(t, w, "Mon code")
		frontendtest.WantBody(t, n.Request("GET", "/reports/"+id, official, nil), "Mon code : 1234", "privé")

		// Lists: newest first, and nearest first around a point.
		frontendtest.WantBody(t, n.Request("GET", "/reports", "", nil), `href="/reports/`+id+`"`, "Intervention programmée")
		w = n.Request("GET", "/reports?sort=distance&lat=48.861&lon=2.38", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `href="/reports/`+id+`"`, "à 58 m")
		frontendtest.WantStatus(t, n.Request("GET", "/reports?sort=distance&lat=nord", "", nil), http.StatusBadRequest)
	})
}

// TestReportRefused: bad input gets its message next to the field, and
// nothing is stored.
func TestReportRefused(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		setUp(t, n)
		_, alice := n.Resident(t, "alice", true)
		report, err := n.Reports.Create(t.Context(), accounts.As(n.Staff[accounts.Resident]), reports.Input{Category: "graffiti",
			Address: "Square Maurice-Gardette", Description: "Tag."})
		if err != nil {
			t.Fatal(err)
		}
		official := n.Session(t, n.Staff[accounts.Official]) // Voirie: not in charge of graffiti
		valid := func(kv ...string) url.Values {
			v := fields("category", "nid-de-poule", "lat", "48.8606", "lon", "2.3795", "description", "Un trou.")
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		for _, c := range []struct {
			name   string
			target string
			token  string
			form   url.Values
			files  []file
			status int
			want   string
		}{
			{"point outside the territory", "/reports/new", alice, valid("lat", "48.8584", "lon", "2.2945"), nil, http.StatusBadRequest, "hors du territoire"},
			{"unknown category", "/reports/new", alice, valid("category", "licorne"), nil, http.StatusBadRequest, "Choisissez une catégorie"},
			{"latitude not a number", "/reports/new", alice, valid("lat", "nord"), nil, http.StatusBadRequest, "La latitude va de -90 à 90"},
			{"no description", "/reports/new", alice, valid("description", ""), nil, http.StatusBadRequest, "Décrivez le problème"},
			{"photo that is not an image", "/reports/new", alice, valid(), []file{{"photo.jpg", []byte("not an image at all")}}, http.StatusBadRequest, "photo.jpg"},
			{"PDF as a photo", "/reports/new", alice, valid(), []file{{"plan.pdf", []byte("%PDF-1.4\n%%EOF\n")}}, http.StatusBadRequest, "n’est pas une photo JPEG ou PNG"},
			{"decompression bomb", "/reports/new", alice, valid(), []file{{"bomb.png", frontendtest.HugePNG(50000, 50000)}}, http.StatusBadRequest, "bomb.png"},
			{"state change by another service", "/reports/" + report.ID + "/state", official, fields("to", "done", "note", "Fait."), nil, http.StatusForbidden, "Seul le service en charge"},
			{"state change by the reporter", "/reports/" + report.ID + "/state", n.Session(t, n.Staff[accounts.Resident]), fields("to", "done", "note", "Fait."), nil, http.StatusForbidden, "Seul le service en charge"},
			{"message by a stranger", "/reports/" + report.ID + "/messages", alice, fields("message", "Bonjour"), nil, http.StatusForbidden, "Seul le service en charge"},
		} {
			before := storagetest.TakeSnapshot(t, n.DB, tables...)
			w := post(n, c.target, c.token, c.form, c.files...)
			if strings.HasSuffix(c.target, "/messages") {
				w = n.Request("POST", c.target, c.token, c.form)
			}
			frontendtest.WantStatus(t, w, c.status)
			frontendtest.WantBody(t, w, c.want)
			before.Unchanged(t, n.DB, c.name)
		}
		// Signed out, the form is behind sign-in.
		if w := n.Request("GET", "/reports/new", "", nil); w.Code != http.StatusSeeOther && w.Code != http.StatusFound {
			t.Errorf("signed-out form: %d", w.Code)
		}
	})
}

// TestAdminPage: the admin maps a category to a service and sets the
// territory; others may not.
func TestAdminPage(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		admin := n.Session(t, n.Staff[accounts.Admin])
		frontendtest.WantStatus(t, n.Request("GET", "/admin/reports", admin, nil), http.StatusOK)
		frontendtest.WantStatus(t, n.Request("POST", "/admin/reports/categories", admin, fields("slug", "eclairage",
			"name_fr", "Éclairage", "name_en", "Street lights", "service", "Éclairage public")), http.StatusSeeOther)
		frontendtest.WantStatus(t, n.Request("POST", "/admin/reports/territory", admin, fields("territory",
			"48.85, 2.36\n48,87 2,36\n48.87;2.40\n\n48.85, 2.40\n")), http.StatusSeeOther)
		poly, err := n.Reports.Territory(t.Context())
		if err != nil || len(poly) != 4 || poly[1] != (reports.Point{Lat: 48.87, Lon: 2.36}) {
			t.Errorf("territory %v %v", poly, err)
		}
		frontendtest.WantBody(t, n.Request("GET", "/admin/reports", admin, nil), "Éclairage public", "48.87, 2.4")
		before := storagetest.TakeSnapshot(t, n.DB, tables...)
		w := n.Request("POST", "/admin/reports/territory", admin, fields("territory", "48.85, 2.36\nici\n"))
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "Le territoire est une suite")
		w = n.Request("POST", "/admin/reports/categories", admin, fields("slug", "Éclairage!"))
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		resident := n.Session(t, n.Staff[accounts.Resident])
		frontendtest.WantStatus(t, n.Request("POST", "/admin/reports/categories", resident, fields("slug", "x", "name_fr", "x", "name_en", "x", "service", "x")), http.StatusForbidden)
		before.Unchanged(t, n.DB, "refused admin forms")
	})
}

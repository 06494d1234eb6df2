package budgets_test

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
	"agora/instances/geo"
	"agora/instances/projects"
	"agora/storage/storagetest"
)

// mediaTables are the rows a place or a photo may change.
var mediaTables = []string{"budget_projects", "budget_photos", "budget_milestones", "audit_log"}

// postPhoto sends the photo form as a browser does: multipart, the file
// in "photo".
func postPhoto(n *frontendtest.Node, target, token string, fields url.Values, name string, data []byte) *httptest.ResponseRecorder {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if name != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="photo"; filename="`+name+`"`)
		h.Set("Content-Type", "application/octet-stream")
		pw, _ := mw.CreatePart(h)
		pw.Write(data)
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

// fundedProject returns a funded project of the test edition, with one
// step of its follow-up.
func fundedProject(t *testing.T, n *frontendtest.Node, b *projects.Budget) (string, string) {
	t.Helper()
	list, err := n.Deps.Projects.Projects(t.Context(), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.Funded {
			m, err := n.Deps.Projects.AddMilestone(t.Context(), accounts.System, p.ID, projects.MilestoneInput{Status: projects.Works, Progress: 30, Text: "Le chantier est ouvert."})
			if err != nil {
				t.Fatal(err)
			}
			return p.ID, m.ID
		}
	}
	t.Fatal("no funded project")
	return "", ""
}

// An official places a project and adds photos with their alt text;
// bad input is refused next to its field and changes nothing.
func TestProjectPlaceAndPhotos(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		b := importEdition(t, n)
		id, step := fundedProject(t, n, b)
		path := "/budgets/projects/" + id
		official := n.Session(t, n.Staff[accounts.Official])
		_, resident := n.Resident(t, "camille", true)

		// Readers see no form.
		frontendtest.WantNoBody(t, n.Get(path), `action="`+path+`/place"`, `action="`+path+`/photos"`)
		frontendtest.WantBody(t, n.Request("GET", path, official, nil), `action="`+path+`/place"`, `action="`+path+`/photos"`, `enctype="multipart/form-data"`)

		before := storagetest.TakeSnapshot(t, n.DB, mediaTables...)
		for _, tc := range []struct {
			name   string
			form   url.Values
			status int
			want   string
		}{
			{"latitude 91", url.Values{"lat": {"91"}, "lon": {"2.28"}}, http.StatusBadRequest, "La latitude va de -90 à 90"},
			{"longitude only", url.Values{"lon": {"2.28"}}, http.StatusBadRequest, "Remplissez les deux, ou aucune."},
			{"not a number", url.Values{"lat": {"quarante-huit"}, "lon": {"2"}}, http.StatusBadRequest, `aria-invalid="true"`},
			{"address too long", url.Values{"address": {strings.Repeat("rue ", 80)}}, http.StatusBadRequest, "Ce texte est trop long."},
		} {
			w := n.Request("POST", path+"/place", official, tc.form)
			frontendtest.WantStatus(t, w, tc.status)
			frontendtest.WantBody(t, w, tc.want)
		}
		frontendtest.WantStatus(t, n.Request("POST", path+"/place", resident, url.Values{"address": {"x"}}), http.StatusForbidden)

		jpeg := frontendtest.JPEG(t, 40, 20, 6) // with EXIF: orientation, GPS, a description
		for _, tc := range []struct {
			name, token string
			fields      url.Values
			file        string
			data        []byte
			status      int
			want        string
		}{
			{"no alt text", official, url.Values{"alt": {" "}}, "chantier.jpg", jpeg, http.StatusBadRequest, "Décrivez ce que montre la photo"},
			{"no file", official, url.Values{"alt": {"Le square"}}, "", nil, http.StatusBadRequest, "Choisissez une photo."},
			{"not an image", official, url.Values{"alt": {"Le plan"}}, "plan.jpg", []byte("%PDF-1.4 not a photo"), http.StatusBadRequest, "plan.jpg"},
			{"step of no project", official, url.Values{"alt": {"Le square"}, "milestone": {"nope"}}, "chantier.jpg", jpeg, http.StatusBadRequest, "Cette étape n’est pas une étape de ce projet."},
			{"resident", resident, url.Values{"alt": {"Le square"}}, "chantier.jpg", jpeg, http.StatusForbidden, ""},
		} {
			w := postPhoto(n, path+"/photos", tc.token, tc.fields, tc.file, tc.data)
			frontendtest.WantStatus(t, w, tc.status)
			if tc.want != "" {
				frontendtest.WantBody(t, w, tc.want)
			}
		}
		before.Unchanged(t, n.DB, "refused places and photos")

		// Placed, with a photo of the project and one of its step.
		w := n.Request("POST", path+"/place", official, url.Values{"address": {"Square Saint-Lambert"}, "lat": {"48,8413"}, "lon": {"2,2987"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		w = postPhoto(n, path+"/photos", official, url.Values{"alt": {"Le square avant les travaux"}}, "IMG_1.jpg", jpeg)
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		w = postPhoto(n, path+"/photos", official, url.Values{"alt": {"Les engins sur le chantier"}, "milestone": {step}}, "IMG_2.png", frontendtest.PNG(t))
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		page := n.Get(path)
		frontendtest.WantBody(t, page, "Square Saint-Lambert", "48.841300, 2.298700", `src="`+path+`/photos/1" alt="Le square avant les travaux"`,
			`src="`+path+`/photos/2" alt="Les engins sur le chantier"`)
		frontendtest.WantNoBody(t, page, "/remove") // readers do not remove photos
		photo := n.Get(path + "/photos/1")
		frontendtest.WantStatus(t, photo, http.StatusOK)
		if ct := photo.Header().Get("Content-Type"); ct != "image/jpeg" || bytes.Contains(photo.Body.Bytes(), []byte("Exif")) || bytes.Contains(photo.Body.Bytes(), []byte("Saint")) {
			t.Errorf("served photo: %s, %d bytes, metadata kept: %t", ct, photo.Body.Len(), bytes.Contains(photo.Body.Bytes(), []byte("Exif")))
		}
		frontendtest.WantStatus(t, n.Get(path+"/photos/9"), http.StatusNotFound)
		w = n.Request("POST", path+"/photos/2/remove", official, nil)
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		frontendtest.WantNoBody(t, n.Get(path), "Les engins sur le chantier")

		// A project added with a point; a bad point adds nothing.
		sp := n.Space(t, "budget-2027", 0)
		open, err := n.Deps.Projects.CreateBudget(t.Context(), accounts.System, projects.BudgetInput{SpaceID: sp.ID, Title: "Budget 2027",
			Headings: []projects.HeadingInput{{Name: "Tout le 15e", Amount: 2_000_000}}})
		if err != nil {
			t.Fatal(err)
		}
		before = storagetest.TakeSnapshot(t, n.DB, mediaTables...)
		w = n.Request("POST", "/budgets/"+open.ID+"/projects", official, url.Values{"heading": {"tout-le-15e"}, "title": {"Un jardin"},
			"cost": {"30000"}, "lat": {"48.84"}, "lon": {"200"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "la longitude de -180 à 180")
		before.Unchanged(t, n.DB, "a project with a bad point")
		w = n.Request("POST", "/budgets/"+open.ID+"/projects", official, url.Values{"heading": {"tout-le-15e"}, "title": {"Un jardin"},
			"cost": {"30000"}, "lat": {"48.84"}, "lon": {"2.29"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		frontendtest.WantBody(t, n.Get("/budgets/"+open.ID+"/map"), "Soumis au vote", "Un jardin", "48.840000, 2.290000")
	})
}

// The map page without JavaScript and without tiles: the funded projects
// grouped by status under their headings, ordered by distance from a
// typed point; a bad point is refused next to its field.
func TestEditionMapWithoutJavaScript(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		b := importEdition(t, n)
		list, err := n.Deps.Projects.Projects(t.Context(), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		var funded []projects.Project
		for _, p := range list {
			if p.Funded {
				funded = append(funded, p)
			}
		}
		if len(funded) < 2 {
			t.Fatalf("%d funded projects, want 2 or more", len(funded))
		}
		// The first far to the west, the second near, the others nowhere.
		places := []geo.Point{{Lat: 48.8413, Lon: 2.20}, {Lat: 48.8413, Lon: 2.2987}}
		for i, at := range places {
			if err := n.Deps.Projects.SetPlace(t.Context(), accounts.System, funded[i].ID, projects.PlaceInput{Point: &at}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := n.Deps.Projects.AddMilestone(t.Context(), accounts.System, funded[1].ID, projects.MilestoneInput{Status: projects.Done, Text: "Fini."}); err != nil {
			t.Fatal(err)
		}

		w := n.Get("/budgets/" + b.ID + "/map")
		frontendtest.WantStatus(t, w, http.StatusOK)
		body := w.Body.String()
		frontendtest.WantBody(t, w, `id="status-study"`, `id="status-tender"`, `id="status-works"`, `id="status-done"`, `id="status-abandoned"`,
			funded[0].Title, funded[1].Title, "Pas de lieu précis")
		frontendtest.WantNoBody(t, w, "data-map", "leaflet") // no tiles: no map markup
		if strings.Index(body, `id="status-study"`) > strings.Index(body, funded[0].Title) ||
			strings.Index(body, `id="status-done"`) > strings.Index(body, funded[1].Title) {
			t.Errorf("projects not under their status")
		}
		frontendtest.WantBody(t, n.Get("/budgets/"+b.ID+"/map?lang=en"), "Works", "Done", "No precise place")

		// Nearest first within each group: the two placed ones in study,
		// when both are studied.
		if _, err := n.Deps.Projects.AddMilestone(t.Context(), accounts.System, funded[1].ID, projects.MilestoneInput{Status: projects.Study, Text: "Reprise des études."}); err != nil {
			t.Fatal(err)
		}
		w = n.Get("/budgets/" + b.ID + "/map?lat=48.8413&lon=2.30")
		frontendtest.WantStatus(t, w, http.StatusOK)
		body = w.Body.String()
		if near, far := strings.Index(body, funded[1].Title), strings.Index(body, funded[0].Title); near < 0 || far < 0 || near > far {
			t.Errorf("by distance: the near project at %d, the far one at %d", near, far)
		}
		frontendtest.WantBody(t, w, " · <strong>à 95 m</strong>", " · <strong>à 7,3 km</strong>")

		w = n.Get("/budgets/" + b.ID + "/map?lat=95&lon=2.3")
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "La latitude va de -90 à 90", funded[0].Title)
		frontendtest.WantStatus(t, n.Get("/budgets/nope/map"), http.StatusNotFound)

		// The money chart per heading and per theme, each beside its table.
		w = n.Get("/budgets/" + b.ID)
		frontendtest.WantBody(t, w, `aria-labelledby="money-caption"`, `id="money-table-caption"`, `aria-labelledby="money-theme-caption"`,
			`id="money-theme-table-caption"`, "L’argent voté et dépensé, par thème", "espace public", "mobilité", `href="/budgets/`+b.ID+`/map"`)
	})
}

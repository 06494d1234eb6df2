package apps_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/storage/storagetest"
)

// appTables are the tables an act of the catalogue writes.
var appTables = []string{"apps", "app_tags", "app_releases", "app_artifacts", "app_media", "app_adoptions", "outbox_events"}

// Who sees and may do what, for each route of the catalogue: a visitor,
// a resident (signed in, no role) and an admin (a steward by default).
func TestAppRoutesByVisitor(t *testing.T) {
	appOnEachDialect(t, func(t *testing.T, n *appNode) {
		a := appPublish(t, n, "Inscriptions scolaires")
		resident := n.Session(t, n.Account(t, "camille"))
		admin := n.Session(t, n.Staff[accounts.Admin])
		page := "/apps/" + a.Slug
		for _, tc := range []struct {
			method, path string
			form         url.Values
			visitor      int // anonymous
			resident     int
			admin        int
		}{
			{"GET", "/apps", nil, 200, 200, 200},
			{"GET", "/apps?q=scolaires&category=survey&license=AGPL-3.0-or-later&platform=web&status=stable&language=fr&certified=on", nil, 200, 200, 200},
			{"GET", page, nil, 200, 200, 200},
			{"GET", page + "/publiccode.yml", nil, 200, 200, 200},
			{"GET", "/api/v1/apps", nil, 200, 200, 200},
			{"GET", "/apps/new", nil, 303, 403, 200},
			{"GET", page + "/releases/new", nil, 303, 403, 200},
			{"POST", "/apps/new", url.Values{}, 401, 403, 400},
			{"POST", page + "/update", url.Values{}, 401, 403, 400},
			{"POST", page + "/review", url.Values{}, 401, 403, 303},
			{"POST", page + "/certify", url.Values{}, 401, 403, 409},
			{"POST", page + "/adopt", url.Values{}, 401, 403, 400},
			{"POST", page + "/unadopt", url.Values{"name": {"Nulle part"}}, 401, 403, 404},
			{"POST", page + "/media/nope/remove", url.Values{}, 401, 403, 404},
			{"GET", "/apps/nope", nil, 404, 404, 404},
			{"GET", "/apps/nope/publiccode.yml", nil, 404, 404, 404},
			{"GET", page + "/artifacts/nope", nil, 404, 404, 404},
			{"GET", page + "/media/nope", nil, 404, 404, 404},
		} {
			for _, who := range []struct {
				token string
				want  int
			}{{"", tc.visitor}, {resident, tc.resident}, {admin, tc.admin}} {
				w := n.Request(tc.method, tc.path, who.token, tc.form)
				if w.Code != who.want {
					t.Errorf("%s %s as %q: status %d, want %d\n%.400s", tc.method, tc.path, who.token[:min(len(who.token), 6)], w.Code, who.want, w.Body)
				}
			}
		}

		// The page offers the stewards' forms to stewards only.
		forms := []string{`id="review-form"`, `id="adopt-form"`, `id="update-form"`, `id="logo-form"`, `href="/apps/` + a.Slug + `/releases/new"`}
		for _, who := range []string{"", resident} {
			w := n.Request("GET", page, who, nil)
			for _, f := range forms {
				if strings.Contains(w.Body.String(), f) {
					t.Errorf("a non-steward sees %s", f)
				}
			}
		}
		frontendtest.WantBody(t, n.Request("GET", page, admin, nil), forms...)
		frontendtest.WantBody(t, n.Request("GET", "/apps", admin, nil), `href="/apps/new"`)
		if strings.Contains(n.Request("GET", "/apps", resident, nil).Body.String(), `href="/apps/new"`) {
			t.Error("a resident is offered to publish")
		}
		// The description follows the reader's language; the long one
		// exists in French only, and says so.
		frontendtest.WantBody(t, n.Request("GET", page+"?lang=en", "", nil), `<p class="lead">Online school enrolment`, `<div class="prose" lang="fr">`)
		frontendtest.WantBody(t, n.Request("GET", page, "", nil), `<p class="lead">Inscriptions scolaires en ligne`, `<div class="prose">`)
		// The nav links to the catalogue.
		frontendtest.WantBody(t, n.Request("GET", "/", "", nil), `<a href="/apps">Logiciels libres</a>`)
		frontendtest.WantBody(t, n.Request("GET", "/?lang=en", "", nil), `<a href="/apps">Free software</a>`)

		// A deleted app's address answers "gone".
		if err := n.apps.Delete(t.Context(), accounts.System, a.Slug); err != nil {
			t.Fatal(err)
		}
		w := n.Request("GET", page, "", nil)
		frontendtest.WantStatus(t, w, http.StatusGone)
		frontendtest.WantBody(t, w, "Cette application a été retirée du catalogue.")
		frontendtest.WantStatus(t, n.Request("GET", page+"/publiccode.yml", "", nil), http.StatusGone)
	})
}

// The list searches and filters, and pages through the catalogue.
func TestAppListFilters(t *testing.T) {
	appOnEachDialect(t, func(t *testing.T, n *appNode) {
		// An empty catalogue says so; "none matches" is for a filter.
		w := n.Request("GET", "/apps", "", nil)
		frontendtest.WantBody(t, w, "Le catalogue ne contient encore aucun logiciel.")
		if strings.Contains(w.Body.String(), "Aucun logiciel ne correspond") {
			t.Error("the empty catalogue says no software matches, with no filter")
		}
		frontendtest.WantBody(t, n.Request("GET", "/apps?q=velo", "", nil), "Aucun logiciel ne correspond.")
		for i := range 23 {
			appPublish(t, n, fmt.Sprintf("Appli %02d", i))
		}
		other := strings.Replace(appYAML("Réservation de salles"), "- survey", "- appointment-scheduling", 1)
		other = strings.Replace(other, "AGPL-3.0-or-later", "EUPL-1.2", 1)
		if _, fes, err := n.apps.Publish(t.Context(), accounts.System, strings.NewReader(other)); err != nil {
			t.Fatal(fes, err)
		}
		w = n.Request("GET", "/apps", "", nil)
		frontendtest.WantStatus(t, w, 200)
		frontendtest.WantBody(t, w, "24 logiciels", `href="/apps?page=2"`, "Appli 00", `rel="next"`)
		frontendtest.WantBody(t, n.Request("GET", "/apps?page=2", "", nil), "Appli 20", "Réservation de salles", `rel="prev"`)
		w = n.Request("GET", "/apps?q=reservation", "", nil)
		frontendtest.WantBody(t, w, "1 logiciel", "Réservation de salles")
		if strings.Contains(w.Body.String(), "Appli 00") {
			t.Error("search shows what does not match")
		}
		frontendtest.WantBody(t, n.Request("GET", "/apps?category=appointment-scheduling", "", nil), "1 logiciel", "Réservation de salles")
		frontendtest.WantBody(t, n.Request("GET", "/apps?license=EUPL-1.2", "", nil), "1 logiciel")
		frontendtest.WantBody(t, n.Request("GET", "/apps?certified=on", "", nil), "0 logiciel", "Aucun logiciel ne correspond.")
		frontendtest.WantBody(t, n.Request("GET", "/apps?status=beta", "", nil), "0 logiciel")
		frontendtest.WantBody(t, n.Request("GET", "/apps?language=en&platform=web&q=appli+03", "", nil), "1 logiciel", "Appli 03")
		// A value the form cannot send counts as not given.
		frontendtest.WantBody(t, n.Request("GET", "/apps?status=bof&category=nope&page=x", "", nil), "24 logiciels")
		// The short description follows the reader's language.
		frontendtest.WantBody(t, n.Request("GET", "/apps?q=appli+03&lang=en", "", nil), "Online school enrolment", "1 app")
	})
}

// A publiccode.yml that does not pass is refused with every problem,
// its field path and line, in an alert above the form; nothing is
// stored. One that passes is published, pasted or uploaded.
func TestAppPublishForm(t *testing.T) {
	appOnEachDialect(t, func(t *testing.T, n *appNode) {
		admin := n.Session(t, n.Staff[accounts.Admin])
		before := storagetest.TakeSnapshot(t, n.DB, appTables...)
		bad := strings.NewReplacer("developmentStatus: stable", "developmentStatus: mature",
			"license: AGPL-3.0-or-later", "license: AGPL-4.0", "  - survey\n", "  - surveys\n").Replace(appYAML("Cantine"))
		w := n.Request("POST", "/apps/new", admin, url.Values{"publiccode": {bad}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `role="alert"`, "Rien n’a été enregistré. Problèmes relevés (3)",
			"<code>developmentStatus</code>, ligne 12 : « mature » n’est pas une valeur admise ; valeurs admises : concept,",
			"<code>legal.license</code>, ligne 28 : « AGPL-4.0 » n’est pas une licence SPDX connue",
			"<code>categories[1]</code>, ligne 11 : « surveys » n’est pas dans la liste des catégories de publiccode.yml")
		// Said in French only: not a fragment of the service's English.
		frontendtest.WantNoBody(t, w, "is not", "(required)", "publiccode.yml list")
		w = n.Request("POST", "/apps/new?lang=en", admin, url.Values{"publiccode": {bad}})
		frontendtest.WantBody(t, w, "<code>developmentStatus</code>, line 12: “mature” is not an accepted value; accepted values: concept,")
		// The text pasted comes back, to be fixed.
		frontendtest.WantBody(t, w, "developmentStatus: mature")
		before.Unchanged(t, n.DB, "a bad publiccode.yml")

		for _, tc := range []struct {
			name, yml string
			status    int
			want      []string
		}{
			{"malformed", "name: [Agora\nurl: x\n", 400, []string{"Fichier, ligne 2 : le YAML est mal formé"}},
			{"missing fields", "publiccodeYmlVersion: \"0.4\"\nname: Agora\n", 400, []string{"<code>url</code>, ligne 1 : ce champ obligatoire manque ou est vide", "<code>legal</code>, ligne 1"}},
			{"alias bomb", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n", 400, []string{"les alias agrandissent le document de plus de"}},
			{"too large", "name: x\n" + strings.Repeat("# padding\n", (apps.MaxPublicCodeSize/10)+10), 413, []string{"le fichier dépasse 1024 Kio"}},
			{"short description", strings.Replace(appYAML("Cantine"),
				"    longDescription: >\n", "    longDescription: Trop court.\n    x-long: >\n", 1), 400,
				[]string{"<code>description.fr.longDescription</code>, ligne 17 : 11 caractères : il en faut de 150 à 10\u202f000"}},
			{"empty", " \n", 400, []string{"Collez le fichier publiccode.yml ou choisissez-le."}},
		} {
			w := n.appMultipart(t, "/apps/new", admin, appField("publiccode", tc.yml), appFile("file", "", "", nil))
			if w.Code != tc.status {
				t.Errorf("%s: status %d, want %d\n%.600s", tc.name, w.Code, tc.status, w.Body)
			}
			frontendtest.WantBody(t, w, tc.want...)
			before.Unchanged(t, n.DB, tc.name)
		}
		// A body far over the limit is refused before it is read.
		huge := strings.Repeat("x", 3*apps.MaxPublicCodeSize) // over the form's limit, twice the file and some room
		frontendtest.WantStatus(t, n.Request("POST", "/apps/new", admin, url.Values{"publiccode": {huge}}), http.StatusRequestEntityTooLarge)
		before.Unchanged(t, n.DB, "a huge body")
		if files := n.appBlobs(t); len(files) != 0 {
			t.Errorf("the store holds %v", files)
		}

		// Uploaded as a file, it is published.
		w = n.appMultipart(t, "/apps/new", admin, appField("publiccode", ""), appFile("file", "publiccode.yml", "application/yaml", []byte(appYAML("Cantine"))))
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/apps/cantine?done=published#content" {
			t.Errorf("redirect to %q", loc)
		}
		frontendtest.WantBody(t, n.Request("GET", "/apps/cantine?done=published", admin, nil), "Le logiciel est publié au catalogue.", "<h1>Cantine</h1>")
		// The same repository again is a conflict, shown on the form.
		w = n.Request("POST", "/apps/new", admin, url.Values{"publiccode": {appYAML("Cantine")}})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, "Ce dépôt de code est déjà au catalogue")

		// Update from a new publiccode.yml, with its errors shown on the page.
		w = n.Request("POST", "/apps/cantine/update", admin, url.Values{"publiccode": {"name: Cantine\n"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="update-form"`, "<code>url</code>, ligne 1")
		updated := strings.Replace(appYAML("Cantine"), "softwareVersion: 1.0.0", "softwareVersion: 1.1.0", 1)
		w = n.Request("POST", "/apps/cantine/update", admin, url.Values{"publiccode": {updated}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		frontendtest.WantBody(t, n.Request("GET", "/apps/cantine", "", nil), "1.1.0")
	})
}

// A release with two files, uploaded through the handler and streamed
// to the store, on local disk and on S3; then downloaded whole and in
// ranges, with the right headers.
func TestAppReleaseUploadAndDownload(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"local", "s3"} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			n := newAppNode(t, "sqlite", kind, apps.Options{MaxArtifactSize: 3 << 20})
			a := appPublish(t, n, "Signalements")
			admin := n.Session(t, n.Staff[accounts.Admin])
			tarball, notes := make([]byte, 2<<20+123), []byte("Notes de version : corrections.\n")
			rand.Read(tarball)
			copy(tarball, "\x1f\x8b\x08") // a gzip stream starts so
			htmlPage := []byte("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>")

			w := n.appMultipart(t, "/apps/"+a.Slug+"/releases/new", admin,
				appField("version", "2.0.0"), appField("date", "2026-11-20"), appField("changelog", "- **Carte** des signalements"),
				appFile("artifacts", "signalements-2.0.0.tar.gz", "application/gzip", tarball),
				appFile("artifacts", "NOTES.txt", "text/plain; charset=utf-8", notes),
				appFile("artifacts", "installer.zip", "application/zip", htmlPage))
			frontendtest.WantStatus(t, w, http.StatusSeeOther)
			if loc := w.Header().Get("Location"); loc != "/apps/"+a.Slug+"?done=released#releases" {
				t.Errorf("redirect to %q", loc)
			}
			rels, err := n.apps.Releases(t.Context(), a.Slug)
			if err != nil || len(rels) != 1 || len(rels[0].Artifacts) != 3 {
				t.Fatalf("releases %+v %v", rels, err)
			}
			tar := rels[0].Artifacts[0]
			if tar.Name != "signalements-2.0.0.tar.gz" || tar.Size != int64(len(tarball)) || tar.SHA256 != hexSum(tarball) || tar.MediaType != "application/gzip" {
				t.Errorf("artifact %+v", tar)
			}
			page := n.Request("GET", "/apps/"+a.Slug, "", nil)
			frontendtest.WantBody(t, page, "Version 2.0.0", `<time datetime="2026-11-20">20 novembre 2026</time>`, "<strong>Carte</strong>",
				"signalements-2.0.0.tar.gz", tar.SHA256, "2,1 Mo", "/apps/"+a.Slug+"/artifacts/"+tar.ID)

			// A range: 206 with those bytes only.
			url := "/apps/" + a.Slug + "/artifacts/" + tar.ID
			r := httptest.NewRequest("GET", url, nil)
			r.Header.Set("Range", "bytes=10-19")
			rw := httptest.NewRecorder()
			n.H.ServeHTTP(rw, r)
			frontendtest.WantStatus(t, rw, http.StatusPartialContent)
			if got := rw.Body.Bytes(); string(got) != string(tarball[10:20]) {
				t.Errorf("range bytes %x, want %x", got, tarball[10:20])
			}
			if cr := rw.Header().Get("Content-Range"); cr != fmt.Sprintf("bytes 10-19/%d", len(tarball)) {
				t.Errorf("Content-Range %q", cr)
			}
			// The whole file: its SHA-256 is the one shown and the ETag.
			rw = n.Request("GET", url, "", nil)
			frontendtest.WantStatus(t, rw, http.StatusOK)
			h := rw.Header()
			for key, want := range map[string]string{
				"Content-Type": "application/x-gzip", "Content-Disposition": `attachment; filename=signalements-2.0.0.tar.gz`,
				"X-Content-Type-Options": "nosniff", "ETag": `"` + tar.SHA256 + `"`, "Accept-Ranges": "bytes",
				"Content-Length": fmt.Sprint(len(tarball)),
			} {
				if h.Get(key) != want {
					t.Errorf("%s: %q, want %q", key, h.Get(key), want)
				}
			}
			if got := hexSum(rw.Body.Bytes()); got != tar.SHA256 {
				t.Errorf("downloaded SHA-256 %s, want %s", got, tar.SHA256)
			}
			// A client that holds it gets 304; HEAD gives the headers.
			r = httptest.NewRequest("GET", url, nil)
			r.Header.Set("If-None-Match", `"`+tar.SHA256+`"`)
			rw = httptest.NewRecorder()
			n.H.ServeHTTP(rw, r)
			frontendtest.WantStatus(t, rw, http.StatusNotModified)
			rw = n.Request("HEAD", url, "", nil)
			if rw.Code != 200 || rw.Body.Len() != 0 || rw.Header().Get("Content-Length") != fmt.Sprint(len(tarball)) {
				t.Errorf("HEAD: %d %d %v", rw.Code, rw.Body.Len(), rw.Header())
			}
			notesURL := "/apps/" + a.Slug + "/artifacts/" + rels[0].Artifacts[1].ID
			if rw := n.Request("GET", notesURL, "", nil); rw.Body.String() != string(notes) || rw.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Errorf("notes: %q %v", rw.Body, rw.Header())
			}
			// The type served is what the file is, not what the uploader
			// said: a page sent as a zip is served as bytes to save.
			if rw := n.Request("GET", "/apps/"+a.Slug+"/artifacts/"+rels[0].Artifacts[2].ID, "", nil); rw.Header().Get("Content-Type") != "application/octet-stream" {
				t.Errorf("a page sent as a zip served as %q", rw.Header().Get("Content-Type"))
			}
			// An artifact under another app's address is not found.
			other := appPublish(t, n, "Autre")
			frontendtest.WantStatus(t, n.Request("GET", "/apps/"+other.Slug+"/artifacts/"+tar.ID, "", nil), http.StatusNotFound)

			// Refusals store nothing: a file over the limit, the same
			// version again, a bad date, a bad version.
			before := storagetest.TakeSnapshot(t, n.DB, appTables...)
			stored := len(n.appBlobs(t))
			big := make([]byte, 3<<20+1)
			for _, tc := range []struct {
				name   string
				parts  []appPart
				status int
				want   []string
			}{
				{"over the limit", []appPart{appField("version", "2.1.0"), appFile("artifacts", "petit.txt", "text/plain", notes),
					appFile("artifacts", "gros.bin", "", big)}, 413, []string{"Un fichier dépasse la limite de 3,1 Mo"}},
				{"same version", []appPart{appField("version", "2.0.0"), appFile("artifacts", "a.txt", "", notes)}, 409,
					[]string{`id="f-version-error"`, "Cette version existe déjà"}},
				{"bad date", []appPart{appField("version", "2.2.0"), appField("date", "hier"), appFile("artifacts", "a.txt", "", notes)}, 400,
					[]string{`id="f-date-error"`}},
				{"no version", []appPart{appField("version", " "), appFile("artifacts", "a.txt", "", notes)}, 400,
					[]string{"<code>version</code> : ce champ obligatoire manque ou est vide", `role="alert"`}},
				{"too many files", append([]appPart{appField("version", "2.4.0")}, manyFiles(apps.MaxArtifactsPerRelease+1, notes)...), 400,
					[]string{"<code>artifacts</code> : trop d’éléments : 20 au plus"}},
				{"two files of one name", []appPart{appField("version", "2.3.0"), appFile("artifacts", "a.txt", "", notes), appFile("artifacts", "a.txt", "", notes)}, 400,
					[]string{"<code>artifacts[1].name</code> : deux fichiers de la version s’appellent « a.txt »"}},
			} {
				w := n.appMultipart(t, "/apps/"+a.Slug+"/releases/new", admin, tc.parts...)
				if w.Code != tc.status {
					t.Errorf("%s: status %d, want %d\n%.800s", tc.name, w.Code, tc.status, w.Body)
				}
				frontendtest.WantBody(t, w, tc.want...)
				before.Unchanged(t, n.DB, tc.name)
				if got := len(n.appBlobs(t)); got != stored {
					t.Errorf("%s: the store holds %d files, had %d", tc.name, got, stored)
				}
			}
			// A resident may not upload.
			resident := n.Session(t, n.Account(t, "camille"))
			frontendtest.WantStatus(t, n.appMultipart(t, "/apps/"+a.Slug+"/releases/new", resident, appField("version", "9"), appFile("artifacts", "a.txt", "", notes)), 403)
			before.Unchanged(t, n.DB, "a resident's upload")
		})
	}
}

// manyFiles returns n artifact parts of the same content.
func manyFiles(n int, body []byte) []appPart {
	var out []appPart
	for i := range n {
		out = append(out, appFile("artifacts", fmt.Sprintf("f%02d.txt", i), "text/plain", body))
	}
	return out
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Review and certification: certifying needs every box, and says who
// certified and when.
func TestAppReviewAndCertify(t *testing.T) {
	appOnEachDialect(t, func(t *testing.T, n *appNode) {
		a := appPublish(t, n, "Budget participatif")
		admin := n.Session(t, n.Staff[accounts.Admin])
		page := "/apps/" + a.Slug
		before := storagetest.TakeSnapshot(t, n.DB, appTables...)
		some := url.Values{"osi_licence": {"on"}, "source_reachable": {"on"}}
		w := n.Request("POST", page+"/certify", admin, some)
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, `role="alert"`, "Une application n’est certifiée que lorsque tous les points de la grille sont cochés.",
			`id="f-check-osi_licence" name="osi_licence" checked`)
		before.Unchanged(t, n.DB, "an incomplete certification")

		frontendtest.WantStatus(t, n.Request("POST", page+"/review", admin, some), http.StatusSeeOther)
		w = n.Request("GET", page+"?done=reviewed", "", nil)
		frontendtest.WantBody(t, w, "La revue est enregistrée.", "Relu par Test staff_admin le", "Relu</span>")
		all := url.Values{}
		for _, c := range []string{"osi_licence", "source_reachable", "maintenance_declared", "accessibility", "french_documentation"} {
			all.Set(c, "on")
		}
		frontendtest.WantStatus(t, n.Request("POST", page+"/certify", admin, all), http.StatusSeeOther)
		w = n.Request("GET", page, "", nil)
		frontendtest.WantBody(t, w, "Certifié par Test staff_admin le", "Vérifié : Documentation en français")
		got, _ := n.apps.BySlug(t.Context(), a.Slug)
		if got.ReviewState != apps.Certified || got.CertifiedBy != n.Staff[accounts.Admin].ID {
			t.Errorf("app %s by %q", got.ReviewState, got.CertifiedBy)
		}
		frontendtest.WantBody(t, n.Request("GET", "/apps?certified=on", "", nil), "1 logiciel", "Budget participatif")
	})
}

// "We use this": a steward records a city; the exported publiccode.yml
// lists it in usedBy.
func TestAppAdoptAndExport(t *testing.T) {
	appOnEachDialect(t, func(t *testing.T, n *appNode) {
		a := appPublish(t, n, "Réservation de salles")
		admin := n.Session(t, n.Staff[accounts.Admin])
		page := "/apps/" + a.Slug
		before := storagetest.TakeSnapshot(t, n.DB, appTables...)
		w := n.Request("POST", page+"/adopt", admin, url.Values{"name": {" "}, "contact": {"a\nb"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-name-error"`, "Ce champ est obligatoire.", `id="f-contact-error"`)
		frontendtest.WantStatus(t, n.Request("POST", page+"/adopt", admin, url.Values{"name": {"Mairie"}, "since": {"demain"}}), http.StatusBadRequest)
		before.Unchanged(t, n.DB, "a bad adoption")

		w = n.Request("POST", page+"/adopt", admin, url.Values{"name": {"Mairie du 15e arrondissement"}, "version": {"1.0.0"},
			"contact": {"dsi@mairie15.example"}, "since": {"2026-09-01"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		w = n.Request("GET", page, admin, nil)
		frontendtest.WantBody(t, w, "<strong>Mairie du 15e arrondissement</strong>", "depuis le 1er septembre 2026", "version 1.0.0", "dsi@mairie15.example")
		// A city's contact is for the stewards.
		if anon := n.Request("GET", page, "", nil); !strings.Contains(anon.Body.String(), "Mairie du 15e arrondissement") ||
			strings.Contains(anon.Body.String(), "dsi@mairie15.example") {
			t.Error("a visitor sees the contact, or not the city")
		}

		w = n.Request("GET", page+"/publiccode.yml", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		if ct := w.Header().Get("Content-Type"); ct != "application/yaml; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		frontendtest.WantBody(t, w, "usedBy:\n  - Mairie du 15e arrondissement\n", "name: Réservation de salles")
		if pc, _, err := apps.Parse(strings.NewReader(w.Body.String())); err != nil || !slices.Equal(pc.UsedBy, []string{"Mairie du 15e arrondissement"}) {
			t.Errorf("exported publiccode.yml: %+v %v", pc, err)
		}

		frontendtest.WantStatus(t, n.Request("POST", page+"/unadopt", admin, url.Values{"name": {"Mairie du 15e arrondissement"}}), http.StatusSeeOther)
		frontendtest.WantBody(t, n.Request("GET", page, "", nil), "Aucune ville n’a encore déclaré l’utiliser.")
	})
}

// Logo and screenshots: detected from their content, served inline.
func TestAppImages(t *testing.T) {
	appOnEachDialect(t, func(t *testing.T, n *appNode) {
		a := appPublish(t, n, "Annuaire")
		admin := n.Session(t, n.Staff[accounts.Admin])
		page := "/apps/" + a.Slug
		png := frontendtest.PNG(t)
		before := storagetest.TakeSnapshot(t, n.DB, appTables...)
		w := n.appMultipart(t, page+"/logo", admin, appFile("image", "logo.png", "image/png", []byte("<svg onload=alert(1)></svg>")))
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-logo-error"`, "Une image doit être un fichier PNG, JPEG ou WebP.")
		before.Unchanged(t, n.DB, "a fake logo")

		frontendtest.WantStatus(t, n.appMultipart(t, page+"/logo", admin, appFile("image", "logo.png", "", png)), http.StatusSeeOther)
		frontendtest.WantStatus(t, n.appMultipart(t, page+"/screenshots", admin, appFile("image", "capture.png", "", png)), http.StatusSeeOther)
		media, err := n.apps.Media(t.Context(), a.Slug)
		if err != nil || len(media) != 2 {
			t.Fatalf("media %v %v", media, err)
		}
		w = n.Request("GET", page, "", nil)
		frontendtest.WantBody(t, w, `alt="Logo d’Annuaire"`, `alt="Capture d’écran d’Annuaire, n° 1"`, page+"/media/"+media[0].ID)
		img := n.Request("GET", page+"/media/"+media[0].ID, "", nil)
		frontendtest.WantStatus(t, img, http.StatusOK)
		if img.Header().Get("Content-Type") != "image/png" || img.Header().Get("Content-Disposition") != "inline" ||
			img.Header().Get("X-Content-Type-Options") != "nosniff" || img.Body.String() != string(png) {
			t.Errorf("logo served as %v", img.Header())
		}
		frontendtest.WantStatus(t, n.Request("POST", page+"/media/"+media[1].ID+"/remove", admin, url.Values{}), http.StatusSeeOther)
		frontendtest.WantStatus(t, n.Request("GET", page+"/media/"+media[1].ID, "", nil), http.StatusNotFound)
	})
}

// /api/v1/apps: the shape docs/API.md gives, paginated like the rest.
func TestAPIApps(t *testing.T) {
	appOnEachDialect(t, func(t *testing.T, n *appNode) {
		a := appPublish(t, n, "Cantine")
		appPublish(t, n, "Voirie")
		appPublish(t, n, "Écoles")
		notes := []byte("notes")
		if _, err := n.apps.AddRelease(t.Context(), accounts.System, a.Slug, apps.ReleaseInput{Version: "1.4.0",
			Artifacts: []apps.ArtifactInput{{Name: "n.txt", Body: strings.NewReader(string(notes))}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := n.apps.Adopt(t.Context(), accounts.System, a.Slug, apps.AdoptionInput{Name: "Mairie du 15e"}); err != nil {
			t.Fatal(err)
		}
		v := frontendtest.JSONObject(t, n.Get("/api/v1/apps?per_page=2"))
		frontendtest.WantKeys(t, "app page", v, "items", "page", "per_page", "total", "pages", "next", "prev")
		if v["total"] != 3.0 || v["pages"] != 2.0 || v["prev"] != nil || v["next"] != "http://localhost/api/v1/apps?page=2&per_page=2" {
			t.Errorf("page %v", v)
		}
		items := frontendtest.Items(t, v)
		if len(items) != 2 || items[0]["name"] != "Cantine" {
			t.Fatalf("items %v", items)
		}
		frontendtest.WantKeys(t, "app", items[0], apiAppKeys...)
		c := items[0]
		for key, want := range map[string]any{
			"slug": "cantine", "license": "AGPL-3.0-or-later", "development_status": "stable", "software_type": "standalone/web",
			"review_state": "submitted", "certified": false, "certified_at": nil, "deprecated": false, "adoption_count": 1.0,
			"origin": nil, "url": "http://localhost/apps/cantine", "repository_url": "https://git.example.org/villes/cantine.git",
			"publiccode_url": "http://localhost/apps/cantine/publiccode.yml",
		} {
			if c[key] != want {
				t.Errorf("%s = %#v, want %#v", key, c[key], want)
			}
		}
		if d := c["description"].(map[string]any); !strings.HasPrefix(d["fr"].(string), "Inscriptions scolaires") || d["en"] == nil {
			t.Errorf("description %v", d)
		}
		if r := c["latest_release"].(map[string]any); r["version"] != "1.4.0" || len(r["date"].(string)) != len("2026-11-24") {
			t.Errorf("latest_release %v", r)
		}
		if fmt.Sprint(c["categories"]) != "[digital-citizenship survey]" || fmt.Sprint(c["platforms"]) != "[web]" {
			t.Errorf("lists %v %v", c["categories"], c["platforms"])
		}
		if items[1]["latest_release"] != nil || items[1]["adoption_count"] != 0.0 {
			t.Errorf("an app without release nor users: %v", items[1])
		}
		v = frontendtest.JSONObject(t, n.Get("/api/v1/apps?page=2&per_page=2&q=ecoles"))
		if v["total"] != 1.0 || v["prev"] != "http://localhost/api/v1/apps?page=1&per_page=2&q=ecoles" || len(frontendtest.Items(t, v)) != 0 {
			t.Errorf("past the end: %v", v)
		}
		w := n.Get("/api/v1/apps")
		if w.Header().Get("Access-Control-Allow-Origin") != "*" || w.Header().Get("ETag") == "" {
			t.Errorf("headers %v", w.Header())
		}
		for _, bad := range []string{"per_page=500", "page=0", "category=nope", "status=mature", "certified=yes", "license=" + strings.Repeat("x", 101)} {
			w := n.Get("/api/v1/apps?" + bad)
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			if !strings.Contains(w.Body.String(), `"status":400`) {
				t.Errorf("%s: %s", bad, w.Body)
			}
		}
		frontendtest.WantBody(t, n.Get("/api/v1/apps?status=mature", "Accept-Language", "en"), "The “status” parameter is one of: concept, development, beta, stable, obsolete.")

		// A fixed number of queries, whatever the page size.
		counter := &frontendtest.Queries{}
		n.DB.AddQueryHook(counter)
		small := counter.During(func() {
			frontendtest.WantStatus(t, n.Get("/api/v1/apps?per_page=1"), http.StatusOK)
		})
		large := counter.During(func() {
			frontendtest.WantStatus(t, n.Get("/api/v1/apps?per_page=100"), http.StatusOK)
		})
		if small != large || large > 4 {
			t.Errorf("%d queries for 1 app, %d for 3", small, large)
		}
	})
}

var apiAppKeys = []string{"slug", "name", "description", "license", "categories", "platforms", "development_status", "software_type",
	"review_state", "certified", "certified_at", "deprecated", "latest_release", "adoption_count", "origin", "updated_at",
	"url", "repository_url", "publiccode_url"}

// Who may act is who is offered to: the publisher is not offered to
// certify their own app and is told why (a post is refused, nothing
// recorded); only stewards see the adoption form, and visitors are told
// who records adoptions rather than asked to sign in for nothing.
func TestAppRulesShownToWhoMayAct(t *testing.T) {
	appOnEachDialect(t, func(t *testing.T, n *appNode) {
		publisher := n.Staff[accounts.Admin]
		a, fes, err := n.apps.Publish(t.Context(), accounts.As(publisher), strings.NewReader(appYAML("Budget participatif")))
		if err != nil {
			t.Fatalf("publish: %v %v", fes, err)
		}
		page := "/apps/" + a.Slug
		admin := n.Session(t, publisher)
		w := n.Request("GET", page, admin, nil)
		frontendtest.WantBody(t, w, "une autre personne qui tient le catalogue doit le certifier", `action="`+page+`/adopt"`)
		frontendtest.WantNoBody(t, w, `formaction="`+page+`/certify"`)
		all := url.Values{}
		for _, c := range []string{"osi_licence", "source_reachable", "maintenance_declared", "accessibility", "french_documentation"} {
			all.Set(c, "on")
		}
		before := storagetest.TakeSnapshot(t, n.DB, appTables...)
		frontendtest.WantStatus(t, n.Request("POST", page+"/certify", admin, all), http.StatusForbidden)
		before.Unchanged(t, n.DB, "a certification by the publisher")

		for _, who := range []string{"", n.Session(t, n.Account(t, "camille"))} {
			w = n.Request("GET", page, who, nil)
			frontendtest.WantBody(t, w, "Les personnes qui tiennent le catalogue de ce site enregistrent ici")
			frontendtest.WantNoBody(t, w, "Votre collectivité utilise ce logiciel ?", `action="`+page+`/adopt"`)
		}
	})
}

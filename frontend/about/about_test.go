package about_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
)

func TestLegalPagesForAnyone(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		n.Space(t, "budget", 0)

		// Every page links to the four pages, with the accessibility
		// status in the link's own words.
		home := n.Get("/")
		frontendtest.WantStatus(t, home, http.StatusOK)
		frontendtest.WantBody(t, home, `href="/mentions-legales"`, `href="/donnees-personnelles"`,
			`href="/accessibilite">Accessibilité : non conforme`, `href="/plan-du-site"`)
		frontendtest.WantNoBody(t, home, "/site.css") // the default accent is app.css's own

		// Nothing set yet: the pages still say what the node does and
		// where to turn.
		w := n.Get("/mentions-legales")
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Mentions légales", "Paris 15e")

		// The durations are the code's own.
		w = n.Get("/donnees-personnelles")
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "7 jours sans usage, 30 jours au plus", "Valable 2 ans", "14 jours, puis effacé",
			"Avec la proposition<", // no quota configured on this node
			"le lien de vérification vaut 2 jours")

		w = n.Get("/accessibilite")
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "non conforme au référentiel général", "http://localhost")

		w = n.Get("/plan-du-site")
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `href="/spaces/budget/proposals"`, `href="/donnees-personnelles"`)

		// In English too.
		w = n.Get("/donnees-personnelles", "Accept-Language", "en")
		frontendtest.WantBody(t, w, "7 days unused, 30 days at most", "Valid 2 years")
	})
}

func TestAdminSetsTheSite(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		admin := n.Session(t, n.Staff[accounts.Admin])
		official := n.Session(t, n.Staff[accounts.Official])

		w := n.Request("GET", "/admin/site", official, nil)
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		w = n.Request("POST", "/admin/site", official, url.Values{"name": {"Pirate"}})
		frontendtest.WantStatus(t, w, http.StatusForbidden)

		// Every field at fault is named at once, and nothing changes.
		before := n.Count(t, "audit_log")
		w = n.Request("POST", "/admin/site", admin, url.Values{
			"name": {strings.Repeat("n", 81)}, "accent": {"#ffff00"}, "a11y_rate": {"150"}, "a11y_audit": {"hier"},
			"a11y_status": {"partial"}, "welcome_fr": {strings.Repeat("b", 2001)},
		})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "Un pourcentage entre 0 et 100", "Une date, par exemple")
		w = n.Request("POST", "/admin/site", admin, url.Values{
			"name": {strings.Repeat("n", 81)}, "accent": {"#ffff00"}, "welcome_fr": {strings.Repeat("b", 2001)},
		})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "Le nom fait au plus 80 caractères", "Cette couleur est trop claire", "Le mot d’accueil fait au plus 2 000 caractères")
		w = n.Request("POST", "/admin/site", admin, url.Values{"accent": {"bleu"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "Écrivez la couleur #rrvvbb")

		// Each error next to its own field.
		w = n.Request("POST", "/admin/site", admin, url.Values{"publisher": {strings.Repeat("p", 1001)}, "welcome_en": {strings.Repeat("w", 2001)}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-publisher-error"`, `id="f-welcome_en-error"`)
		frontendtest.WantNoBody(t, w, `id="f-contact-error"`, `id="f-welcome_fr-error"`)

		// The RGAA's levels: "partial" needs an audit of 50 % or more,
		// "full" 100 %; a site audited at 30 % is not compliant.
		for _, tc := range []url.Values{
			{"a11y_status": {"partial"}},
			{"a11y_status": {"partial"}, "a11y_audit": {"2026-10-01"}, "a11y_rate": {"30"}},
			{"a11y_status": {"full"}, "a11y_audit": {"2026-10-01"}, "a11y_rate": {"72"}},
			{"a11y_status": {"none"}, "a11y_audit": {"2026-10-01"}, "a11y_rate": {"80"}},
		} {
			w = n.Request("POST", "/admin/site", admin, tc)
			frontendtest.WantStatus(t, w, http.StatusBadRequest)
			frontendtest.WantBody(t, w, "L’état de conformité ne correspond pas à l’audit")
		}
		if got := n.Count(t, "audit_log"); got != before {
			t.Fatalf("refused settings wrote %d audit entries", got-before)
		}
		frontendtest.WantBody(t, n.Get("/"), "Paris 15e")

		w = n.Request("POST", "/admin/site", admin, url.Values{
			"name": {"Mairie du 15e"}, "accent": {"#7a1f3d"}, "welcome_fr": {"Bienvenue, **voisines et voisins**."},
			"welcome_en": {"Welcome, neighbours."}, "publisher": {"Mairie du 15e arrondissement"},
			"director": {"La maire d’arrondissement"}, "host": {"Service informatique de la ville"},
			"contact": {"31 rue Péclet, 75015 Paris"}, "privacy_contact": {"dpo@example.org"},
			"a11y_status": {"partial"}, "a11y_rate": {"72"}, "a11y_audit": {"2026-10-01"}, "a11y_auditor": {"Atelier A11y"},
		})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/admin/site?done=saved" {
			t.Fatalf("saved: redirected to %q", loc)
		}
		if e := n.Audit(t, accounts.AuditFilter{Action: "site.update"}); len(e) != 1 {
			t.Fatalf("audit: %d site.update entries, want 1", len(e))
		}
		n.Clock.Advance(10e9) // past the settings' cache

		home := n.Get("/")
		frontendtest.WantBody(t, home, "Mairie du 15e", "<strong>voisines et voisins</strong>", "Accessibilité : partiellement conforme",
			`href="/site.css?v=7a1f3d"`)
		frontendtest.WantBody(t, n.Get("/", "Accept-Language", "en"), "Welcome, neighbours.")
		frontendtest.WantBody(t, n.Get("/mentions-legales"), "Mairie du 15e arrondissement", "La maire d’arrondissement",
			"Service informatique de la ville", "31 rue Péclet")
		frontendtest.WantBody(t, n.Get("/donnees-personnelles"), "dpo@example.org")
		frontendtest.WantBody(t, n.Get("/accessibilite"), "partiellement conforme au référentiel", "Atelier A11y", "72")

		css := n.Get("/site.css")
		frontendtest.WantStatus(t, css, http.StatusOK)
		frontendtest.WantBody(t, css, "--accent: #7a1f3d")
		if ct := css.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/css") {
			t.Fatalf("site.css: Content-Type %q", ct)
		}
		// Kept a year only under the URL of the colour served.
		if cc := n.Get("/site.css?v=7a1f3d").Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("site.css?v=current: Cache-Control %q", cc)
		}
		if cc := n.Get("/site.css?v=0a4fa6").Header().Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("site.css?v=old: Cache-Control %q", cc)
		}
	})
}

func TestAdminSetsTheLogo(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		admin := n.Session(t, n.Staff[accounts.Admin])
		frontendtest.WantStatus(t, n.Get("/site/logo"), http.StatusNotFound)

		// Not an image: refused, nothing stored.
		w := uploadLogo(t, n, admin, "logo.png", []byte("not an image"))
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantStatus(t, n.Get("/site/logo"), http.StatusNotFound)

		w = uploadLogo(t, n, admin, "logo.png", frontendtest.PNG(t))
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		n.Clock.Advance(10e9)
		logo := n.Get("/site/logo")
		frontendtest.WantStatus(t, logo, http.StatusOK)
		if ct := logo.Header().Get("Content-Type"); ct != "image/png" {
			t.Fatalf("logo: Content-Type %q", ct)
		}
		frontendtest.WantBody(t, n.Get("/"), `src="/site/logo?v=`)

		w = n.Request("POST", "/admin/site/logo/remove", admin, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		n.Clock.Advance(10e9)
		frontendtest.WantStatus(t, n.Get("/site/logo"), http.StatusNotFound)
		frontendtest.WantNoBody(t, n.Get("/"), `/site/logo`)
	})
}

func uploadLogo(t *testing.T, n *frontendtest.Node, token, name string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("logo", name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	mw.Close()
	r := httptest.NewRequest("POST", "/admin/site/logo", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.AddCookie(&http.Cookie{Name: frontendtest.SessionCookie, Value: token})
	w := httptest.NewRecorder()
	n.H.ServeHTTP(w, r)
	return w
}

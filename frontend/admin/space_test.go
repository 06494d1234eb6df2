package admin_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
)

// An admin opens a space from the form: every error next to its field and
// nothing created, then the space with its phases, days included.
func TestAdminNewSpace(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		admin := n.Session(t, n.Staff[accounts.Admin])
		resident := n.Session(t, n.Account(t, "camille"))
		frontendtest.WantStatus(t, n.Request("GET", "/admin/spaces/new", resident, nil), http.StatusForbidden)
		w := n.Request("GET", "/admin/spaces/new", admin, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		// A fresh form: one row of each, no talk of errors.
		frontendtest.WantBody(t, w, `id="f-phase_kind_0"`, `id="f-category_en_0"`, `value="50"`, `value="700"`,
			`name="add" value="phase"`, `name="add" value="category"`)
		frontendtest.WantNoBody(t, w, `id="f-phase_kind_1"`, `id="f-category_en_1"`, "Rien n’est créé")
		frontendtest.WantBody(t, n.Request("GET", "/admin", admin, nil), `href="/admin/spaces/new"`)

		good := url.Values{
			"title": {"Budget participatif 2027"}, "slug": {"budget-2027"}, "kind": {"process"}, "description": {"Des **idées**."},
			"phase_kind_0": {"proposals"}, "phase_start_0": {"2027-01-04"}, "phase_end_0": {"2027-01-31"},
			"phase_kind_2": {"evaluation"}, "phase_name_2": {"Étude"}, "phase_start_2": {"2027-02-01"}, "phase_end_2": {"2027-03-31"},
			"category_slug_0": {"nature"}, "category_fr_0": {"Nature"}, "category_en_0": {"Nature"},
			"title_max": {"120"}, "body_max": {"1000"}, "threshold": {"30"}, "unverified": {"on"},
		}
		with := func(changes ...string) url.Values {
			f := url.Values{}
			for k, v := range good {
				f[k] = v
			}
			for i := 0; i+1 < len(changes); i += 2 {
				f.Set(changes[i], changes[i+1])
			}
			return f
		}
		for _, tc := range []struct {
			name   string
			form   url.Values
			status int
			want   []string
		}{
			// What the form cannot read and what the service refuses, at once.
			{"many errors at once", with("title", "", "slug", "Budget 2027", "phase_start_2", "hier", "phase_end_0", "2027-01-01", "threshold", "-1",
				"category_fr_0", "", "phase_kind_3", "", "phase_name_3", "Sans type", "category_slug_1", "nature", "category_fr_1", "Nature"), http.StatusBadRequest,
				[]string{`id="f-title-error"`, `id="f-slug-error"`, "lettres minuscules sans accent", `id="f-phase_start_2-error"`,
					`id="f-phase_end_0-error"`, "Le dernier jour ne peut pas précéder le premier.",
					`id="f-threshold-error"`, `id="f-category_fr_0-error"`, `id="f-phase_kind_3-error"`, `id="f-category_slug_1-error"`,
					"Un autre thème a déjà cet identifiant.", `value="Budget 2027"`, `value="Sans type"`, "Rien n’est créé"}},
			{"bad slug", with("slug", "Budget 2027"), http.StatusBadRequest, []string{`id="f-slug-error"`, "lettres minuscules sans accent"}},
			{"overlapping phases", with("phase_start_2", "2027-01-20"), http.StatusBadRequest, []string{`id="f-phase_start_2-error"`, "commence avant la fin de la précédente"}},
			{"bad category", with("category_slug_0", "Nature!"), http.StatusBadRequest, []string{`id="f-category_slug_0-error"`}},
			{"limits", with("title_max", "5"), http.StatusBadRequest, []string{`id="f-title_max-error"`, "de 10 à 300"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				w := n.Request("POST", "/admin/spaces/new", admin, tc.form)
				frontendtest.WantStatus(t, w, tc.status)
				frontendtest.WantBody(t, w, tc.want...)
				if c := n.Count(t, "spaces"); c != 0 {
					t.Errorf("%d spaces after a refused form", c)
				}
			})
		}

		// Adding a row: the form again, one row more, what was typed kept, nothing created.
		w = n.Request("POST", "/admin/spaces/new", admin, with("add", "phase"))
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `id="f-phase_kind_3"`, `name="phase_rows" value="4"`, `value="Étude"`, `value="budget-2027"`)
		frontendtest.WantNoBody(t, w, `id="f-phase_kind_4"`, `class="error"`)
		w = n.Request("POST", "/admin/spaces/new", admin, with("add", "category", "category_rows", "1"))
		frontendtest.WantBody(t, w, `id="f-category_slug_1"`, `name="category_rows" value="2"`)
		if c := n.Count(t, "spaces"); c != 0 {
			t.Errorf("%d spaces after adding rows", c)
		}

		w = n.Request("POST", "/admin/spaces/new", admin, good)
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/spaces/budget-2027?done=created" {
			t.Fatalf("redirected to %q", loc)
		}
		sp, err := n.Spaces.BySlug(t.Context(), "budget-2027")
		if err != nil {
			t.Fatal(err)
		}
		jan4, feb1, apr1 := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
		if len(sp.Phases) != 2 || !sp.Phases[0].StartsAt.Equal(jan4) || !sp.Phases[0].EndsAt.Equal(feb1) ||
			sp.Phases[1].Name != "Étude" || !sp.Phases[1].EndsAt.Equal(apr1) {
			t.Errorf("phases %+v", sp.Phases)
		}
		if sp.TitleMax != 120 || sp.BodyMax != 1000 || sp.SupportThreshold != 30 || !sp.UnverifiedMayPropose || len(sp.Categories) != 1 ||
			sp.CreatedBy != n.Staff[accounts.Admin].ID {
			t.Errorf("space %+v", sp)
		}
		w = n.Request("GET", "/spaces/budget-2027?done=created", admin, nil)
		frontendtest.WantBody(t, w, "L’espace est ouvert.", "<strong>idées</strong>", "Du 4 janvier 2027 au 31 janvier 2027", "Du 1er février 2027 au 31 mars 2027",
			"Cet espace ouvrira le 4 janvier 2027")
		w = n.Request("POST", "/admin/spaces/new", admin, good)
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, `id="f-slug-error"`, "déjà prise")
	})
}

// An admin changes a space: the form comes filled, every error at once
// and nothing changed, then the change, which the audit log records and,
// when dates move, the space's page tells residents.
func TestAdminEditSpace(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		admin := n.Session(t, n.Staff[accounts.Admin])
		camille := n.Account(t, "camille")
		resident := n.Session(t, camille)
		n.Space(t, "quartier", 10)
		sp, _ := n.Spaces.BySlug(t.Context(), "quartier") // as stored
		path := "/admin/spaces/quartier/edit"
		frontendtest.WantStatus(t, n.Request("GET", path, resident, nil), http.StatusForbidden)
		frontendtest.WantStatus(t, n.Request("POST", path, resident, url.Values{"title": {"Pris"}}), http.StatusForbidden)
		frontendtest.WantStatus(t, n.Request("GET", "/admin/spaces/nope/edit", admin, nil), http.StatusNotFound)
		frontendtest.WantBody(t, n.Request("GET", "/admin/spaces", admin, nil), `href="`+path+`"`)
		frontendtest.WantBody(t, n.Request("GET", "/spaces/quartier", admin, nil), `href="`+path+`"`)
		frontendtest.WantNoBody(t, n.Request("GET", "/spaces/quartier", resident, nil), `href="`+path+`"`)

		w := n.Request("GET", path, admin, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `value="`+sp.Title+`"`, `id="f-phase_kind_1"`, `value="10"`, "quartier (elle ne change pas)")
		frontendtest.WantNoBody(t, w, `id="f-phase_kind_2"`, `id="f-slug"`)
		form := formValues(w.Body.String())
		with := func(changes ...string) url.Values {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			for i := 0; i+1 < len(changes); i += 2 {
				f.Set(changes[i], changes[i+1])
			}
			return f
		}

		// Unchanged, posted as shown: nothing moves, not even the dates
		// the form shows as days.
		frontendtest.WantStatus(t, n.Request("POST", path, admin, with()), http.StatusSeeOther)
		got, _ := n.Spaces.BySlug(t.Context(), "quartier")
		if got.DatesChangedAt != nil || !got.Phases[0].StartsAt.Equal(sp.Phases[0].StartsAt) {
			t.Errorf("an unchanged form moved the space: %+v", got)
		}

		before := n.Counts(t)
		w = n.Request("POST", path, admin, with("title", "", "phase_start_1", "hier", "phase_end_0", "2020-01-01",
			"threshold", "-5", "category_slug_0", "Pas bien"))
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, `id="f-title-error"`, `id="f-phase_start_1-error"`, `id="f-phase_end_0-error"`,
			`id="f-threshold-error"`, `id="f-category_slug_0-error"`, "Rien n’est modifié")
		n.WantCounts(t, before, "a refused edit")
		if again, _ := n.Spaces.BySlug(t.Context(), "quartier"); again.Title != sp.Title || again.SupportThreshold != 10 {
			t.Errorf("a refused edit changed the space: %+v", again)
		}

		w = n.Request("POST", path, admin, with("title", "Quartier Violet", "phase_end_1", "2027-12-31", "threshold", "25"))
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/spaces/quartier?done=edited" {
			t.Errorf("edit leads to %q", loc)
		}
		got, _ = n.Spaces.BySlug(t.Context(), "quartier")
		if got.Title != "Quartier Violet" || got.SupportThreshold != 25 || got.DatesChangedAt == nil ||
			!got.Phases[0].StartsAt.Equal(sp.Phases[0].StartsAt) {
			t.Errorf("edited space %+v", got)
		}
		frontendtest.WantBody(t, n.Request("GET", "/spaces/quartier?done=edited", admin, nil), "L’espace est modifié.")
		frontendtest.WantBody(t, n.Request("GET", "/spaces/quartier", "", nil), "Les dates de cet espace ont changé le")
		frontendtest.WantBody(t, n.Request("GET", "/admin/audit", admin, nil), "Modification d’un espace", "espace « quartier »")
	})
}

// formValues reads what a page's form would post as it stands: its
// inputs, the selected options, its text areas and ticked boxes.
func formValues(body string) url.Values {
	out := url.Values{}
	for _, m := range regexp.MustCompile(`<input [^>]*name="([^"]+)"[^>]*>`).FindAllStringSubmatch(body, -1) {
		tag, name := m[0], m[1]
		if strings.Contains(tag, `type="checkbox"`) {
			if strings.Contains(tag, " checked") {
				out.Set(name, "on")
			}
			continue
		}
		if v := regexp.MustCompile(`value="([^"]*)"`).FindStringSubmatch(tag); v != nil {
			out.Set(name, html.UnescapeString(v[1]))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(body, -1) {
		if v := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); v != nil {
			out.Set(m[1], html.UnescapeString(v[1]))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(body, -1) {
		out.Set(m[1], html.UnescapeString(m[2]))
	}
	return out
}

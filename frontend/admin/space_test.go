package admin_test

import (
	"net/http"
	"net/url"
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
		frontendtest.WantBody(t, w, `id="f-phase_kind_5"`, `id="f-category_en_5"`, `value="50"`, `value="700"`)
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
			{"many errors at once", with("title", "", "phase_start_2", "hier", "phase_end_0", "2027-01-01", "threshold", "-1",
				"category_fr_0", "", "phase_kind_3", "", "phase_name_3", "Sans type"), http.StatusBadRequest,
				[]string{`id="f-title-error"`, `id="f-phase_start_2-error"`, `id="f-phase_end_0-error"`, "Le dernier jour ne peut pas précéder le premier.",
					`id="f-threshold-error"`, `id="f-category_fr_0-error"`, `id="f-phase_kind_3-error"`, `value="budget-2027"`, `value="Sans type"`}},
			{"bad slug", with("slug", "Budget 2027"), http.StatusBadRequest, []string{`id="f-slug-error"`, "lettres minuscules sans accent"}},
			{"overlapping phases", with("phase_start_2", "2027-01-20"), http.StatusBadRequest, []string{`id="f-phases-error"`, "sans se chevaucher"}},
			{"bad category", with("category_slug_0", "Nature!"), http.StatusBadRequest, []string{`id="f-categories-error"`}},
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

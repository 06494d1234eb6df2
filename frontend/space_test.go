package frontend

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/spaces"
)

// A space's page says, in plain words, what residents can do now, and
// shows its phases with the current one marked.
func TestSpacePages(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		now := n.clock.Now()
		day := 24 * time.Hour
		midnight := now.Truncate(day)
		for _, tc := range []struct {
			slug   string
			phases []spaces.PhaseInput
			want   []string
		}{
			{"propositions", []spaces.PhaseInput{
				{Kind: spaces.Proposals, StartsAt: midnight.Add(-day), EndsAt: midnight.Add(10 * day)},
				{Kind: spaces.Evaluation, Name: "Étude par les services", StartsAt: midnight.Add(10 * day), EndsAt: midnight.Add(40 * day)},
			}, []string{"Vous pouvez proposer et soutenir des propositions jusqu’au " + dateFR(midnight.Add(9*day)) + ".",
				`aria-current="step"`, "Du " + dateFR(midnight.Add(-day)) + " au " + dateFR(midnight.Add(9*day)), "Étude par les services", "à venir",
				`href="/spaces/propositions/proposals/new"`}},
			{"soutiens", []spaces.PhaseInput{
				{Kind: spaces.Proposals, StartsAt: now.Add(-10 * day), EndsAt: now.Add(-day)},
				{Kind: spaces.Supports, StartsAt: now.Add(-day), EndsAt: now.Add(day)},
			}, []string{"Les propositions sont closes. Vous pouvez soutenir les propositions publiées jusqu’au", "terminée"}},
			{"information", []spaces.PhaseInput{
				{Kind: spaces.Information, StartsAt: now.Add(-day), EndsAt: midnight.Add(5 * day)},
				{Kind: spaces.Proposals, StartsAt: midnight.Add(5 * day), EndsAt: midnight.Add(20 * day)},
			}, []string{"Vous pourrez proposer à partir du " + dateFR(midnight.Add(5*day)) + "."}},
			{"futur", []spaces.PhaseInput{
				{Kind: spaces.Proposals, StartsAt: midnight.Add(3 * day), EndsAt: midnight.Add(20 * day)},
			}, []string{"Cet espace ouvrira le " + dateFR(midnight.Add(3*day)) + ", avec la phase « Propositions »."}},
			{"entre-deux", []spaces.PhaseInput{
				{Kind: spaces.Proposals, StartsAt: now.Add(-10 * day), EndsAt: now.Add(-day)},
				{Kind: spaces.Vote, StartsAt: midnight.Add(2 * day), EndsAt: midnight.Add(9 * day)},
			}, []string{"Aucune phase n’est en cours. La prochaine, « Vote », commence le " + dateFR(midnight.Add(2*day)) + "."}},
			{"fini", []spaces.PhaseInput{
				{Kind: spaces.Implementation, StartsAt: midnight.Add(-30 * day), EndsAt: midnight.Add(-2 * day)},
			}, []string{"Cet espace est terminé : sa dernière phase s’est achevée le " + dateFR(midnight.Add(-3*day)) + "."}},
		} {
			t.Run(tc.slug, func(t *testing.T) {
				propSpace(t, n, tc.slug, 0, tc.phases...)
				w := n.request("GET", "/spaces/"+tc.slug, "", nil)
				wantStatus(t, w, http.StatusOK)
				wantBody(t, w, tc.want...)
				if tc.slug != "propositions" && strings.Contains(w.Body.String(), "/proposals/new") {
					t.Error("the page offers to propose outside a proposal phase")
				}
			})
		}
		w := n.request("GET", "/spaces?lang=en", "", nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Participation spaces", `href="/spaces/futur"`, "You can make and support proposals until", "current phase: Proposals")
		wantStatus(t, n.request("GET", "/spaces/nulle-part", "", nil), http.StatusNotFound)

		// Outside a proposal phase, the form says why instead.
		_, tok := propResident(t, n, "camille", true)
		w = n.request("GET", "/spaces/futur/proposals/new", tok, nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, "Cet espace ouvrira le")
		if strings.Contains(w.Body.String(), `id="proposal-form"`) {
			t.Error("the form is offered before the proposal phase")
		}
		wantStatus(t, n.request("GET", "/spaces/futur/proposals/new", "", nil), http.StatusSeeOther)
	})
}

// dateFR writes a day as French pages do.
func dateFR(t time.Time) string {
	months := []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	t = t.UTC()
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// An admin opens a space from the form: every error next to its field and
// nothing created, then the space with its phases, days included.
func TestAdminNewSpace(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		admin := n.session(t, n.staff[accounts.Admin])
		_, resident := propResident(t, n, "camille", true)
		wantStatus(t, n.request("GET", "/admin/spaces/new", resident, nil), http.StatusForbidden)
		w := n.request("GET", "/admin/spaces/new", admin, nil)
		wantStatus(t, w, http.StatusOK)
		wantBody(t, w, `id="f-phase_kind_5"`, `id="f-category_en_5"`, `value="50"`, `value="700"`)
		wantBody(t, n.request("GET", "/admin", admin, nil), `href="/admin/spaces/new"`)

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
				w := n.request("POST", "/admin/spaces/new", admin, tc.form)
				wantStatus(t, w, tc.status)
				wantBody(t, w, tc.want...)
				if c := n.count(t, "spaces"); c != 0 {
					t.Errorf("%d spaces after a refused form", c)
				}
			})
		}

		w = n.request("POST", "/admin/spaces/new", admin, good)
		wantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/spaces/budget-2027?done=created" {
			t.Fatalf("redirected to %q", loc)
		}
		sp, err := n.spaces.BySlug(t.Context(), "budget-2027")
		if err != nil {
			t.Fatal(err)
		}
		jan4, feb1, apr1 := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC), time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
		if len(sp.Phases) != 2 || !sp.Phases[0].StartsAt.Equal(jan4) || !sp.Phases[0].EndsAt.Equal(feb1) ||
			sp.Phases[1].Name != "Étude" || !sp.Phases[1].EndsAt.Equal(apr1) {
			t.Errorf("phases %+v", sp.Phases)
		}
		if sp.TitleMax != 120 || sp.BodyMax != 1000 || sp.SupportThreshold != 30 || !sp.UnverifiedMayPropose || len(sp.Categories) != 1 ||
			sp.CreatedBy != n.staff[accounts.Admin].ID {
			t.Errorf("space %+v", sp)
		}
		w = n.request("GET", "/spaces/budget-2027?done=created", admin, nil)
		wantBody(t, w, "L’espace est ouvert.", "<strong>idées</strong>", "Du 4 janvier 2027 au 31 janvier 2027", "Du 1 février 2027 au 31 mars 2027",
			"Cet espace ouvrira le 4 janvier 2027")
		w = n.request("POST", "/admin/spaces/new", admin, good)
		wantStatus(t, w, http.StatusConflict)
		wantBody(t, w, `id="f-slug-error"`, "déjà prise")
	})
}

package participation_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"

	"agora/instances/spaces"
)

// A space's page says, in plain words, what residents can do now, and
// shows its phases with the current one marked.
func TestSpacePages(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		now := n.Clock.Now()
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
			// A participatory budget's phases, each in plain words.
			{"co-construction", []spaces.PhaseInput{
				{Kind: spaces.Proposals, StartsAt: now.Add(-10 * day), EndsAt: now.Add(-day)},
				{Kind: spaces.Coconstruction, StartsAt: now.Add(-day), EndsAt: midnight.Add(5 * day)},
				{Kind: spaces.Evaluation, StartsAt: midnight.Add(5 * day), EndsAt: midnight.Add(20 * day)},
			}, []string{"Jusqu’au " + dateFR(midnight.Add(4*day)) + ", les services et les élus regroupent les idées en projets", "Co-construction"}},
			{"vote-sur-le-site", []spaces.PhaseInput{
				{Kind: spaces.Vote, StartsAt: now.Add(-day), EndsAt: midnight.Add(5 * day)},
				{Kind: spaces.Results, StartsAt: midnight.Add(5 * day), EndsAt: midnight.Add(9 * day)},
			}, []string{"les résidents vérifiés votent sur ce site, ou au guichet de la mairie", "Résultats", "à venir"}},
			{"resultats", []spaces.PhaseInput{
				{Kind: spaces.Results, StartsAt: now.Add(-day), EndsAt: midnight.Add(5 * day)},
				{Kind: spaces.Implementation, StartsAt: midnight.Add(5 * day), EndsAt: midnight.Add(90 * day)},
			}, []string{"Le vote est clos. Les résultats sont publiés jusqu’au " + dateFR(midnight.Add(4*day)), "Réalisation"}},
			{"fini", []spaces.PhaseInput{
				{Kind: spaces.Implementation, StartsAt: midnight.Add(-30 * day), EndsAt: midnight.Add(-2 * day)},
			}, []string{"Cet espace est terminé : sa dernière phase s’est achevée le " + dateFR(midnight.Add(-3*day)) + "."}},
		} {
			t.Run(tc.slug, func(t *testing.T) {
				n.Space(t, tc.slug, 0, tc.phases...)
				w := n.Request("GET", "/spaces/"+tc.slug, "", nil)
				frontendtest.WantStatus(t, w, http.StatusOK)
				frontendtest.WantBody(t, w, tc.want...)
				if tc.slug != "propositions" && strings.Contains(w.Body.String(), "/proposals/new") {
					t.Error("the page offers to propose outside a proposal phase")
				}
			})
		}
		w := n.Request("GET", "/spaces?lang=en", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Participation spaces", `href="/spaces/futur"`, "You can make and support proposals until", "current phase: Proposals")
		frontendtest.WantStatus(t, n.Request("GET", "/spaces/nulle-part", "", nil), http.StatusNotFound)

		// Outside a proposal phase, the form says why instead.
		_, tok := n.Resident(t, "camille", true)
		w = n.Request("GET", "/spaces/futur/proposals/new", tok, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Cet espace ouvrira le")
		if strings.Contains(w.Body.String(), `id="proposal-form"`) {
			t.Error("the form is offered before the proposal phase")
		}
		frontendtest.WantStatus(t, n.Request("GET", "/spaces/futur/proposals/new", "", nil), http.StatusSeeOther)
	})
}

// dateFR writes a day as French pages do.
func dateFR(t time.Time) string {
	months := []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	t = t.UTC()
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

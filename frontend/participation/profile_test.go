package participation_test

import (
	"net/http"
	"net/url"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
)

// TestProfileContributions: a public profile lists what its person wrote
// that anyone may read (a hidden proposal or comment is left out), and
// the proposals they support only once they chose to show them; author
// names link to the profile wherever shown, and a private author's name
// links nowhere.
func TestProfileContributions(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		ctx := t.Context()
		sp := n.Space(t, "quartier", 0)
		camille := n.Verified(t, "camille", true)
		camilleToken := n.Session(t, camille)
		discrete, discreteToken := n.Resident(t, "discrete", true)

		shown := n.Propose(t, camille, sp, "Un banc au square")
		hidden := n.Propose(t, camille, sp, "Une idée cachée")
		if err := n.Moderation.Hide(ctx, accounts.As(n.Staff[accounts.Moderator]), moderation.Target{Kind: moderation.TargetProposal, ID: hidden.ID}, "hors sujet"); err != nil {
			t.Fatal(err)
		}
		other := n.Propose(t, discrete, sp, "Des arbres rue Lecourbe")
		debate := n.OpenDebate(t, camille, sp, "Faut-il piétonniser la rue ?")
		n.Comment(t, camilleToken, debates.Target{Kind: debates.TargetProposal, ID: other.ID}, "Très bonne idée pour le quartier", "for")
		gone := n.Comment(t, camilleToken, debates.Target{Kind: debates.TargetDebate, ID: debate.ID}, "Un commentaire masqué ensuite", "")
		if err := n.Moderation.Hide(ctx, accounts.As(n.Staff[accounts.Moderator]), moderation.Target{Kind: moderation.TargetComment, ID: gone}, "insulte"); err != nil {
			t.Fatal(err)
		}
		if err := n.Proposals.Support(ctx, accounts.As(camille), other.ID); err != nil {
			t.Fatal(err)
		}

		w := n.Get("/people/camille?lang=fr")
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Un banc au square", `href="/proposals/`+shown.ID+`"`, "Faut-il piétonniser la rue ?",
			"Très bonne idée pour le quartier", "@camille@localhost")
		frontendtest.WantNoBody(t, w, "Une idée cachée", "Un commentaire masqué ensuite", "Propositions soutenues", "Des arbres rue Lecourbe")

		// Showing supports is their choice, made on their account page.
		w = n.Request("POST", "/account/supports", camilleToken, url.Values{"show_supports": {"on"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		w = n.Get("/people/camille?lang=fr")
		frontendtest.WantBody(t, w, "Propositions soutenues", "Des arbres rue Lecourbe")
		w = n.Request("POST", "/account/supports", camilleToken, url.Values{})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		frontendtest.WantNoBody(t, n.Get("/people/camille?lang=fr"), "Propositions soutenues")

		// Names link to public profiles only.
		link := `href="/people/camille"`
		for _, page := range []string{"/proposals/" + shown.ID, "/spaces/quartier/proposals", "/debates/" + debate.ID, "/proposals/" + other.ID} {
			w := n.Get(page + "?lang=fr")
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, link)
			frontendtest.WantNoBody(t, w, `href="/people/discrete"`)
		}
		n.Comment(t, discreteToken, debates.Target{Kind: debates.TargetDebate, ID: debate.ID}, "Je ne suis pas d’accord", "against")
		w = n.Get("/debates/" + debate.ID)
		frontendtest.WantBody(t, w, "Je ne suis pas d’accord")
		frontendtest.WantNoBody(t, w, `href="/people/discrete"`)
		// A private profile has no page, even with contributions.
		if w := n.Get("/people/discrete"); w.Code != http.StatusNotFound {
			t.Errorf("/people/discrete: %d, want 404", w.Code)
		}
	})
}

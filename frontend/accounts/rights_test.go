package accounts_test

import (
	"net/http"
	"testing"
	"time"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/spaces"
)

// The account page says, per space, what the reader may do there now and
// why not, as the acts decide: an unverified resident is not told they
// may propose where the space refuses them.
func TestAccountSaysWhatOneMayDo(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		now := n.Clock.Now()
		n.Space(t, "budget", 10) // verified residents only, proposals now
		n.Space(t, "fini", 0, spaces.PhaseInput{Kind: spaces.Evaluation, StartsAt: now.Add(-48 * time.Hour), EndsAt: now.Add(-time.Hour)})
		_, unverified := n.Resident(t, "ulysse", false)
		_, verified := n.Resident(t, "vera", true)
		official := n.Session(t, n.Staff[accounts.Official])

		w := n.Request("GET", "/account", unverified, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Ce que vous pouvez faire dans chaque espace", `href="/spaces/budget"`,
			"Proposer : pas encore, cet espace demande une résidence vérifiée.",
			"Soutenir une proposition : pas encore, il faut une résidence vérifiée.")
		frontendtest.WantNoBody(t, w, "Proposer : oui.", "proposer.", `href="/spaces/fini"`)
		// What the page says, the act does.
		w = n.Request("GET", "/spaces/budget/proposals/new", unverified, nil)
		frontendtest.WantBody(t, w, `href="/account#residency"`)
		frontendtest.WantNoBody(t, w, `name="title"`)

		w = n.Request("GET", "/account", verified, nil)
		frontendtest.WantBody(t, w, "Proposer : oui.", "Soutenir une proposition : oui, sauf les vôtres.")
		frontendtest.WantBody(t, n.Request("GET", "/account", official, nil), "un compte de service de la ville répond aux propositions")
		frontendtest.WantBody(t, n.Request("GET", "/account?lang=en", unverified, nil), "What you may do in each space",
			"Propose: not yet, this space asks for a verified residency.")
	})
}

package participation_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/storage/storagetest"
)

// Comments and replies are limited per author: 10 a minute, 100 a day.
// The one too many is answered 429 with Retry-After and a message, the
// text kept and nothing written; a refused post does not count.
func TestCommentRateLimit(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		alice, aTok := n.Resident(t, "alice", true)
		_, bTok := n.Resident(t, "bruno", true)
		p := n.Propose(t, alice, sp, "Des bancs place du marché")
		target := debates.Target{Kind: debates.TargetProposal, ID: p.ID}
		form := func(body string) url.Values {
			return url.Values{"target_kind": {"proposal"}, "target_id": {p.ID}, "comment": {body}, "alignment": {"none"}}
		}
		count := func() int { return storagetest.Count(t, n.DB, "comments", "target_id = ?", p.ID) }

		// Ten in twenty seconds go through.
		var first string
		for i := range 10 {
			id := n.Comment(t, aTok, target, "Avis numéro "+strconv.Itoa(i+1)+".", "none")
			if i == 0 {
				first = id
			}
			n.Clock.Advance(2 * time.Second)
		}
		// The eleventh, and a reply, wait until the first is a minute old.
		before := count()
		w := n.Request("POST", "/comments", aTok, form("Un onzième avis, gardé."))
		frontendtest.WantStatus(t, w, http.StatusTooManyRequests)
		if got := w.Header().Get("Retry-After"); got != "40" {
			t.Errorf("Retry-After %q, want 40", got)
		}
		frontendtest.WantBody(t, w, "Vous avez publié beaucoup de commentaires en peu de temps", "dans 1 minute(s)", ">Un onzième avis, gardé.</textarea>")
		w = n.Request("POST", "/comments/"+first+"/reply", aTok, url.Values{"comment": {"Une réponse."}, "alignment": {"none"}},
			&http.Cookie{Name: "lang", Value: "en"})
		frontendtest.WantStatus(t, w, http.StatusTooManyRequests)
		frontendtest.WantBody(t, w, "You have posted many comments in a short time", ">Une réponse.</textarea>")
		if got := count(); got != before {
			t.Errorf("%d comments after the refused ones, want %d", got, before)
		}
		// Others are not held back; their refused posts do not count.
		for range 12 {
			frontendtest.WantStatus(t, n.Request("POST", "/comments", bTok, form("  ")), http.StatusBadRequest)
		}
		n.Comment(t, bTok, target, "Je suis d’accord.", "for")

		// A minute later, alice writes again.
		n.Clock.Advance(time.Minute)
		n.Comment(t, aTok, target, "Un onzième avis, gardé.", "none")
		if got := count(); got != before+2 {
			t.Errorf("%d comments, want %d", got, before+2)
		}

		// A hundred a day: carol's (written through the service) fill it.
		carol, cTok := n.Resident(t, "carol", true)
		start := n.Clock.Now()
		for i := range 100 {
			if _, err := n.Debates.Add(t.Context(), accounts.As(carol), debates.NewComment{Target: target, Body: "Avis " + strconv.Itoa(i) + "."}); err != nil {
				t.Fatal(err)
			}
			n.Clock.Advance(10 * time.Minute)
		}
		w = n.Request("POST", "/comments", cTok, form("Encore un."))
		frontendtest.WantStatus(t, w, http.StatusTooManyRequests)
		wait := start.Add(24 * time.Hour).Sub(n.Clock.Now())
		if got := w.Header().Get("Retry-After"); got != strconv.Itoa(int(wait/time.Second)) {
			t.Errorf("Retry-After %q, want %d", got, int(wait/time.Second))
		}
		n.Clock.Advance(wait)
		n.Comment(t, cTok, target, "Encore un.", "none")
	})
}

package notify_test

import (
	"net/http"
	"net/url"
	"testing"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/notifications"
)

// TestPersonFollowAndNewKinds: a signed-in reader follows a person from
// their public profile (not their own, nor a private one), hears of their
// next proposal, and the notifications of phases and votes read in
// French and English, the vote's linking to its page.
func TestPersonFollowAndNewKinds(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		ctx := t.Context()
		sp := n.Space(t, "quartier", 0)
		alice, aliceToken := n.Resident(t, "alice", true)
		bob, token := n.Resident(t, "bob", true)
		frontendtest.WantStatus(t, n.Request("POST", "/follow", token, url.Values{"kind": {"person"}, "id": {alice.ID}}), http.StatusNotFound)
		must(t, n.Accounts.UpdateProfile(ctx, accounts.As(alice), alice.ID, accounts.Profile{DisplayName: "Alice", Language: "fr", Public: true}))
		frontendtest.WantNoBody(t, n.Request("GET", "/people/alice?lang=fr", aliceToken, nil), `action="/follow"`)
		w := n.Request("GET", "/people/alice?lang=fr", token, nil)
		frontendtest.WantBody(t, w, `action="/follow"`, `name="kind" value="person"`, `value="`+alice.ID+`"`)
		w = n.Request("POST", "/follow", token, url.Values{"kind": {"person"}, "id": {alice.ID}, "back": {"/people/alice"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); loc != "/people/alice?follow=followed#follow" {
			t.Errorf("back to %q", loc)
		}
		n.Propose(t, alice, sp, "Un banc au square")
		for _, e := range []notifications.Event{
			{Kind: notifications.PhaseStart, Subject: notifications.Target{Kind: notifications.Space, ID: sp.ID}, Detail: "vote", To: []string{bob.ID}},
			{Kind: notifications.VoteClosed, Subject: notifications.Target{Kind: notifications.Vote, ID: "v1"}, Title: "Quel banc ?",
				Detail: "Des bancs", To: []string{bob.ID}},
		} {
			must(t, notifications.Record(ctx, n.DB, e))
		}
		w = n.Request("GET", "/notifications?lang=fr", token, nil)
		frontendtest.WantBody(t, w, "Alice, que vous suivez, a publié une proposition", "Une nouvelle étape commence dans un espace que vous suivez : « Vote »",
			"Le vote est clos : « Des bancs » l’emporte", `href="/votes/v1"`)
		w = n.Request("GET", "/notifications?lang=en", token, nil)
		frontendtest.WantBody(t, w, "Alice, whom you follow, published a proposal", "The vote is closed: “Des bancs” wins")
	})
}

package decisions_test

import (
	"testing"

	"agora/frontend/browsertest"
	"agora/instances/decisions"
)

// A vote's page with the fediverse's answers beside the binding result
// passes axe-core, in French and in English.
func TestFediverseOpinionInBrowser(t *testing.T) {
	t.Parallel()
	n := newNode(t, "sqlite")
	v := n.vote(t, decisions.Approval)
	for _, actor := range []string{"https://mastodon.example/users/ada", "https://gts.example/users/bob"} {
		if _, err := n.svc.AddAnswer(t.Context(), decisions.Answer{VoteID: v.ID, Actor: actor, Name: "Louise Michel", ActivityID: actor + "#votes/1"}); err != nil {
			t.Fatal(err)
		}
	}
	n.Clock.Set(v.ClosesAt)
	if _, err := n.svc.CloseDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, n.H)
	b := browsertest.New(t)
	for _, lang := range []string{"fr", "en"} {
		b.Open(base + "/votes/" + v.ID + "?lang=" + lang)
		if got := b.Text("#opinion-caption"); got == "" {
			t.Errorf("%s: no opinion table", lang)
		}
		b.AssertAccessible()
	}
}

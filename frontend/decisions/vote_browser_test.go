package decisions_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
	"agora/instances/decisions"
)

// The vote pages as people meet them pass axe-core in French and in
// English: the list, a ballot of every method, a refused ballot, the
// receipt, and the results of a closed vote (bars and table; Schulze's
// order and matrix).
func TestVotePagesInBrowser(t *testing.T) {
	t.Parallel()
	n := newNode(t, "sqlite")
	votes := map[decisions.Method]*decisions.Vote{}
	for _, m := range decisions.Methods {
		if m == decisions.Budget {
			continue
		}
		votes[m] = n.vote(t, m)
	}
	ann, _ := n.Resident(t, "ann", true)
	bob, _ := n.Resident(t, "bob", true)
	base := browsertest.Serve(t, n.H)
	b := n.BrowserAs(t, base, ann)
	for _, lang := range []string{"fr", "en"} {
		b.Open(base + "/votes?lang=" + lang)
		b.AssertAccessible()
		for _, v := range votes {
			b.Open(base + "/votes/" + v.ID + "?lang=" + lang)
			b.AssertAccessible()
		}
	}
	// A refused ballot, then a good one and its receipt.
	b.Open(base + "/votes/" + votes[decisions.Approval].ID)
	b.SubmitWant("form[action$='/ballot'] button[type=submit]", http.StatusBadRequest)
	b.AssertAccessible()
	b.Click("#o-louise")
	b.SubmitWant("form[action$='/ballot'] button[type=submit]", http.StatusOK)
	if !strings.Contains(b.Text("#receipt"), "-") {
		t.Errorf("no receipt: %q", b.Text("#receipt"))
	}
	b.AssertAccessible()
	b.Open(base + "/votes/" + votes[decisions.Ranked].ID)
	b.Select("#r-simone", "1")
	b.Select("#r-olympe", "2")
	b.SubmitWant("form[action$='/ballot'] button[type=submit]", http.StatusOK)
	for _, m := range []decisions.Method{decisions.Single, decisions.Score} {
		c := decisions.Choice{Options: []string{"olympe"}}
		if m == decisions.Score {
			c = decisions.Choice{Scores: map[string]int{"olympe": 4, "simone": 2}}
		}
		for _, who := range []*accounts.Account{ann, bob} {
			if _, err := n.svc.Cast(t.Context(), accounts.As(who), votes[m].ID, c, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	n.Clock.Advance(25 * time.Hour)
	if _, err := n.svc.CloseDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	v := browsertest.New(t, browsertest.Timeout(2*time.Minute))
	for _, lang := range []string{"fr", "en"} {
		for _, vote := range votes {
			v.Open(base + "/votes/" + vote.ID + "?lang=" + lang)
			v.AssertAccessible()
		}
	}
}

package decisions_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"agora/frontend/browsertest"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/decisions"
)

// The pages built around a vote, as people use them in a real browser,
// each passing axe-core, in French and in English: an official opens a
// vote (a refused form first), an agent's desk page, a resident
// delegates, sees the chain, revokes, votes and changes the vote, and
// reads the results after closing. One browser, the accounts switched
// by their session cookie.
func TestVoteFlowInBrowser(t *testing.T) {
	t.Parallel()
	n := newNode(t, "sqlite")
	v := n.vote(t, decisions.Single)
	ann, _ := n.Resident(t, "ann", true)
	bob, _ := n.Resident(t, "bob", true)
	carl, _ := n.Resident(t, "carl", true)
	if err := n.svc.Agree(t.Context(), accounts.As(bob)); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, n.H)
	b := n.BrowserAs(t, base, n.Staff[accounts.Official])
	as := func(acc *accounts.Account) { b.SetCookie(base, frontendtest.SessionCookie, n.Session(t, acc)) }
	contains := func(sel, want string) {
		t.Helper()
		if got := b.Text(sel); !strings.Contains(got, want) {
			t.Errorf("%s reads %q, want %q in it", sel, got, want)
		}
	}

	// The official, in French: a form with mistakes, then a good one.
	b.Open(base + "/votes?lang=fr")
	b.Submit("a[href='/votes/new']")
	b.Submit("a[href^='/votes/new?space=']")
	b.Fill("#f-options", "Oui")
	b.SubmitWant("form[action^='/votes/new'] button.primary", http.StatusBadRequest)
	contains("#f-question-error", "Écrivez la question")
	contains("#f-options-error", "de 2 à 100")
	b.AssertAccessible()
	b.Fill("#f-question", "Faut-il fermer la rue aux voitures le dimanche ?")
	b.Fill("#f-options", "Oui\nNon")
	b.SubmitWant("form[action^='/votes/new'] button.primary", http.StatusOK)
	contains("h1", "fermer la rue")
	// In English: the edit form.
	b.Submit("a[href$='/edit']")
	b.Open(b.URL() + "?lang=en")
	contains("h1", "Edit the vote")
	b.AssertAccessible()

	// The agent's desk page.
	as(n.Staff[accounts.Agent])
	b.Open(base + "/votes/" + v.ID + "/desk?lang=fr")
	b.AssertAccessible()

	// Carl, in English: delegates to bob, sees the chain, revokes.
	as(carl)
	b.Open(base + "/delegation?lang=en")
	b.AssertAccessible()
	b.Fill("#f-delegate", "bob")
	b.SubmitWant("form[action='/delegation'] button[type=submit]", http.StatusOK)
	contains("main", "Your vote is entrusted.")
	contains("#delegations-caption", "Your delegations: for which votes, to whom")
	b.AssertAccessible()
	b.Open(base + "/votes/" + v.ID)
	contains("main", "Where your vote goes")
	contains("main", "Test bob")
	b.Open(base + "/delegation")
	b.SubmitWant("form[action='/delegation/revoke'] button", http.StatusOK)
	contains("main", "The delegation is revoked.")

	// Ann, in French: a refused delegation, then votes and changes it.
	as(ann)
	b.Open(base + "/delegation?lang=fr")
	b.Fill("#f-delegate", "ann")
	b.SubmitWant("form[action='/delegation'] button[type=submit]", http.StatusBadRequest)
	contains("#f-delegate-error", "vous confier votre propre voix")
	b.AssertAccessible()
	b.Open(base + "/votes/" + v.ID)
	b.Click("#o-louise")
	b.SubmitWant("form[action$='/ballot'] button[type=submit]", http.StatusOK)
	b.Open(base + "/votes/" + v.ID)
	b.Click("#o-olympe")
	b.SubmitWant("form[action$='/ballot'] button[type=submit]", http.StatusOK)
	contains("main", "remplace")

	// Carl delegates to bob again, bob votes: carl's chain ends with
	// bob's ballot, and bob sees the weight he carries.
	if err := n.svc.Delegate(t.Context(), accounts.As(carl), decisions.Scope{}, bob.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := n.svc.Cast(t.Context(), accounts.As(bob), v.ID, decisions.Choice{Options: []string{"olympe"}}, false); err != nil {
		t.Fatal(err)
	}
	as(carl)
	b.Open(base + "/votes/" + v.ID + "?lang=fr")
	contains("main", "a voté : votre voix compte avec ce bulletin")
	as(bob)
	b.Open(base + "/votes/" + v.ID)
	contains("main", "pour 1 personnes")

	// After closing, the results, in both languages.
	n.Clock.Advance(25 * time.Hour)
	if _, err := n.svc.CloseDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	b.Open(base + "/votes/" + v.ID + "?lang=fr")
	contains("main", "En tête : Olympe de Gouges")
	contains("main table", "Louise Michel")
	b.AssertAccessible()
	b.Open(base + "/votes/" + v.ID + "?lang=en")
	contains("main", "First: Olympe de Gouges")
	contains("main", "Download the published ballots (CSV, spreadsheet)")
	b.AssertAccessible()
}

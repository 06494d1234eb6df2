package budgets_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
)

// An edition's vote in a browser, in French and English, axe-clean at
// each step: an official opens it, a resident checks the running total
// (live with the script, and with the "update total" button; over the
// envelope, then within it) and votes, the vote closes, the
// official counts it and the results show.
func TestEditionVoteInBrowser(t *testing.T) {
	t.Parallel()
	n := votingNode(t, "sqlite")
	b := votingEdition(t, n)
	page := "/budgets/" + b.ID
	annAcc, _ := voter(t, n, "ann", "Saint-Lambert")
	base := browsertest.Serve(t, n.H)

	off := n.BrowserAs(t, base, n.Staff[accounts.Official])
	off.Open(base + page + "/vote/new")
	off.AssertAccessible()
	off.SubmitWant(`form[action$="/vote"] button`, http.StatusOK) // the defaults: from tomorrow, for three weeks

	n.Clock.Advance(48 * time.Hour)
	ann := n.BrowserAs(t, base, annAcc)
	for _, lang := range []string{"fr", "en"} {
		ann.Open(base + page + "?lang=" + lang)
		ann.AssertAccessible()
		ann.Open(base + page + "/ballots/saint-lambert?lang=" + lang)
		ann.AssertAccessible()
	}
	ann.Open(base + page + "/ballots/saint-lambert?lang=fr")
	ann.Click("#p-1")
	ann.Click("#p-2")
	// The script follows the ticks; the server says the same on "update total".
	if got := ann.Text("#running-total"); !strings.Contains(got, "Projets cochés : 2") || !strings.Contains(got, "de plus que l’enveloppe de 100\u202f000\u00a0€") {
		t.Errorf("live total: %q", got)
	}
	ann.SubmitWant(`button[value=total]`, http.StatusBadRequest)
	if got := ann.Text("#ballot-error"); !strings.Contains(got, "de plus que l’enveloppe") {
		t.Errorf("over the envelope: %q", got)
	}
	ann.AssertAccessible()
	ann.Click("#p-2") // unticked
	ann.Click("#p-3")
	ann.SubmitWant(`button[value=total]`, http.StatusOK)
	if got := ann.Text("#running-total"); !strings.Contains(got, "Il reste 0") {
		t.Errorf("running total: %q", got)
	}
	ann.SubmitWant(`button[value=cast]`, http.StatusOK)
	if !strings.Contains(ann.Text("#receipt"), "-") {
		t.Errorf("no receipt: %q", ann.Text("#receipt"))
	}
	ann.AssertAccessible()

	n.Clock.Advance(22 * 24 * time.Hour)
	off = n.BrowserAs(t, base, n.Staff[accounts.Official])
	off.Open(base + page)
	off.SubmitWant(`form[action$="/count"] button`, http.StatusOK)
	for _, lang := range []string{"fr", "en"} {
		off.Open(base + page + "?lang=" + lang)
		off.AssertAccessible()
	}
	if got := off.Text("#turnout-caption"); got != "Turnout by envelope and by way of voting" {
		t.Errorf("turnout caption %q", got)
	}
}

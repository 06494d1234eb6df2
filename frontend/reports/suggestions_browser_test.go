package reports_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/reports"
)

// The suggestion pages in a browser, without JavaScript's help: the
// list of suggestions (by date and by rank), a ranked suggestion's page,
// the form with its groups, the council's vote page and its refusal,
// and the admin's form with its kind; each passes axe-core in French and
// English. A neighbour supports with the page's own button.
func TestSuggestionPagesInBrowser(t *testing.T) {
	t.Parallel()
	n, council, sp := suggestionNode(t, "sqlite")
	alice, _ := n.Resident(t, "alice", true)
	bob, _ := n.Resident(t, "bob", true)
	ctx := t.Context()
	var ids []string
	for _, s := range []struct {
		who      *accounts.Account
		cat, txt string
	}{{alice, "banc", "Un banc à l’ombre."}, {bob, "arbre", "Un arbre devant l’école."}, {alice, "arbre", "Un arbre rue Oberkampf."}} {
		r, err := n.Reports.Create(ctx, accounts.As(s.who), reports.Input{Category: s.cat, Address: "12 rue Oberkampf",
			Point: &reports.Point{Lat: 48.8606, Lon: 2.3795}, Description: s.txt})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	now := n.Clock.Now()
	v, err := council.OpenVote(ctx, accounts.As(n.Staff[accounts.Official]), sp.ID, reports.CouncilInput{Question: "Quoi d’abord ?",
		Method: decisions.Approval, OpensAt: now, ClosesAt: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.Deps.Decisions.Cast(ctx, accounts.As(bob), v.ID, decisions.Choice{Options: []string{ids[0]}}, false); err != nil {
		t.Fatal(err)
	}
	n.Clock.Advance(time.Hour)
	if err := council.Rank(ctx, v.ID); err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, n.H)
	check := func(b *browsertest.Browser, paths ...string) {
		t.Helper()
		for _, lang := range []string{"fr", "en"} {
			for _, p := range paths {
				sep := "?"
				if strings.Contains(p, "?") {
					sep = "&"
				}
				b.Open(base + p + sep + "lang=" + lang)
				b.AssertAccessible()
			}
		}
	}
	page := "/reports/" + ids[0]
	t.Run("visitor", func(t *testing.T) {
		b := browsertest.New(t, browsertest.Timeout(2*time.Minute))
		check(b, "/reports?kind=suggestion", "/reports?kind=suggestion&sort=rank", page)
		if got := b.Text("#council-rank"); !strings.Contains(got, "Rank 1") {
			t.Errorf("rank shown: %q", got)
		}
	})
	t.Run("neighbour", func(t *testing.T) {
		b := n.BrowserAs(t, base, bob)
		check(b, "/reports/new")
		b.Open(base + page + "?lang=en")
		b.SubmitWant("form[action='"+page+"/confirm'] button", http.StatusOK)
		if got := b.Text("#confirm-count"); !strings.Contains(got, "1 resident supports it") {
			t.Errorf("after supporting: %q", got)
		}
	})
	t.Run("official", func(t *testing.T) {
		b := n.BrowserAs(t, base, n.Staff[accounts.Official])
		check(b, "/reports/council/vote")
		b.Open(base + "/reports/council/vote?lang=fr")
		b.NoValidate()
		b.Fill("#f-question", "")
		b.SubmitWant("form[action='/reports/council/vote'][method=post] button", http.StatusBadRequest)
		b.AssertAccessible()
	})
	t.Run("admin", func(t *testing.T) {
		b := n.BrowserAs(t, base, n.Staff[accounts.Admin])
		check(b, "/admin/reports")
	})
}

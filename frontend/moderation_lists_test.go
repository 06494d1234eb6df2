package frontend

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"agora/instances/accounts"
)

// A moderation act on a proposal shows in the space's lists at once:
// their totals are not kept from before it (the proposals service caches
// them a few seconds).
func TestModerationRefreshesLists(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		sp := debSpace(t, n, "quartier")
		alice, _ := propResident(t, n, "alice", true)
		modTok := n.session(t, n.staff[accounts.Moderator])
		keep := propPropose(t, n, alice, sp, "Des vélos en libre-service")
		dup := propPropose(t, n, alice, sp, "Des Vélib rue Lecourbe")
		other := propPropose(t, n, alice, sp, "Un composteur")
		list := func(query string) (int, []string) {
			t.Helper()
			v := apiObject(t, apiGet(n, "/api/v1/spaces/quartier/proposals"+query))
			titles := apiTitles(t, v)
			slices.Sort(titles)
			return int(v["total"].(float64)), titles
		}
		want := func(query string, total int, titles ...string) {
			t.Helper()
			gotTotal, gotTitles := list(query)
			slices.Sort(titles)
			if gotTotal != total || !slices.Equal(gotTitles, titles) {
				t.Errorf("list%s: total %d %q, want %d %q", query, gotTotal, gotTitles, total, titles)
			}
		}
		// Read once, so the totals are cached.
		want("", 3, keep.Title, dup.Title, other.Title)
		want("?state=merged", 0)
		want("?category=mobilite", 0)

		w := n.request("POST", "/moderation/proposals/"+dup.ID+"/merge", modTok, url.Values{"into": {keep.ID}, "reason": {"Le même projet"}})
		wantStatus(t, w, http.StatusSeeOther)
		want("", 2, keep.Title, other.Title)
		want("?state=merged", 1, dup.Title)

		w = n.request("POST", "/moderation/proposals/"+keep.ID+"/recategorise", modTok, url.Values{"category": {"mobilite"}, "reason": {"Du transport"}})
		wantStatus(t, w, http.StatusSeeOther)
		want("?category=mobilite", 1, keep.Title)
		want("?category=nature", 1, other.Title)

		// Hidden proposals stay listed, with the notice in their place.
		w = n.request("POST", "/moderation/proposals/"+other.ID+"/hide", modTok, url.Values{"reason": {"Hors sujet"}})
		wantStatus(t, w, http.StatusSeeOther)
		if total, _ := list(""); total != 2 {
			t.Errorf("total %d after hiding, want 2", total)
		}
	})
}

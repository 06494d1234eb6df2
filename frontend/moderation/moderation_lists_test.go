package moderation_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
)

// A moderation act on a proposal shows in the space's lists at once:
// their totals are not kept from before it (the proposals service caches
// them a few seconds).
func TestModerationRefreshesLists(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "quartier", 0)
		alice, _ := n.Resident(t, "alice", true)
		modTok := n.Session(t, n.Staff[accounts.Moderator])
		keep := n.Propose(t, alice, sp, "Des vélos en libre-service")
		dup := n.Propose(t, alice, sp, "Des Vélib rue Lecourbe")
		other := n.Propose(t, alice, sp, "Un composteur")
		list := func(query string) (int, []string) {
			t.Helper()
			v := frontendtest.JSONObject(t, n.Get("/api/v1/spaces/quartier/proposals"+query))
			titles := frontendtest.Titles(t, v)
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

		w := n.Request("POST", "/moderation/proposals/"+dup.ID+"/merge", modTok, url.Values{"into": {keep.ID}, "reason": {"Le même projet"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		want("", 2, keep.Title, other.Title)
		want("?state=merged", 1, dup.Title)

		w = n.Request("POST", "/moderation/proposals/"+keep.ID+"/recategorise", modTok, url.Values{"category": {"mobilite"}, "reason": {"Du transport"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		want("?category=mobilite", 1, keep.Title)
		want("?category=nature", 1, other.Title)

		// Hidden proposals stay listed, with the notice in their place.
		w = n.Request("POST", "/moderation/proposals/"+other.ID+"/hide", modTok, url.Values{"reason": {"Hors sujet"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if total, _ := list(""); total != 2 {
			t.Errorf("total %d after hiding, want 2", total)
		}
	})
}

package frontend

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
)

// TestThreadCacheServesEachReaderTheirOwnActs reads one thread, rendered
// once, as readers who may do different things with it, and checks that
// a change made behind the pages' back (another process, a federation
// worker: here the service itself) shows at once.
func TestThreadCacheServesEachReaderTheirOwnActs(t *testing.T) {
	propOnEachDialect(t, func(t *testing.T, n *participationNode) {
		sp := debSpace(t, n, "cache")
		alice, aTok := propResident(t, n, "alice", false)
		bruno, bTok := propResident(t, n, "bruno", false)
		modTok := n.session(t, n.staff[accounts.Moderator])
		d := debOpen(t, n, alice, sp, "Des bancs place Violet ?")
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		page := "/debates/" + d.ID
		c := debComment(t, n, aTok, target, "Oui, à l'ombre.", "for")
		if err := n.debates.Support(t.Context(), accounts.As(bruno), c); err != nil {
			t.Fatal(err)
		}
		act := func(what string) string { return `action="/comments/` + c + `/` + what + `"` }
		link := func(what string) string { return `href="/comments/` + c + `/` + what + `"` }
		for _, tc := range []struct {
			reader      string
			token       string
			want, lacks []string
		}{
			{"visitor", "", nil, []string{act("support"), act("unsupport"), link("reply"), link("edit"), link("report"), link("hide")}},
			{"author", aTok, []string{link("reply"), link("edit")}, []string{act("support"), act("unsupport"), link("report"), link("hide")}},
			{"supporter", bTok, []string{act("unsupport"), link("reply"), link("report")}, []string{act("support"), link("edit"), link("hide")}},
			{"moderator", modTok, []string{act("support"), link("reply"), link("report"), link("hide")}, []string{act("unsupport"), link("edit")}},
		} {
			w := n.request("GET", page, tc.token, nil)
			wantStatus(t, w, http.StatusOK)
			wantBody(t, w, append(tc.want, "Oui, à l&#39;ombre.", "1 soutien")...)
			for _, s := range tc.lacks {
				if debHas(w, s) {
					t.Errorf("%s: page holds %s", tc.reader, s)
				}
			}
		}

		// Changes through the service, not the pages, show on the next read.
		if _, err := n.debates.Edit(t.Context(), accounts.As(alice), c, "Oui, sous les arbres."); err != nil {
			t.Fatal(err)
		}
		wantBody(t, n.request("GET", page, bTok, nil), "Oui, sous les arbres.")
		if err := n.debates.Withdraw(t.Context(), accounts.As(bruno), c); err != nil {
			t.Fatal(err)
		}
		w := n.request("GET", page, bTok, nil)
		wantBody(t, w, "0 soutien", act("support"))

		// A new display name is not a change of the thread: it shows once
		// the rendering is a minute old.
		if err := n.svc.UpdateProfile(t.Context(), accounts.As(alice), alice.ID, accounts.Profile{DisplayName: "Alice Martin", Language: "fr"}); err != nil {
			t.Fatal(err)
		}
		byline := `<strong class="comment-author">Alice Martin</strong>`
		debLacks(t, n.request("GET", page, bTok, nil), byline)
		n.clock.Advance(threadCacheTTL + time.Second)
		wantBody(t, n.request("GET", page, bTok, nil), byline)

		if err := n.moderation.Hide(t.Context(), accounts.As(n.staff[accounts.Moderator]),
			moderation.Target{Kind: moderation.TargetComment, ID: c}, "hors sujet"); err != nil {
			t.Fatal(err)
		}
		w = n.request("GET", page, modTok, nil)
		wantBody(t, w, "hors sujet", link("unhide"))
		debLacks(t, w, "sous les arbres")
		debLacks(t, n.request("GET", page, bTok, nil), link("unhide"))
	})
}

func debHas(w *httptest.ResponseRecorder, s string) bool { return strings.Contains(w.Body.String(), s) }

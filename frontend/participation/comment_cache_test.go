package participation_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"
	"agora/frontend/participation"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
)

// TestThreadCacheServesEachReaderTheirOwnActs reads one thread, rendered
// once, as readers who may do different things with it, and checks that
// a change made behind the pages' back (another process, a federation
// worker: here the service itself) shows at once.
func TestThreadCacheServesEachReaderTheirOwnActs(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "cache", 0)
		alice, aTok := n.Resident(t, "alice", false)
		bruno, bTok := n.Resident(t, "bruno", false)
		modTok := n.Session(t, n.Staff[accounts.Moderator])
		d := n.OpenDebate(t, alice, sp, "Des bancs place Violet ?")
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		page := "/debates/" + d.ID
		c := n.Comment(t, aTok, target, "Oui, à l'ombre.", "for")
		if err := n.Debates.Support(t.Context(), accounts.As(bruno), c); err != nil {
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
			w := n.Request("GET", page, tc.token, nil)
			frontendtest.WantStatus(t, w, http.StatusOK)
			frontendtest.WantBody(t, w, append(tc.want, "Oui, à l&#39;ombre.", "1 soutien")...)
			for _, s := range tc.lacks {
				if debHas(w, s) {
					t.Errorf("%s: page holds %s", tc.reader, s)
				}
			}
		}

		// Changes through the service, not the pages, show on the next read.
		if _, err := n.Debates.Edit(t.Context(), accounts.As(alice), c, "Oui, sous les arbres."); err != nil {
			t.Fatal(err)
		}
		frontendtest.WantBody(t, n.Request("GET", page, bTok, nil), "Oui, sous les arbres.")
		if err := n.Debates.Withdraw(t.Context(), accounts.As(bruno), c); err != nil {
			t.Fatal(err)
		}
		w := n.Request("GET", page, bTok, nil)
		frontendtest.WantBody(t, w, "0 soutien", act("support"))

		// A new display name is not a change of the thread: it shows once
		// the rendering is a minute old.
		if err := n.Accounts.UpdateProfile(t.Context(), accounts.As(alice), alice.ID, accounts.Profile{DisplayName: "Alice Martin", Language: "fr"}); err != nil {
			t.Fatal(err)
		}
		byline := `<strong class="comment-author">Alice Martin</strong>`
		frontendtest.WantNoBody(t, n.Request("GET", page, bTok, nil), byline)
		n.Clock.Advance(participation.ThreadCacheTTL + time.Second)
		frontendtest.WantBody(t, n.Request("GET", page, bTok, nil), byline)

		if err := n.Moderation.Hide(t.Context(), accounts.As(n.Staff[accounts.Moderator]),
			moderation.Target{Kind: moderation.TargetComment, ID: c}, "hors sujet"); err != nil {
			t.Fatal(err)
		}
		w = n.Request("GET", page, modTok, nil)
		frontendtest.WantBody(t, w, "hors sujet", link("unhide"))
		frontendtest.WantNoBody(t, w, "sous les arbres")
		frontendtest.WantNoBody(t, n.Request("GET", page, bTok, nil), link("unhide"))
	})
}

func debHas(w *httptest.ResponseRecorder, s string) bool { return strings.Contains(w.Body.String(), s) }

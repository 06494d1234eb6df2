package opendata_test

import (
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
)

// The comments API: threads oldest first, each comment followed by its
// replies, pages cut between threads; local authors as elsewhere in the
// API, fediverse authors by name and profile; hidden comments keep their
// place without words or author; nothing personal leaks.
func TestAPIComments(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		ctx := t.Context()
		sp := apiNewSpace(t, n, "budget-api-comments")
		alice := n.Verified(t, "alice", true)
		bob := n.Verified(t, "bob", false)
		p := apiPropose(t, n, accounts.As(alice), sp, "Des bancs", "Sur la place.", "voirie")
		target := debates.Target{Kind: debates.TargetProposal, ID: p.ID}

		first, err := n.Debates.Add(ctx, accounts.As(alice), debates.NewComment{Target: target, Body: "Oui, **à l’ombre**.", Alignment: debates.AlignFor})
		if err != nil {
			t.Fatal(err)
		}
		n.Clock.Advance(time.Minute)
		reply, err := n.Debates.Add(ctx, accounts.As(bob), debates.NewComment{ParentID: first.ID, Body: "Et près de l’école."})
		if err != nil {
			t.Fatal(err)
		}
		n.Clock.Advance(time.Minute)
		if _, err := n.Debates.AddRemote(ctx, debates.RemoteComment{APID: "https://social.example/notes/1", Actor: "https://social.example/users/ada",
			Name: "Ada", URL: "https://social.example/@ada", Target: target, Content: `<p>Pareil rue Lecourbe <script>x()</script></p>`}); err != nil {
			t.Fatal(err)
		}
		n.Clock.Advance(time.Minute)
		hidden, err := n.Debates.Add(ctx, accounts.As(bob), debates.NewComment{Target: target, Body: "Un texte à masquer."})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Moderation.Hide(ctx, accounts.As(n.Staff[accounts.Moderator]), moderation.Target{Kind: moderation.TargetComment, ID: hidden.ID}, "Hors sujet"); err != nil {
			t.Fatal(err)
		}

		w := n.Get("/api/v1/proposals/" + p.ID + "/comments")
		v := frontendtest.JSONObject(t, w)
		frontendtest.WantKeys(t, "page", v, "items", "page", "per_page", "total", "pages", "next", "prev")
		items := frontendtest.Items(t, v)
		if len(items) != 4 || v["total"].(float64) != 3 {
			t.Fatalf("%d items, total %v; want 4 items in 3 threads", len(items), v["total"])
		}
		order := []string{items[0]["id"].(string), items[1]["id"].(string)}
		if order[0] != first.ID || order[1] != reply.ID || items[1]["parent_id"] != first.ID || items[1]["depth"].(float64) != 1 {
			t.Errorf("the reply does not follow its comment: %v", items[:2])
		}
		frontendtest.WantKeys(t, "comment", items[0], "id", "parent_id", "depth", "author", "remote", "body", "body_html", "alignment",
			"support_count", "created_at", "edited_at", "deleted", "hidden", "hidden_reason", "url")
		if a := items[0]["author"].(map[string]any); a["handle"] != "alice" || items[0]["alignment"] != "for" ||
			!strings.Contains(items[0]["body_html"].(string), "<strong>à l’ombre</strong>") {
			t.Errorf("first comment: %v", items[0])
		}
		if a := items[1]["author"].(map[string]any); a["handle"] != nil || a["name"] != "Test bob" {
			t.Errorf("a private author shows more than a name: %v", a)
		}
		remote := items[2]
		if remote["remote"] != true || remote["author"].(map[string]any)["url"] != "https://social.example/@ada" || remote["body"] != nil ||
			strings.Contains(remote["body_html"].(string), "script") {
			t.Errorf("remote comment: %v", remote)
		}
		if h := items[3]; h["hidden"] != true || h["hidden_reason"] != "Hors sujet" || h["author"] != nil || h["body_html"] != nil || h["body"] != nil {
			t.Errorf("hidden comment shows too much: %v", h)
		}
		body := w.Body.String()
		for _, leak := range []string{alice.ID, bob.ID, "Un texte à masquer", "entered_by", "desk"} {
			if strings.Contains(body, leak) {
				t.Errorf("the comments API shows %q", leak)
			}
		}

		// Pages cut between threads.
		v = frontendtest.JSONObject(t, n.Get("/api/v1/proposals/"+p.ID+"/comments?per_page=1"))
		if items := frontendtest.Items(t, v); len(items) != 2 || v["pages"].(float64) != 3 || v["next"] == nil {
			t.Errorf("first page of one thread: %d items, %v pages, next %v", len(items), v["pages"], v["next"])
		}
		for _, bad := range []string{"?page=0", "?per_page=1000", "?page=x"} {
			if w := n.Get("/api/v1/proposals/" + p.ID + "/comments" + bad); w.Code != 400 {
				t.Errorf("%s: %d, want 400", bad, w.Code)
			}
		}
		if w := n.Get("/api/v1/proposals/nope/comments"); w.Code != 404 {
			t.Errorf("unknown proposal: %d", w.Code)
		}

		// A debate's comments, the same way.
		d, err := n.Debates.CreateDebate(ctx, accounts.As(alice), debates.NewDebate{SpaceID: sp.ID, Question: "Piétonniser ?"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.Debates.Add(ctx, accounts.As(bob), debates.NewComment{Target: debates.Target{Kind: debates.TargetDebate, ID: d.ID}, Body: "Oui.", Alignment: debates.AlignFor}); err != nil {
			t.Fatal(err)
		}
		if items := frontendtest.Items(t, frontendtest.JSONObject(t, n.Get("/api/v1/debates/"+d.ID+"/comments"))); len(items) != 1 || !strings.Contains(items[0]["url"].(string), "/debates/"+d.ID+"#comment-") {
			t.Errorf("debate comments: %v", items)
		}
	})
}

package federation

import (
	"strings"
	"testing"
)

// followRemote makes the node follow a remote space: the Follow goes
// out signed by the instance actor, the remote accepts it.
func (n *node) followRemote(t *testing.T, r *remote, group string) {
	t.Helper()
	f, err := n.fed.Follow(n.ctx, group, "")
	if err != nil {
		t.Fatal(err)
	}
	if f.State != "pending" || f.Actor == nil || f.Actor.Type != "Group" {
		t.Fatalf("follow: %+v", f)
	}
	var follow *delivery
	eventually(t, "the Follow of "+group, func() bool {
		for _, d := range r.received() {
			if d.typ() == "Follow" && d.doc["object"] == group {
				follow = d
				return true
			}
		}
		return false
	})
	if signer := n.verify(t, follow); signer != n.base+"/actor" {
		t.Errorf("Follow signed by %s, want the instance actor", signer)
	}
	if follow.req.URL.Path != strings.TrimPrefix(group, r.base)+"/inbox" {
		t.Errorf("Follow delivered to %s", follow.req.URL.Path)
	}
	accept := activity("Accept", group+"/accepts/1", group, follow.doc)
	if got := n.accepted(t, r, accept); got != "follow accepted" {
		t.Fatalf("Accept: outcome %q", got)
	}
}

// The node follows a remote space (a Group), keeps what it announces,
// forgets what it deletes, and on Unfollow sends Undo and forgets all.
func TestFollowRemoteSpace(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		group := r.base + "/c/urbanisme"
		camille := r.base + "/u/camille"

		// A person is no space.
		if _, err := n.fed.Follow(n.ctx, r.actor("ada"), ""); err == nil {
			t.Error("following a Person: no error")
		}

		n.followRemote(t, r, group)
		fs, err := n.fed.Followings(n.ctx)
		if err != nil || len(fs) != 1 || fs[0].State != "accepted" || fs[0].Actor == nil || fs[0].Actor.Handle() != "@urbanisme@"+r.host {
			t.Fatalf("followings: %+v, %v", fs, err)
		}

		page := r.base + "/post/1"
		create := activity("Create", r.base+"/activities/create/1", camille, map[string]any{
			"id": page, "type": "Page", "attributedTo": camille, "name": "Des bancs",
			"content": `<p>Partout</p><img src=x onerror="alert(1)">`, "audience": group,
			"agora:state": "study", "agora:supports": 12.0,
		})
		if got := n.accepted(t, r, activity("Announce", r.base+"/activities/announce/1", group, create)); got != "create remote Page" {
			t.Fatalf("Announce{Create{Page}}: outcome %q", got)
		}
		o, err := n.fed.RemoteObject(n.ctx, page)
		if err != nil {
			t.Fatal(err)
		}
		if o.Group != group || o.Name != "Des bancs" || o.State != "study" || o.Supports != 12 ||
			strings.Contains(o.ContentHTML, "onerror") || o.AuthorName != "Remote camille" {
			t.Errorf("remote page: %+v", o)
		}

		// Someone else's Announce of the same id changes nothing: only
		// followed Groups are taken.
		other := newRemote(t, "127.0.0.3")
		forged := activity("Announce", other.base+"/announce/1", other.actor("eve"), map[string]any{
			"id": other.base + "/post/1", "type": "Page", "name": "Faux", "content": "<p>faux</p>", "attributedTo": other.actor("eve")})
		if got := n.accepted(t, other, forged); !strings.HasPrefix(got, "ignored") {
			t.Errorf("unfollowed Announce: outcome %q", got)
		}
		if _, err := n.fed.RemoteObject(n.ctx, other.base+"/post/1"); err == nil {
			t.Error("an unfollowed actor's Page was kept")
		}

		// A public resident comments on it: kept here at once, sent to the
		// space's node as Create{Note}, signed by the resident; served at
		// its id. A private resident cannot.
		if err := n.fed.CommentRemote(n.ctx, n.marc.ID, page, "Bonjour"); err == nil {
			t.Error("a private account commented on another city")
		}
		if err := n.fed.CommentRemote(n.ctx, n.jeanne.ID, page, "Et *des arbres* aussi."); err != nil {
			t.Fatal(err)
		}
		created := r.waitFor(t, "Create/Note")
		if signer := n.verify(t, created); signer != n.base+"/people/jeanne" {
			t.Errorf("Create{Note} signed by %s", signer)
		}
		note := created.doc["object"].(map[string]any)
		if note["inReplyTo"] != page || note["audience"] != group || !strings.Contains(note["content"].(string), "<em>des arbres</em>") {
			t.Errorf("Create{Note}: %s", created.body)
		}
		comments, err := n.fed.RemoteObjects(n.ctx, "", page, 10)
		if err != nil || len(comments) != 1 || comments[0].ID != note["id"] {
			t.Errorf("comments of the remote page: %+v, %v", comments, err)
		}
		noteID, _ := note["id"].(string)
		resp, body := n.get(t, strings.TrimPrefix(noteID, n.base), "application/activity+json")
		if resp.StatusCode != 200 || decode(t, body)["attributedTo"] != n.base+"/people/jeanne" {
			t.Errorf("GET %s: %d %s", noteID, resp.StatusCode, body)
		}

		del := activity("Delete", r.base+"/activities/delete/1", camille, map[string]any{"id": page, "type": "Tombstone"})
		if got := n.accepted(t, r, activity("Announce", r.base+"/activities/announce/2", group, del)); got != "remote objects deleted: 2" {
			t.Errorf("Announce{Delete}: outcome %q", got)
		}
		if objs, _ := n.fed.RemoteObjects(n.ctx, group, "", 10); len(objs) != 0 {
			t.Errorf("deleted page still listed: %+v", objs)
		}

		if err := n.fed.Unfollow(n.ctx, group); err != nil {
			t.Fatal(err)
		}
		undo := r.waitFor(t, "Undo/Follow")
		if signer := n.verify(t, undo); signer != n.base+"/actor" {
			t.Errorf("Undo signed by %s", signer)
		}
		if fs, _ := n.fed.Followings(n.ctx); len(fs) != 0 {
			t.Errorf("still following: %+v", fs)
		}
	})
}

package federation

import (
	"strings"
	"testing"

	"agora/federation/as2"
	"agora/instances/accounts"
	"agora/instances/moderation"
)

// A Follow of a space's Group is recorded and answered with an Accept,
// signed by the Group with the key it publishes; Undo{Follow} ends it. A
// private account is no actor and cannot be followed.
func TestFollowGroup(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		ada := r.actor("ada")
		group := n.groupIRI()
		follow := activity("Follow", r.base+"/follows/1", ada, group)

		if got := n.accepted(t, r, follow); got != "followed "+group {
			t.Fatalf("outcome %q", got)
		}
		var f follower
		if err := n.db.NewSelect().Model(&f).Where("actor = ? AND follower = ?", group, ada).Scan(n.ctx); err != nil {
			t.Fatalf("no follower row: %v", err)
		}
		if f.Inbox != r.base+"/inbox" || f.FollowID != r.base+"/follows/1" {
			t.Errorf("follower row: inbox %q, follow %q", f.Inbox, f.FollowID)
		}

		accept := r.waitFor(t, "Accept/Follow")
		if signer := n.verify(t, accept); signer != group {
			t.Errorf("Accept signed by %s, want the Group %s", signer, group)
		}
		if accept.req.URL.Path != "/users/ada/inbox" {
			t.Errorf("Accept delivered to %s", accept.req.URL.Path)
		}
		inner, _ := accept.doc["object"].(map[string]any)
		if accept.doc["actor"] != group || inner["id"] != r.base+"/follows/1" || inner["actor"] != ada || inner["object"] != group {
			t.Errorf("Accept: %v", accept.doc)
		}
		if id, _ := accept.doc["id"].(string); !strings.HasPrefix(id, n.base+"/activities/") {
			t.Errorf("Accept id %q is not the node's", id)
		}

		// The followers collection counts them without naming them.
		doc, err := n.getAS2(n.ctx, as2.Followers(group))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), `"totalItems":1`) || strings.Contains(string(doc), ada) {
			t.Errorf("followers collection: %s", doc)
		}

		undo := activity("Undo", r.base+"/follows/1/undo", ada, follow)
		if got := n.accepted(t, r, undo); got != "unfollowed "+group {
			t.Errorf("undo: outcome %q", got)
		}
		if n.follows(t, group, ada) {
			t.Errorf("the follower row is still there after Undo{Follow}")
		}

		// A private account is not an actor: the Follow is refused and
		// nobody is told anything.
		before := len(r.received())
		private := n.base + "/people/" + n.marc.Handle
		got := n.accepted(t, r, activity("Follow", r.base+"/follows/2", ada, private))
		if !strings.HasPrefix(got, "refused: ") {
			t.Errorf("follow of a private account: outcome %q, want refused", got)
		}
		if n.follows(t, private, ada) {
			t.Errorf("a private account got a follower")
		}
		// A public person may be followed.
		public := n.base + "/people/" + n.jeanne.Handle
		if got := n.accepted(t, r, activity("Follow", r.base+"/follows/3", ada, public)); got != "followed "+public {
			t.Errorf("follow of a public person: outcome %q", got)
		}
		n.idle(t)
		for _, d := range r.received()[before:] {
			if d.doc["actor"] == private {
				t.Errorf("the private account sent %s", d.typ())
			}
		}
	})
}

// A Like is an opinion, counted apart and never as a support; Undo{Like}
// withdraws it.
func TestLikeIsNotASupport(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		ada := r.actor("ada")
		like := activity("Like", r.base+"/likes/1", ada, n.proposalIRI())
		if got := n.accepted(t, r, like); got != "like of proposal "+n.proposal.ID {
			t.Fatalf("outcome %q", got)
		}
		likes, shares, err := n.fed.Reactions(n.ctx, "proposal", n.proposal.ID)
		if err != nil || likes != 1 || shares != 0 {
			t.Errorf("reactions: %d likes, %d shares, %v; want 1, 0", likes, shares, err)
		}
		p, err := n.proposals.ByID(n.ctx, n.proposal.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.SupportCount != 0 {
			t.Errorf("a Like counted as %d supports", p.SupportCount)
		}
		supports, err := n.db.NewSelect().Table("proposal_supports").Count(n.ctx)
		if err != nil || supports != 0 {
			t.Errorf("%d support rows (%v)", supports, err)
		}

		// Undo by id only, as some servers send it.
		if got := n.accepted(t, r, activity("Undo", r.base+"/likes/1/undo", ada, r.base+"/likes/1")); got != "reaction withdrawn" {
			t.Errorf("undo: outcome %q", got)
		}
		if likes, _, _ := n.fed.Reactions(n.ctx, "proposal", n.proposal.ID); likes != 0 {
			t.Errorf("%d likes after Undo", likes)
		}
		// Undo with the Like inline, after a second Like.
		like2 := activity("Like", r.base+"/likes/2", ada, n.proposalIRI())
		n.accepted(t, r, like2)
		if got := n.accepted(t, r, activity("Undo", r.base+"/likes/2/undo", ada, like2)); got != "reaction withdrawn" {
			t.Errorf("undo with the Like inline: outcome %q", got)
		}
		// Another actor cannot undo someone else's Like.
		like3 := activity("Like", r.base+"/likes/3", ada, n.proposalIRI())
		n.accepted(t, r, like3)
		bob := r.actor("bob")
		if got := n.accepted(t, r, activity("Undo", r.base+"/bob/undo/1", bob, r.base+"/likes/3")); got != "ignored: nothing to undo" {
			t.Errorf("undo by another actor: outcome %q", got)
		}
		if likes, _, _ := n.fed.Reactions(n.ctx, "proposal", n.proposal.ID); likes != 1 {
			t.Errorf("%d likes after another actor's Undo, want 1", likes)
		}
	})
}

// A Flag naming a local comment becomes a moderation report by the
// remote actor.
func TestFlagReportsComment(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		instance := r.base + "/actor"
		flag := activity("Flag", r.base+"/flags/1", instance,
			[]string{n.base + "/people/" + n.jeanne.Handle, n.commentIRI(n.comment.ID)})
		flag["content"] = "Propos insultants"
		if got := n.accepted(t, r, flag); got != "reports: 1" {
			t.Fatalf("outcome %q", got)
		}
		reports, err := n.moderation.Reports(n.ctx, accounts.System, moderation.ReportFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(reports) != 1 {
			t.Fatalf("%d reports, want 1", len(reports))
		}
		rep := reports[0]
		if rep.RemoteActor != instance || rep.ReporterID != "" || rep.TargetKind != moderation.TargetComment ||
			rep.TargetID != n.comment.ID || rep.Reason != "Propos insultants" {
			t.Errorf("report: %+v", rep)
		}

		// A Flag naming a comment this node does not have (deleted since,
		// say) still reports the others it names, whatever the order.
		flag2 := activity("Flag", r.base+"/flags/2", instance,
			[]string{n.commentIRI("nosuchcomment"), n.commentIRI(n.comment2.ID)})
		if got := n.accepted(t, r, flag2); got != "reports: 1" {
			t.Errorf("flag with an unknown comment: outcome %q, want reports: 1", got)
		}
		reports, err = n.moderation.Reports(n.ctx, accounts.System, moderation.ReportFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(reports) != 2 || reports[1].TargetID != n.comment2.ID || reports[1].Reason != "fediverse report" {
			t.Errorf("reports: %+v", reports)
		}
	})
}

// The author of a remote comment may edit and delete it; another actor,
// even on the same server, may not.
func TestRemoteCommentUpdateDelete(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		ada, bob := r.actor("ada"), r.actor("bob")
		note := r.base + "/users/ada/statuses/1"
		create := createNote(ada, note, n.proposalIRI(), "<p>Première version</p>")
		n.accepted(t, r, create)

		object := create["object"].(map[string]any)
		object["content"] = "<p>Seconde version</p><script>x()</script>"
		update := activity("Update", note+"#updates/1", ada, object)
		if got := n.accepted(t, r, update); got != "comment edited" {
			t.Errorf("update: outcome %q", got)
		}
		c := n.remoteComment(t, note)
		if c == nil || !strings.Contains(c.BodyHTML, "Seconde version") || strings.Contains(c.BodyHTML, "script") {
			t.Fatalf("after Update: %+v", c)
		}

		// Nobody writes in another's name, even from the same server.
		impostor := createNote(bob, r.base+"/users/ada/statuses/2", n.proposalIRI(), "<p>Signé Ada</p>")
		impostor["object"].(map[string]any)["attributedTo"] = ada
		if got := n.accepted(t, r, impostor); !strings.HasPrefix(got, "refused: ") {
			t.Errorf("create attributed to another: outcome %q, want refused", got)
		}
		if c := n.remoteComment(t, r.base+"/users/ada/statuses/2"); c != nil {
			t.Errorf("bob wrote as ada: %+v", c)
		}

		forged := activity("Update", r.base+"/users/bob/statuses/1#updates/1", bob, object)
		object["content"] = "<p>Détourné</p>"
		if got := n.accepted(t, r, forged); !strings.HasPrefix(got, "refused: ") {
			t.Errorf("update by another actor: outcome %q, want refused", got)
		}
		delete := activity("Delete", r.base+"/users/bob#delete/1", bob, map[string]any{"id": note, "type": "Tombstone"})
		if got := n.accepted(t, r, delete); !strings.HasPrefix(got, "refused: ") {
			t.Errorf("delete by another actor: outcome %q, want refused", got)
		}
		if c := n.remoteComment(t, note); c == nil || !strings.Contains(c.BodyHTML, "Seconde version") {
			t.Fatalf("another actor changed the comment: %+v", c)
		}

		if got := n.accepted(t, r, activity("Delete", note+"#delete", ada, map[string]any{"id": note, "type": "Tombstone"})); got != "comment deleted" {
			t.Errorf("delete: outcome %q", got)
		}
		if c := n.remoteComment(t, note); c != nil {
			t.Errorf("the comment is still in the thread: %+v", c)
		}
		p, err := n.proposals.ByID(n.ctx, n.proposal.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.CommentCount != 2 {
			t.Errorf("proposal counts %d comments, want 2", p.CommentCount)
		}
		// An update after the delete has nothing to edit.
		object["content"] = "<p>Revenant</p>"
		if got := n.accepted(t, r, activity("Update", note+"#updates/2", ada, object)); !strings.HasPrefix(got, "ignored") {
			t.Errorf("update after delete: outcome %q", got)
		}
	})
}

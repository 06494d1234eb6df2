package debates_test

import (
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
)

func TestAddComment(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		d := f.debate(t)
		onDebate := debates.Target{Kind: debates.TargetDebate, ID: d.ID}

		for _, tt := range []struct {
			in   string
			want debates.Alignment
		}{
			{"for", debates.AlignFor}, {"against", debates.AlignAgainst}, {"Neutral", debates.AlignNeutral},
			{"", debates.AlignNone}, {"none", debates.AlignNone},
		} {
			f.clock.Advance(time.Second)
			c, err := f.svc.Add(f.ctx, accounts.As(bob), debates.NewComment{Target: f.proposal, Body: "I am " + tt.in, Alignment: debates.Alignment(tt.in)})
			wantErr(t, err, nil, "alignment "+tt.in)
			stored, err := f.svc.Comment(f.ctx, c.ID)
			wantErr(t, err, nil, "load")
			if c.Alignment != tt.want || stored.Alignment != tt.want {
				t.Errorf("alignment %q stored as %q", tt.in, stored.Alignment)
			}
			if stored.Author == nil || stored.Author.Handle != "bob" || stored.AuthorID != bob.ID || stored.Depth != 0 ||
				stored.EnteredBy != "" || stored.APID != nil || !stored.CreatedAt.Equal(f.clock.Now()) {
				t.Errorf("stored = %+v (author %+v)", stored, stored.Author)
			}
		}
		if n := f.commentCount(t, f.proposal); n != 5 {
			t.Errorf("proposal comment count = %d, want 5", n)
		}

		c := f.comment(t, accounts.As(f.alice), onDebate, "", "On the debate.")
		r := f.comment(t, accounts.As(bob), debates.Target{}, c.ID, "A reply, which takes its parent's target.")
		if r.TargetKind != debates.TargetDebate || r.TargetID != d.ID || r.Depth != 1 || r.ParentID != c.ID {
			t.Errorf("reply = %+v", r)
		}
		if n := f.commentCount(t, onDebate); n != 2 {
			t.Errorf("debate comment count = %d", n)
		}
		if n := f.commentCount(t, f.proposal); n != 5 {
			t.Errorf("proposal comment count moved to %d", n)
		}
		ev := f.events(t)
		if got := ev[len(ev)-1]; got != "create comment "+r.ID+" "+bob.ID {
			t.Errorf("last event = %q", got)
		}
	})
}

func TestCommentRefusals(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		gone := f.account(t, "gone")
		if _, err := f.db.NewUpdate().Table("accounts").Set("deleted_at = ?", start).Where("id = ?", gone.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		gone.DeletedAt = &start
		other := debates.Target{Kind: debates.TargetProposal, ID: f.newProposal(t, f.space, f.alice.ID)}
		hiddenProposal := debates.Target{Kind: debates.TargetProposal, ID: f.newProposal(t, f.space, f.alice.ID)}
		f.hide(t, "proposals", hiddenProposal.ID)
		parent := f.comment(t, accounts.As(f.alice), f.proposal, "", "Parent.")
		hiddenParent := f.comment(t, accounts.As(f.alice), f.proposal, "", "To be hidden.")
		f.hide(t, "comments", hiddenParent.ID)

		as := accounts.As(bob)
		tests := []struct {
			name  string
			actor accounts.Actor
			in    debates.NewComment
			want  error
		}{
			{"empty", as, debates.NewComment{Target: f.proposal, Body: ""}, debates.ErrBody},
			{"blank", as, debates.NewComment{Target: f.proposal, Body: " \n\t "}, debates.ErrBody},
			{"too long", as, debates.NewComment{Target: f.proposal, Body: strings.Repeat("é", 5001)}, debates.ErrBody},
			{"only a script", as, debates.NewComment{Target: f.proposal, Body: "<script>alert(1)</script>"}, debates.ErrBody},
			{"invalid UTF-8", as, debates.NewComment{Target: f.proposal, Body: "ok \xff"}, debates.ErrBody},
			{"NUL", as, debates.NewComment{Target: f.proposal, Body: "a\x00b"}, debates.ErrBody},
			{"bad alignment", as, debates.NewComment{Target: f.proposal, Body: "Hm.", Alignment: "maybe"}, debates.ErrAlignment},
			{"unknown kind", as, debates.NewComment{Target: debates.Target{Kind: "app", ID: f.proposal.ID}, Body: "Hm."}, debates.ErrTarget},
			{"no target", as, debates.NewComment{Body: "Hm."}, debates.ErrTarget},
			{"no such proposal", as, debates.NewComment{Target: debates.Target{Kind: debates.TargetProposal, ID: "nope"}, Body: "Hm."}, debates.ErrNotFound},
			{"no such debate", as, debates.NewComment{Target: debates.Target{Kind: debates.TargetDebate, ID: "nope"}, Body: "Hm."}, debates.ErrNotFound},
			{"hidden proposal", as, debates.NewComment{Target: hiddenProposal, Body: "Hm."}, debates.ErrHidden},
			{"no such parent", as, debates.NewComment{Target: f.proposal, ParentID: "nope", Body: "Hm."}, debates.ErrParent},
			{"parent elsewhere", as, debates.NewComment{Target: other, ParentID: parent.ID, Body: "Hm."}, debates.ErrParent},
			{"hidden parent", as, debates.NewComment{ParentID: hiddenParent.ID, Body: "Hm."}, debates.ErrHidden},
			{"the node", accounts.System, debates.NewComment{Target: f.proposal, Body: "Hm."}, debates.ErrForbidden},
			{"deleted account", accounts.As(gone), debates.NewComment{Target: f.proposal, Body: "Hm."}, debates.ErrForbidden},
			{"resident for another", accounts.Actor{Account: bob, OnBehalfOf: f.alice, Desk: "Mairie"}, debates.NewComment{Target: f.proposal, Body: "Hm."}, debates.ErrForbidden},
		}
		for _, tt := range tests {
			before := f.State(t)
			_, err := f.svc.Add(f.ctx, tt.actor, tt.in)
			wantErr(t, err, tt.want, tt.name)
			f.Unchanged(t, before, tt.name)
		}

		c, err := f.svc.Add(f.ctx, as, debates.NewComment{Target: f.proposal, Body: strings.Repeat("é", 4981) + " <script>x</script>"})
		wantErr(t, err, nil, "5,000 characters")
		if strings.Contains(c.BodyHTML, "<script") {
			t.Errorf("script kept: %s", c.BodyHTML[len(c.BodyHTML)-40:])
		}
		c, err = f.svc.Add(f.ctx, as, debates.NewComment{Target: f.proposal,
			Body: "# Title\n[link](javascript:alert(1)) <img src=x onerror=alert(1)> <a href=\"https://ex.org\" onclick=\"x()\">a</a> **bold**"})
		wantErr(t, err, nil, "markdown with HTML")
		for _, bad := range []string{"<script", "javascript:", "onerror", "onclick", "<img", "<h1"} {
			if strings.Contains(c.BodyHTML, bad) {
				t.Errorf("rendered body keeps %q: %s", bad, c.BodyHTML)
			}
		}
		if !strings.Contains(c.BodyHTML, "<strong>bold</strong>") || !strings.Contains(c.BodyHTML, "<h3>Title</h3>") {
			t.Errorf("rendered body = %s", c.BodyHTML)
		}
	})
}

func TestCommentAtDesk(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		agent := f.account(t, "agent_1", accounts.Agent)
		bob := f.account(t, "bob")
		desk := accounts.Actor{Account: agent, OnBehalfOf: bob, Desk: "Mairie du 11e"}
		c := f.comment(t, desk, f.proposal, "", "Dictated at the desk.")
		stored, err := f.svc.Comment(f.ctx, c.ID)
		wantErr(t, err, nil, "load")
		if stored.AuthorID != bob.ID || stored.EnteredBy != agent.ID || stored.Desk != "Mairie du 11e" {
			t.Errorf("stored = author %q entered by %q at %q", stored.AuthorID, stored.EnteredBy, stored.Desk)
		}
		own := f.comment(t, accounts.As(bob), f.proposal, "", "Typed myself.")
		if own.EnteredBy != "" || own.Desk != "" {
			t.Errorf("own comment = entered by %q at %q", own.EnteredBy, own.Desk)
		}
		// The agent edits for the resident; the history names who typed.
		_, err = f.svc.Edit(f.ctx, desk, c.ID, "Corrected at the desk.")
		wantErr(t, err, nil, "edit at the desk")
		h, err := f.svc.History(f.ctx, c.ID)
		wantErr(t, err, nil, "history")
		if len(h) != 1 || h[0].EditedBy != agent.ID || h[0].Body != "Dictated at the desk." {
			t.Errorf("history = %+v", h)
		}
		// An agent acts for the resident present, not for anyone.
		other := f.account(t, "carol")
		before := f.State(t)
		_, err = f.svc.Edit(f.ctx, accounts.Actor{Account: agent, OnBehalfOf: other, Desk: "Mairie"}, c.ID, "Not yours.")
		wantErr(t, err, debates.ErrForbidden, "edit for another resident")
		wantErr(t, f.svc.Delete(f.ctx, accounts.As(agent), c.ID), debates.ErrForbidden, "delete as the agent alone")
		f.Unchanged(t, before, "refused desk acts")
		if ev := f.events(t); ev[len(ev)-1] != "update comment "+c.ID+" "+bob.ID {
			t.Errorf("events = %q", ev)
		}
	})
}

func TestEditHistory(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		c := f.comment(t, accounts.As(f.alice), f.proposal, "", "First words.")
		created := f.clock.Now()

		before := f.State(t)
		_, err := f.svc.Edit(f.ctx, accounts.As(bob), c.ID, "Not mine.")
		wantErr(t, err, debates.ErrForbidden, "edit by another")
		_, err = f.svc.Edit(f.ctx, accounts.System, c.ID, "Node.")
		wantErr(t, err, debates.ErrForbidden, "edit by the node")
		_, err = f.svc.Edit(f.ctx, accounts.As(f.alice), c.ID, "")
		wantErr(t, err, debates.ErrBody, "edit to empty")
		_, err = f.svc.Edit(f.ctx, accounts.As(f.alice), "nope", "Hm.")
		wantErr(t, err, debates.ErrNotFound, "edit unknown")
		_, err = f.svc.Edit(f.ctx, accounts.As(f.alice), c.ID, "  First words. ")
		wantErr(t, err, nil, "edit changing nothing")
		f.Unchanged(t, before, "refused or empty edits")

		f.clock.Advance(time.Minute)
		e, err := f.svc.Edit(f.ctx, accounts.As(f.alice), c.ID, "Second *words*.")
		wantErr(t, err, nil, "edit")
		if e.Body != "Second *words*." || e.BodyHTML != "<p>Second <em>words</em>.</p>" || e.EditedAt == nil || !e.EditedAt.Equal(f.clock.Now()) {
			t.Errorf("edited = %+v", e)
		}
		f.clock.Advance(time.Minute)
		_, err = f.svc.Edit(f.ctx, accounts.As(f.alice), c.ID, "Third words.")
		wantErr(t, err, nil, "edit again")

		h, err := f.svc.History(f.ctx, c.ID)
		wantErr(t, err, nil, "history")
		if len(h) != 2 || h[0].Version != 1 || h[0].Body != "First words." || h[1].Version != 2 || h[1].Body != "Second *words*." ||
			!h[0].EditedAt.Equal(created.Add(time.Minute)) || !h[1].EditedAt.Equal(created.Add(2*time.Minute)) || h[0].EditedBy != f.alice.ID {
			t.Errorf("history = %+v", h)
		}
		stored, _ := f.svc.Comment(f.ctx, c.ID)
		if stored.Body != "Third words." || !stored.CreatedAt.Equal(created) {
			t.Errorf("stored = %+v", stored)
		}
		if ev := f.events(t); len(ev) != 3 || ev[1] != "update comment "+c.ID+" "+f.alice.ID {
			t.Errorf("events = %q", ev)
		}

		f.hide(t, "comments", c.ID)
		before = f.State(t)
		_, err = f.svc.Edit(f.ctx, accounts.As(f.alice), c.ID, "Sneaky.")
		wantErr(t, err, debates.ErrHidden, "edit hidden")
		_, err = f.svc.History(f.ctx, c.ID)
		wantErr(t, err, debates.ErrHidden, "history of hidden")
		f.Unchanged(t, before, "acts on a hidden comment")
	})
}

func TestDeleteComment(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		top := f.comment(t, accounts.As(f.alice), f.proposal, "", "Top.")
		reply := f.comment(t, accounts.As(bob), f.proposal, top.ID, "Reply.")
		leaf := f.comment(t, accounts.As(bob), f.proposal, "", "Leaf.")
		if _, err := f.svc.Edit(f.ctx, accounts.As(f.alice), top.ID, "Top, edited."); err != nil {
			t.Fatal(err)
		}
		wantErr(t, f.svc.Support(f.ctx, accounts.As(bob), top.ID), nil, "support")
		wantErr(t, f.svc.Support(f.ctx, accounts.As(f.alice), leaf.ID), nil, "support")
		if n := f.commentCount(t, f.proposal); n != 3 {
			t.Fatalf("count = %d", n)
		}

		before := f.State(t)
		wantErr(t, f.svc.Delete(f.ctx, accounts.As(bob), top.ID), debates.ErrForbidden, "delete another's")
		wantErr(t, f.svc.Delete(f.ctx, accounts.As(bob), "nope"), debates.ErrNotFound, "delete unknown")
		f.Unchanged(t, before, "refused deletes")

		// A leaf goes, with its supports.
		wantErr(t, f.svc.Delete(f.ctx, accounts.As(bob), leaf.ID), nil, "delete leaf")
		if f.Count(t, "comments", "id = ?", leaf.ID) != 0 || f.Count(t, "comment_supports", "comment_id = ?", leaf.ID) != 0 {
			t.Errorf("leaf or its supports remain")
		}
		// A comment with a reply stays, emptied and marked deleted, without
		// history or supports; when it was last edited stays as it was.
		edited, err := f.svc.Comment(f.ctx, top.ID)
		wantErr(t, err, nil, "load")
		if edited.Deleted() || edited.DeletedAt != nil {
			t.Errorf("not deleted yet, but Deleted() = %t", edited.Deleted())
		}
		f.clock.Advance(time.Hour)
		wantErr(t, f.svc.Delete(f.ctx, accounts.As(f.alice), top.ID), nil, "delete parent")
		stored, err := f.svc.Comment(f.ctx, top.ID)
		wantErr(t, err, nil, "load emptied")
		if !stored.Deleted() || stored.DeletedAt == nil || !stored.DeletedAt.Equal(f.clock.Now()) ||
			stored.Body != "" || stored.BodyHTML != "" || stored.SupportCount != 0 || stored.Alignment != debates.AlignNone ||
			stored.EditedAt == nil || !stored.EditedAt.Equal(*edited.EditedAt) {
			t.Errorf("emptied = %+v", stored)
		}
		if n := f.Count(t, "comments", "id = ? AND deleted_at IS NOT NULL", top.ID); n != 1 {
			t.Errorf("deleted_at not stored")
		}
		if f.Count(t, "comment_versions", "comment_id = ?", top.ID) != 0 || f.Count(t, "comment_supports", "comment_id = ?", top.ID) != 0 {
			t.Errorf("history or supports of a deleted comment remain")
		}
		if n := f.commentCount(t, f.proposal); n != 1 {
			t.Errorf("count = %d, want 1", n)
		}
		before = f.State(t)
		wantErr(t, f.svc.Delete(f.ctx, accounts.As(f.alice), top.ID), debates.ErrNotFound, "delete twice")
		_, err = f.svc.Add(f.ctx, accounts.As(bob), debates.NewComment{ParentID: top.ID, Body: "To nothing."})
		wantErr(t, err, debates.ErrParent, "reply to a deleted comment")
		_, err = f.svc.Edit(f.ctx, accounts.As(f.alice), top.ID, "Back.")
		wantErr(t, err, debates.ErrNotFound, "edit a deleted comment")
		f.Unchanged(t, before, "acts on a deleted comment")

		// The last reply gone, the empty parent goes too. The node may delete.
		wantErr(t, f.svc.Delete(f.ctx, accounts.System, reply.ID), nil, "delete reply by the node")
		if n := f.Count(t, "comments", ""); n != 0 {
			t.Errorf("%d comments remain", n)
		}
		if n := f.commentCount(t, f.proposal); n != 0 {
			t.Errorf("count = %d", n)
		}
		ev := f.events(t)
		want := []string{"delete comment " + leaf.ID + " " + bob.ID, "delete comment " + top.ID + " " + f.alice.ID, "delete comment " + reply.ID + " " + bob.ID}
		if got := ev[len(ev)-3:]; strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("events = %q, want %q", got, want)
		}
	})
}

func TestCountsKeepInStep(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		d := f.debate(t)
		onDebate := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		var ids []string
		for i := range 6 {
			target := f.proposal
			if i%2 == 1 {
				target = onDebate
			}
			ids = append(ids, f.comment(t, accounts.As(bob), target, "", "Comment.").ID)
		}
		f.comment(t, accounts.As(f.alice), onDebate, ids[1], "Reply.")
		wantErr(t, f.svc.Delete(f.ctx, accounts.As(bob), ids[1]), nil, "delete with reply")
		wantErr(t, f.svc.Delete(f.ctx, accounts.As(bob), ids[4]), nil, "delete")
		_, err := f.svc.AddRemote(f.ctx, debates.RemoteComment{APID: "https://social.example/n/1", Actor: "https://social.example/u/zoe",
			Target: onDebate, Content: "<p>From afar</p>"})
		wantErr(t, err, nil, "remote")
		// commentCount checks each against the visible comments.
		// Hiding and showing again move them too: see package moderation.
		if p, d := f.commentCount(t, f.proposal), f.commentCount(t, onDebate); p != 2 || d != 4 {
			t.Errorf("counts = %d on the proposal, %d on the debate; want 2 and 4", p, d)
		}
	})
}

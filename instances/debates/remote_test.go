package debates_test

import (
	"strings"
	"sync"
	"testing"

	"agora/instances/accounts"
	"agora/instances/debates"
)

const (
	zoe     = "https://social.example/users/zoe"
	mallory = "https://evil.example/users/mallory"
)

func TestAddRemote(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		in := debates.RemoteComment{APID: "https://social.example/notes/1", Actor: zoe, Name: "  Zoé\n  Martin ",
			URL: "https://social.example/@zoe/1", Target: f.proposal,
			Content: `<p>Hello <script>alert(1)</script><a href="javascript:x()" onclick="y()">there</a></p>`}
		c, err := f.svc.AddRemote(f.ctx, in)
		wantErr(t, err, nil, "add remote")
		if c.AuthorID != "" || c.RemoteActor != zoe || c.RemoteName != "Zoé Martin" || c.APID == nil || *c.APID != in.APID ||
			c.RemoteURL != in.URL || !c.Remote() {
			t.Errorf("remote comment = %+v", c)
		}
		for _, bad := range []string{"<script", "javascript:", "onclick"} {
			if strings.Contains(c.BodyHTML, bad) || strings.Contains(c.Body, bad) {
				t.Errorf("kept %q: %s", bad, c.BodyHTML)
			}
		}
		if ev := f.events(t); len(ev) != 1 || ev[0] != "create comment "+c.ID+" -" {
			t.Errorf("events = %q", ev)
		}

		// The same object again: the same comment, nothing written.
		before := f.State(t)
		again, err := f.svc.AddRemote(f.ctx, in)
		wantErr(t, err, nil, "add again")
		if again.ID != c.ID {
			t.Errorf("second delivery made comment %s, first was %s", again.ID, c.ID)
		}
		f.Unchanged(t, before, "second delivery")
		if n := f.commentCount(t, f.proposal); n != 1 {
			t.Errorf("count = %d", n)
		}

		reply, err := f.svc.AddRemote(f.ctx, debates.RemoteComment{APID: "https://social.example/notes/2", Actor: zoe,
			ParentID: c.ID, Content: "<p>Replying to myself</p>"})
		wantErr(t, err, nil, "remote reply")
		if reply.Target() != f.proposal || reply.Depth != 1 {
			t.Errorf("reply = %+v", reply)
		}

		before = f.State(t)
		for _, tt := range []struct {
			name string
			in   debates.RemoteComment
			want error
		}{
			{"same id, other actor", func() debates.RemoteComment { x := in; x.Actor = mallory; return x }(), debates.ErrForbidden},
			{"no id", debates.RemoteComment{Actor: zoe, Target: f.proposal, Content: "<p>x</p>"}, debates.ErrRemote},
			{"relative id", debates.RemoteComment{APID: "/notes/3", Actor: zoe, Target: f.proposal, Content: "<p>x</p>"}, debates.ErrRemote},
			{"ftp actor", debates.RemoteComment{APID: "https://social.example/n/3", Actor: "ftp://social.example/zoe", Target: f.proposal, Content: "<p>x</p>"}, debates.ErrRemote},
			{"bad page", debates.RemoteComment{APID: "https://social.example/n/3", Actor: zoe, URL: "javascript:alert(1)", Target: f.proposal, Content: "<p>x</p>"}, debates.ErrRemote},
			{"only a script", debates.RemoteComment{APID: "https://social.example/n/3", Actor: zoe, Target: f.proposal, Content: "<script>x</script>"}, debates.ErrBody},
			{"too long", debates.RemoteComment{APID: "https://social.example/n/3", Actor: zoe, Target: f.proposal, Content: "<p>" + strings.Repeat("a", 5001) + "</p>"}, debates.ErrBody},
			{"no target", debates.RemoteComment{APID: "https://social.example/n/3", Actor: zoe, Content: "<p>x</p>"}, debates.ErrTarget},
			{"unknown parent", debates.RemoteComment{APID: "https://social.example/n/3", Actor: zoe, ParentID: "nope", Content: "<p>x</p>"}, debates.ErrParent},
		} {
			_, err := f.svc.AddRemote(f.ctx, tt.in)
			wantErr(t, err, tt.want, tt.name)
		}
		f.Unchanged(t, before, "refused remote comments")
	})
}

func TestEditAndDeleteRemote(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		c, err := f.svc.AddRemote(f.ctx, debates.RemoteComment{APID: "https://social.example/notes/1", Actor: zoe,
			Target: f.proposal, Content: "<p>First</p>"})
		wantErr(t, err, nil, "add")
		reply := f.comment(t, accounts.As(f.alice), f.proposal, c.ID, "A local reply.")

		before := f.State(t)
		_, err = f.svc.EditRemote(f.ctx, *c.APID, mallory, "<p>Hijacked</p>")
		wantErr(t, err, debates.ErrForbidden, "edit by another actor")
		wantErr(t, f.svc.DeleteRemote(f.ctx, *c.APID, mallory), debates.ErrForbidden, "delete by another actor")
		_, err = f.svc.EditRemote(f.ctx, "https://social.example/notes/404", zoe, "<p>x</p>")
		wantErr(t, err, debates.ErrNotFound, "edit unknown")
		_, err = f.svc.EditRemote(f.ctx, *c.APID, zoe, "")
		wantErr(t, err, debates.ErrBody, "edit to empty")
		// Local people cannot touch a remote comment, nor peers a local one.
		_, err = f.svc.Edit(f.ctx, accounts.As(f.alice), c.ID, "Mine?")
		wantErr(t, err, debates.ErrForbidden, "local edit of a remote comment")
		wantErr(t, f.svc.Delete(f.ctx, accounts.As(f.alice), c.ID), debates.ErrForbidden, "local delete of a remote comment")
		wantErr(t, f.svc.DeleteRemote(f.ctx, reply.ID, zoe), debates.ErrNotFound, "remote delete of a local comment")
		f.Unchanged(t, before, "refused remote acts")

		e, err := f.svc.EditRemote(f.ctx, *c.APID, zoe, "<p>Second <em>thoughts</em></p>")
		wantErr(t, err, nil, "edit")
		if e.BodyHTML != "<p>Second <em>thoughts</em></p>" {
			t.Errorf("edited = %q", e.BodyHTML)
		}
		h, err := f.svc.History(f.ctx, c.ID)
		wantErr(t, err, nil, "history")
		if len(h) != 1 || h[0].Body != "<p>First</p>" || h[0].EditedBy != "" {
			t.Errorf("history = %+v", h)
		}

		wantErr(t, f.svc.DeleteRemote(f.ctx, *c.APID, zoe), nil, "delete")
		stored, err := f.svc.Comment(f.ctx, c.ID)
		wantErr(t, err, nil, "load")
		if !stored.Deleted() {
			t.Errorf("comment with a reply not kept empty: %+v", stored)
		}
		// A replayed Create does not bring it back.
		before = f.State(t)
		again, err := f.svc.AddRemote(f.ctx, debates.RemoteComment{APID: *c.APID, Actor: zoe, Target: f.proposal, Content: "<p>First</p>"})
		wantErr(t, err, nil, "replay")
		if again.ID != c.ID || !again.Deleted() {
			t.Errorf("replay = %+v", again)
		}
		f.Unchanged(t, before, "replayed create")
		wantErr(t, f.svc.DeleteRemote(f.ctx, *c.APID, zoe), debates.ErrNotFound, "delete twice")

		ev := f.events(t)
		want := []string{"create comment " + c.ID + " -", "create comment " + reply.ID + " " + f.alice.ID,
			"update comment " + c.ID + " -", "delete comment " + c.ID + " -"}
		if strings.Join(ev, ",") != strings.Join(want, ",") {
			t.Errorf("events = %q, want %q", ev, want)
		}
		if n := f.commentCount(t, f.proposal); n != 1 {
			t.Errorf("count = %d", n)
		}
	})
}

func TestAddRemoteConcurrently(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		in := debates.RemoteComment{APID: "https://social.example/notes/1", Actor: zoe, Target: f.proposal, Content: "<p>Once</p>"}
		ids := make([]string, 8)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				c, err := f.svc.AddRemote(f.ctx, in)
				if err != nil {
					t.Errorf("delivery %d: %v", i, err)
					return
				}
				ids[i] = c.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] {
				t.Errorf("deliveries made comments %q", ids)
				break
			}
		}
		if n := f.Count(t, "comments", ""); n != 1 {
			t.Errorf("%d comments, want 1", n)
		}
		if n := f.Count(t, "outbox_events", ""); n != 1 {
			t.Errorf("%d events, want 1", n)
		}
		if n := f.commentCount(t, f.proposal); n != 1 {
			t.Errorf("count = %d", n)
		}
	})
}

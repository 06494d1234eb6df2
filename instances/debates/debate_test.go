package debates_test

import (
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
)

func TestCreateDebate(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		agent := f.account(t, "agent_1", accounts.Agent)
		refusals := []struct {
			name  string
			actor accounts.Actor
			in    debates.NewDebate
			want  error
		}{
			{"empty question", accounts.As(f.alice), debates.NewDebate{SpaceID: f.space, Question: " \n\t "}, debates.ErrQuestion},
			{"question too long", accounts.As(f.alice), debates.NewDebate{SpaceID: f.space, Question: strings.Repeat("é", 201)}, debates.ErrQuestion},
			{"description too long", accounts.As(f.alice), debates.NewDebate{SpaceID: f.space, Question: "Q?", Description: strings.Repeat("é", 5001)}, debates.ErrDescription},
			{"NUL in description", accounts.As(f.alice), debates.NewDebate{SpaceID: f.space, Question: "Q?", Description: "a\x00b"}, debates.ErrDescription},
			{"no such space", accounts.As(f.alice), debates.NewDebate{SpaceID: "nowhere", Question: "Q?"}, debates.ErrNotFound},
			{"the node", accounts.System, debates.NewDebate{SpaceID: f.space, Question: "Q?"}, debates.ErrForbidden},
			{"a resident for another", accounts.Actor{Account: f.alice, OnBehalfOf: agent, Desk: "Mairie"}, debates.NewDebate{SpaceID: f.space, Question: "Q?"}, debates.ErrForbidden},
		}
		for _, tt := range refusals {
			before := f.State(t)
			_, err := f.svc.CreateDebate(f.ctx, tt.actor, tt.in)
			wantErr(t, err, tt.want, tt.name)
			f.Unchanged(t, before, tt.name)
		}

		d, err := f.svc.CreateDebate(f.ctx, accounts.As(f.alice), debates.NewDebate{
			SpaceID: f.space, Question: "  Trees on\nthe  boulevard? ",
			Description: strings.Repeat("x", 4900) + " <script>alert(1)</script> [go](javascript:alert(1))",
		})
		wantErr(t, err, nil, "create")
		if d.Question != "Trees on the boulevard?" || d.State != debates.DebateOpen || d.AuthorID != f.alice.ID ||
			d.EnteredBy != "" || d.Desk != "" || d.EditedAt != nil {
			t.Errorf("debate = %+v", d)
		}
		if strings.Contains(d.DescriptionHTML, "<script") || strings.Contains(d.DescriptionHTML, "javascript:") {
			t.Errorf("description not sanitised: %s", d.DescriptionHTML)
		}
		got, err := f.svc.Debate(f.ctx, d.ID)
		wantErr(t, err, nil, "load")
		if got.Question != d.Question || !got.CreatedAt.Equal(start) || got.Description != d.Description {
			t.Errorf("stored debate = %+v", got)
		}
		if _, err := f.svc.CreateDebate(f.ctx, accounts.As(f.alice), debates.NewDebate{SpaceID: f.space, Question: strings.Repeat("é", 200)}); err != nil {
			t.Errorf("200-character question: %v", err)
		}
		if ev := f.events(t); len(ev) != 2 || ev[0] != "create debate "+d.ID+" "+f.alice.ID {
			t.Errorf("outbox = %q", ev)
		}
		_, err = f.svc.Debate(f.ctx, "nope")
		wantErr(t, err, debates.ErrNotFound, "load unknown")
	})
}

func TestEditAndCloseDebate(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		agent := f.account(t, "agent_1", accounts.Agent)
		moderator := f.account(t, "moderator_1", accounts.Moderator)
		d := f.debate(t)

		before := f.State(t)
		_, err := f.svc.EditDebate(f.ctx, accounts.As(bob), d.ID, debates.DebateEdit{Question: "Mine now?"})
		wantErr(t, err, debates.ErrForbidden, "edit by another resident")
		_, err = f.svc.EditDebate(f.ctx, accounts.As(f.alice), d.ID, debates.DebateEdit{Question: ""})
		wantErr(t, err, debates.ErrQuestion, "edit to an empty question")
		_, err = f.svc.EditDebate(f.ctx, accounts.As(f.alice), d.ID, debates.DebateEdit{Question: d.Question, Description: d.Description})
		wantErr(t, err, nil, "edit changing nothing")
		f.Unchanged(t, before, "refused or empty edits")

		desk := accounts.Actor{Account: agent, OnBehalfOf: f.alice, Desk: "Mairie"}
		f.clock.Advance(time.Minute)
		e, err := f.svc.EditDebate(f.ctx, desk, d.ID, debates.DebateEdit{Question: "Car-free on Sundays?", Description: "**Yes**"})
		wantErr(t, err, nil, "edit at a desk")
		if e.Question != "Car-free on Sundays?" || e.DescriptionHTML != "<p><strong>Yes</strong></p>" {
			t.Errorf("edited = %+v", e)
		}
		if got, _ := f.svc.Debate(f.ctx, d.ID); got.EditedAt == nil || !got.EditedAt.Equal(start.Add(time.Minute)) {
			t.Errorf("edited_at = %v, want %v", got.EditedAt, start.Add(time.Minute))
		}

		before = f.State(t)
		for _, tt := range []struct {
			name       string
			actor      accounts.Actor
			conclusion string
			want       error
		}{
			{"another resident", accounts.As(bob), "Done.", debates.ErrForbidden},
			{"an agent for someone else", accounts.Actor{Account: agent, OnBehalfOf: bob}, "Done.", debates.ErrForbidden},
			{"no conclusion", accounts.As(f.alice), "  ", debates.ErrConclusion},
			{"conclusion too long", accounts.As(f.alice), strings.Repeat("a", 5001), debates.ErrConclusion},
		} {
			_, err := f.svc.CloseDebate(f.ctx, tt.actor, d.ID, tt.conclusion)
			wantErr(t, err, tt.want, tt.name)
		}
		f.Unchanged(t, before, "refused closes")

		f.clock.Advance(time.Hour)
		closed, err := f.svc.CloseDebate(f.ctx, accounts.As(moderator), d.ID, "Agreed: *Sundays*.")
		wantErr(t, err, nil, "close by a moderator")
		if closed.State != debates.DebateClosed || closed.ConclusionHTML != "<p>Agreed: <em>Sundays</em>.</p>" ||
			closed.ClosedAt == nil || !closed.ClosedAt.Equal(start.Add(time.Hour+time.Minute)) {
			t.Errorf("closed = %+v", closed)
		}
		before = f.State(t)
		_, err = f.svc.CloseDebate(f.ctx, accounts.As(f.alice), d.ID, "Again.")
		wantErr(t, err, debates.ErrClosed, "close twice")
		_, err = f.svc.EditDebate(f.ctx, accounts.As(f.alice), d.ID, debates.DebateEdit{Question: "Reopen?"})
		wantErr(t, err, debates.ErrClosed, "edit closed")
		f.Unchanged(t, before, "acts on a closed debate")

		official := f.account(t, "official_1", accounts.Official)
		admin := f.account(t, "admin_1", accounts.Admin)
		for name, actor := range map[string]accounts.Actor{"author": accounts.As(f.alice), "node": accounts.System,
			"official": accounts.As(official), "admin": accounts.As(admin)} {
			other := f.debate(t)
			if _, err := f.svc.CloseDebate(f.ctx, actor, other.ID, "Closed."); err != nil {
				t.Errorf("close by %s: %v", name, err)
			}
		}
		want := []string{"create debate " + d.ID + " " + f.alice.ID, "update debate " + d.ID + " " + f.alice.ID, "update debate " + d.ID + " " + f.alice.ID}
		if ev := f.events(t)[:3]; strings.Join(ev, ",") != strings.Join(want, ",") {
			t.Errorf("outbox = %q, want %q", ev, want)
		}
	})
}

func TestDebateAtDesk(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		agent := f.account(t, "agent_1", accounts.Agent)
		bob := f.account(t, "bob")
		desk := accounts.Actor{Account: agent, OnBehalfOf: bob, Desk: "Mairie du 11e"}
		d, err := f.svc.CreateDebate(f.ctx, desk, debates.NewDebate{SpaceID: f.space, Question: "A market on Sundays?"})
		wantErr(t, err, nil, "create at a desk")
		got, err := f.svc.Debate(f.ctx, d.ID)
		wantErr(t, err, nil, "load")
		if got.AuthorID != bob.ID || got.EnteredBy != agent.ID || got.Desk != "Mairie du 11e" {
			t.Errorf("stored = author %q entered by %q at %q", got.AuthorID, got.EnteredBy, got.Desk)
		}
		if ev := f.events(t); ev[len(ev)-1] != "create debate "+d.ID+" "+bob.ID {
			t.Errorf("events = %q", ev)
		}
		// The resident, back home, edits and closes what they asked.
		_, err = f.svc.EditDebate(f.ctx, accounts.As(bob), d.ID, debates.DebateEdit{Question: "A market on Saturdays?"})
		wantErr(t, err, nil, "edit by the resident")
		before := f.State(t)
		for name, actor := range map[string]accounts.Actor{
			"the agent alone":           accounts.As(agent),
			"an agent for someone else": {Account: agent, OnBehalfOf: f.alice, Desk: "Mairie"},
			"a resident for another":    {Account: f.alice, OnBehalfOf: bob, Desk: "Mairie"},
		} {
			_, err := f.svc.EditDebate(f.ctx, actor, d.ID, debates.DebateEdit{Question: "Not theirs?"})
			wantErr(t, err, debates.ErrForbidden, "edit by "+name)
		}
		_, err = f.svc.CreateDebate(f.ctx, accounts.Actor{Account: agent, OnBehalfOf: f.alice, Desk: "Mairie"},
			debates.NewDebate{SpaceID: f.space, Question: "  "})
		wantErr(t, err, debates.ErrQuestion, "empty question at a desk")
		f.Unchanged(t, before, "refused desk acts")
		// Typed by the resident: no agent, no desk, whatever the actor says.
		own, err := f.svc.CreateDebate(f.ctx, accounts.Actor{Account: bob, Desk: "Ignored"}, debates.NewDebate{SpaceID: f.space, Question: "Mine?"})
		wantErr(t, err, nil, "create")
		if own.EnteredBy != "" || own.Desk != "" {
			t.Errorf("own debate = entered by %q at %q", own.EnteredBy, own.Desk)
		}
	})
}

func TestClosedDebateRefusesComments(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		d := f.debate(t)
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		c := f.comment(t, accounts.As(bob), target, "", "Yes, please.")
		wantErr(t, f.svc.TakesComments(f.ctx, target), nil, "takes comments while open")
		if _, err := f.svc.CloseDebate(f.ctx, accounts.As(f.alice), d.ID, "Done."); err != nil {
			t.Fatal(err)
		}
		wantErr(t, f.svc.TakesComments(f.ctx, target), debates.ErrClosed, "takes comments once closed")
		wantErr(t, f.svc.TakesComments(f.ctx, f.proposal), nil, "a proposal takes comments")
		f.hide(t, "proposals", f.proposal.ID)
		wantErr(t, f.svc.TakesComments(f.ctx, f.proposal), debates.ErrHidden, "a hidden proposal")
		wantErr(t, f.svc.TakesComments(f.ctx, debates.Target{Kind: debates.TargetDebate, ID: "nope"}), debates.ErrNotFound, "no such debate")
		wantErr(t, f.svc.TakesComments(f.ctx, debates.Target{Kind: "space", ID: f.space}), debates.ErrTarget, "not a target")
		before := f.State(t)
		_, err := f.svc.Add(f.ctx, accounts.As(bob), debates.NewComment{Target: target, Body: "Late."})
		wantErr(t, err, debates.ErrClosed, "comment on a closed debate")
		_, err = f.svc.Add(f.ctx, accounts.As(f.alice), debates.NewComment{ParentID: c.ID, Body: "Late reply."})
		wantErr(t, err, debates.ErrClosed, "reply on a closed debate")
		_, err = f.svc.Edit(f.ctx, accounts.As(bob), c.ID, "Edited late.")
		wantErr(t, err, debates.ErrClosed, "edit on a closed debate")
		err = f.svc.Support(f.ctx, accounts.As(f.alice), c.ID)
		wantErr(t, err, debates.ErrClosed, "support on a closed debate")
		_, err = f.svc.AddRemote(f.ctx, debates.RemoteComment{APID: "https://social.example/notes/1",
			Actor: "https://social.example/users/zoe", Target: target, Content: "<p>Late</p>"})
		wantErr(t, err, debates.ErrClosed, "remote comment on a closed debate")
		f.Unchanged(t, before, "acts on a closed debate")

		// Its author may still take their words back.
		wantErr(t, f.svc.Delete(f.ctx, accounts.As(bob), c.ID), nil, "delete on a closed debate")
		if n := f.commentCount(t, target); n != 0 {
			t.Errorf("comment count = %d", n)
		}
	})
}

func TestDeleteDebate(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		d := f.debate(t)
		target := debates.Target{Kind: debates.TargetDebate, ID: d.ID}
		c := f.comment(t, accounts.As(bob), target, "", "First!")

		before := f.State(t)
		wantErr(t, f.svc.DeleteDebate(f.ctx, accounts.As(bob), d.ID), debates.ErrForbidden, "delete by another")
		wantErr(t, f.svc.DeleteDebate(f.ctx, accounts.As(f.alice), d.ID), debates.ErrHasComments, "delete with comments")
		wantErr(t, f.svc.DeleteDebate(f.ctx, accounts.As(f.alice), "nope"), debates.ErrNotFound, "delete unknown")
		f.Unchanged(t, before, "refused deletes")

		wantErr(t, f.svc.Delete(f.ctx, accounts.As(bob), c.ID), nil, "delete the comment")
		wantErr(t, f.svc.DeleteDebate(f.ctx, accounts.As(f.alice), d.ID), nil, "delete")
		if n := f.Count(t, "debates", "id = ?", d.ID); n != 0 {
			t.Errorf("debate still there")
		}
		ev := f.events(t)
		if last := ev[len(ev)-1]; last != "delete debate "+d.ID+" "+f.alice.ID {
			t.Errorf("last event = %q", last)
		}
	})
}

func TestListDebates(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		var ids []string
		for range 3 {
			ids = append(ids, f.debate(t).ID)
			f.clock.Advance(time.Minute)
		}
		other := f.newSpace(t, "nord")
		if _, err := f.svc.CreateDebate(f.ctx, accounts.As(f.alice), debates.NewDebate{SpaceID: other, Question: "Elsewhere?"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.CloseDebate(f.ctx, accounts.System, ids[0], "Done."); err != nil {
			t.Fatal(err)
		}
		f.hide(t, "debates", ids[1])

		list := func(filter debates.DebateFilter) []string {
			t.Helper()
			ds, err := f.svc.Debates(f.ctx, filter)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, d := range ds {
				out = append(out, d.ID)
				if d.Hidden() && (d.Description != "" || d.DescriptionHTML != "") {
					t.Errorf("hidden debate listed with its description")
				}
			}
			return out
		}
		eq := func(got, want []string, what string) {
			t.Helper()
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("%s = %q, want %q", what, got, want)
			}
		}
		eq(list(debates.DebateFilter{SpaceID: f.space}), []string{ids[2], ids[1], ids[0]}, "newest first")
		eq(list(debates.DebateFilter{SpaceID: f.space, State: debates.DebateClosed}), []string{ids[0]}, "closed")
		eq(list(debates.DebateFilter{SpaceID: f.space, Limit: 2}), []string{ids[2], ids[1]}, "first page")
		eq(list(debates.DebateFilter{SpaceID: f.space, Before: start.Add(2 * time.Minute)}), []string{ids[1], ids[0]}, "next page")
	})
}

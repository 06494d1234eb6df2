package moderation_test

import (
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
)

func TestHideAndUnhide(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		d := f.debate(t)
		c := f.comment(t, "", "Rude words.")
		onProposal := debates.Target{Kind: debates.TargetProposal, ID: f.proposal}
		items := []struct {
			target moderation.Target
			table  string
		}{
			{moderation.Target{Kind: moderation.TargetProposal, ID: f.proposal}, "proposals"},
			{moderation.Target{Kind: moderation.TargetDebate, ID: d.ID}, "debates"},
			{moderation.Target{Kind: moderation.TargetComment, ID: c.ID}, "comments"},
		}
		for _, it := range items {
			t.Run(string(it.target.Kind), func(t *testing.T) {
				before := f.State(t)
				wantErr(t, f.svc.Hide(f.ctx, f.mod(), it.target, "  "), moderation.ErrReason, "hide without a reason")
				wantErr(t, f.svc.Hide(f.ctx, f.mod(), it.target, strings.Repeat("é", 1001)), moderation.ErrReason, "hide with a long reason")
				wantErr(t, f.svc.Unhide(f.ctx, f.mod(), it.target, "Fine."), moderation.ErrNotHidden, "unhide what is shown")
				wantErr(t, f.svc.Hide(f.ctx, f.mod(), moderation.Target{Kind: it.target.Kind, ID: "nope"}, "Spam."), moderation.ErrNotFound, "hide unknown")
				f.Unchanged(t, before, "refused hides")

				wantErr(t, f.svc.Hide(f.ctx, f.mod(), it.target, " Insults. "), nil, "hide")
				if h, why := f.hidden(t, it.table, it.target.ID); !h || why != "Insults." {
					t.Errorf("after hiding: hidden %t, reason %q", h, why)
				}
				before = f.State(t)
				wantErr(t, f.svc.Hide(f.ctx, f.mod(), it.target, "Again."), moderation.ErrHidden, "hide twice")
				f.Unchanged(t, before, "hiding twice")

				f.clock.Advance(time.Second)
				wantErr(t, f.svc.Unhide(f.ctx, accounts.System, it.target, "Appeal upheld."), nil, "unhide by the node")
				if h, why := f.hidden(t, it.table, it.target.ID); h || why != "" {
					t.Errorf("after showing again: hidden %t, reason %q", h, why)
				}
				log, err := f.svc.Log(f.ctx, moderation.LogFilter{Limit: 2})
				wantErr(t, err, nil, "log")
				if len(log) != 2 || log[0].Action != moderation.ActionUnhide || log[0].Reason != "Appeal upheld." ||
					log[1].Action != moderation.ActionHide || log[1].Reason != "Insults." || log[1].Target != it.target ||
					log[1].SpaceID != f.space || !log[0].At.Equal(f.clock.Now()) {
					t.Errorf("log = %+v", log)
				}
				ev := f.events(t)
				want := "update " + string(it.target.Kind) + " " + it.target.ID + " -"
				if got := ev[len(ev)-2:]; got[0] != want || got[1] != want {
					t.Errorf("events = %q, want two %q", got, want)
				}
			})
		}

		// A hidden comment leaves its thread's count, and comes back.
		if n := f.commentCount(t, onProposal); n != 1 {
			t.Errorf("count = %d", n)
		}
		target := moderation.Target{Kind: moderation.TargetComment, ID: c.ID}
		wantErr(t, f.svc.Hide(f.ctx, f.mod(), target, "Insults."), nil, "hide comment")
		if n := f.commentCount(t, onProposal); n != 0 {
			t.Errorf("count with the comment hidden = %d", n)
		}
		nodes, err := f.debates.Thread(f.ctx, onProposal, debates.ThreadOptions{})
		wantErr(t, err, nil, "thread")
		if len(nodes) != 1 || !nodes[0].Hidden() || nodes[0].HiddenReason != "Insults." || nodes[0].BodyHTML != "" {
			t.Errorf("thread shows %+v", nodes[0].Comment)
		}
		// Deleted while hidden: the count does not move again.
		wantErr(t, f.debates.Delete(f.ctx, accounts.As(f.alice), c.ID), nil, "delete hidden")
		if n := f.commentCount(t, onProposal); n != 0 {
			t.Errorf("count after deleting the hidden comment = %d", n)
		}
	})
}

func TestHideDeletedComment(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		parent := f.comment(t, "", "Regretted.")
		f.comment(t, parent.ID, "Reply.")
		wantErr(t, f.debates.Delete(f.ctx, accounts.As(f.alice), parent.ID), nil, "delete")
		before := f.State(t)
		target := moderation.Target{Kind: moderation.TargetComment, ID: parent.ID}
		wantErr(t, f.svc.Hide(f.ctx, f.mod(), target, "Spam."), moderation.ErrNotFound, "hide a deleted comment")
		_, err := f.svc.Report(f.ctx, accounts.As(f.alice), target, "Spam.")
		wantErr(t, err, moderation.ErrNotFound, "report a deleted comment")
		wantErr(t, f.svc.Hide(f.ctx, f.mod(), moderation.Target{Kind: "space", ID: f.space}, "Spam."), moderation.ErrTarget, "hide a space")
		f.Unchanged(t, before, "refused acts")
	})
}

func TestGuards(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		agent := f.account(t, "agent_1", accounts.Agent)
		admin := f.account(t, "admin_1", accounts.Admin)
		official := f.account(t, "official_1", accounts.Official)
		other := f.newProposal(t, f.space, bob.ID)
		report, err := f.svc.Report(f.ctx, accounts.As(bob), moderation.Target{Kind: moderation.TargetProposal, ID: f.proposal}, "Off topic.")
		wantErr(t, err, nil, "report")
		target := moderation.Target{Kind: moderation.TargetProposal, ID: f.proposal}
		wantErr(t, f.svc.Hide(f.ctx, accounts.System, moderation.Target{Kind: moderation.TargetProposal, ID: other}, "Spam."), nil, "node hides")

		actors := map[string]accounts.Actor{
			"resident":                 accounts.As(bob),
			"agent":                    accounts.As(agent),
			"admin":                    accounts.As(admin),
			"official":                 accounts.As(official),
			"agent at a desk":          {Account: agent, OnBehalfOf: bob, Desk: "Mairie"},
			"moderator for a resident": {Account: f.moderator, OnBehalfOf: bob, Desk: "Mairie"},
		}
		for name, actor := range actors {
			before := f.State(t)
			wantErr(t, f.svc.Hide(f.ctx, actor, target, "Spam."), moderation.ErrForbidden, name+" hides")
			wantErr(t, f.svc.Unhide(f.ctx, actor, moderation.Target{Kind: moderation.TargetProposal, ID: other}, "Fine."), moderation.ErrForbidden, name+" unhides")
			wantErr(t, f.svc.Recategorise(f.ctx, actor, f.proposal, "greenery", "Trees."), moderation.ErrForbidden, name+" recategorises")
			wantErr(t, f.svc.Merge(f.ctx, actor, other, f.proposal, "Same."), moderation.ErrForbidden, name+" merges")
			_, err := f.svc.Resolve(f.ctx, actor, report.ID, "Done.")
			wantErr(t, err, moderation.ErrForbidden, name+" resolves")
			_, err = f.svc.Reports(f.ctx, actor, moderation.ReportFilter{})
			wantErr(t, err, moderation.ErrForbidden, name+" lists reports")
			f.Unchanged(t, before, name+"'s refused acts")
		}
		// The node may.
		wantErr(t, f.svc.Recategorise(f.ctx, accounts.System, f.proposal, "greenery", "Trees."), nil, "node recategorises")
		_, err = f.svc.Resolve(f.ctx, accounts.System, report.ID, "Done.")
		wantErr(t, err, nil, "node resolves")
	})
}

// Hiding an item answers its open reports: they are resolved with the
// reason, in the same act; reports on other items stay open, and one
// entry in the public log stands for the decision.
func TestHideClosesReports(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob, carol := f.account(t, "bob"), f.account(t, "carol")
		c := f.comment(t, "", "Rude words.")
		comment := moderation.Target{Kind: moderation.TargetComment, ID: c.ID}
		proposal := moderation.Target{Kind: moderation.TargetProposal, ID: f.proposal}
		r1, err := f.svc.Report(f.ctx, accounts.As(bob), comment, "Insults.")
		wantErr(t, err, nil, "report by bob")
		r2, err := f.svc.Report(f.ctx, accounts.As(carol), comment, "Rude.")
		wantErr(t, err, nil, "report by carol")
		r3, err := f.svc.Report(f.ctx, accounts.As(bob), proposal, "Off topic.")
		wantErr(t, err, nil, "report of the proposal")

		// A refused hide closes nothing.
		before := f.State(t)
		wantErr(t, f.svc.Hide(f.ctx, f.mod(), comment, " "), moderation.ErrReason, "hide without a reason")
		f.Unchanged(t, before, "refused hide")

		f.clock.Advance(time.Minute)
		wantErr(t, f.svc.Hide(f.ctx, f.mod(), comment, "Insults."), nil, "hide")
		for _, id := range []string{r1.ID, r2.ID} {
			r, err := f.svc.ReportByID(f.ctx, f.mod(), id)
			wantErr(t, err, nil, "read report")
			if r.Open() || r.Resolution != "Insults." || !r.ResolvedAt.Equal(f.clock.Now()) {
				t.Errorf("report %s after the hide: %+v", id, r)
			}
		}
		open, err := f.svc.Reports(f.ctx, f.mod(), moderation.ReportFilter{})
		wantErr(t, err, nil, "open reports")
		if len(open) != 1 || open[0].ID != r3.ID {
			t.Errorf("open reports after the hide: %+v", open)
		}
		log, err := f.svc.Log(f.ctx, moderation.LogFilter{})
		wantErr(t, err, nil, "log")
		if len(log) != 1 || log[0].Action != moderation.ActionHide {
			t.Errorf("log = %+v", log)
		}
	})
}

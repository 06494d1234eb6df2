package moderation_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/moderation"
)

func TestReport(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		carol := f.account(t, "carol")
		agent := f.account(t, "agent_1", accounts.Agent)
		d := f.debate(t)
		c := f.comment(t, "", "Spam spam.")
		targets := []moderation.Target{
			{Kind: moderation.TargetProposal, ID: f.proposal},
			{Kind: moderation.TargetDebate, ID: d.ID},
			{Kind: moderation.TargetComment, ID: c.ID},
		}
		for _, target := range targets {
			r, err := f.svc.Report(f.ctx, accounts.As(bob), target, " Advertising. ")
			wantErr(t, err, nil, "report "+string(target.Kind))
			if r.ReporterID != bob.ID || r.Reason != "Advertising." || r.Target() != target || !r.Open() {
				t.Errorf("report = %+v", r)
			}
			before := f.State(t)
			again, err := f.svc.Report(f.ctx, accounts.As(bob), target, "Still advertising.")
			wantErr(t, err, nil, "report again")
			if again.ID != r.ID || again.Reason != "Advertising." {
				t.Errorf("second report = %+v, first %+v", again, r)
			}
			f.Unchanged(t, before, "reporting twice")
		}
		// Another reporter is another report; an agent reports for the
		// resident at the desk.
		r2, err := f.svc.Report(f.ctx, accounts.As(carol), targets[0], "Off topic.")
		wantErr(t, err, nil, "report by another")
		dan := f.account(t, "dan")
		r3, err := f.svc.Report(f.ctx, accounts.Actor{Account: agent, OnBehalfOf: dan, Desk: "Mairie"}, targets[0], "Said at the desk.")
		wantErr(t, err, nil, "report at a desk")
		if r3.ReporterID != dan.ID {
			t.Errorf("desk report by %q", r3.ReporterID)
		}
		if n := f.Count(t, "reports", ""); n != 5 {
			t.Errorf("%d reports, want 5", n)
		}
		// Once resolved, reporting again opens a new report.
		_, err = f.svc.Resolve(f.ctx, f.mod(), r2.ID, "Checked: on topic.")
		wantErr(t, err, nil, "resolve")
		r4, err := f.svc.Report(f.ctx, accounts.As(carol), targets[0], "Off topic, really.")
		wantErr(t, err, nil, "report after resolution")
		if r4.ID == r2.ID {
			t.Errorf("a resolved report was reopened")
		}

		before := f.State(t)
		for _, tt := range []struct {
			name   string
			actor  accounts.Actor
			target moderation.Target
			why    string
			want   error
		}{
			{"no reason", accounts.As(bob), targets[1], "  ", moderation.ErrReason},
			{"long reason", accounts.As(bob), targets[1], strings.Repeat("é", 1001), moderation.ErrReason},
			{"unknown proposal", accounts.As(bob), moderation.Target{Kind: moderation.TargetProposal, ID: "nope"}, "Spam.", moderation.ErrNotFound},
			{"unknown comment", accounts.As(bob), moderation.Target{Kind: moderation.TargetComment, ID: "nope"}, "Spam.", moderation.ErrNotFound},
			{"unknown kind", accounts.As(bob), moderation.Target{Kind: "account", ID: bob.ID}, "Spam.", moderation.ErrTarget},
			{"the node", accounts.System, targets[1], "Spam.", moderation.ErrForbidden},
			{"resident for another", accounts.Actor{Account: bob, OnBehalfOf: carol}, targets[1], "Spam.", moderation.ErrForbidden},
			// Nobody reports what they wrote, nor an agent for them.
			{"own proposal", accounts.As(f.alice), targets[0], "Spam.", moderation.ErrOwnContent},
			{"own debate", accounts.As(f.alice), targets[1], "Spam.", moderation.ErrOwnContent},
			{"own comment", accounts.As(f.alice), targets[2], "Spam.", moderation.ErrOwnContent},
			{"own debate at a desk", accounts.Actor{Account: agent, OnBehalfOf: f.alice, Desk: "Mairie"}, targets[1], "Spam.", moderation.ErrOwnContent},
		} {
			_, err := f.svc.Report(f.ctx, tt.actor, tt.target, tt.why)
			wantErr(t, err, tt.want, tt.name)
		}
		f.Unchanged(t, before, "refused reports")
	})
}

func TestReportRemote(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		target := moderation.Target{Kind: moderation.TargetProposal, ID: f.proposal}
		const zoe = "https://social.example/users/zoe"
		r, err := f.svc.ReportRemote(f.ctx, zoe, target, "")
		wantErr(t, err, nil, "flag")
		if r.RemoteActor != zoe || r.ReporterID != "" || r.Reason != "no reason given" {
			t.Errorf("flag = %+v", r)
		}
		before := f.State(t)
		again, err := f.svc.ReportRemote(f.ctx, zoe, target, "Again")
		wantErr(t, err, nil, "flag again")
		if again.ID != r.ID {
			t.Errorf("second flag made a second report")
		}
		_, err = f.svc.ReportRemote(f.ctx, "ftp://social.example/zoe", target, "x")
		wantErr(t, err, moderation.ErrRemote, "bad actor")
		_, err = f.svc.ReportRemote(f.ctx, zoe, moderation.Target{Kind: moderation.TargetDebate, ID: "nope"}, "x")
		wantErr(t, err, moderation.ErrNotFound, "unknown target")
		f.Unchanged(t, before, "repeated or refused flags")

		f.clock.Advance(time.Second)
		long, err := f.svc.ReportRemote(f.ctx, "https://other.example/u/x", target, strings.Repeat("é", 1500))
		wantErr(t, err, nil, "long flag")
		if len([]rune(long.Reason)) != 1000 {
			t.Errorf("long flag reason kept %d characters", len([]rune(long.Reason)))
		}
		list, err := f.svc.Reports(f.ctx, f.mod(), moderation.ReportFilter{Target: target})
		wantErr(t, err, nil, "list")
		if len(list) != 2 || list[0].ID != r.ID {
			t.Errorf("open reports = %+v", list)
		}
	})
}

func TestResolve(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		c := f.comment(t, "", "Off topic.")
		target := moderation.Target{Kind: moderation.TargetComment, ID: c.ID}
		r, err := f.svc.Report(f.ctx, accounts.As(bob), target, "Off topic.")
		wantErr(t, err, nil, "report")

		before := f.State(t)
		_, err = f.svc.Resolve(f.ctx, f.mod(), r.ID, "")
		wantErr(t, err, moderation.ErrResolution, "no resolution")
		_, err = f.svc.Resolve(f.ctx, f.mod(), "nope", "Done.")
		wantErr(t, err, moderation.ErrNotFound, "unknown report")
		f.Unchanged(t, before, "refused resolutions")

		f.clock.Advance(time.Hour)
		done, err := f.svc.Resolve(f.ctx, f.mod(), r.ID, "Reviewed: allowed.")
		wantErr(t, err, nil, "resolve")
		if done.Open() || !done.ResolvedAt.Equal(f.clock.Now()) || done.Resolution != "Reviewed: allowed." {
			t.Errorf("resolved = %+v", done)
		}
		before = f.State(t)
		_, err = f.svc.Resolve(f.ctx, f.mod(), r.ID, "Again.")
		wantErr(t, err, moderation.ErrResolved, "resolve twice")
		f.Unchanged(t, before, "resolving twice")

		open, err := f.svc.Reports(f.ctx, f.mod(), moderation.ReportFilter{})
		wantErr(t, err, nil, "open reports")
		one, err := f.svc.ReportByID(f.ctx, f.mod(), r.ID)
		wantErr(t, err, nil, "load report")
		if one.ID != r.ID || one.ReporterID != bob.ID || one.Open() || one.Resolution != "Reviewed: allowed." {
			t.Errorf("report = %+v", one)
		}
		_, err = f.svc.ReportByID(f.ctx, accounts.As(bob), r.ID)
		wantErr(t, err, moderation.ErrForbidden, "load report as a resident")
		_, err = f.svc.ReportByID(f.ctx, f.mod(), "nope")
		wantErr(t, err, moderation.ErrNotFound, "load unknown report")
		closed, err := f.svc.Reports(f.ctx, f.mod(), moderation.ReportFilter{Resolved: true})
		wantErr(t, err, nil, "resolved reports")
		if len(open) != 0 || len(closed) != 1 || closed[0].ReporterID != bob.ID {
			t.Errorf("open %+v, resolved %+v", open, closed)
		}
		log, err := f.svc.Log(f.ctx, moderation.LogFilter{})
		wantErr(t, err, nil, "log")
		if len(log) != 1 || log[0].Action != moderation.ActionResolve || log[0].Target != target || log[0].SpaceID != f.space ||
			log[0].Reason != "Reviewed: allowed." {
			t.Errorf("log = %+v", log)
		}

		// A report on something deleted since is still resolved.
		r2, err := f.svc.Report(f.ctx, accounts.As(bob), target, "Still off topic.")
		wantErr(t, err, nil, "report again")
		wantErr(t, f.debates.Delete(f.ctx, accounts.As(f.alice), c.ID), nil, "author deletes")
		_, err = f.svc.Resolve(f.ctx, f.mod(), r2.ID, "Gone.")
		wantErr(t, err, nil, "resolve a report on something deleted")
	})
}

func TestReportConcurrently(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		target := moderation.Target{Kind: moderation.TargetProposal, ID: f.proposal}
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				if _, err := f.svc.Report(f.ctx, accounts.As(bob), target, "Spam."); err != nil {
					t.Errorf("report: %v", err)
				}
			})
		}
		wg.Wait()
		if n := f.Count(t, "reports", ""); n != 1 {
			t.Errorf("%d reports, want 1", n)
		}
	})
}

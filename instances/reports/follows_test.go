package reports_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"agora/instances/accounts"
	"agora/instances/notifications"
	"agora/instances/reports"
)

// told lists who has a report_state notification of report id, as
// "handle:state", sorted.
func (f *fixture) told(t testing.TB, n *notifications.Service, id string, who ...*accounts.Account) []string {
	t.Helper()
	var out []string
	for _, a := range who {
		ns, err := n.List(f.ctx, a.ID, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range ns {
			if x.SubjectKind == notifications.Report && x.SubjectID == id {
				if x.Kind != notifications.ReportState || x.Title != "Un trou dans la chaussée." {
					t.Errorf("notification %+v", x)
				}
				out = append(out, fmt.Sprintf("%s:%s", a.Handle, x.Detail))
			}
		}
	}
	slices.Sort(out)
	return out
}

// A reporter follows their report, a resident follows it with the
// button or by confirming it; a change of state tells them, in the
// change's transaction, and never the official who made it. Unfollowing
// stops it.
func TestReportFollows(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		n := notifications.NewService(f.db, f.clock.Now)
		carol := f.official(t, "carol", "") // any signed-in account may follow
		roads := accounts.As(f.roads)
		r := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		target := notifications.Target{Kind: notifications.Report, ID: r.ID}
		if on, err := n.Following(f.ctx, f.alice.ID, target); err != nil || !on {
			t.Fatalf("the reporter follows their report: %v %v", on, err)
		}
		parsed, err := notifications.ParseTarget("report", r.ID)
		if err != nil || parsed != target {
			t.Fatalf("ParseTarget: %+v %v", parsed, err)
		}
		wantErr(t, n.Follow(f.ctx, f.bob.ID, notifications.Target{Kind: notifications.Report, ID: "nope"}), notifications.ErrNotFound, "follow an unknown report")
		wantErr(t, n.Follow(f.ctx, carol.ID, target), nil, "follow")
		wantErr(t, f.svc.Confirm(f.ctx, accounts.As(f.bob), r.ID), nil, "confirm")
		if on, _ := n.Following(f.ctx, f.bob.ID, target); !on {
			t.Fatal("confirming follows the report")
		}

		wantErr(t, f.svc.ChangeState(f.ctx, roads, r.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}), nil, "acknowledge")
		want := []string{"alice:acknowledged", "bob:acknowledged", "carol:acknowledged"}
		if got := f.told(t, n, r.ID, f.alice, f.bob, carol, f.roads); !slices.Equal(got, want) {
			t.Errorf("told %q, want %q", got, want)
		}

		// A refused change writes no notification.
		before := f.State(t)
		wantErr(t, f.svc.ChangeState(f.ctx, roads, r.ID, reports.Change{To: reports.New, Message: "?"}), reports.ErrTransition, "bad transition")
		f.Unchanged(t, before, "a refused change")

		wantErr(t, n.Unfollow(f.ctx, carol.ID, target), nil, "unfollow")
		wantErr(t, n.Unfollow(f.ctx, f.alice.ID, target), nil, "the reporter unfollows")
		wantErr(t, f.svc.ChangeState(f.ctx, roads, r.ID, reports.Change{To: reports.Done, Message: "Rebouché."}), nil, "done")
		want = []string{"alice:acknowledged", "bob:acknowledged", "bob:done", "carol:acknowledged"}
		if got := f.told(t, n, r.ID, f.alice, f.bob, carol, f.roads); !slices.Equal(got, want) {
			t.Errorf("after unfollowing, told %q, want %q", got, want)
		}
		if !errors.Is(n.Follow(f.ctx, "", target), notifications.ErrSignIn) {
			t.Error("a visitor follows")
		}
	})
}

package decisions_test

import (
	"slices"
	"testing"

	"agora/instances/decisions"
	"agora/instances/notifications"
)

// TestVoteNotifies: the followers of a vote's space hear once that it
// opened (whoever runs the announcement, however often) and that it
// closed, with the winning option; a resident who follows nothing hears
// nothing.
func TestVoteNotifies(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		ns := notifications.NewService(f.DB, f.clock.Now)
		follower, other := f.resident(t), f.resident(t)
		if err := ns.Follow(f.ctx, follower.ID, notifications.Target{Kind: notifications.Space, ID: f.spaceID}); err != nil {
			t.Fatal(err)
		}
		kinds := func(accountID string) []string {
			t.Helper()
			list, err := ns.List(f.ctx, accountID, 0, notifications.MaxPage)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range slices.Backward(list) {
				out = append(out, string(n.Kind)+":"+n.Detail)
			}
			return out
		}
		v := f.vote(t, decisions.Single, nil) // the clock is now at its opening
		for i, want := range []int{1, 0} {
			if n, err := f.svc.AnnounceOpened(f.ctx); err != nil || n != want {
				t.Fatalf("AnnounceOpened #%d = %d, %v; want %d", i+1, n, err, want)
			}
		}
		f.cast(t, follower, v, opts("b"))
		f.cast(t, other, v, opts("b"))
		f.close(t, v)
		if got, want := kinds(follower.ID), []string{"vote_open:", "vote_closed:Des bancs"}; !slices.Equal(got, want) {
			t.Errorf("follower heard %q, want %q", got, want)
		}
		if got := kinds(other.ID); len(got) != 0 {
			t.Errorf("a resident who follows nothing heard %q", got)
		}
		// A vote that opened long ago is not announced late.
		late := f.vote(t, decisions.Single, nil)
		f.clock.Set(late.OpensAt.Add(decisions.AnnounceWithin + 1))
		if n, err := f.svc.AnnounceOpened(f.ctx); err != nil || n != 0 {
			t.Errorf("AnnounceOpened long after = %d, %v; want 0", n, err)
		}
	})
}

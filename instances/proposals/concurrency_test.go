package proposals_test

import (
	"sync"
	"testing"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// support has n residents support p at once and fails on any error.
func (f *fixture) supportAtOnce(t *testing.T, people []*accounts.Account, id string) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, len(people))
	ready := make(chan struct{})
	for _, who := range people {
		wg.Go(func() {
			<-ready
			errs <- f.svc.Support(f.ctx, accounts.As(who), id)
		})
	}
	close(ready)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Support: %v", err)
		}
	}
}

// TestConcurrentSupports: twenty residents supporting at the same moment
// are all counted, exactly once each.
func TestConcurrentSupports(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		p := f.propose(t, accounts.As(f.resident(t, "alice")), sp.ID, "Un banc")
		people := f.residents(t, 20)
		f.supportAtOnce(t, people, p.ID)
		if got := f.get(t, p.ID); got.SupportCount != 20 {
			t.Errorf("support count %d, want 20", got.SupportCount)
		}
		if n := f.Count(t, "proposal_supports", "proposal_id = ?", p.ID); n != 20 {
			t.Errorf("%d support rows, want 20", n)
		}

		// The same twenty again, at once: every one refused, nothing counted twice.
		var wg sync.WaitGroup
		for _, who := range people {
			wg.Go(func() {
				if err := f.svc.Support(f.ctx, accounts.As(who), p.ID); err != proposals.ErrAlreadySupported {
					t.Errorf("second concurrent Support: %v", err)
				}
			})
		}
		wg.Wait()
		if got := f.get(t, p.ID); got.SupportCount != 20 {
			t.Errorf("support count %d after supporting twice, want 20", got.SupportCount)
		}
	})
}

// TestConcurrentThreshold: when concurrent supports cross the threshold,
// the proposal goes to review exactly once.
func TestConcurrentThreshold(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", func(in *spaces.NewSpace) { in.SupportThreshold = 10 })
		p := f.propose(t, accounts.As(f.resident(t, "alice")), sp.ID, "Un banc")
		f.supportAtOnce(t, f.residents(t, 20), p.ID)
		if got := f.get(t, p.ID); got.SupportCount != 20 || got.State != proposals.Review {
			t.Errorf("after 20 supports: %d, %s", got.SupportCount, got.State)
		}
		if n := f.Count(t, "proposal_events", "proposal_id = ? AND kind = 'review'", p.ID); n != 1 {
			t.Errorf("%d review events, want 1", n)
		}
	})
}

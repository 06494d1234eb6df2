package debates_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
)

// addAtOnce has actor post n comments on target at the same moment and
// returns how many were stored and the refusals.
func (f *fixture) addAtOnce(t *testing.T, actor accounts.Actor, n int) (stored int, refused []error) {
	t.Helper()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		gate = make(chan struct{})
	)
	for i := range n {
		wg.Go(func() {
			<-gate
			_, err := f.svc.Add(f.ctx, actor, debates.NewComment{Target: f.proposal, Body: fmt.Sprintf("Message %d", i)})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				stored++
			} else {
				refused = append(refused, err)
			}
		})
	}
	close(gate)
	wg.Wait()
	return stored, refused
}

// Fifty comments posted at once by one resident: exactly ten are stored
// (the limit of a minute), the forty others refused with the time to
// wait; it used to store 14 to 32 of them, each request counting before
// any other had written.
func TestCommentLimitHoldsInParallel(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		stored, refused := f.addAtOnce(t, accounts.As(f.alice), 50)
		if stored != 10 || len(refused) != 40 {
			t.Fatalf("stored %d, refused %d; want 10 and 40", stored, len(refused))
		}
		for _, err := range refused {
			var rl *debates.RateLimitError
			if !errors.As(err, &rl) || !errors.Is(err, debates.ErrRateLimited) || rl.Wait <= 0 || rl.Wait > time.Minute {
				t.Fatalf("refusal %v, want a RateLimitError within a minute", err)
			}
		}
		if n := f.Count(t, "comments", "author_id = ?", f.alice.ID); n != 10 {
			t.Errorf("%d comments stored", n)
		}
		if n := f.Count(t, "outbox_events", "kind = 'create' AND object_type = 'comment'"); n != 10 {
			t.Errorf("%d create events", n)
		}
		// A minute later, ten more; the day's hundred hold too.
		for range 9 {
			f.clock.Advance(time.Minute)
			if stored, _ := f.addAtOnce(t, accounts.As(f.alice), 12); stored != 10 {
				t.Fatalf("after a minute: stored %d, want 10", stored)
			}
		}
		f.clock.Advance(time.Minute)
		before := f.State(t)
		_, err := f.svc.Add(f.ctx, accounts.As(f.alice), debates.NewComment{Target: f.proposal, Body: "Cent unième"})
		var rl *debates.RateLimitError
		if !errors.As(err, &rl) || rl.Wait < 23*time.Hour {
			t.Fatalf("the 101st comment of the day: %v, want a wait of about a day", err)
		}
		f.Unchanged(t, before, "a refused comment")
	})
}

// At a desk, what an agent types counts for the resident, not the agent:
// a busy desk is not held back by the residents it helped before.
func TestCommentLimitIsPerResidentAtADesk(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		agent := f.account(t, "agent_1", accounts.Agent)
		bob, carol := f.account(t, "bob"), f.account(t, "carol")
		for _, who := range []*accounts.Account{bob, carol} {
			desk := accounts.Actor{Account: agent, OnBehalfOf: who, Desk: "Mairie du 11e"}
			if stored, _ := f.addAtOnce(t, desk, 15); stored != 10 {
				t.Fatalf("for %s at the desk: stored %d, want 10", who.Handle, stored)
			}
		}
		if stored, _ := f.addAtOnce(t, accounts.As(agent), 3); stored != 3 {
			t.Errorf("the agent's own comments: %d stored, want 3", stored)
		}
	})
}

package proposals_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/markup"
	"agora/instances/proposals"
	"agora/storage/ratelimit"
	"agora/storage/storagetest"
)

// createAtOnce has actor publish n proposals at the same moment, each
// with the given files, and returns how many were published and the
// refusals.
func createAtOnce(t *testing.T, f *fixture, svc *proposals.Service, actor accounts.Actor, spaceID string, n int, files ...proposals.Attachment) (int, []error) {
	t.Helper()
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		gate    = make(chan struct{})
		created int
		refused []error
	)
	for i := range n {
		wg.Go(func() {
			<-gate
			_, err := svc.Create(f.ctx, actor, spaceID, proposals.Input{Title: fmt.Sprintf("Idée %d", i), Body: "Pourquoi pas.", Attachments: files})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				created++
			} else {
				refused = append(refused, err)
			}
		})
	}
	close(gate)
	wg.Wait()
	return created, refused
}

// paced is the fixture's service with the node's real limits and quota.
func (f *fixture) paced(opts ...proposals.Option) *proposals.Service {
	return proposals.NewService(f.db, markup.New(), f.acc, f.spaces, f.clock.Now, opts...)
}

// Fifty proposals posted at once by one resident: exactly five are
// published (five per ten minutes), the others refused with the time
// to wait and nothing written; then the day's twenty hold.
func TestProposalLimitHoldsInParallel(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		svc := f.paced()
		sp := f.space(t, "budget", nil)
		alice := f.resident(t, "alice")
		created, refused := createAtOnce(t, f, svc, accounts.As(alice), sp.ID, 50)
		if created != 5 || len(refused) != 45 {
			t.Fatalf("published %d, refused %d; want 5 and 45", created, len(refused))
		}
		for _, err := range refused {
			var rl *proposals.RateLimitError
			if !errors.As(err, &rl) || !errors.Is(err, proposals.ErrRateLimited) || rl.Desk || rl.Wait <= 0 || rl.Wait > 10*time.Minute {
				t.Fatalf("refusal %v, want a RateLimitError within ten minutes", err)
			}
		}
		if n := f.Count(t, "proposals", "author_id = ?", alice.ID); n != 5 {
			t.Errorf("%d proposals stored", n)
		}
		if n := f.Count(t, "outbox_events", "object_type = 'proposal'"); n != 5 {
			t.Errorf("%d outbox events", n)
		}
		for range 3 {
			f.clock.Advance(10 * time.Minute)
			if created, _ := createAtOnce(t, f, svc, accounts.As(alice), sp.ID, 8); created != 5 {
				t.Fatalf("ten minutes later: %d published, want 5", created)
			}
		}
		f.clock.Advance(10 * time.Minute)
		_, err := svc.Create(f.ctx, accounts.As(alice), sp.ID, proposals.Input{Title: "Vingt et unième", Body: "Encore."})
		var rl *proposals.RateLimitError
		if !errors.As(err, &rl) || rl.Wait < 23*time.Hour {
			t.Fatalf("the 21st proposal of the day: %v, want a wait of about a day", err)
		}
		// Someone else is not held back by alice.
		if _, err := svc.Create(f.ctx, accounts.As(f.resident(t, "bob")), sp.ID, proposals.Input{Title: "Un banc", Body: "Ici."}); err != nil {
			t.Errorf("bob: %v", err)
		}
	})
}

// At a desk, proposals count for the resident they are by, so one agent
// helps many residents; the agent's own bound (DeskLimits, here seven)
// counts everything entered at their desk, at once or not.
func TestProposalLimitsAtADesk(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		svc := f.paced(proposals.WithProposalLimits(nil, []ratelimit.Rule{{Max: 7, Window: time.Hour}}))
		sp := f.space(t, "budget", nil)
		agent := f.account(t, "agent_1", accounts.Agent)
		bob, carol := f.resident(t, "bob"), f.resident(t, "carol")
		desk := func(r *accounts.Account) accounts.Actor {
			return accounts.Actor{Account: agent, OnBehalfOf: r, Desk: "Mairie du 11e"}
		}
		if created, _ := createAtOnce(t, f, svc, desk(bob), sp.ID, 10); created != 5 {
			t.Fatalf("for bob: %d published, want 5 (his own limit)", created)
		}
		created, refused := createAtOnce(t, f, svc, desk(carol), sp.ID, 10)
		if created != 2 {
			t.Fatalf("for carol: %d published, want 2 (the desk's seven)", created)
		}
		var rl *proposals.RateLimitError
		if !errors.As(refused[0], &rl) || !rl.Desk {
			t.Errorf("refusal %v, want the desk's limit", refused[0])
		}
		// Carol herself, at home, still may.
		if _, err := svc.Create(f.ctx, accounts.As(carol), sp.ID, proposals.Input{Title: "De chez moi", Body: "Oui."}); err != nil {
			t.Errorf("carol at home: %v", err)
		}
		if n := f.Count(t, "proposals", "entered_by = ?", agent.ID); n != 7 {
			t.Errorf("%d proposals entered at the desk, want 7", n)
		}
	})
}

// The attachment quota holds when uploads race: with room for ten files,
// fifty proposals with one file each, at once, publish exactly ten; the
// others are refused with a QuotaError and leave nothing behind. Attach
// and Edit count against the same quota.
func TestAttachmentQuotaHoldsInParallel(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		const size = 1000
		svc := f.paced(proposals.WithAttachmentQuota(10*size),
			proposals.WithProposalLimits([]ratelimit.Rule{{Max: 1000, Window: time.Minute}}, nil))
		sp := f.space(t, "budget", nil)
		alice := f.resident(t, "alice")
		file := proposals.Attachment{BlobKey: "blob", Name: "plan.pdf", ContentType: "application/pdf", Size: size}
		created, refused := createAtOnce(t, f, svc, accounts.As(alice), sp.ID, 50, file)
		if created != 10 || len(refused) != 40 {
			t.Fatalf("published %d, refused %d; want 10 and 40", created, len(refused))
		}
		for _, err := range refused {
			var q *proposals.QuotaError
			if !errors.As(err, &q) || !errors.Is(err, proposals.ErrQuota) || q.Limit != 10*size || q.Adding != size || q.Used != 10*size {
				t.Fatalf("refusal %v, want a full QuotaError", err)
			}
		}
		if n := f.Count(t, "proposals", "author_id = ?", alice.ID); n != 10 {
			t.Errorf("%d proposals stored, want 10", n)
		}
		if used, quota, err := svc.AttachmentUse(f.ctx, alice.ID); err != nil || used != 10*size || quota != 10*size {
			t.Errorf("AttachmentUse = %d, %d, %v", used, quota, err)
		}
		// Attaching to a proposal without files is refused as well.
		p := f.propose(t, accounts.As(alice), sp.ID, "Sans fichier")
		before := storagetest.TakeSnapshot(t, f.db, append(tables, "proposal_attachments")...)
		if err := svc.Attach(f.ctx, accounts.As(alice), p.ID, []proposals.Attachment{file}); !errors.Is(err, proposals.ErrQuota) {
			t.Fatalf("Attach over the quota: %v", err)
		}
		before.Unchanged(t, f.db, "an attachment over the quota")
		// Another resident has her own room; the default quota is 200 MiB.
		bob := f.resident(t, "bob")
		if err := svc.Attach(f.ctx, accounts.As(bob), f.propose(t, accounts.As(bob), sp.ID, "Bob").ID, []proposals.Attachment{file}); err != nil {
			t.Errorf("bob: %v", err)
		}
		if _, quota, _ := f.paced().AttachmentUse(f.ctx, bob.ID); quota != 200<<20 {
			t.Errorf("default quota %d", quota)
		}
	})
}

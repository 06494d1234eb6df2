package federation

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"agora/federation/as2"
	"agora/storage/database"
)

// Accepted activities are committed in groups. A request that accepts an
// activity waits until the activity is stored and queued (its 202 means
// "kept"), but the activities that arrive while one transaction commits
// are stored together by the next one: under a flood, one transaction
// (one write lock on SQLite, one round of commit on PostgreSQL) per group
// instead of one per activity. Nothing waits on purpose: a lone activity
// is committed at once. On SQLite the group's transaction goes before the
// background jobs' waiting for the write lock (database.Urgent): every
// request of the group waits on it. No goroutine lives on: the one that commits
// exits when nothing is left.

// maxAcceptBatch bounds the activities stored by one transaction.
const maxAcceptBatch = 256

// acceptTimeout bounds one group's transaction: it runs for several
// requests, so no single request's context governs it.
const acceptTimeout = 30 * time.Second

type acceptBatches struct {
	mu      sync.Mutex
	pending []*acceptRequest
	running bool // a goroutine is committing groups
}

type acceptRequest struct {
	a    *as2.Activity
	body []byte
	err  error
	done chan struct{}
}

// accept stores the activity and queues it; an activity already
// received is neither stored nor queued again. It returns once the
// activity is committed, or when ctx ends (the activity may still be
// committed: a peer's retry is then a replay).
func (s *Service) accept(ctx context.Context, a *as2.Activity, body []byte) error {
	req := &acceptRequest{a: a, body: body, done: make(chan struct{})}
	g := &s.accepts
	g.mu.Lock()
	g.pending = append(g.pending, req)
	if !g.running {
		g.running = true
		go s.commitAccepted(context.WithoutCancel(ctx))
	}
	g.mu.Unlock()
	select {
	case <-req.done:
		return req.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// commitAccepted commits the pending activities, a group at a time,
// until none is left.
func (s *Service) commitAccepted(ctx context.Context) {
	g := &s.accepts
	for {
		g.mu.Lock()
		if len(g.pending) == 0 {
			g.running = false
			g.mu.Unlock()
			return
		}
		n := min(len(g.pending), maxAcceptBatch)
		group := g.pending[:n:n]
		g.pending = append([]*acceptRequest(nil), g.pending[n:]...)
		g.mu.Unlock()

		tctx, cancel := context.WithTimeout(database.Urgent(ctx), acceptTimeout)
		err := s.storeAccepted(tctx, group)
		if err != nil && len(group) > 1 {
			// One bad row must not fail the others: each on its own.
			for _, req := range group {
				req.err = s.storeAccepted(tctx, []*acceptRequest{req})
			}
		} else {
			for _, req := range group {
				req.err = err
			}
		}
		cancel()
		for _, req := range group {
			close(req.done)
		}
	}
}

// storeAccepted stores a group of activities and queues those not seen
// before, in one transaction.
func (s *Service) storeAccepted(ctx context.Context, group []*acceptRequest) error {
	now := s.now()
	rows := make([]received, 0, len(group))
	seen := make(map[string]bool, len(group))
	for _, req := range group {
		if seen[req.a.ID] { // the same activity twice in one group
			continue
		}
		seen[req.a.ID] = true
		rows = append(rows, received{ActivityID: req.a.ID, Actor: req.a.Actor, Type: req.a.Type, Body: string(req.body), ReceivedAt: now})
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var stored []string
		err := tx.NewInsert().Model(&rows).On("CONFLICT (activity_id) DO NOTHING").Returning("activity_id").Scan(ctx, &stored)
		if err != nil {
			return fmt.Errorf("store %d activities: %w", len(rows), err)
		}
		if len(stored) == 0 {
			return nil // replays: already applied or queued
		}
		jobs := make([]river.InsertManyParams, len(stored))
		for i, id := range stored {
			jobs[i] = river.InsertManyParams{Args: inboxArgs{ActivityID: id}}
		}
		if _, err := s.river.InsertManyTx(ctx, tx.Tx, jobs); err != nil {
			return fmt.Errorf("queue %d activities: %w", len(jobs), err)
		}
		return nil
	})
}

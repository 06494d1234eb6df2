package federation

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"

	"agora/storage/database"
)

// eventArgs is one change on the node to tell peers about: the outbox
// event, as a job that renders it when it runs (so it carries the state of
// the object then, not when it was queued).
type eventArgs struct {
	Change     string `json:"change" river:"unique"` // create, update, delete
	ObjectType string `json:"object_type" river:"unique"`
	ObjectID   string `json:"object_id" river:"unique"`
	ActorID    string `json:"actor_id"`
}

func (eventArgs) Kind() string { return "ap_event" }

// outboxRow is a row of outbox_events (written by instances/outbox).
type outboxRow struct {
	bun.BaseModel `bun:"table:outbox_events"`
	ID            int64     `bun:"id,pk"`
	At            time.Time `bun:"at"`
	Kind          string    `bun:"kind"`
	ObjectType    string    `bun:"object_type"`
	ObjectID      string    `bun:"object_id"`
	ActorID       string    `bun:"actor_id,nullzero"`
}

// keepReceived is how long the ids of applied activities are kept to
// recognise a replay; peers retry for about two days.
const keepReceived = 30 * 24 * time.Hour

// dispatchLoop moves outbox events into the job queue every second, and
// once an hour forgets activities received long ago.
func (s *Service) dispatchLoop(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var pruned time.Time
	for {
		if time.Since(pruned) > time.Hour {
			pruned = time.Now()
			if _, err := s.db.NewDelete().Model((*received)(nil)).Where("processed_at < ?", s.now().Add(-keepReceived)).Exec(ctx); err != nil && ctx.Err() == nil {
				s.log.WarnContext(ctx, "prune received activities", "err", err)
			}
		}
		for {
			n, err := s.dispatch(ctx)
			if err != nil && ctx.Err() == nil {
				s.log.ErrorContext(ctx, "dispatch outbox", "err", err)
			}
			if err != nil || n == 0 {
				break
			}
		}
		for {
			n, err := s.deliverNotifications(ctx)
			if err != nil && ctx.Err() == nil {
				s.log.ErrorContext(ctx, "queue notifications to the fediverse", "err", err)
			}
			if err != nil || n < directBatch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// dispatch turns up to 100 outbox events into jobs and removes them, in
// one transaction: an event is either still in the outbox or queued,
// never both or neither. Events are taken by lock, not by a cursor, so an
// event committed late (a lower id after a higher one) is not skipped;
// several processes share the work (SKIP LOCKED on PostgreSQL; SQLite
// serialises writers). Updates are coalesced: one update job per object
// waiting at a time, run CoalesceUpdates later.
func (s *Service) dispatch(ctx context.Context) (int, error) {
	var n int
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var rows []outboxRow
		q := tx.NewSelect().Model(&rows).Order("id").Limit(100)
		if database.IsPostgres(tx) {
			q = q.For("UPDATE SKIP LOCKED")
		}
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		params := make([]river.InsertManyParams, 0, len(rows))
		ids := make([]int64, 0, len(rows)) // one per params
		var merged []int64                 // updates of an object already in params
		updating := map[string]bool{}
		for _, r := range rows {
			opts := &river.InsertOpts{}
			if r.Kind == "update" {
				// River refuses a batch holding one unique key twice.
				key := r.ObjectType + " " + r.ObjectID
				if updating[key] {
					merged = append(merged, r.ID)
					continue
				}
				updating[key] = true
				opts.ScheduledAt = s.now().Add(s.cfg.CoalesceUpdates)
				// River requires pending and running in ByState; an update
				// behind a running one is kept in the outbox (below).
				opts.UniqueOpts = river.UniqueOpts{ByArgs: true,
					ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
						rivertype.JobStateRunning, rivertype.JobStateScheduled}}
			}
			params = append(params, river.InsertManyParams{Args: eventArgs{Change: r.Kind, ObjectType: r.ObjectType,
				ObjectID: r.ObjectID, ActorID: r.ActorID}, InsertOpts: opts})
			ids = append(ids, r.ID)
		}
		res, err := s.river.InsertManyTx(ctx, tx.Tx, params)
		if err != nil {
			return fmt.Errorf("queue events: %w", err)
		}
		// An update whose job is already running may have been rendered
		// before this change: it stays for the next round, not dropped.
		done := merged
		for i, id := range ids {
			if res[i].UniqueSkippedAsDuplicate && res[i].Job.State == rivertype.JobStateRunning {
				continue
			}
			done = append(done, id)
		}
		if ids = done; len(ids) == 0 {
			return nil
		}
		if _, err := tx.NewDelete().Model((*outboxRow)(nil)).Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
			return fmt.Errorf("clear outbox: %w", err)
		}
		n = len(ids)
		return nil
	})
	return n, err
}

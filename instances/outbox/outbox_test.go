package outbox_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/outbox"
	"agora/storage/storagetest"
)

func TestRecord(t *testing.T) {
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		db := storagetest.MigratedDB(t, dialect)
		ctx := context.Background()
		at := time.Date(2026, time.November, 24, 9, 30, 0, 123456000, time.UTC)
		if err := outbox.Record(ctx, db, at, outbox.Create, "debate", "d1", "a1"); err != nil {
			t.Fatal(err)
		}
		if err := outbox.Record(ctx, db, at.Add(time.Second), outbox.Update, "comment", "c1", ""); err != nil {
			t.Fatal(err)
		}
		// Inside a transaction, the event goes with it.
		boom := errors.New("boom")
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := outbox.Record(ctx, tx, at, outbox.Delete, "debate", "d1", "a1"); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("transaction: %v", err)
		}

		var rows []struct {
			At         time.Time
			Kind       string
			ObjectType string
			ObjectID   string
			ActorID    *string
		}
		if err := db.NewSelect().Table("outbox_events").Column("at", "kind", "object_type", "object_id", "actor_id").
			Order("id").Scan(ctx, &rows); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("%d events, want 2 (the rolled back one is gone): %+v", len(rows), rows)
		}
		if r := rows[0]; !r.At.Equal(at) || r.Kind != "create" || r.ObjectType != "debate" || r.ObjectID != "d1" || r.ActorID == nil || *r.ActorID != "a1" {
			t.Errorf("first event = %+v", r)
		}
		if r := rows[1]; r.Kind != "update" || r.ObjectType != "comment" || r.ActorID != nil {
			t.Errorf("an event without an actor = %+v, want a NULL actor", r)
		}
	})
}

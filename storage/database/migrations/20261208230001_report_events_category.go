package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// A report category's outbox (its actor's list of the reports first sent
// in it, newest first) reads the creation events by category: the index
// on (report_id, id) cannot serve it.
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return createTables(ctx, tx, nil, nil, []index{{"report_events_category_idx", "report_events", "category, kind, id"}})
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		_, err := db.ExecContext(ctx, "DROP INDEX IF EXISTS report_events_category_idx")
		return err
	}
	Migrations.MustRegister(up, down)
}

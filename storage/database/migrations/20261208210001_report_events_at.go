package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The public updates of street reports by date (Open311's
// servicerequestupdates): read by the time of each event across all
// reports, which the index on (report_id, id) cannot serve.
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return createTables(ctx, tx, nil, nil, []index{{"report_events_at_idx", "report_events", "at, id"}})
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		_, err := db.ExecContext(ctx, "DROP INDEX IF EXISTS report_events_at_idx")
		return err
	}
	Migrations.MustRegister(up, down)
}

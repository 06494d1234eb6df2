package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Street reports are followed (issue 18): a reporter follows their own
// report from now on; the reports written before follow it too, so that
// their reporters hear of the next change of state. A follow a resident
// stopped is left as it is.
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO follows (account_id, target_kind, target_id, created_at)
				SELECT author_id, 'report', id, created_at FROM street_reports WHERE author_id IS NOT NULL AND author_id <> ''
				ON CONFLICT (account_id, target_kind, target_id) DO NOTHING`)
			return err
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.ExecContext(ctx, "DELETE FROM follows WHERE target_kind = 'report'")
			return err
		})
	}
	Migrations.MustRegister(up, down)
}

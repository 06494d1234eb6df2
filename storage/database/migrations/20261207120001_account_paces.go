package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// One row per account and kind of act (writing a comment, publishing a
// proposal, storing attachments): the row a transaction locks, with an
// upsert, before it counts the account's recent acts and adds one, so
// that simultaneous acts of one account are counted one after the other
// on PostgreSQL as on SQLite, and a limit cannot be overrun in parallel.
func init() {
	type accountPace struct {
		bun.BaseModel `bun:"table:account_paces"`
		AccountID     string    `bun:"account_id,pk"`
		Action        string    `bun:"action,pk"`
		At            time.Time `bun:"at,notnull"` // the last act that took the lock
	}
	models := []any{(*accountPace)(nil)}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return createTables(ctx, tx, models, nil, []index{
				{"proposals_author_created_idx", "proposals", "author_id, created_at"},
				{"proposals_entered_by_created_idx", "proposals", "entered_by, created_at"},
				{"comments_author_created_idx", "comments", "author_id, created_at"},
			})
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, ix := range []string{"proposals_author_created_idx", "proposals_entered_by_created_idx", "comments_author_created_idx"} {
				if _, err := tx.ExecContext(ctx, "DROP INDEX IF EXISTS "+ix); err != nil {
					return err
				}
			}
			return dropTables(ctx, tx, models)
		})
	}
	Migrations.MustRegister(up, down)
}

package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Announcements made once: a periodic job that tells followers a phase
// of a space began or a vote opened records its key here in the
// transaction of the notifications, so that two processes, or the same
// one twice, never tell it twice.
func init() {
	type once struct {
		bun.BaseModel `bun:"table:notification_once"`
		Key           string    `bun:"key,pk"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
	}
	models := []any{(*once)(nil)}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return createTables(ctx, tx, models, nil, nil)
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropTables(ctx, tx, models)
		})
	}
	Migrations.MustRegister(up, down)
}

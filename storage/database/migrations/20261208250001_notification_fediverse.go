package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Notifications as fediverse direct messages: one row per resident who
// linked a fediverse account (at most one), pending until the code it
// holds is found in the actor's profile or a public post; and, on each
// notification, when it was queued for that account, set in the
// transaction that queues the delivery, so it goes once.
func init() {
	type notificationFediverse struct {
		bun.BaseModel `bun:"table:notification_fediverse"`
		AccountID     string     `bun:"account_id,pk"`
		ActorID       string     `bun:"actor_id,notnull"`
		Handle        string     `bun:"handle,notnull"` // @name@host as the resident typed it, checked
		Code          string     `bun:"code,notnull"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		VerifiedAt    *time.Time `bun:"verified_at"`
		Enabled       bool       `bun:"enabled,notnull"`
		Since         time.Time  `bun:"since,notnull"` // notifications before are not sent
	}
	models := []any{(*notificationFediverse)(nil)}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			typ := "TIMESTAMP"
			if isPostgres(tx) {
				typ = "TIMESTAMPTZ"
			}
			if err := addColumn(ctx, tx, "notifications", "fediverse_at", typ); err != nil {
				return err
			}
			// The claim reads each linked resident's unsent notifications.
			return createTables(ctx, tx, models, nil, []index{
				{"notifications_fediverse_idx", "notifications", "account_id, fediverse_at"},
			})
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, "DROP INDEX IF EXISTS notifications_fediverse_idx"); err != nil {
				return err
			}
			if err := dropTables(ctx, tx, models); err != nil {
				return err
			}
			return dropColumn(ctx, tx, "notifications", "fediverse_at")
		})
	}
	Migrations.MustRegister(up, down)
}

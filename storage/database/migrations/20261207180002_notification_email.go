package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Notifications by email: one row per resident who gave an address (kept
// only for this), whether it is verified, how often they want mail, the
// key of their one-click unsubscribe link, and the last failure to show
// them; and, on each notification, when it was claimed for email and
// whether the SMTP server took it.
func init() {
	type notificationEmail struct {
		bun.BaseModel  `bun:"table:notification_email"`
		AccountID      string     `bun:"account_id,pk"`
		Address        string     `bun:"address,notnull"`
		VerifiedAt     *time.Time `bun:"verified_at"`
		TokenHash      string     `bun:"token_hash,notnull"` // of the verification link, "" once used
		TokenExpiresAt *time.Time `bun:"token_expires_at"`
		Frequency      string     `bun:"frequency,notnull"` // never, immediate, daily, weekly
		Since          time.Time  `bun:"since,notnull"`     // notifications before are not mailed
		UnsubscribeKey string     `bun:"unsubscribe_key,notnull,unique"`
		LastSentAt     *time.Time `bun:"last_sent_at"`
		Failure        string     `bun:"failure,notnull"`
		FailureAt      *time.Time `bun:"failure_at"`
	}
	models := []any{(*notificationEmail)(nil)}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			typ := "TIMESTAMP" // as bun makes time.Time columns
			if isPostgres(tx) {
				typ = "TIMESTAMPTZ"
			}
			if err := addColumn(ctx, tx, "notifications", "emailed_at", typ); err != nil {
				return err
			}
			// mailed: the SMTP server took it (emailed_at alone is a claim).
			if err := addColumn(ctx, tx, "notifications", "mailed", "BOOLEAN NOT NULL DEFAULT FALSE"); err != nil {
				return err
			}
			return createTables(ctx, tx, models, nil, []index{
				{"notifications_unmailed_idx", "notifications", "account_id, emailed_at"},
			})
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, "DROP INDEX IF EXISTS notifications_unmailed_idx"); err != nil {
				return err
			}
			if err := dropTables(ctx, tx, models); err != nil {
				return err
			}
			if err := dropColumn(ctx, tx, "notifications", "mailed"); err != nil {
				return err
			}
			return dropColumn(ctx, tx, "notifications", "emailed_at")
		})
	}
	Migrations.MustRegister(up, down)
}

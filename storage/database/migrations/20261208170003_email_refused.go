package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// When the mail server refused a resident's email for good (a 5xx reply:
// no such mailbox, a rejected message): email to that address stops until
// they give an address again, and their settings page says why.
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			typ := "TIMESTAMP" // as bun makes time.Time columns
			if isPostgres(tx) {
				typ = "TIMESTAMPTZ"
			}
			return addColumn(ctx, tx, "notification_email", "refused_at", typ)
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropColumn(ctx, tx, "notification_email", "refused_at")
		})
	}
	Migrations.MustRegister(up, down)
}

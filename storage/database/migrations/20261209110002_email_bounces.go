package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Bounces that come after the SMTP server took an email (issue 18). Each
// address gets a key of its own, put in the envelope sender of every
// email to it (VERP: bounces+KEY@node), so that a bounce names the
// address it is about; a hard bounce stops email to the address (as a
// refusal does, refused_at), soft ones are counted. What the last bounce
// said is kept for the resident's settings page.
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			typ, key := "TIMESTAMP", "lower(hex(randomblob(12)))" // as bun makes time.Time columns
			if isPostgres(tx) {
				typ, key = "TIMESTAMPTZ", "substr(md5(random()::text || account_id), 1, 24)"
			}
			for _, c := range [][2]string{
				{"bounce_key", "TEXT NOT NULL DEFAULT ''"},
				{"soft_bounces", "INTEGER NOT NULL DEFAULT 0"},
				{"bounced_at", typ},
				{"bounce_status", "TEXT NOT NULL DEFAULT ''"},
				{"bounce_detail", "TEXT NOT NULL DEFAULT ''"},
				{"bounce_hard", "BOOLEAN NOT NULL DEFAULT FALSE"},
			} {
				if err := addColumn(ctx, tx, "notification_email", c[0], c[1]); err != nil {
					return err
				}
			}
			for _, s := range []string{
				"UPDATE notification_email SET bounce_key = " + key + " WHERE bounce_key = ''",
				"CREATE UNIQUE INDEX IF NOT EXISTS notification_email_bounce_key_idx ON notification_email (bounce_key)",
				"CREATE INDEX IF NOT EXISTS notification_email_address_idx ON notification_email (address)",
			} {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return err
				}
			}
			return nil
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, s := range []string{"DROP INDEX IF EXISTS notification_email_bounce_key_idx", "DROP INDEX IF EXISTS notification_email_address_idx"} {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return err
				}
			}
			for _, c := range []string{"bounce_key", "soft_bounces", "bounced_at", "bounce_status", "bounce_detail", "bounce_hard"} {
				if err := dropColumn(ctx, tx, "notification_email", c); err != nil {
					return err
				}
			}
			return nil
		})
	}
	Migrations.MustRegister(up, down)
}

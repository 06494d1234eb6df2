package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Planned works edited and withdrawn (docs/REPORTS.md, "Planned works"):
// when a work was last changed and by whom, and when it was withdrawn,
// by whom and why (the reason is public). A withdrawn work stays, shown
// as such on its page, and leaves the lists and the map.
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			typ := "TIMESTAMP" // as bun makes time.Time columns
			if isPostgres(tx) {
				typ = "TIMESTAMPTZ"
			}
			for _, c := range [][2]string{
				{"updated_at", typ}, {"updated_by", "VARCHAR"},
				{"cancelled_at", typ}, {"cancelled_by", "VARCHAR"}, {"cancel_reason", "VARCHAR NOT NULL DEFAULT ''"},
			} {
				if err := addColumn(ctx, tx, "report_works", c[0], c[1]); err != nil {
					return err
				}
			}
			return nil
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, c := range []string{"cancel_reason", "cancelled_by", "cancelled_at", "updated_by", "updated_at"} {
				if err := dropColumn(ctx, tx, "report_works", c); err != nil {
					return err
				}
			}
			return nil
		})
	}
	Migrations.MustRegister(up, down)
}

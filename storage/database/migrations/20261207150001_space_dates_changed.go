package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// When an admin last moved the dates of a space's phases: the space's
// page tells residents that the dates changed, and when. Spaces whose
// dates never moved have none.
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			typ := "TIMESTAMP"
			if isPostgres(tx) {
				typ = "TIMESTAMPTZ"
			}
			return addColumn(ctx, tx, "spaces", "dates_changed_at", typ)
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropColumn(ctx, tx, "spaces", "dates_changed_at")
		})
	}
	Migrations.MustRegister(up, down)
}

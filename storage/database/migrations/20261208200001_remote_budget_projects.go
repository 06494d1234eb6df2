package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// A project of another city's participatory budget, received as a Page
// of a followed space, keeps its figures (cost, currency, votes, funded,
// follow-up status, progress, money spent) beside the Page: one JSON
// document, checked and bounded on the way in, NULL for every other
// remote object.
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return addColumn(ctx, tx, "ap_remote_objects", "budget", "TEXT")
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropColumn(ctx, tx, "ap_remote_objects", "budget")
		})
	}
	Migrations.MustRegister(up, down)
}

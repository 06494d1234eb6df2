package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Residents comment on a funded budget project as on a proposal: the
// comments are debates' (target_kind budget_project), and the project
// keeps the count of its visible ones, as proposals and debates do.
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return addColumn(ctx, tx, "budget_projects", "comment_count", "INTEGER NOT NULL DEFAULT 0")
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropColumn(ctx, tx, "budget_projects", "comment_count")
		})
	}
	Migrations.MustRegister(up, down)
}

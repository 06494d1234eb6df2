package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Who deleted an object of a followed space (its author, or its Group):
// only they may restore it (Undo{Delete}), and the author cannot undo the
// Group's removal. Objects deleted before have none: only their Group can
// restore them.
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return addColumn(ctx, tx, "ap_remote_objects", "deleted_by", "VARCHAR NOT NULL DEFAULT ''")
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropColumn(ctx, tx, "ap_remote_objects", "deleted_by")
		})
	}
	Migrations.MustRegister(up, down)
}

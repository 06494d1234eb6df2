package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The electorate of a vote can be narrowed by age and by district: a
// residency may record the resident's date of birth and district (both
// optional, entered only where the node uses them), a vote an age floor
// and a district, and the node keeps the list of its districts.
func init() {
	type district struct {
		bun.BaseModel `bun:"table:districts"`
		Name          string `bun:"name,pk"`
		Position      int    `bun:"position,notnull"`
	}
	models := []any{(*district)(nil)}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := createTables(ctx, tx, models, nil, nil); err != nil {
				return err
			}
			for _, c := range []struct{ table, column, def string }{
				// YYYYMMDD as a number, 0 when not recorded: compared the same
				// way on both databases, with no time zone to get wrong.
				{"residencies", "birth_date", "INTEGER NOT NULL DEFAULT 0"},
				{"residencies", "district", "VARCHAR NOT NULL DEFAULT ''"},
				{"decision_votes", "min_age", "INTEGER NOT NULL DEFAULT 0"},
				{"decision_votes", "district", "VARCHAR NOT NULL DEFAULT ''"},
			} {
				if err := addColumn(ctx, tx, c.table, c.column, c.def); err != nil {
					return err
				}
			}
			return nil
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, c := range [][2]string{{"residencies", "birth_date"}, {"residencies", "district"},
				{"decision_votes", "min_age"}, {"decision_votes", "district"}} {
				if err := dropColumn(ctx, tx, c[0], c[1]); err != nil {
					return err
				}
			}
			return dropTables(ctx, tx, models)
		})
	}
	Migrations.MustRegister(up, down)
}

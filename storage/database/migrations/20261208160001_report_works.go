package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Planned interventions that city services publish (where, when, what),
// on the same grid as street reports so a map's box finds both; and an
// index on reports' (service, state), so the open data's counts per
// service and state read the index alone.
func init() {
	type work struct {
		bun.BaseModel `bun:"table:report_works"`
		ID            string    `bun:"id,pk"`
		Service       string    `bun:"service,notnull"`
		Title         string    `bun:"title,notnull"`
		Description   string    `bun:"description,notnull"`
		Address       string    `bun:"address,notnull"`
		LatE6         int64     `bun:"lat_e6,notnull"`
		LonE6         int64     `bun:"lon_e6,notnull"`
		Cell          int64     `bun:"cell,notnull"`
		Coarse        int64     `bun:"coarse,notnull"`
		StartsOn      time.Time `bun:"starts_on,notnull"`
		EndsOn        time.Time `bun:"ends_on,notnull"`
		AuthorID      string    `bun:"author_id,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
	}
	models := []any{(*work)(nil)}
	fks := map[string][]string{
		"report_works": {`("author_id") REFERENCES "accounts" ("id")`},
	}
	indexes := []index{
		{"report_works_cell_idx", "report_works", "cell, lat_e6, lon_e6"},
		{"report_works_coarse_idx", "report_works", "coarse, lat_e6, lon_e6"},
		{"report_works_ends_idx", "report_works", "ends_on, starts_on"},
		{"street_reports_service_state_idx", "street_reports", "service, state"},
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return createTables(ctx, tx, models, fks, indexes)
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, ix := range indexes {
				if _, err := tx.ExecContext(ctx, "DROP INDEX IF EXISTS "+ix.name); err != nil {
					return err
				}
			}
			return dropTables(ctx, tx, models)
		})
	}
	Migrations.MustRegister(up, down)
}

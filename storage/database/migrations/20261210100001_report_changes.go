package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// The map keeps the pins of each grid cell in memory (instances/reports,
// cells.go) and asks every two seconds which cells changed since it last
// looked: `updated_at > ? GROUP BY cell`. This index answers that from
// its own entries, whatever the number of reports.
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		_, err := db.ExecContext(ctx, "CREATE INDEX IF NOT EXISTS street_reports_updated_idx ON street_reports (updated_at, cell)")
		return err
	}
	down := func(ctx context.Context, db *bun.DB) error {
		_, err := db.ExecContext(ctx, "DROP INDEX IF EXISTS street_reports_updated_idx")
		return err
	}
	Migrations.MustRegister(up, down)
}

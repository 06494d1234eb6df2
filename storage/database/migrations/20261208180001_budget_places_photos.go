package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Budget projects on a map and in pictures: a project's point (integer
// microdegrees, as street reports store theirs; both NULL when it has
// none) and the photos officials add to a project or to one step of its
// follow-up (milestone_id, "" for the project's own), each with the alt
// text that describes it.
func init() {
	type budgetPhoto struct {
		bun.BaseModel `bun:"table:budget_photos"`
		ProjectID     string    `bun:"project_id,pk"`
		Position      int       `bun:"position,pk"`
		MilestoneID   string    `bun:"milestone_id,notnull"`
		BlobKey       string    `bun:"blob_key,notnull"`
		ContentType   string    `bun:"content_type,notnull"`
		Size          int64     `bun:"size,notnull"`
		Alt           string    `bun:"alt,notnull"`
		AddedBy       string    `bun:"added_by,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
	}
	models := []any{(*budgetPhoto)(nil)}
	fks := map[string][]string{
		"budget_photos": {`("project_id") REFERENCES "budget_projects" ("id") ON DELETE CASCADE`},
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, c := range []string{"lat_e6", "lon_e6"} {
				if err := addColumn(ctx, tx, "budget_projects", c, "BIGINT"); err != nil {
					return err
				}
			}
			return createTables(ctx, tx, models, fks, nil)
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := dropTables(ctx, tx, models); err != nil {
				return err
			}
			for _, c := range []string{"lon_e6", "lat_e6"} {
				if err := dropColumn(ctx, tx, "budget_projects", c); err != nil {
					return err
				}
			}
			return nil
		})
	}
	Migrations.MustRegister(up, down)
}

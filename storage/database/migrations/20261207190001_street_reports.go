package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Street reports: categories (each mapped to the city service in
// charge), reports with their point on a plain grid index, photos, the
// public timeline of state changes and messages, and "me too"
// confirmations. The grid (cell: 0.01° squares, coarse: 0.1° squares,
// numbered row*36000+col and row*3600+col from -90°/-180°) is plain
// integers, so the same box query uses a B-tree on SQLite and
// PostgreSQL; docs/REPORTS.md explains the choice.
func init() {
	type category struct {
		bun.BaseModel `bun:"table:report_categories"`
		Slug          string    `bun:"slug,pk"`
		NameFR        string    `bun:"name_fr,notnull"`
		NameEN        string    `bun:"name_en,notnull"`
		Service       string    `bun:"service,notnull"`
		Position      int       `bun:"position,notnull"`
		Retired       bool      `bun:"retired,notnull"`
		UpdatedAt     time.Time `bun:"updated_at,notnull"`
	}
	type report struct {
		bun.BaseModel `bun:"table:street_reports"`
		ID            string     `bun:"id,pk"`
		Category      string     `bun:"category,notnull"`
		Service       string     `bun:"service,notnull"`
		State         string     `bun:"state,notnull"`
		LatE6         *int64     `bun:"lat_e6"`
		LonE6         *int64     `bun:"lon_e6"`
		Cell          *int64     `bun:"cell"`
		Coarse        *int64     `bun:"coarse"`
		Address       string     `bun:"address,notnull"`
		Description   string     `bun:"description,notnull"`
		AuthorID      string     `bun:"author_id,notnull"`
		EnteredBy     string     `bun:"entered_by"`
		Desk          string     `bun:"desk,notnull"`
		NamePublic    bool       `bun:"name_public,notnull"`
		ScheduledFor  *time.Time `bun:"scheduled_for"`
		Operator      string     `bun:"operator,notnull"`
		ConfirmCount  int        `bun:"confirm_count,notnull"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		UpdatedAt     time.Time  `bun:"updated_at,notnull"`
	}
	type photo struct {
		bun.BaseModel `bun:"table:report_photos"`
		ReportID      string `bun:"report_id,pk"`
		Position      int    `bun:"position,pk"`
		BlobKey       string `bun:"blob_key,notnull"`
		ContentType   string `bun:"content_type,notnull"`
		Size          int64  `bun:"size,notnull"`
		After         bool   `bun:"after,notnull"`
	}
	type event struct {
		bun.BaseModel `bun:"table:report_events"`
		ID            int64      `bun:"id,pk,autoincrement"`
		ReportID      string     `bun:"report_id,notnull"`
		Kind          string     `bun:"kind,notnull"`
		State         string     `bun:"state,notnull"`
		ActorID       string     `bun:"actor_id"`
		EnteredBy     string     `bun:"entered_by"`
		Message       string     `bun:"message,notnull"`
		Private       bool       `bun:"private,notnull"`
		Category      string     `bun:"category,notnull"`
		Service       string     `bun:"service,notnull"`
		Operator      string     `bun:"operator,notnull"`
		ScheduledFor  *time.Time `bun:"scheduled_for"`
		At            time.Time  `bun:"at,notnull"`
	}
	type confirmation struct {
		bun.BaseModel `bun:"table:report_confirmations"`
		ReportID      string    `bun:"report_id,pk"`
		AccountID     string    `bun:"account_id,pk"`
		EnteredBy     string    `bun:"entered_by"`
		At            time.Time `bun:"at,notnull"`
	}
	models := []any{(*category)(nil), (*report)(nil), (*photo)(nil), (*event)(nil), (*confirmation)(nil)}
	fks := map[string][]string{
		"street_reports":       {`("category") REFERENCES "report_categories" ("slug")`, `("author_id") REFERENCES "accounts" ("id")`},
		"report_photos":        {`("report_id") REFERENCES "street_reports" ("id") ON DELETE CASCADE`},
		"report_events":        {`("report_id") REFERENCES "street_reports" ("id") ON DELETE CASCADE`},
		"report_confirmations": {`("report_id") REFERENCES "street_reports" ("id") ON DELETE CASCADE`, `("account_id") REFERENCES "accounts" ("id") ON DELETE CASCADE`},
	}
	indexes := []index{
		// Covering what a map's pin shows, so the box query reads no table row.
		{"street_reports_cell_idx", "street_reports", "cell, lat_e6, lon_e6, category, state, id"},
		{"street_reports_coarse_idx", "street_reports", "coarse, lat_e6, lon_e6, category, state, id"},
		{"street_reports_created_idx", "street_reports", "created_at, id"},
		{"street_reports_category_created_idx", "street_reports", "category, created_at, id"},
		{"street_reports_author_idx", "street_reports", "author_id, created_at"},
		{"report_events_report_idx", "report_events", "report_id, id"},
		{"report_confirmations_account_idx", "report_confirmations", "account_id"},
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

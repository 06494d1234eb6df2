package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// node_settings keeps facts about the node itself (when it was created,
// later its instance keys and admin-editable settings). Its seeded row lets
// /readyz prove the schema is in place, not merely that the server answers.
func init() {
	type nodeSetting struct {
		bun.BaseModel `bun:"table:node_settings"`
		Key           string    `bun:"key,pk"`
		Value         string    `bun:"value,notnull"`
		UpdatedAt     time.Time `bun:"updated_at,notnull"`
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewCreateTable().Model((*nodeSetting)(nil)).IfNotExists().Exec(ctx); err != nil {
				return err
			}
			now := time.Now().UTC()
			_, err := tx.NewInsert().
				Model(&nodeSetting{Key: "created_at", Value: now.Format(time.RFC3339), UpdatedAt: now}).
				On("CONFLICT (key) DO NOTHING").
				Exec(ctx)
			return err
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.NewDropTable().Model((*nodeSetting)(nil)).IfExists().Exec(ctx)
			return err
		})
	}
	Migrations.MustRegister(up, down)
}

package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Adoptions this node sent to other nodes' catalogues (Add{Adoption}):
// the app's id there and the inbox it went to, so that withdrawing one can
// still be sent once the adoption row itself is deleted.
func init() {
	type sentAdoption struct {
		bun.BaseModel `bun:"table:ap_sent_adoptions"`
		AdoptionID    string    `bun:"adoption_id,pk"` // app_adoptions.id, kept after it is deleted
		AppID         string    `bun:"app_id,notnull"`
		Target        string    `bun:"target,notnull"` // the app's ActivityPub id on its node
		Inbox         string    `bun:"inbox,notnull"`  // where the Add went
		SentAt        time.Time `bun:"sent_at,notnull"`
	}
	models := []any{(*sentAdoption)(nil)}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return createTables(ctx, tx, models, nil, nil)
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropTables(ctx, tx, models)
		})
	}
	Migrations.MustRegister(up, down)
}

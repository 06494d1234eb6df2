package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Open311 API keys: what a client (an app, another city's system) sends
// to create service requests. Only a SHA-256 of the key is kept; each key
// creates its requests as an account of its own.
func init() {
	type key struct {
		bun.BaseModel `bun:"table:open311_keys"`
		ID            string     `bun:"id,pk"`
		Name          string     `bun:"name,notnull"`
		AccountID     string     `bun:"account_id,notnull"`
		KeyHash       string     `bun:"key_hash,notnull,unique"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		RevokedAt     *time.Time `bun:"revoked_at"`
	}
	models := []any{(*key)(nil)}
	fks := map[string][]string{"open311_keys": {`("account_id") REFERENCES "accounts" ("id")`}}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return createTables(ctx, tx, models, fks, nil)
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropTables(ctx, tx, models)
		})
	}
	Migrations.MustRegister(up, down)
}

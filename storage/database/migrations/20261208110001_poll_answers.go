package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Fediverse polls: the answers remote actors sent to a vote's Question
// (a Note named after an option), kept apart from the ballots and never
// counted in the binding result. One row per vote, actor and slot: the
// slot is the option's position for votes that take several options
// (anyOf), 0 for single-choice votes (oneOf), so the key itself refuses
// a second answer where one is allowed, even from two requests at once.
func init() {
	type answer struct {
		bun.BaseModel `bun:"table:decision_poll_answers"`
		VoteID        string    `bun:"vote_id,pk"`
		Actor         string    `bun:"actor,pk"`
		Slot          int       `bun:"slot,pk"`
		Position      int       `bun:"position,notnull"`
		ActivityID    string    `bun:"activity_id,notnull"`
		CreatedAt     time.Time `bun:"created_at,notnull"`
	}
	models := []any{(*answer)(nil)}
	fks := map[string][]string{
		"decision_poll_answers": {`("vote_id") REFERENCES "decision_votes" ("id")`},
	}
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

package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Budget ballots on the node: an edition's vote is one decisions vote per
// heading (budget_votes links them), and a vote may limit how many
// options an approval or budget ballot chooses (max_choices, 0 for none).
func init() {
	type budgetVote struct {
		bun.BaseModel `bun:"table:budget_votes"`
		BudgetID      string    `bun:"budget_id,pk"`
		Heading       string    `bun:"heading,pk"`
		VoteID        string    `bun:"vote_id,notnull,unique"`
		OpenedBy      string    `bun:"opened_by,notnull"`
		OpenedAt      time.Time `bun:"opened_at,notnull"`
	}
	models := []any{(*budgetVote)(nil)}
	fks := map[string][]string{
		"budget_votes": {`("budget_id") REFERENCES "budgets" ("id") ON DELETE CASCADE`,
			`("vote_id") REFERENCES "decision_votes" ("id") ON DELETE CASCADE`},
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := addColumn(ctx, tx, "decision_votes", "max_choices", "INTEGER NOT NULL DEFAULT 0"); err != nil {
				return err
			}
			return createTables(ctx, tx, models, fks, nil)
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := dropTables(ctx, tx, models); err != nil {
				return err
			}
			return dropColumn(ctx, tx, "decision_votes", "max_choices")
		})
	}
	Migrations.MustRegister(up, down)
}

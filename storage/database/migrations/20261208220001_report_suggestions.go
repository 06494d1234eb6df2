package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Suggestions of new amenities (docs/REPORTS.md): a report category has a
// kind, problem or suggestion, so a suggestion is a report in a category
// the admin flagged; a neighbourhood council ranks the open suggestions
// by a decisions vote, linked in report_council_votes, and each ranked
// suggestion keeps its rank from the latest such vote.
func init() {
	type councilVote struct {
		bun.BaseModel `bun:"table:report_council_votes"`
		VoteID        string     `bun:"vote_id,pk"`
		SpaceID       string     `bun:"space_id,notnull"`
		Categories    string     `bun:"categories,notnull"` // comma-separated slugs, "" for every suggestion category
		OpenedBy      string     `bun:"opened_by,notnull"`
		OpenedAt      time.Time  `bun:"opened_at,notnull"`
		RankedAt      *time.Time `bun:"ranked_at"`
	}
	models := []any{(*councilVote)(nil)}
	fks := map[string][]string{
		"report_council_votes": {`("vote_id") REFERENCES "decision_votes" ("id")`, `("space_id") REFERENCES "spaces" ("id")`},
	}
	indexes := []index{{"report_council_votes_due_idx", "report_council_votes", "ranked_at, vote_id"}}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := addColumn(ctx, tx, "report_categories", "kind", "VARCHAR NOT NULL DEFAULT 'problem'"); err != nil {
				return err
			}
			if err := addColumn(ctx, tx, "street_reports", "council_rank", "INTEGER"); err != nil {
				return err
			}
			if err := addColumn(ctx, tx, "street_reports", "council_vote", "VARCHAR"); err != nil {
				return err
			}
			return createTables(ctx, tx, models, fks, indexes)
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, "DROP INDEX IF EXISTS report_council_votes_due_idx"); err != nil {
				return err
			}
			if err := dropTables(ctx, tx, models); err != nil {
				return err
			}
			for _, c := range [][2]string{{"street_reports", "council_vote"}, {"street_reports", "council_rank"}, {"report_categories", "kind"}} {
				if err := dropColumn(ctx, tx, c[0], c[1]); err != nil {
					return err
				}
			}
			return nil
		})
	}
	Migrations.MustRegister(up, down)
}

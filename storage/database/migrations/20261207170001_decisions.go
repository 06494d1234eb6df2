package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// Decisions: binding votes in a space with their options, the ballots of
// verified residents (one row per voter and vote: the last ballot counts,
// its receipt beside it, so a ballot and its receipt are written in one
// statement), the residents who agreed to be delegates, the delegations
// (per category of a space, per space, or node-wide), and each closed
// vote's frozen result.
func init() {
	type vote struct {
		bun.BaseModel `bun:"table:decision_votes"`
		ID            string     `bun:"id,pk"`
		SpaceID       string     `bun:"space_id,notnull"`
		Category      string     `bun:"category,notnull"`
		Question      string     `bun:"question,notnull"`
		Description   string     `bun:"description,notnull"`
		Method        string     `bun:"method,notnull"`
		StatusQuo     string     `bun:"status_quo,notnull"`
		ScoreMin      int        `bun:"score_min,notnull"`
		ScoreMax      int        `bun:"score_max,notnull"`
		BudgetTotal   int64      `bun:"budget_total,notnull"`
		Quorum        int64      `bun:"quorum,notnull"`
		Delegation    bool       `bun:"delegation,notnull"`
		OpensAt       time.Time  `bun:"opens_at,notnull"`
		ClosesAt      time.Time  `bun:"closes_at,notnull"`
		CreatedBy     string     `bun:"created_by,notnull"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		UpdatedAt     time.Time  `bun:"updated_at,notnull"`
		ClosedAt      *time.Time `bun:"closed_at"`
	}
	type option struct {
		bun.BaseModel `bun:"table:decision_options"`
		VoteID        string `bun:"vote_id,pk"`
		Position      int    `bun:"position,pk"`
		Key           string `bun:"key,notnull"`
		Label         string `bun:"label,notnull"`
		Cost          int64  `bun:"cost,notnull"`
	}
	type ballot struct {
		bun.BaseModel `bun:"table:decision_ballots"`
		VoteID        string    `bun:"vote_id,pk"`
		VoterID       string    `bun:"voter_id,pk"`
		Receipt       string    `bun:"receipt,notnull"`
		Content       string    `bun:"content,notnull"` // compact: option positions (see decisions.encode)
		Channel       string    `bun:"channel,notnull"` // online, desk, paper
		EnteredBy     string    `bun:"entered_by,notnull"`
		Desk          string    `bun:"desk,notnull"`
		CastAt        time.Time `bun:"cast_at,notnull"`
		Changes       int       `bun:"changes,notnull"`
	}
	type delegate struct {
		bun.BaseModel `bun:"table:decision_delegates"`
		AccountID     string     `bun:"account_id,pk"`
		Since         time.Time  `bun:"since,notnull"`
		Until         *time.Time `bun:"until"` // withdrew
	}
	// Delegations keep their history (revoked_at, never deleted), so a
	// vote's count reads them as they stood at its closing time.
	type delegation struct {
		bun.BaseModel `bun:"table:decision_delegations"`
		ID            string     `bun:"id,pk"`
		DelegatorID   string     `bun:"delegator_id,notnull"`
		SpaceID       string     `bun:"space_id,notnull"` // "" node-wide
		Category      string     `bun:"category,notnull"` // "" the whole space
		DelegateID    string     `bun:"delegate_id,notnull"`
		Named         bool       `bun:"named,notnull"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		RevokedAt     *time.Time `bun:"revoked_at"`
	}
	type result struct {
		bun.BaseModel `bun:"table:decision_results"`
		VoteID        string    `bun:"vote_id,pk"`
		ClosedAt      time.Time `bun:"closed_at,notnull"`
		Summary       string    `bun:"summary,notnull"` // JSON: counts, turnout, weights
	}
	models := []any{(*vote)(nil), (*option)(nil), (*ballot)(nil), (*delegate)(nil), (*delegation)(nil), (*result)(nil)}
	fks := map[string][]string{
		"decision_votes":       {`("space_id") REFERENCES "spaces" ("id")`},
		"decision_options":     {`("vote_id") REFERENCES "decision_votes" ("id")`},
		"decision_ballots":     {`("vote_id") REFERENCES "decision_votes" ("id")`, `("voter_id") REFERENCES "accounts" ("id")`},
		"decision_delegates":   {`("account_id") REFERENCES "accounts" ("id")`},
		"decision_delegations": {`("delegator_id") REFERENCES "accounts" ("id")`, `("delegate_id") REFERENCES "accounts" ("id")`},
		"decision_results":     {`("vote_id") REFERENCES "decision_votes" ("id")`},
	}
	indexes := []index{
		{"decision_votes_space_idx", "decision_votes", "space_id, closes_at"},
		{"decision_delegations_scope_idx", "decision_delegations", "space_id, category"},
		{"decision_delegations_delegate_idx", "decision_delegations", "delegate_id"},
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if !isPostgres(tx) {
				// On SQLite the ballots are clustered by their key (vote,
				// voter), so a count reads one vote's ballots page by page
				// instead of looking each row up in a rowid table: a
				// million ballots in under a second rather than in
				// seventeen. createTables then finds the table there.
				if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS "decision_ballots" (
"vote_id" VARCHAR NOT NULL, "voter_id" VARCHAR NOT NULL, "receipt" VARCHAR NOT NULL, "content" VARCHAR NOT NULL,
"channel" VARCHAR NOT NULL, "entered_by" VARCHAR NOT NULL, "desk" VARCHAR NOT NULL, "cast_at" TIMESTAMP NOT NULL,
"changes" INTEGER NOT NULL, PRIMARY KEY ("vote_id", "voter_id"),
FOREIGN KEY ("vote_id") REFERENCES "decision_votes" ("id"), FOREIGN KEY ("voter_id") REFERENCES "accounts" ("id")) WITHOUT ROWID`); err != nil {
					return err
				}
			}
			if err := createTables(ctx, tx, models, fks, indexes); err != nil {
				return err
			}
			for _, q := range []string{
				"CREATE UNIQUE INDEX IF NOT EXISTS decision_ballots_receipt_idx ON decision_ballots (vote_id, receipt)",
				"CREATE UNIQUE INDEX IF NOT EXISTS decision_delegations_live_idx ON decision_delegations (delegator_id, space_id, category) WHERE revoked_at IS NULL",
			} {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropTables(ctx, tx, models)
		})
	}
	Migrations.MustRegister(up, down)
}

package migrations

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// One decision across several nodes: the processes this node
// coordinates (the shared question as published, and the aggregate once
// frozen), the part of each participating node as the coordinator found
// it, and, on a participating node, which of its votes runs which
// process.
func init() {
	type process struct {
		bun.BaseModel `bun:"table:decision_processes"`
		ID            string     `bun:"id,pk"`
		Document      string     `bun:"document,notnull"` // the published question, JSON
		ClosesAt      time.Time  `bun:"closes_at,notnull"`
		Deadline      time.Time  `bun:"deadline,notnull"`
		CreatedBy     string     `bun:"created_by,notnull"`
		CreatedAt     time.Time  `bun:"created_at,notnull"`
		AggregatedAt  *time.Time `bun:"aggregated_at"`
		Aggregate     string     `bun:"aggregate,notnull"` // JSON, "" until aggregated
	}
	type part struct {
		bun.BaseModel `bun:"table:decision_process_parts"`
		ProcessID     string    `bun:"process_id,pk"`
		Node          string    `bun:"node,pk"`
		Status        string    `bun:"status,notnull"` // counted, refused
		Reason        string    `bun:"reason,notnull"`
		Part          string    `bun:"part,notnull"` // JSON: the part as the aggregate shows it
		Attempts      int       `bun:"attempts,notnull"`
		CheckedAt     time.Time `bun:"checked_at,notnull"`
	}
	type joined struct {
		bun.BaseModel `bun:"table:decision_vote_processes"`
		VoteID        string `bun:"vote_id,pk"`
		Process       string `bun:"process,notnull"`  // the process's URL at its coordinator
		Document      string `bun:"document,notnull"` // the process as joined, JSON
		// The part once signed (after closing): the document's digest,
		// the key and the signature, so a request does not hash the
		// whole document again.
		PartSHA256    string    `bun:"part_sha256,notnull"`
		PartKeyID     string    `bun:"part_key_id,notnull"`
		PartSignature string    `bun:"part_signature,notnull"`
		JoinedAt      time.Time `bun:"joined_at,notnull"`
	}
	models := []any{(*process)(nil), (*part)(nil), (*joined)(nil)}
	fks := map[string][]string{
		"decision_process_parts":  {`("process_id") REFERENCES "decision_processes" ("id")`},
		"decision_vote_processes": {`("vote_id") REFERENCES "decision_votes" ("id")`},
	}
	indexes := []index{
		{"decision_processes_due_idx", "decision_processes", "closes_at"},
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := createTables(ctx, tx, models, fks, indexes); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "CREATE UNIQUE INDEX IF NOT EXISTS decision_vote_processes_process_idx ON decision_vote_processes (process)")
			return err
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return dropTables(ctx, tx, models)
		})
	}
	Migrations.MustRegister(up, down)
}

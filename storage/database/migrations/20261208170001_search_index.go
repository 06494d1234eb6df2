package migrations

import (
	"context"
	"strings"

	"github.com/uptrace/bun"
)

// Full-text indexes of comments and debates, so that a search reads an
// index instead of folding every comment of the node (500,000 on a large
// node) for each query. On PostgreSQL a generated tsvector of the folded
// text in French and English (stemmed, as the proposals') with a GIN
// index, and an index on created_at for the newest first. On SQLite an
// FTS5 table per kind (accents removed, words stemmed as the proposals'
// are) whose rowid is a stable number kept in a row table beside it (a
// table's own rowid may be renumbered by VACUUM), numbered in the order
// the rows were written, so that "newest first" reads the index backwards
// and stops at the page's end. Triggers keep both in step.
func init() {
	type table struct {
		name string
		text string // the folded text's SQL on PostgreSQL
		cols string // the FTS5 columns on SQLite
		vals string // their values from new.*
	}
	tables := []table{
		{"comments", foldSQL("body"), "body", "new.body"},
		{"debates", foldSQL("question") + " || ' ' || " + foldSQL("description"), "question, description", "new.question, new.description"},
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			// The few hidden proposals and debates, so that "not on a hidden
			// item" reads them, not every proposal (PostgreSQL made it an
			// anti-join over a scan of the proposals: 30 ms a search).
			stmts := []string{
				"CREATE INDEX IF NOT EXISTS proposals_hidden_idx ON proposals (id) WHERE hidden_at IS NOT NULL",
				"CREATE INDEX IF NOT EXISTS debates_hidden_idx ON debates (id) WHERE hidden_at IS NOT NULL",
			}
			if isPostgres(tx) { // the newest matching proposals, by walking the dates
				stmts = append(stmts, "CREATE INDEX IF NOT EXISTS proposals_created_idx ON proposals (created_at)")
			}
			for _, t := range tables {
				if isPostgres(tx) {
					stmts = append(stmts,
						"ALTER TABLE "+t.name+" ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS (to_tsvector('french', "+t.text+
							") || to_tsvector('english', "+t.text+")) STORED",
						"CREATE INDEX IF NOT EXISTS "+t.name+"_search_idx ON "+t.name+" USING GIN (search)",
						"CREATE INDEX IF NOT EXISTS "+t.name+"_created_idx ON "+t.name+" (created_at)")
					continue
				}
				rows, fts := t.name+"_search_rows", t.name+"_fts"
				vals := "(SELECT n FROM " + rows + " WHERE id = new.id), " + t.vals
				stmts = append(stmts,
					"CREATE TABLE IF NOT EXISTS "+rows+" (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE)",
					"CREATE VIRTUAL TABLE IF NOT EXISTS "+fts+" USING fts5("+t.cols+", tokenize='porter unicode61 remove_diacritics 2')",
					// What is there already, oldest first.
					"INSERT INTO "+rows+" (id) SELECT id FROM "+t.name+" WHERE id NOT IN (SELECT id FROM "+rows+") ORDER BY created_at, id",
					"INSERT INTO "+fts+" (rowid, "+t.cols+") SELECT r.n, "+prefixed("t.", t.cols)+" FROM "+rows+" AS r JOIN "+t.name+
						" AS t ON t.id = r.id WHERE r.n NOT IN (SELECT rowid FROM "+fts+")",
					"CREATE TRIGGER IF NOT EXISTS "+fts+"_insert AFTER INSERT ON "+t.name+" BEGIN "+
						"INSERT INTO "+rows+" (id) VALUES (new.id); "+
						"INSERT INTO "+fts+" (rowid, "+t.cols+") VALUES ("+vals+"); END",
					"CREATE TRIGGER IF NOT EXISTS "+fts+"_update AFTER UPDATE OF "+t.cols+" ON "+t.name+" BEGIN "+
						"DELETE FROM "+fts+" WHERE rowid = (SELECT n FROM "+rows+" WHERE id = old.id); "+
						"INSERT INTO "+fts+" (rowid, "+t.cols+") VALUES ("+vals+"); END",
					"CREATE TRIGGER IF NOT EXISTS "+fts+"_delete AFTER DELETE ON "+t.name+" BEGIN "+
						"DELETE FROM "+fts+" WHERE rowid = (SELECT n FROM "+rows+" WHERE id = old.id); "+
						"DELETE FROM "+rows+" WHERE id = old.id; END")
			}
			for _, s := range stmts {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return err
				}
			}
			return nil
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			stmts := []string{"DROP INDEX IF EXISTS proposals_hidden_idx", "DROP INDEX IF EXISTS debates_hidden_idx"}
			if isPostgres(tx) {
				stmts = append(stmts, "DROP INDEX IF EXISTS proposals_created_idx")
			}
			for _, t := range tables {
				if isPostgres(tx) {
					stmts = append(stmts, "DROP INDEX IF EXISTS "+t.name+"_created_idx", "DROP INDEX IF EXISTS "+t.name+"_search_idx",
						"ALTER TABLE "+t.name+" DROP COLUMN IF EXISTS search")
					continue
				}
				fts := t.name + "_fts"
				stmts = append(stmts, "DROP TRIGGER IF EXISTS "+fts+"_insert", "DROP TRIGGER IF EXISTS "+fts+"_update",
					"DROP TRIGGER IF EXISTS "+fts+"_delete", "DROP TABLE IF EXISTS "+fts, "DROP TABLE IF EXISTS "+t.name+"_search_rows")
			}
			for _, s := range stmts {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return err
				}
			}
			return nil
		})
	}
	Migrations.MustRegister(up, down)
}

// prefixed puts p before each of a comma-separated list of columns.
func prefixed(p, cols string) string {
	list := strings.Split(cols, ",")
	for i, c := range list {
		list[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(list, ", ")
}

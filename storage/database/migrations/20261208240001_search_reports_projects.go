package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Full-text indexes of street reports (their public description only:
// a node is benchmarked with a million of them) and budget projects
// (title and description), built as 20261208170001 builds the comments'
// and debates': on PostgreSQL a generated tsvector of the folded text in
// French and English with a GIN index and an index on created_at; on
// SQLite an FTS5 table whose rowid is a stable number kept in a row table
// beside it, numbered in the order the rows were written, kept in step
// by triggers. The reporter's name and the messages with the city are
// never indexed.
func init() {
	type table struct {
		name string
		text string // the folded text's SQL on PostgreSQL
		cols string // the FTS5 columns on SQLite
		vals string // their values from new.*
		// created is the created_at index to add on PostgreSQL, "" when
		// one is there already.
		created string
	}
	tables := []table{
		{"street_reports", foldSQL("description"), "description", "new.description", ""},
		{"budget_projects", foldSQL("title") + " || ' ' || " + foldSQL("description"), "title, description", "new.title, new.description",
			"budget_projects_created_idx"},
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var stmts []string
			for _, t := range tables {
				if isPostgres(tx) {
					stmts = append(stmts,
						"ALTER TABLE "+t.name+" ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS (to_tsvector('french', "+t.text+
							") || to_tsvector('english', "+t.text+")) STORED",
						"CREATE INDEX IF NOT EXISTS "+t.name+"_search_idx ON "+t.name+" USING GIN (search)")
					if t.created != "" {
						stmts = append(stmts, "CREATE INDEX IF NOT EXISTS "+t.created+" ON "+t.name+" (created_at)")
					}
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
			var stmts []string
			for _, t := range tables {
				if isPostgres(tx) {
					if t.created != "" {
						stmts = append(stmts, "DROP INDEX IF EXISTS "+t.created)
					}
					stmts = append(stmts, "DROP INDEX IF EXISTS "+t.name+"_search_idx", "ALTER TABLE "+t.name+" DROP COLUMN IF EXISTS search")
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

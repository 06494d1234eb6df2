package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

// Search ranks by relevance (issue 18): a word in a debate's question or
// a budget project's title counts more than in its description, as a
// proposal's title already does (weight A). PostgreSQL only: its
// generated tsvector is made again with the weights (a rewrite of the
// two tables, which hold thousands of rows, not millions, and their GIN
// index); on SQLite the FTS5 tables keep their columns apart already and
// bm25 weighs them at query time.
func init() {
	type table struct{ name, title, body string }
	tables := []table{{"debates", "question", "description"}, {"budget_projects", "title", "description"}}
	remake := func(ctx context.Context, tx bun.Tx, t table, weighted bool) error {
		text := "to_tsvector('french', " + foldSQL(t.title) + " || ' ' || " + foldSQL(t.body) + ") || to_tsvector('english', " +
			foldSQL(t.title) + " || ' ' || " + foldSQL(t.body) + ")"
		if weighted {
			text = "setweight(to_tsvector('french', " + foldSQL(t.title) + "), 'A') || setweight(to_tsvector('english', " + foldSQL(t.title) + "), 'A') || " +
				"to_tsvector('french', " + foldSQL(t.body) + ") || to_tsvector('english', " + foldSQL(t.body) + ")"
		}
		for _, s := range []string{
			"DROP INDEX IF EXISTS " + t.name + "_search_idx",
			"ALTER TABLE " + t.name + " DROP COLUMN IF EXISTS search",
			"ALTER TABLE " + t.name + " ADD COLUMN search tsvector GENERATED ALWAYS AS (" + text + ") STORED",
			"CREATE INDEX " + t.name + "_search_idx ON " + t.name + " USING GIN (search)",
		} {
			if _, err := tx.ExecContext(ctx, s); err != nil {
				return err
			}
		}
		return nil
	}
	run := func(weighted bool) func(ctx context.Context, db *bun.DB) error {
		return func(ctx context.Context, db *bun.DB) error {
			return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				if !isPostgres(tx) {
					return nil
				}
				for _, t := range tables {
					if err := remake(ctx, tx, t, weighted); err != nil {
						return err
					}
				}
				return nil
			})
		}
	}
	Migrations.MustRegister(run(true), run(false))
}

package migrations

import (
	"context"
	"strings"

	"github.com/uptrace/bun"
)

// Search finds public profiles by their display name whatever its
// accents (issue 18). The search folded every account's name in SQL on
// each search (50 nested replace() on SQLite, translate on PostgreSQL):
// at 15,000 accounts that was 80 to 160 ms of a 170 ms search on SQLite.
// The folded name is now kept in accounts.search_name, written once: a
// generated column on PostgreSQL, triggers on SQLite (which cannot add a
// stored generated column to an existing table). The fold is the one of
// instances/search (fold, foldExpr): accents removed, œ and æ spelt out,
// lower case.
func init() {
	const from = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿ"
	const to = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyy"
	fold := func(col string, pg bool) string {
		e := col
		if pg {
			e = "translate(" + col + ", '" + from + "', '" + to + "')"
		} else {
			f, t := []rune(from), []rune(to)
			for i := range f {
				e = "replace(" + e + ", '" + string(f[i]) + "', '" + string(t[i]) + "')"
			}
		}
		return "lower(replace(replace(replace(replace(" + e + ", 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'))"
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if isPostgres(tx) {
				return addColumn(ctx, tx, "accounts", "search_name", "text GENERATED ALWAYS AS ("+fold("display_name", true)+") STORED")
			}
			if err := addColumn(ctx, tx, "accounts", "search_name", "TEXT NOT NULL DEFAULT ''"); err != nil {
				return err
			}
			set := "UPDATE accounts SET search_name = " + strings.ReplaceAll(fold("display_name", false), "display_name", "NEW.display_name") + " WHERE id = NEW.id;"
			for _, s := range []string{
				"UPDATE accounts SET search_name = " + fold("display_name", false),
				"CREATE TRIGGER IF NOT EXISTS accounts_search_name_insert AFTER INSERT ON accounts BEGIN " + set + " END",
				"CREATE TRIGGER IF NOT EXISTS accounts_search_name_update AFTER UPDATE OF display_name ON accounts BEGIN " + set + " END",
			} {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return err
				}
			}
			return nil
		})
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			for _, s := range []string{"DROP TRIGGER IF EXISTS accounts_search_name_insert", "DROP TRIGGER IF EXISTS accounts_search_name_update"} {
				if isPostgres(tx) {
					break // no triggers there: a generated column
				}
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return err
				}
			}
			return dropColumn(ctx, tx, "accounts", "search_name")
		})
	}
	Migrations.MustRegister(up, down)
}

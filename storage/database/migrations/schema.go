package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

func isPostgres(db bun.IDB) bool { return db.Dialect().Name() == dialect.PG }

// index is a plain index a migration creates.
type index struct{ name, table, cols string }

// createTables creates the tables of models (frozen shapes, in order) with
// their foreign keys, then the indexes, all IF NOT EXISTS.
func createTables(ctx context.Context, tx bun.Tx, models []any, fks map[string][]string, indexes []index) error {
	for _, m := range models {
		q := tx.NewCreateTable().Model(m).IfNotExists()
		for _, fk := range fks[q.GetTableName()] {
			q = q.ForeignKey(fk)
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
	}
	for _, ix := range indexes {
		if _, err := tx.ExecContext(ctx, "CREATE INDEX IF NOT EXISTS "+ix.name+" ON "+ix.table+" ("+ix.cols+")"); err != nil {
			return err
		}
	}
	return nil
}

// dropTables drops the tables of models, last first, IF EXISTS.
func dropTables(ctx context.Context, tx bun.Tx, models []any) error {
	for i := len(models) - 1; i >= 0; i-- {
		if _, err := tx.NewDropTable().Model(models[i]).IfExists().Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// appendOnly makes the database itself refuse UPDATE and DELETE on table,
// so no code path, bug or hand-typed query can rewrite history.
func appendOnly(ctx context.Context, tx bun.Tx, table string) error {
	var stmts []string
	if isPostgres(tx) {
		stmts = []string{
			`CREATE OR REPLACE FUNCTION agora_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`,
			fmt.Sprintf(`DROP TRIGGER IF EXISTS %[1]s_append_only ON %[1]s`, table),
			fmt.Sprintf(`CREATE TRIGGER %[1]s_append_only BEFORE UPDATE OR DELETE ON %[1]s FOR EACH ROW EXECUTE FUNCTION agora_append_only()`, table),
			fmt.Sprintf(`DROP TRIGGER IF EXISTS %[1]s_no_truncate ON %[1]s`, table),
			fmt.Sprintf(`CREATE TRIGGER %[1]s_no_truncate BEFORE TRUNCATE ON %[1]s FOR EACH STATEMENT EXECUTE FUNCTION agora_append_only()`, table),
		}
	} else {
		stmts = []string{
			fmt.Sprintf(`CREATE TRIGGER IF NOT EXISTS %[1]s_no_update BEFORE UPDATE ON %[1]s BEGIN SELECT RAISE(ABORT, '%[1]s is append-only'); END`, table),
			fmt.Sprintf(`CREATE TRIGGER IF NOT EXISTS %[1]s_no_delete BEFORE DELETE ON %[1]s BEGIN SELECT RAISE(ABORT, '%[1]s is append-only'); END`, table),
		}
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("make %s append-only: %w", table, err)
		}
	}
	return nil
}

// addColumn adds a column (def is its type and constraints) unless the
// table already has it: SQLite has no ADD COLUMN IF NOT EXISTS.
func addColumn(ctx context.Context, tx bun.Tx, table, column, def string) error {
	if isPostgres(tx) {
		_, err := tx.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s ADD COLUMN IF NOT EXISTS %s %s", table, column, def))
		return err
	}
	var n int
	if err := tx.NewRaw("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", table, column).Scan(ctx, &n); err != nil {
		return fmt.Errorf("columns of %s: %w", table, err)
	}
	if n > 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", table, column, def))
	return err
}

// dropColumn drops a column if the table has it.
func dropColumn(ctx context.Context, tx bun.Tx, table, column string) error {
	if isPostgres(tx) {
		_, err := tx.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s DROP COLUMN IF EXISTS %s", table, column))
		return err
	}
	var n int
	if err := tx.NewRaw("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", table, column).Scan(ctx, &n); err != nil {
		return fmt.Errorf("columns of %s: %w", table, err)
	}
	if n == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", table, column))
	return err
}

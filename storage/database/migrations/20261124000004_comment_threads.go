package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// comment_threads counts the changes to each thread (the comments of one
// proposal or debate), so a process can tell in one primary-key read
// whether a thread it rendered earlier is still current. Triggers bump it
// on every insert, update and delete of a comment, whoever writes it (a
// resident, a moderator, a federation worker, another process).
func init() {
	up := func(ctx context.Context, db *bun.DB) error {
		return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			stmts := []string{`CREATE TABLE IF NOT EXISTS comment_threads (
				target_kind VARCHAR NOT NULL, target_id VARCHAR NOT NULL, version BIGINT NOT NULL,
				PRIMARY KEY (target_kind, target_id))`}
			const bump = `INSERT INTO comment_threads (target_kind, target_id, version) VALUES (%[1]s.target_kind, %[1]s.target_id, 1)
				ON CONFLICT (target_kind, target_id) DO UPDATE SET version = comment_threads.version + 1`
			if isPostgres(tx) {
				stmts = append(stmts, `CREATE OR REPLACE FUNCTION comment_threads_bump() RETURNS trigger AS $$
					BEGIN
						IF TG_OP = 'DELETE' THEN
							`+fmt.Sprintf(bump, "OLD")+`;
							RETURN OLD;
						END IF;
						`+fmt.Sprintf(bump, "NEW")+`;
						RETURN NEW;
					END $$ LANGUAGE plpgsql`,
					`DROP TRIGGER IF EXISTS comment_threads_bump ON comments`,
					`CREATE TRIGGER comment_threads_bump AFTER INSERT OR UPDATE OR DELETE ON comments
						FOR EACH ROW EXECUTE FUNCTION comment_threads_bump()`)
			} else {
				stmts = append(stmts,
					`CREATE TRIGGER IF NOT EXISTS comment_threads_insert AFTER INSERT ON comments BEGIN `+fmt.Sprintf(bump, "new")+`; END`,
					`CREATE TRIGGER IF NOT EXISTS comment_threads_update AFTER UPDATE ON comments BEGIN `+fmt.Sprintf(bump, "new")+`; END`,
					`CREATE TRIGGER IF NOT EXISTS comment_threads_delete AFTER DELETE ON comments BEGIN `+fmt.Sprintf(bump, "old")+`; END`)
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
			stmts := []string{"DROP TRIGGER IF EXISTS comment_threads_insert", "DROP TRIGGER IF EXISTS comment_threads_update",
				"DROP TRIGGER IF EXISTS comment_threads_delete"}
			if isPostgres(tx) {
				stmts = []string{"DROP TRIGGER IF EXISTS comment_threads_bump ON comments", "DROP FUNCTION IF EXISTS comment_threads_bump()"}
			}
			for _, s := range append(stmts, "DROP TABLE IF EXISTS comment_threads") {
				if _, err := tx.ExecContext(ctx, s); err != nil {
					return err
				}
			}
			return nil
		})
	}
	Migrations.MustRegister(up, down)
}

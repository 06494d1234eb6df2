package migrations

import (
	"context"

	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/uptrace/bun"
)

// riverVersion is the River schema this migration creates: pinned, so a
// later upgrade of River adds its own migration here instead of changing
// what this one does.
const riverVersion = 8

// The durable job queue (River): its tables, created by River's own
// migrations, on either database.
func init() {
	// River runs each of its versions in its own transaction: on
	// PostgreSQL a new enum value cannot be used in the transaction that
	// adds it. River records the versions applied, so a rerun after a crash
	// picks up where it stopped.
	run := func(ctx context.Context, db *bun.DB, dir rivermigrate.Direction, target int) error {
		opts := &rivermigrate.MigrateOpts{TargetVersion: target}
		if isPostgres(db) {
			m, err := rivermigrate.New(riverdatabasesql.New(db.DB), nil)
			if err != nil {
				return err
			}
			_, err = m.Migrate(ctx, dir, opts)
			return err
		}
		m, err := rivermigrate.New(riversqlite.New(db.DB), nil)
		if err != nil {
			return err
		}
		_, err = m.Migrate(ctx, dir, opts)
		return err
	}
	up := func(ctx context.Context, db *bun.DB) error {
		return run(ctx, db, rivermigrate.DirectionUp, riverVersion)
	}
	down := func(ctx context.Context, db *bun.DB) error {
		return run(ctx, db, rivermigrate.DirectionDown, -1)
	}
	Migrations.MustRegister(up, down)
}

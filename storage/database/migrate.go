package database

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"agora/storage/database/migrations"
)

// Migration is one schema change and whether it is applied.
type Migration struct {
	Name      string // timestamp, e.g. 20261124000001
	Comment   string // what it does, e.g. node_settings
	Applied   bool
	AppliedAt time.Time
	Group     int64 // migrations applied together are rolled back together
}

// Migrator applies the embedded migrations to one database.
type Migrator struct {
	db *bun.DB
	m  *migrate.Migrator
}

// NewMigrator returns a migrator for db.
func NewMigrator(db *bun.DB) *Migrator {
	return &Migrator{
		db: db,
		m: migrate.NewMigrator(db, migrations.Migrations,
			migrate.WithTableName("agora_migrations"),
			migrate.WithLocksTableName("agora_migration_locks"),
			// A migration that fails is not recorded, so the next run retries it.
			migrate.WithMarkAppliedOnSuccess(true),
		),
	}
}

// Up applies every pending migration and returns their names.
func (m *Migrator) Up(ctx context.Context) ([]string, error) {
	var names []string
	err := m.locked(ctx, func() error {
		group, err := m.m.Migrate(ctx)
		for _, mig := range group.Migrations {
			names = append(names, mig.Name+"_"+mig.Comment)
		}
		return err
	})
	if err != nil {
		return names, fmt.Errorf("migrate up: %w", err)
	}
	return names, nil
}

// Down rolls back the last group of migrations (those applied by one Up).
func (m *Migrator) Down(ctx context.Context) ([]string, error) {
	var names []string
	err := m.locked(ctx, func() error {
		group, err := m.m.Rollback(ctx)
		for _, mig := range group.Migrations {
			names = append(names, mig.Name+"_"+mig.Comment)
		}
		return err
	})
	if err != nil {
		return names, fmt.Errorf("migrate down: %w", err)
	}
	return names, nil
}

// Status lists every known migration, applied or not, oldest first.
func (m *Migrator) Status(ctx context.Context) ([]Migration, error) {
	if err := m.m.Init(ctx); err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	ms, err := m.m.MigrationsWithStatus(ctx)
	if err != nil {
		return nil, fmt.Errorf("migration status: %w", err)
	}
	out := make([]Migration, 0, len(ms))
	for _, mig := range ms {
		out = append(out, Migration{
			Name: mig.Name, Comment: mig.Comment,
			Applied: mig.IsApplied(), AppliedAt: mig.MigratedAt, Group: mig.GroupID,
		})
	}
	return out, nil
}

// Pending reports how many migrations are not applied yet.
func (m *Migrator) Pending(ctx context.Context) (int, error) {
	ms, err := m.Status(ctx)
	n := 0
	for _, mig := range ms {
		if !mig.Applied {
			n++
		}
	}
	return n, err
}

// locked runs fn while holding a lock that keeps two processes from
// migrating at once: a PostgreSQL advisory lock, which the server releases
// if this process dies; SQLite's own write lock already serialises the
// transactions each migration runs in.
func (m *Migrator) locked(ctx context.Context, fn func() error) error {
	if !IsPostgres(m.db) {
		if err := m.m.Init(ctx); err != nil {
			return err
		}
		return fn()
	}
	conn, err := m.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	const key = 0x61676f7261 // "agora"
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", key); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", key)
	// Init creates the bookkeeping tables; two processes doing it at once
	// would race, so it too runs under the lock.
	if err := m.m.Init(ctx); err != nil {
		return err
	}
	return fn()
}

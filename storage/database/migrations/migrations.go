// Package migrations holds the node's schema changes, oldest first, one
// file each, named by timestamp. The same set runs on SQLite and
// PostgreSQL.
//
// Rules, learnt the hard way by others:
//   - a migration never uses today's models: it declares the frozen shape
//     it needs, inside its own function;
//   - each runs in one transaction and is safe to run twice (IF NOT
//     EXISTS, IF EXISTS), since a crash can fall between its commit and
//     the bookkeeping that records it;
//   - tables are not dropped in an up migration: data is never lost on
//     upgrade.
package migrations

import "github.com/uptrace/bun/migrate"

// Migrations is the ordered set, filled by each file's init.
var Migrations = migrate.NewMigrations()

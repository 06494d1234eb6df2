package database

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"agora/storage/database/migrations"
)

// RerunUp runs the up function of one migration again, without the
// bookkeeping, as happens when a crash falls between the two.
func RerunUp(ctx context.Context, db *bun.DB, name string) error {
	m := NewMigrator(db)
	for _, mig := range migrations.Migrations.Sorted() {
		if mig.Name == name {
			return mig.Up(ctx, m.m, &mig)
		}
	}
	return fmt.Errorf("no migration %s", name)
}

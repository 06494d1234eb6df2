package storagetest

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun"
)

// InsertRows writes n rows made by row, batch rows per statement, in one
// transaction: how benchmarks seed a database of a city's size as plain
// rows. what names the rows in a failure.
func InsertRows[T any](tb testing.TB, db *bun.DB, what string, n, batch int, row func(i int) T) {
	tb.Helper()
	err := db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
		for lo := 0; lo < n; lo += batch {
			rows := make([]T, 0, batch)
			for i := lo; i < min(n, lo+batch); i++ {
				rows = append(rows, row(i))
			}
			if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("seed %s: %v", what, err)
	}
}

// CPUTime is the CPU time the process has used, user and system: on a
// shared machine it says more of a benchmark than the wall time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

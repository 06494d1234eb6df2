package database

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Write transactions of one process take turns in Go: one that begins
// while another holds the turn waits for it, and fails with ErrBusy after
// the wait (a transaction that begins another inside itself); the turn
// comes back however a transaction ends.
func TestSQLiteWriteTurns(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "turns.db")
	turns := newWriteTurns()
	turns.wait = 300 * time.Millisecond
	db := sql.OpenDB(&serialConnector{dsn: "file:" + path + "?" + sqliteParams, turns: turns})
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE TABLE t (n INTEGER)"); err != nil {
		t.Fatal(err)
	}

	outer, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.BeginTx(ctx, nil); !errors.Is(err, ErrBusy) {
		t.Fatalf("a transaction begun inside another: %v, want ErrBusy", err)
	}
	// A reader outside the transaction is never held up.
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil {
		t.Fatalf("read while a transaction is open: %v", err)
	}
	// A cancelled wait says so.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.BeginTx(cctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
	outer.Rollback()

	// Many writers at once: every insert lands, none fails.
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				errs <- err
				return
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO t VALUES (?)", i); err != nil {
				tx.Rollback()
				errs <- err
				return
			}
			if i%4 == 0 {
				errs <- tx.Rollback()
				return
			}
			errs <- tx.Commit()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 30 {
		t.Fatalf("%d rows, %v; want 30 (10 of 40 rolled back)", n, err)
	}
	// A failed commit gives the turn back too.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tx.Commit()
	if err := tx.Commit(); err == nil {
		t.Fatal("second commit succeeded")
	}
	if tx, err = db.BeginTx(ctx, nil); err != nil {
		t.Fatalf("the turn did not come back: %v", err)
	}
	tx.Rollback()
}

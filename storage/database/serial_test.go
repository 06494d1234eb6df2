package database

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"slices"
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
	// A write on its own is a transaction too: it waits for the turn.
	if _, err := db.ExecContext(ctx, "INSERT INTO t VALUES (-1)"); !errors.Is(err, ErrBusy) {
		t.Fatalf("an INSERT on its own while a transaction holds the turn: %v, want ErrBusy", err)
	}
	// A cancelled wait says so.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.BeginTx(cctx, nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait: %v", err)
	}
	outer.Rollback()

	// A write with RETURNING holds the turn until its rows are closed.
	rows, err := db.QueryContext(ctx, "INSERT INTO t VALUES (-2) RETURNING n")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.BeginTx(ctx, nil); !errors.Is(err, ErrBusy) {
		t.Fatalf("a transaction while a RETURNING's rows are open: %v, want ErrBusy", err)
	}
	var got int
	if !rows.Next() || rows.Scan(&got) != nil || got != -2 {
		t.Fatalf("RETURNING gave %d", got)
	}
	rows.Close()
	if _, err := db.ExecContext(ctx, "DELETE FROM t"); err != nil {
		t.Fatalf("a write once the rows are closed: %v", err)
	}

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

// An urgent transaction goes before the others waiting, which then go
// in arrival order; a waiter that gives up leaves the queue, and a turn
// handed to it as it gave up goes on to the next.
func TestWriteTurnsUrgent(t *testing.T) {
	ctx := context.Background()
	turns := newWriteTurns()
	if err := turns.take(ctx); err != nil {
		t.Fatal(err)
	}
	queued := func(normal, urgent int) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
			turns.mu.Lock()
			n, u := len(turns.normal), len(turns.urgent)
			turns.mu.Unlock()
			if n == normal && u == urgent {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d normal and %d urgent waiting, want %d and %d", n, u, normal, urgent)
			}
		}
	}
	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	wait := func(name string, ctx context.Context) {
		wg.Go(func() {
			if err := turns.take(ctx); err != nil {
				t.Error(name, err)
				return
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			turns.give()
		})
	}
	wait("first", ctx)
	queued(1, 0)
	gaveUp, cancel := context.WithCancel(ctx)
	wg.Go(func() {
		if err := turns.take(gaveUp); !errors.Is(err, context.Canceled) {
			t.Errorf("a cancelled wait: %v", err)
		}
	})
	queued(2, 0)
	wait("second", ctx)
	queued(3, 0)
	wait("urgent", Urgent(ctx))
	queued(3, 1)
	cancel()
	queued(2, 1)
	turns.give()
	wg.Wait()
	if want := []string{"urgent", "first", "second"}; !slices.Equal(order, want) {
		t.Fatalf("turns went %v, want %v", order, want)
	}
	turns.mu.Lock()
	defer turns.mu.Unlock()
	if turns.busy || len(turns.normal)+len(turns.urgent) != 0 {
		t.Fatalf("after every turn: busy %v, %d waiting", turns.busy, len(turns.normal)+len(turns.urgent))
	}
}

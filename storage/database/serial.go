package database

import (
	"context"
	"database/sql/driver"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
)

// SQLite lets one writer in at a time. A write transaction (they all begin
// IMMEDIATE) that finds the lock taken sleeps in SQLite's busy handler,
// 1 ms, then 2, 5, … up to 100 ms between tries: under a burst some
// waiters sleep through many commits and their requests make the tail
// (a p99 of hundreds of milliseconds for ballots and inbox deliveries
// whose transactions take one). writeTurns makes the connections of one
// process queue for the lock in Go instead, in arrival order, each woken
// the moment the previous transaction ends. Other processes on the same
// file (admin commands) still meet the busy handler, as before.

// serialConnector opens modernc's SQLite connections wrapped so that
// BeginTx waits for the process's turn.
type serialConnector struct {
	dsn   string
	turns *writeTurns
}

func (c *serialConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := (&sqlite.Driver{}).Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &serialConn{Conn: conn, turns: c.turns}, nil
}

func (c *serialConnector) Driver() driver.Driver { return &sqlite.Driver{} }

// writeTurns is one process's queue for the write lock, taken before
// BEGIN and given back at COMMIT or ROLLBACK. Waiters are served in
// arrival order, except that a transaction marked Urgent goes before the
// others waiting: the inbox's group commit, which a crowd of requests
// waits on, does not queue behind the background jobs' transactions.
// Only one urgent transaction waits at a time there (one goroutine
// commits the groups), so the others are never starved.
type writeTurns struct {
	mu             sync.Mutex
	busy           bool
	urgent, normal []chan struct{}
	wait           time.Duration // turnTimeout; tests shorten it
}

func newWriteTurns() *writeTurns { return &writeTurns{wait: turnTimeout} }

// turnTimeout is how long a transaction waits for its turn, as long as
// the busy timeout a connection would otherwise wait: a transaction that
// begins another while it holds the turn fails then, as it always did,
// instead of waiting for ever.
const turnTimeout = 10 * time.Second

// ErrBusy is a write transaction that waited turnTimeout for its turn.
var ErrBusy = errors.New("database is locked: waited 10 s for another write transaction to end")

type urgentKey struct{}

// Urgent marks ctx's write transactions as going before the others
// waiting for SQLite's write lock in this process (see writeTurns).
// PostgreSQL ignores it.
func Urgent(ctx context.Context) context.Context { return context.WithValue(ctx, urgentKey{}, true) }

func (t *writeTurns) take(ctx context.Context) error {
	t.mu.Lock()
	if !t.busy {
		t.busy = true
		t.mu.Unlock()
		return nil
	}
	ch := make(chan struct{}, 1)
	urgent, _ := ctx.Value(urgentKey{}).(bool)
	if urgent {
		t.urgent = append(t.urgent, ch)
	} else {
		t.normal = append(t.normal, ch)
	}
	t.mu.Unlock()
	timer := time.NewTimer(t.wait)
	defer timer.Stop()
	var err error
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		err = ctx.Err()
	case <-timer.C:
		err = ErrBusy
	}
	t.mu.Lock()
	q := &t.normal
	if urgent {
		q = &t.urgent
	}
	if i := slices.Index(*q, ch); i >= 0 {
		*q = slices.Delete(*q, i, i+1)
		t.mu.Unlock()
		return err
	}
	t.mu.Unlock()
	// The turn was handed over as the wait ended: pass it on.
	t.give()
	return err
}

// give hands the turn to the first urgent waiter, else the first waiter.
func (t *writeTurns) give() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, q := range []*[]chan struct{}{&t.urgent, &t.normal} {
		if len(*q) > 0 {
			ch := (*q)[0]
			*q = (*q)[1:]
			ch <- struct{}{}
			return
		}
	}
	t.busy = false
}

// serialConn forwards everything to the SQLite connection; transactions
// wait for their turn, and so do writes outside a transaction (an INSERT
// on its own is a transaction for SQLite: without a turn it slept in the
// busy handler, behind the queue, as a remote actor's first key did
// under an inbox flood).
type serialConn struct {
	driver.Conn
	turns *writeTurns
	inTx  bool // database/sql uses a connection from one goroutine at a time
}

// isWrite reports whether a statement run on its own writes: the first
// word is one of SQLite's writing statements. A WITH … INSERT is not
// recognised and waits in the busy handler as before.
func isWrite(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	word, _, _ := strings.Cut(q, " ")
	switch strings.ToUpper(word) {
	case "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER":
		return true
	}
	return false
}

// The interfaces database/sql looks for on a connection, forwarded so
// that statements run as they would without the wrapper.
var (
	_ driver.ConnBeginTx        = (*serialConn)(nil)
	_ driver.ConnPrepareContext = (*serialConn)(nil)
	_ driver.ExecerContext      = (*serialConn)(nil)
	_ driver.QueryerContext     = (*serialConn)(nil)
	_ driver.Pinger             = (*serialConn)(nil)
	_ driver.SessionResetter    = (*serialConn)(nil)
	_ driver.Validator          = (*serialConn)(nil)
)

var errNoContext = errors.New("sqlite connection lacks a context method")

func (c *serialConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	b, ok := c.Conn.(driver.ConnBeginTx)
	if !ok {
		return nil, errNoContext
	}
	if err := c.turns.take(ctx); err != nil {
		return nil, err
	}
	tx, err := b.BeginTx(ctx, opts)
	if err != nil {
		c.turns.give()
		return nil, err
	}
	c.inTx = true
	return &serialTx{Tx: tx, conn: c}, nil
}

func (c *serialConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *serialConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if !c.inTx && isWrite(query) {
		if err := c.turns.take(ctx); err != nil {
			return nil, err
		}
		defer c.turns.give()
	}
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *serialConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if c.inTx || !isWrite(query) {
		return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	}
	// A write with RETURNING holds the lock until its rows are closed.
	if err := c.turns.take(ctx); err != nil {
		return nil, err
	}
	rows, err := c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
	if err != nil {
		c.turns.give()
		return nil, err
	}
	return &turnRows{rows: rows, give: c.turns.give}, nil
}

// turnRows gives the turn back when closed, and forwards what modernc's
// rows tell of their columns.
type turnRows struct {
	rows driver.Rows
	give func()
	once sync.Once
}

func (r *turnRows) Columns() []string              { return r.rows.Columns() }
func (r *turnRows) Next(dest []driver.Value) error { return r.rows.Next(dest) }
func (r *turnRows) Close() error {
	defer r.once.Do(r.give)
	return r.rows.Close()
}

func (r *turnRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *turnRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *turnRows) ColumnTypeNullable(i int) (bool, bool) {
	if t, ok := r.rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *turnRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *turnRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (c *serialConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *serialConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *serialConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }

// serialTx gives the turn back once, whichever of Commit and Rollback
// ends it (database/sql may call Rollback after a failed Commit).
type serialTx struct {
	driver.Tx
	conn *serialConn
	once sync.Once
}

func (t *serialTx) end() {
	t.conn.inTx = false
	t.conn.turns.give()
}

func (t *serialTx) Commit() error {
	defer t.once.Do(t.end)
	return t.Tx.Commit()
}

func (t *serialTx) Rollback() error {
	defer t.once.Do(t.end)
	return t.Tx.Rollback()
}

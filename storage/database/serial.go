package database

import (
	"context"
	"database/sql/driver"
	"errors"
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

// writeTurns is one process's queue for the write lock: a channel of one
// token, taken before BEGIN and given back at COMMIT or ROLLBACK.
type writeTurns struct {
	token chan struct{}
	wait  time.Duration // turnTimeout; tests shorten it
}

func newWriteTurns() *writeTurns {
	t := &writeTurns{token: make(chan struct{}, 1), wait: turnTimeout}
	t.token <- struct{}{}
	return t
}

// turnTimeout is how long a transaction waits for its turn, as long as
// the busy timeout a connection would otherwise wait: a transaction that
// begins another while it holds the turn fails then, as it always did,
// instead of waiting for ever.
const turnTimeout = 10 * time.Second

// ErrBusy is a write transaction that waited turnTimeout for its turn.
var ErrBusy = errors.New("database is locked: waited 10 s for another write transaction to end")

func (t *writeTurns) take(ctx context.Context) error {
	timer := time.NewTimer(t.wait)
	defer timer.Stop()
	select {
	case <-t.token:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return ErrBusy
	}
}

func (t *writeTurns) give() { t.token <- struct{}{} }

// serialConn forwards everything to the SQLite connection; only
// transactions wait for their turn.
type serialConn struct {
	driver.Conn
	turns *writeTurns
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
	return &serialTx{Tx: tx, turns: c.turns}, nil
}

func (c *serialConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *serialConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
}

func (c *serialConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
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
	turns *writeTurns
	once  sync.Once
}

func (t *serialTx) Commit() error {
	defer t.once.Do(t.turns.give)
	return t.Tx.Commit()
}

func (t *serialTx) Rollback() error {
	defer t.once.Do(t.turns.give)
	return t.Tx.Rollback()
}

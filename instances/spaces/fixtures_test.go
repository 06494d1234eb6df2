package spaces_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/markup"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// start is when every test's clock begins: a time with microseconds, so
// the way each dialect stores fractions is exercised too.
var start = time.Date(2026, time.November, 24, 9, 30, 0, 123456000, time.UTC)

const day = 24 * time.Hour

type clock = storagetest.Clock

// fixture is one test's services on a fresh, migrated database.
type fixture struct {
	storagetest.Tables
	ctx     context.Context
	db      *bun.DB
	acc     *accounts.Service
	svc     *spaces.Service
	clock   *clock
	dialect string
}

// run runs fn on SQLite and on PostgreSQL, each on its own database, in
// parallel with the other tests of the package.
func run(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		db := storagetest.MigratedDB(t, dialect)
		c := storagetest.NewClock(start)
		fn(t, &fixture{Tables: storagetest.Tables{DB: db, Names: tables}, ctx: t.Context(), db: db, acc: accounts.NewService(db, c.Now),
			svc: spaces.NewService(db, markup.New(), c.Now), clock: c, dialect: dialect})
	})
}

// account opens an account as the node itself, with the given roles.
func (f *fixture) account(t testing.TB, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	acc, err := f.acc.Create(f.ctx, accounts.System, accounts.NewAccount{Handle: handle, DisplayName: "Name of " + handle, Roles: roles})
	if err != nil {
		t.Fatalf("create %s: %v", handle, err)
	}
	return acc
}

// tables are every table the spaces package writes.
var tables = []string{"spaces", "space_phases", "space_categories", "audit_log", "outbox_events"}

// wantErr fails unless err is want (nil meaning success).
func wantErr(t testing.TB, err, want error, what string) {
	t.Helper()
	if want == nil && err != nil {
		t.Fatalf("%s: %v, want success", what, err)
	}
	if want != nil && !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

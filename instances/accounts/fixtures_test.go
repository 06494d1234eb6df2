package accounts_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/storagetest"
)

// start is when every test's clock begins: a time with microseconds, so
// the way each dialect stores fractions is exercised too.
var start = time.Date(2026, time.November, 24, 9, 30, 0, 123456000, time.UTC)

type clock = storagetest.Clock

// fixture is one test's service on a fresh, migrated database.
type fixture struct {
	storagetest.Tables
	ctx     context.Context
	db      *bun.DB
	svc     *accounts.Service
	clock   *clock
	dialect string
}

// run runs fn on SQLite and on PostgreSQL, each on its own database,
// in parallel with the other tests of the package.
func run(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		db := storagetest.MigratedDB(t, dialect)
		c := storagetest.NewClock(start)
		fn(t, &fixture{Tables: storagetest.Tables{DB: db, Names: tables}, ctx: t.Context(), db: db, svc: accounts.NewService(db, c.Now), clock: c, dialect: dialect})
	})
}

// tables are every table the accounts package writes.
var tables = []string{
	"accounts", "account_roles", "passkeys", "sessions", "webauthn_challenges", "recovery_codes",
	"one_time_codes", "residencies", "letter_codes", "census_imports", "census_entries", "audit_log",
}

// account opens an account as the node itself, with the given roles.
func (f *fixture) account(t testing.TB, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	acc, err := f.svc.Create(f.ctx, accounts.System, accounts.NewAccount{
		Handle: handle, DisplayName: "Name of " + handle, Roles: roles, Service: serviceFor(roles),
	})
	if err != nil {
		t.Fatalf("create %s: %v", handle, err)
	}
	return acc
}

func serviceFor(roles []accounts.Role) string {
	if slices.Contains(roles, accounts.Official) {
		return "Voirie"
	}
	return ""
}

// signUp opens a resident's account with one passkey of the given id.
func (f *fixture) signUp(t testing.TB, handle, passkeyID string) *accounts.Account {
	t.Helper()
	acc, err := f.svc.SignUp(f.ctx, accounts.NewAccount{Handle: handle, DisplayName: "Name of " + handle}, passkey(passkeyID))
	if err != nil {
		t.Fatalf("sign up %s: %v", handle, err)
	}
	return acc
}

func passkey(id string) *accounts.Passkey {
	return &accounts.Passkey{ID: []byte(id), Name: "Phone " + id, PublicKey: []byte("public key of " + id),
		AttestationType: "none", Transports: "internal,hybrid"}
}

// audit reads the log as the node itself.
func (f *fixture) audit(t testing.TB, filter accounts.AuditFilter) []accounts.AuditEntry {
	t.Helper()
	entries, err := f.svc.AuditLog(f.ctx, accounts.System, filter)
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	return entries
}

// lastAudit returns the newest entry with the given action about subject.
func (f *fixture) lastAudit(t testing.TB, action, subject string) accounts.AuditEntry {
	t.Helper()
	entries := f.audit(t, accounts.AuditFilter{Action: action, SubjectID: subject, Limit: 1})
	if len(entries) == 0 {
		t.Fatalf("no %s audit entry about %q", action, subject)
	}
	return entries[0]
}

func actions(entries []accounts.AuditEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Action
	}
	return out
}

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

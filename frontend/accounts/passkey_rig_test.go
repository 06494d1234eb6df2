package accounts_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"agora/frontend"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"

	"agora/frontend/browsertest"
	"agora/frontend/i18n"
	"agora/instances/accounts"
	"agora/storage/ratelimit"
	"agora/storage/storagetest"
)

// accountsRig is the node's real handler, with a real accounts service on
// a fresh database, served on http://localhost:PORT (an origin WebAuthn
// accepts), with a clock the test can move.
type accountsRig struct {
	db       *bun.DB
	accounts *accounts.Service
	clock    *movableClock
	base     string // http://localhost:PORT, also the relying party's origin
	rpID     string // localhost
	msg      *i18n.Printer
}

// movableClock is the real time plus an offset the test can grow. The
// accounts service and the rate limiter both read it.
type movableClock struct {
	mu  sync.Mutex
	off time.Duration
}

func (c *movableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.off)
}

func (c *movableClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.off += d
}

func newAccountsRig(t testing.TB, dialect string) *accountsRig {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	clock := &movableClock{}
	secret := make([]byte, 32)
	rand.Read(secret)
	svc := accounts.NewService(db, clock.Now)

	// The base URL is known once the server listens; the handler is built
	// then, before any request reaches it.
	var handler atomic.Pointer[http.Handler]
	base := browsertest.Serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		(*handler.Load()).ServeHTTP(w, r)
	}))
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	h, err := frontend.New(frontend.Config{
		NodeName: "Paris 15e",
		BaseURL:  u,
		// The tests stand behind "a proxy" on loopback, so that each fake
		// browser can come from its own address (X-Forwarded-For).
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")},
	}, frontend.Deps{
		Logger:   slog.New(slog.DiscardHandler),
		Registry: prometheus.NewRegistry(),
		Accounts: svc,
		Limiter:  ratelimit.New(db, secret, clock.Now),
		Secret:   secret,
	})
	if err != nil {
		t.Fatal(err)
	}
	handler.Store(&h)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return &accountsRig{db: db, accounts: svc, clock: clock, base: base, rpID: u.Hostname(), msg: cat.Printer("fr")}
}

// passkeyStateTables are the tables that hold what the accounts surface decides:
// a refused request must leave every one of them as it was (but for the
// last use of the session it came with). Ceremonies
// (webauthn_challenges) and rate-limit counters are not in the list: a
// begin stores a ceremony and a finish consumes it, whatever its outcome,
// by design.
var passkeyStateTables = []string{"accounts", "account_roles", "passkeys", "sessions", "audit_log", "recovery_codes", "one_time_codes"}

// dbSnapshot is every row of the state tables, as text, sorted per table.
type dbSnapshot map[string][]string

func (rg *accountsRig) snapshot(t testing.TB) dbSnapshot {
	t.Helper()
	s := dbSnapshot{}
	for _, table := range passkeyStateTables {
		var rows []map[string]any
		if err := rg.db.NewSelect().Table(table).Scan(context.Background(), &rows); err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		out := make([]string, 0, len(rows))
		for _, r := range rows {
			if table == "sessions" {
				// Any signed-in request records the session's last use
				// (at most once a minute): not a change a request decides.
				delete(r, "last_seen_at")
			}
			keys := make([]string, 0, len(r))
			for k := range r {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			line := ""
			for _, k := range keys {
				line += fmt.Sprintf("%s=%v ", k, r[k])
			}
			out = append(out, line)
		}
		slices.Sort(out)
		s[table] = out
	}
	return s
}

// assertUnchanged fails unless the state tables hold exactly the rows of
// before.
func (rg *accountsRig) assertUnchanged(t testing.TB, before dbSnapshot, what string) {
	t.Helper()
	after := rg.snapshot(t)
	for _, table := range passkeyStateTables {
		if !slices.Equal(before[table], after[table]) {
			t.Errorf("%s changed table %s:\nbefore (%d rows):\n  %v\nafter (%d rows):\n  %v",
				what, table, len(before[table]), before[table], len(after[table]), after[table])
		}
	}
}

// count returns the number of rows of table matching where (nil: all).
func (rg *accountsRig) count(t testing.TB, table, where string, args ...any) int {
	t.Helper()
	q := rg.db.NewSelect().Table(table)
	if where != "" {
		q = q.Where(where, args...)
	}
	n, err := q.Count(context.Background())
	if err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return int(n)
}

// audit returns the audit entries with action about subject, newest first.
func (rg *accountsRig) audit(t testing.TB, subject, action string) []accounts.AuditEntry {
	t.Helper()
	entries, err := rg.accounts.AuditLog(context.Background(), accounts.System,
		accounts.AuditFilter{SubjectID: subject, Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func (rg *accountsRig) account(t testing.TB, handle string) *accounts.Account {
	t.Helper()
	acc, err := rg.accounts.ByHandle(context.Background(), handle)
	if err != nil {
		t.Fatalf("account @%s: %v", handle, err)
	}
	return acc
}

func (rg *accountsRig) passkeys(t testing.TB, accountID string) []accounts.Passkey {
	t.Helper()
	keys, err := rg.accounts.Passkeys(context.Background(), accountID)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

func (rg *accountsRig) sessions(t testing.TB, accountID string) []accounts.Session {
	t.Helper()
	list, err := rg.accounts.Sessions(context.Background(), accountID)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (rg *accountsRig) recoveryLeft(t testing.TB, accountID string) int {
	t.Helper()
	n, err := rg.accounts.RecoveryCodesLeft(context.Background(), accountID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

package accounts_test

import (
	"errors"
	"testing"
	"time"

	"agora/instances/accounts"
)

// With the session cache on, what ends a session or changes an account
// in this process takes effect on the next Authenticate; what another
// process does directly in the database is seen within the cache's
// time, never later.
func TestSessionCache(t *testing.T) {
	const ttl = time.Hour // long: only forgetting can explain a change
	tests := []struct {
		name   string
		change func(t *testing.T, f *fixture, acc *accounts.Account, token string, sess *accounts.Session)
		want   error                        // of the next Authenticate
		check  func(*accounts.Account) bool // on its account, when want is nil
	}{
		{"sign out", func(t *testing.T, f *fixture, _ *accounts.Account, token string, _ *accounts.Session) {
			if err := f.svc.SignOut(f.ctx, token); err != nil {
				t.Fatal(err)
			}
		}, accounts.ErrNoSession, nil},
		{"end the session from the sessions page", func(t *testing.T, f *fixture, acc *accounts.Account, _ string, sess *accounts.Session) {
			if err := f.svc.EndSession(f.ctx, acc.ID, sess.ID); err != nil {
				t.Fatal(err)
			}
		}, accounts.ErrNoSession, nil},
		{"end every session", func(t *testing.T, f *fixture, acc *accounts.Account, _ string, _ *accounts.Session) {
			if _, err := f.svc.EndAllSessions(f.ctx, acc.ID, ""); err != nil {
				t.Fatal(err)
			}
		}, accounts.ErrNoSession, nil},
		{"erasure", func(t *testing.T, f *fixture, acc *accounts.Account, _ string, _ *accounts.Session) {
			if _, err := f.svc.RequestDeletion(f.ctx, accounts.As(acc), acc.ID); err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(accounts.DeletionGrace + time.Minute)
			if n, err := f.svc.EraseDue(f.ctx); err != nil || n != 1 {
				t.Fatalf("EraseDue = %d, %v", n, err)
			}
		}, accounts.ErrNoSession, nil},
		{"role removed", func(t *testing.T, f *fixture, acc *accounts.Account, _ string, _ *accounts.Session) {
			if err := f.svc.SetRole(f.ctx, accounts.System, acc.ID, accounts.Moderator, "", true, "fin de mandat"); err != nil {
				t.Fatal(err)
			}
		}, nil, func(a *accounts.Account) bool { return !a.Has(accounts.Moderator) }},
		{"role granted", func(t *testing.T, f *fixture, acc *accounts.Account, _ string, _ *accounts.Session) {
			if err := f.svc.SetRole(f.ctx, accounts.System, acc.ID, accounts.Admin, "", false, "élection"); err != nil {
				t.Fatal(err)
			}
		}, nil, func(a *accounts.Account) bool { return a.Has(accounts.Admin) && a.Has(accounts.Moderator) }},
		{"profile changed", func(t *testing.T, f *fixture, acc *accounts.Account, _ string, _ *accounts.Session) {
			if err := f.svc.UpdateProfile(f.ctx, accounts.As(acc), acc.ID, accounts.Profile{DisplayName: "Alice M.", Language: "en"}); err != nil {
				t.Fatal(err)
			}
		}, nil, func(a *accounts.Account) bool { return a.DisplayName == "Alice M." && a.Language == "en" }},
		{"a caller changes what it got", func(t *testing.T, f *fixture, acc *accounts.Account, token string, _ *accounts.Session) {
			a, _, err := f.svc.Authenticate(f.ctx, token)
			if err != nil {
				t.Fatal(err)
			}
			a.DisplayName, a.Roles = "Mallory", nil
		}, nil, func(a *accounts.Account) bool { return a.DisplayName != "Mallory" && a.Has(accounts.Moderator) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run(t, func(t *testing.T, f *fixture) {
				f.svc.CacheSessions(ttl)
				alice := f.account(t, "alice", accounts.Moderator)
				token, err := f.svc.StartSession(f.ctx, alice.ID, "test", "passkey")
				if err != nil {
					t.Fatal(err)
				}
				acc, sess, err := f.svc.Authenticate(f.ctx, token) // now kept
				if err != nil {
					t.Fatal(err)
				}
				tt.change(t, f, acc, token, sess)
				got, _, err := f.svc.Authenticate(f.ctx, token)
				if !errors.Is(err, tt.want) {
					t.Fatalf("Authenticate after the change = %v, want %v", err, tt.want)
				}
				if tt.check != nil && !tt.check(got) {
					t.Errorf("Authenticate after the change gave %+v", got)
				}
			})
		})
	}
}

// A session ended behind this process's back (by another process on
// the same database) is honoured until the cache's time runs out, not
// after; its use is still recorded.
func TestSessionCacheOtherProcess(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		const ttl = 2 * time.Second
		f.svc.CacheSessions(ttl)
		alice := f.account(t, "alice")
		token, err := f.svc.StartSession(f.ctx, alice.ID, "test", "passkey")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Authenticate(f.ctx, token); err != nil {
			t.Fatal(err)
		}
		other := accounts.NewService(f.db, f.clock.Now) // another process
		if _, err := other.EndAllSessions(f.ctx, alice.ID, ""); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(ttl - time.Millisecond)
		if _, _, err := f.svc.Authenticate(f.ctx, token); err != nil {
			t.Fatalf("within the cache's time: %v, want the kept session", err)
		}
		f.clock.Advance(time.Millisecond)
		if _, _, err := f.svc.Authenticate(f.ctx, token); !errors.Is(err, accounts.ErrNoSession) {
			t.Fatalf("past the cache's time: %v, want ErrNoSession", err)
		}

		// Last use is recorded from the cache as without it.
		token, err = f.svc.StartSession(f.ctx, alice.ID, "test", "passkey")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := f.svc.Authenticate(f.ctx, token); err != nil {
			t.Fatal(err)
		}
		f.svc.CacheSessions(time.Hour)
		if _, _, err := f.svc.Authenticate(f.ctx, token); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(2 * time.Minute)
		_, sess, err := f.svc.Authenticate(f.ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		var seen time.Time
		if err := f.db.NewSelect().Table("sessions").Column("last_seen_at").Where("token_hash = ?", sess.ID).Scan(f.ctx, &seen); err != nil {
			t.Fatal(err)
		}
		if !seen.Equal(f.clock.Now()) {
			t.Errorf("last use %v, want %v", seen, f.clock.Now())
		}
	})
}

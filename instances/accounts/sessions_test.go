package accounts_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"agora/instances/accounts"
)

func TestStartAndAuthenticate(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		token, err := f.svc.StartSession(f.ctx, alice.ID, "Firefox / Linux", "passkey")
		if err != nil {
			t.Fatal(err)
		}
		if len(token) < 40 {
			t.Fatalf("token %q is short", token)
		}
		acc, sess, err := f.svc.Authenticate(f.ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if acc.ID != alice.ID || sess.AccountID != alice.ID || sess.Device != "Firefox / Linux" || sess.Via != "passkey" ||
			!sess.CreatedAt.Equal(start) || !sess.ExpiresAt.Equal(start.Add(accounts.MaxSessionAge)) {
			t.Fatalf("Authenticate = %+v, %+v", acc, sess)
		}
		// Only a hash of the token is stored.
		for _, row := range f.Rows(t, "sessions") {
			if strings.Contains(row, token) {
				t.Fatalf("session row holds the token: %s", row)
			}
		}
		if sess.ID == token || len(sess.ID) != 64 {
			t.Fatalf("session id %q is not a hash of the token", sess.ID)
		}
		if e := f.lastAudit(t, "session.start", alice.ID); e.ActorID != alice.ID || e.Details != "via=passkey" {
			t.Fatalf("audit %+v", e)
		}

		for _, bad := range []string{"", "x", token + "x", strings.ToUpper(token), sess.ID} {
			before := f.State(t)
			if _, _, err := f.svc.Authenticate(f.ctx, bad); !errors.Is(err, accounts.ErrNoSession) {
				t.Errorf("Authenticate(%q) = %v, want ErrNoSession", bad, err)
			}
			f.Unchanged(t, before, "a bad token")
		}

		// The account comes with its roles (a row each in the session's
		// query) and its name.
		bob := f.account(t, "bob", accounts.Agent, accounts.Official)
		tokenB, err := f.svc.StartSession(f.ctx, bob.ID, "Firefox / Linux", "passkey")
		if err != nil {
			t.Fatal(err)
		}
		accB, _, err := f.svc.Authenticate(f.ctx, tokenB)
		if err != nil || accB.ID != bob.ID || accB.DisplayName != "Name of bob" || len(accB.Roles) != 2 ||
			!accB.Has(accounts.Agent) || !accB.Has(accounts.Official) || accB.Has(accounts.Admin) {
			t.Fatalf("Authenticate(bob) = %+v, %v", accB, err)
		}

		// A long device description is cut, and stays valid text.
		long := "a" + strings.Repeat("é", 100)
		token2, err := f.svc.StartSession(f.ctx, alice.ID, long, "link")
		if err != nil {
			t.Fatalf("StartSession with a long device: %v", err)
		}
		_, sess2, err := f.svc.Authenticate(f.ctx, token2)
		if err != nil {
			t.Fatal(err)
		}
		if len(sess2.Device) > 120 || !utf8.ValidString(sess2.Device) || !strings.HasPrefix(long, sess2.Device) || len(sess2.Device) < 118 {
			t.Fatalf("device stored as %q (%d bytes)", sess2.Device, len(sess2.Device))
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	tests := []struct {
		name  string
		steps []time.Duration // time passed before each Authenticate
		last  error           // result of the last one; the others succeed
	}{
		{"used within the idle timeout", []time.Duration{accounts.IdleTimeout - time.Second}, nil},
		{"used at exactly the idle timeout", []time.Duration{accounts.IdleTimeout}, nil},
		{"idle too long", []time.Duration{accounts.IdleTimeout + time.Second}, accounts.ErrNoSession},
		{"kept alive up to the maximum age", []time.Duration{6 * 24 * time.Hour, 6 * 24 * time.Hour, 6 * 24 * time.Hour, 6 * 24 * time.Hour, 6 * 24 * time.Hour}, nil},
		{"kept alive beyond the maximum age", []time.Duration{6 * 24 * time.Hour, 6 * 24 * time.Hour, 6 * 24 * time.Hour, 6 * 24 * time.Hour, 6 * 24 * time.Hour, time.Second}, accounts.ErrNoSession},
		{"idle after being kept alive", []time.Duration{5 * 24 * time.Hour, accounts.IdleTimeout + time.Minute}, accounts.ErrNoSession},
	}
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				token, err := f.svc.StartSession(f.ctx, alice.ID, "d", "passkey")
				if err != nil {
					t.Fatal(err)
				}
				_, sess, err := f.svc.Authenticate(f.ctx, token)
				if err != nil {
					t.Fatal(err)
				}
				for i, d := range tt.steps {
					f.clock.Advance(d)
					_, _, err := f.svc.Authenticate(f.ctx, token)
					if i < len(tt.steps)-1 {
						wantErr(t, err, nil, "Authenticate")
						continue
					}
					wantErr(t, err, tt.last, "last Authenticate")
				}
				n := f.Count(t, "sessions", "token_hash = ?", sess.ID)
				if tt.last != nil && n != 0 {
					t.Fatal("an expired session was met and kept")
				}
				if tt.last == nil && n != 1 {
					t.Fatal("a live session disappeared")
				}
			})
		}
	})
}

func TestSessionTouchedAtMostOnceAMinute(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		token, err := f.svc.StartSession(f.ctx, alice.ID, "d", "passkey")
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			after    time.Duration
			lastSeen time.Duration // since start, as stored afterwards
		}{
			{30 * time.Second, 0},
			{30 * time.Second, 0}, // exactly one minute: not yet
			{time.Second, 61 * time.Second},
			{59 * time.Second, 61 * time.Second},
			{2 * time.Second, 122 * time.Second},
			{time.Hour, time.Hour + 122*time.Second},
		}
		var prev time.Duration
		for i, s := range steps {
			f.clock.Advance(s.after)
			before := f.Rows(t, "sessions")
			if _, _, err := f.svc.Authenticate(f.ctx, token); err != nil {
				t.Fatal(err)
			}
			list, err := f.svc.Sessions(f.ctx, alice.ID)
			if err != nil || len(list) != 1 {
				t.Fatalf("Sessions = %v, %v", list, err)
			}
			if want := start.Add(s.lastSeen); !list[0].LastSeenAt.Equal(want) {
				t.Fatalf("step %d: last seen %s, want %s", i, list[0].LastSeenAt, want)
			}
			if after := f.Rows(t, "sessions"); s.lastSeen == prev && strings.Join(after, "\n") != strings.Join(before, "\n") {
				t.Fatalf("step %d: session row written within a minute of the last write", i)
			}
			prev = s.lastSeen
		}
	})
}

func TestEndSession(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		bob := f.account(t, "bob")
		tokA1 := f.session(t, alice.ID)
		tokA2 := f.session(t, alice.ID)
		tokB := f.session(t, bob.ID)
		idA1 := f.sessionID(t, tokA1)

		for _, tt := range []struct{ name, account, id string }{
			{"another account's session", bob.ID, idA1},
			{"the token instead of its hash", alice.ID, tokA1},
			{"unknown id", alice.ID, strings.Repeat("0", 64)},
			{"no account", "", idA1},
		} {
			before := f.State(t)
			wantErr(t, f.svc.EndSession(f.ctx, tt.account, tt.id), accounts.ErrNoSession, tt.name)
			f.Unchanged(t, before, tt.name)
		}

		if err := f.svc.EndSession(f.ctx, alice.ID, idA1); err != nil {
			t.Fatal(err)
		}
		f.wantSessions(t, map[string]bool{tokA1: false, tokA2: true, tokB: true})
		wantErr(t, f.svc.EndSession(f.ctx, alice.ID, idA1), accounts.ErrNoSession, "ending it twice")
	})
}

func TestEndAllSessions(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		bob := f.account(t, "bob")
		tokA1, tokA2, tokA3 := f.session(t, alice.ID), f.session(t, alice.ID), f.session(t, alice.ID)
		tokB := f.session(t, bob.ID)

		n, err := f.svc.EndAllSessions(f.ctx, alice.ID, f.sessionID(t, tokA2))
		if err != nil || n != 2 {
			t.Fatalf("EndAllSessions = %d, %v; want 2", n, err)
		}
		f.wantSessions(t, map[string]bool{tokA1: false, tokA2: true, tokA3: false, tokB: true})

		n, err = f.svc.EndAllSessions(f.ctx, alice.ID, "")
		if err != nil || n != 1 {
			t.Fatalf("EndAllSessions(all) = %d, %v; want 1", n, err)
		}
		f.wantSessions(t, map[string]bool{tokA2: false, tokB: true})
	})
}

func TestSignOut(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		tok1, tok2 := f.session(t, alice.ID), f.session(t, alice.ID)
		before := f.State(t)
		if err := f.svc.SignOut(f.ctx, "not a token"); err != nil {
			t.Fatal(err)
		}
		f.Unchanged(t, before, "signing out an unknown token")
		if err := f.svc.SignOut(f.ctx, tok1); err != nil {
			t.Fatal(err)
		}
		f.wantSessions(t, map[string]bool{tok1: false, tok2: true})
	})
}

func TestPurgeExpired(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		admin := f.account(t, "admin_1", accounts.Admin)

		// At start: a session left idle, a session kept alive, a
		// challenge, a login link.
		idle := f.session(t, alice.ID)
		kept := f.session(t, alice.ID)
		idleID, keptID := f.sessionID(t, idle), f.sessionID(t, kept)
		if _, err := f.svc.SaveChallenge(f.ctx, "browser", "login", "", "{}"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.NewLoginLinkToken(f.ctx, accounts.As(admin), alice.ID); err != nil {
			t.Fatal(err)
		}
		// Six days on the kept one is used; eight days on, a new session,
		// challenge and setup code.
		f.clock.Advance(6 * 24 * time.Hour)
		f.wantSessions(t, map[string]bool{kept: true})
		f.clock.Advance(2 * 24 * time.Hour)
		fresh := f.session(t, alice.ID)
		if _, err := f.svc.SaveChallenge(f.ctx, "browser", "login", "", "{}"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.NewSetupCode(f.ctx, accounts.As(admin), alice.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.PurgeExpired(f.ctx); err != nil {
			t.Fatal(err)
		}
		if f.Count(t, "sessions", "token_hash = ?", idleID) != 0 || f.Count(t, "sessions", "") != 2 {
			t.Fatalf("sessions after purge: %q", f.Rows(t, "sessions"))
		}
		if f.Count(t, "webauthn_challenges", "") != 1 || f.Count(t, "one_time_codes", "") != 1 ||
			f.Count(t, "one_time_codes", "kind = ?", accounts.CodeSetup) != 1 {
			t.Fatalf("challenges %q, codes %q", f.Rows(t, "webauthn_challenges"), f.Rows(t, "one_time_codes"))
		}

		// The kept session is used every few days until its maximum age.
		for _, d := range []time.Duration{0, 6, 6, 6, 4} { // days: 8, 14, 20, 26, 30
			f.clock.Advance(d * 24 * time.Hour)
			f.wantSessions(t, map[string]bool{kept: true, fresh: true})
		}
		f.clock.Advance(time.Second) // 30 days and a second after start
		if err := f.svc.PurgeExpired(f.ctx); err != nil {
			t.Fatal(err)
		}
		if f.Count(t, "sessions", "token_hash = ?", keptID) != 0 || f.Count(t, "sessions", "") != 1 {
			t.Fatalf("sessions after the second purge: %q", f.Rows(t, "sessions"))
		}
		if f.Count(t, "webauthn_challenges", "") != 0 {
			t.Fatal("expired challenge kept")
		}
		f.wantSessions(t, map[string]bool{fresh: true})
	})
}

// session starts a session and returns its token.
func (f *fixture) session(t testing.TB, accountID string) string {
	t.Helper()
	token, err := f.svc.StartSession(f.ctx, accountID, "Firefox / Linux", "passkey")
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// sessionID returns the id (hash) of a token's session.
func (f *fixture) sessionID(t testing.TB, token string) string {
	t.Helper()
	_, sess, err := f.svc.Authenticate(f.ctx, token)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	return sess.ID
}

// wantSessions checks which tokens authenticate.
func (f *fixture) wantSessions(t testing.TB, live map[string]bool) {
	t.Helper()
	for token, want := range live {
		_, _, err := f.svc.Authenticate(f.ctx, token)
		switch {
		case want && err != nil:
			t.Fatalf("session %.8s…: %v, want live", token, err)
		case !want && !errors.Is(err, accounts.ErrNoSession):
			t.Fatalf("session %.8s…: %v, want ErrNoSession", token, err)
		}
	}
}

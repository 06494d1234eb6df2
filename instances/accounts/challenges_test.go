package accounts_test

import (
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
)

func TestChallengeTakenOnce(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		id, err := f.svc.SaveChallenge(f.ctx, "browser-secret", "add", alice.ID, `{"challenge":"abc"}`)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range f.Rows(t, "webauthn_challenges") {
			if strings.Contains(row, "browser-secret") {
				t.Fatalf("the browser secret is stored in clear: %s", row)
			}
		}
		f.clock.Advance(accounts.ChallengeTTL) // the last moment it is valid
		c, err := f.svc.TakeChallenge(f.ctx, id, "browser-secret", "add")
		if err != nil {
			t.Fatal(err)
		}
		if c.ID != id || c.Kind != "add" || c.AccountID != alice.ID || c.Data != `{"challenge":"abc"}` ||
			!c.ExpiresAt.Equal(start.Add(accounts.ChallengeTTL)) {
			t.Fatalf("took %+v", c)
		}
		if n := f.Count(t, "webauthn_challenges", ""); n != 0 {
			t.Fatalf("%d challenges left after taking the only one", n)
		}
		_, err = f.svc.TakeChallenge(f.ctx, id, "browser-secret", "add")
		wantErr(t, err, accounts.ErrChallenge, "taking it twice")
	})
}

func TestChallengeRefusals(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		kind   string
		wait   time.Duration
	}{
		{"another browser", "other-secret", "login", 0},
		{"empty browser secret", "", "login", 0},
		{"another kind", "browser-secret", "signup", 0},
		{"expired", "browser-secret", "login", accounts.ChallengeTTL + time.Second},
		{"long expired", "browser-secret", "login", time.Hour},
	}
	run(t, func(t *testing.T, f *fixture) {
		other, err := f.svc.SaveChallenge(f.ctx, "someone-else", "login", "", "{}")
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				id, err := f.svc.SaveChallenge(f.ctx, "browser-secret", "login", "", "{}")
				if err != nil {
					t.Fatal(err)
				}
				f.clock.Advance(tt.wait)
				_, err = f.svc.TakeChallenge(f.ctx, id, tt.secret, tt.kind)
				wantErr(t, err, accounts.ErrChallenge, "TakeChallenge")
				// A failed attempt burns the ceremony: it cannot be retried,
				// even by the right browser.
				_, err = f.svc.TakeChallenge(f.ctx, id, "browser-secret", "login")
				wantErr(t, err, accounts.ErrChallenge, "retrying")
			})
		}
		before := f.State(t)
		_, err = f.svc.TakeChallenge(f.ctx, "no-such-id", "browser-secret", "login")
		wantErr(t, err, accounts.ErrChallenge, "unknown id")
		f.Unchanged(t, before, "an unknown challenge id")
		if n := f.Count(t, "webauthn_challenges", "id = ?", other); n != 1 {
			t.Fatal("another browser's challenge was touched")
		}
	})
}

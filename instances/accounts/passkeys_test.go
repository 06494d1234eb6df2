package accounts_test

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
)

func TestUsePasskeySignCount(t *testing.T) {
	tests := []struct {
		stored   int64
		received uint32
		want     error
	}{
		{0, 0, nil}, // an authenticator without a counter
		{0, 1, nil},
		{5, 6, nil},
		{5, 1000, nil},
		{0, math.MaxUint32, nil},
		{5, 5, accounts.ErrSignCount},
		{5, 4, accounts.ErrSignCount},
		{5, 0, accounts.ErrSignCount},
		{math.MaxUint32, math.MaxUint32, accounts.ErrSignCount},
	}
	run(t, func(t *testing.T, f *fixture) {
		for i, tt := range tests {
			t.Run(fmt.Sprintf("stored %d received %d", tt.stored, tt.received), func(t *testing.T) {
				f.clock.Advance(time.Minute)
				p := passkey(fmt.Sprintf("key-%d", i))
				p.SignCount = tt.stored
				acc, err := f.svc.SignUp(f.ctx, accounts.NewAccount{Handle: fmt.Sprintf("user_%d", i), DisplayName: "U"}, p)
				if err != nil {
					t.Fatal(err)
				}
				before := f.Rows(t, "passkeys")
				err = f.svc.UsePasskey(f.ctx, p.ID, tt.received)
				wantErr(t, err, tt.want, "UsePasskey")
				keys, _ := f.svc.Passkeys(f.ctx, acc.ID)
				warnings := f.audit(t, accounts.AuditFilter{SubjectID: acc.ID, Action: "passkey.clone_warning"})
				if tt.want == nil {
					if keys[0].SignCount != int64(tt.received) || keys[0].LastUsedAt == nil || !keys[0].LastUsedAt.Equal(f.clock.Now()) {
						t.Fatalf("passkey after use: %+v", keys[0])
					}
					if len(warnings) != 0 {
						t.Fatalf("clone warning for a good counter: %+v", warnings)
					}
					return
				}
				if after := f.Rows(t, "passkeys"); strings.Join(after, "\n") != strings.Join(before, "\n") {
					t.Fatalf("a refused counter changed the passkey:\n%q\n%q", before, after)
				}
				if len(warnings) != 1 {
					t.Fatalf("%d clone warnings, want 1", len(warnings))
				}
				w := warnings[0]
				if w.ActorID != "" || w.Details != fmt.Sprintf("stored=%d received=%d", tt.stored, tt.received) {
					t.Fatalf("clone warning %+v", w)
				}
			})
		}
		before := f.State(t)
		wantErr(t, f.svc.UsePasskey(f.ctx, []byte("no-such-key"), 7), accounts.ErrNotFound, "unknown passkey")
		f.Unchanged(t, before, "an unknown passkey")
	})
}

func TestAddAndRenamePasskey(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.signUp(t, "alice", "a1")
		bob := f.signUp(t, "bob", "b1")
		agent := f.account(t, "agent_1", accounts.Agent)

		adds := []struct {
			name  string
			actor accounts.Actor
			key   *accounts.Passkey
			want  error
		}{
			{"by another resident", accounts.As(bob), &accounts.Passkey{ID: []byte("a2"), AccountID: alice.ID}, accounts.ErrForbidden},
			{"id taken by bob", accounts.As(alice), &accounts.Passkey{ID: []byte("b1"), AccountID: alice.ID, PublicKey: []byte("k")}, accounts.ErrPasskeyTaken},
			{"name too long", accounts.As(alice), &accounts.Passkey{ID: []byte("a2"), AccountID: alice.ID, Name: strings.Repeat("é", 61)}, accounts.ErrPasskeyName},
		}
		for _, tt := range adds {
			before := f.State(t)
			wantErr(t, f.svc.AddPasskey(f.ctx, tt.actor, tt.key), tt.want, tt.name)
			f.Unchanged(t, before, tt.name)
		}
		f.clock.Advance(time.Second) // Passkeys lists oldest first
		if err := f.svc.AddPasskey(f.ctx, accounts.As(alice), &accounts.Passkey{ID: []byte("a2"), AccountID: alice.ID, PublicKey: []byte("k"), Name: "   "}); err != nil {
			t.Fatal(err)
		}
		desk := accounts.Actor{Account: agent, OnBehalfOf: alice, Desk: "guichet 2"}
		f.clock.Advance(time.Second)
		if err := f.svc.AddPasskey(f.ctx, desk, &accounts.Passkey{ID: []byte("a3"), AccountID: alice.ID, PublicKey: []byte("k"), Name: strings.Repeat("é", 60)}); err != nil {
			t.Fatal(err)
		}
		keys, _ := f.svc.Passkeys(f.ctx, alice.ID)
		if len(keys) != 3 || keys[1].Name != "Passkey" || keys[2].Name != strings.Repeat("é", 60) {
			t.Fatalf("passkeys %+v", keys)
		}
		if e := f.lastAudit(t, "passkey.add", alice.ID); e.ActorID != agent.ID || e.OnBehalfOf != alice.ID || e.Desk != "guichet 2" {
			t.Fatalf("audit %+v", e)
		}

		renames := []struct {
			name    string
			actor   accounts.Actor
			account string
			id      string
			to      string
			want    error
		}{
			{"empty", accounts.As(alice), alice.ID, "a1", "", accounts.ErrPasskeyName},
			{"blank", accounts.As(alice), alice.ID, "a1", "  ", accounts.ErrPasskeyName},
			{"61 runes", accounts.As(alice), alice.ID, "a1", strings.Repeat("é", 61), accounts.ErrPasskeyName},
			{"by bob", accounts.As(bob), alice.ID, "a1", "Mine", accounts.ErrForbidden},
			{"bob's key as alice's", accounts.As(alice), alice.ID, "b1", "Mine", accounts.ErrNotFound},
			{"unknown key", accounts.As(alice), alice.ID, "zz", "Mine", accounts.ErrNotFound},
		}
		for _, tt := range renames {
			before := f.State(t)
			wantErr(t, f.svc.RenamePasskey(f.ctx, tt.actor, tt.account, []byte(tt.id), tt.to), tt.want, "rename "+tt.name)
			f.Unchanged(t, before, "rename "+tt.name)
		}
		if err := f.svc.RenamePasskey(f.ctx, accounts.As(alice), alice.ID, []byte("a1"), " "+strings.Repeat("x", 60)+" "); err != nil {
			t.Fatal(err)
		}
		if keys, _ := f.svc.Passkeys(f.ctx, alice.ID); keys[0].Name != strings.Repeat("x", 60) {
			t.Fatalf("renamed to %q", keys[0].Name)
		}
	})
}

func TestRemovePasskey(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.signUp(t, "alice", "a1")
		bob := f.signUp(t, "bob", "b1")

		refusals := []struct {
			name    string
			actor   accounts.Actor
			account string
			id      string
			want    error
		}{
			{"the last one, no recovery code", accounts.As(alice), alice.ID, "a1", accounts.ErrLastPasskey},
			{"by bob", accounts.As(bob), alice.ID, "a1", accounts.ErrForbidden},
			{"bob's key through alice's account", accounts.As(alice), alice.ID, "b1", accounts.ErrNotFound},
			{"unknown key", accounts.As(alice), alice.ID, "zz", accounts.ErrNotFound},
		}
		for _, tt := range refusals {
			before := f.State(t)
			wantErr(t, f.svc.RemovePasskey(f.ctx, tt.actor, tt.account, []byte(tt.id)), tt.want, tt.name)
			f.Unchanged(t, before, tt.name)
		}

		// With two, one may go; then the other is the last.
		if err := f.svc.AddPasskey(f.ctx, accounts.As(alice), passkeyFor(alice.ID, "a2")); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.RemovePasskey(f.ctx, accounts.As(alice), alice.ID, []byte("a1")); err != nil {
			t.Fatal(err)
		}
		if e := f.lastAudit(t, "passkey.remove", alice.ID); e.ActorID != alice.ID {
			t.Fatalf("audit %+v", e)
		}
		before := f.State(t)
		wantErr(t, f.svc.RemovePasskey(f.ctx, accounts.As(alice), alice.ID, []byte("a2")), accounts.ErrLastPasskey, "the last one")
		f.Unchanged(t, before, "removing the last passkey")

		// Recovery codes all used count as none.
		codes, err := f.svc.NewRecoveryCodes(f.ctx, accounts.As(alice), alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range codes {
			if _, err := f.svc.UseRecoveryCode(f.ctx, "alice", c); err != nil {
				t.Fatal(err)
			}
		}
		before = f.State(t)
		wantErr(t, f.svc.RemovePasskey(f.ctx, accounts.As(alice), alice.ID, []byte("a2")), accounts.ErrLastPasskey, "the last one, codes all used")
		f.Unchanged(t, before, "removing the last passkey with used codes")

		// One unused code left: the last passkey may go.
		codes, err = f.svc.NewRecoveryCodes(f.ctx, accounts.As(alice), alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range codes[1:] {
			if _, err := f.svc.UseRecoveryCode(f.ctx, "alice", c); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.svc.RemovePasskey(f.ctx, accounts.As(alice), alice.ID, []byte("a2")); err != nil {
			t.Fatal(err)
		}
		if n := f.Count(t, "passkeys", "account_id = ?", alice.ID); n != 0 {
			t.Fatalf("%d passkeys left", n)
		}
		if n := f.Count(t, "passkeys", "account_id = ?", bob.ID); n != 1 {
			t.Fatal("bob's passkey is gone")
		}
	})
}

func passkeyFor(accountID, id string) *accounts.Passkey {
	p := passkey(id)
	p.AccountID = accountID
	return p
}

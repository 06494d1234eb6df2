package accounts_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
)

func TestRequestAndCancelDeletion(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		bob := f.account(t, "bob")
		agent := f.account(t, "agent_1", accounts.Agent)

		before := f.State(t)
		_, err := f.svc.RequestDeletion(f.ctx, accounts.As(bob), alice.ID)
		wantErr(t, err, accounts.ErrForbidden, "bob deletes alice")
		wantErr(t, f.svc.CancelDeletion(f.ctx, accounts.As(alice), alice.ID), accounts.ErrNoDeletion, "cancel with nothing pending")
		_, err = f.svc.RequestDeletion(f.ctx, accounts.System, "nobody")
		wantErr(t, err, accounts.ErrNotFound, "delete nobody")
		f.Unchanged(t, before, "refused deletion requests")

		due, err := f.svc.RequestDeletion(f.ctx, accounts.As(alice), alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !due.Equal(start.Add(accounts.DeletionGrace)) {
			t.Fatalf("due %s", due)
		}
		got, _ := f.svc.ByID(f.ctx, alice.ID)
		if got.DeletionRequestedAt == nil || !got.DeletionRequestedAt.Equal(start) || got.Deleted() {
			t.Fatalf("after request %+v", got)
		}
		before = f.State(t)
		_, err = f.svc.RequestDeletion(f.ctx, accounts.As(alice), alice.ID)
		if err == nil {
			t.Fatal("a second request succeeded")
		}
		wantErr(t, f.svc.CancelDeletion(f.ctx, accounts.As(bob), alice.ID), accounts.ErrForbidden, "bob cancels")
		f.Unchanged(t, before, "a second request")

		// A pending deletion does not sign anyone out.
		tok := f.session(t, alice.ID)
		f.wantSessions(t, map[string]bool{tok: true})

		f.clock.Advance(24 * time.Hour)
		if err := f.svc.CancelDeletion(f.ctx, accounts.As(alice), alice.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.svc.ByID(f.ctx, alice.ID); got.DeletionRequestedAt != nil {
			t.Fatalf("after cancel %+v", got)
		}
		f.clock.Advance(accounts.DeletionGrace)
		if n, err := f.svc.EraseDue(f.ctx); err != nil || n != 0 {
			t.Fatalf("EraseDue after a cancel = %d, %v", n, err)
		}
		// Asking again, at a desk, starts the grace period anew.
		desk := accounts.Actor{Account: agent, OnBehalfOf: alice, Desk: "guichet 2"}
		due, err = f.svc.RequestDeletion(f.ctx, desk, alice.ID)
		if err != nil || !due.Equal(f.clock.Now().Add(accounts.DeletionGrace)) {
			t.Fatalf("second request: %s, %v", due, err)
		}
		if got := actions(f.audit(t, accounts.AuditFilter{SubjectID: alice.ID, Action: "account."})); strings.Join(got, " ") !=
			"account.delete_request account.delete_cancel account.delete_request account.create" {
			t.Fatalf("audit %v", got)
		}
		if e := f.lastAudit(t, "account.delete_request", alice.ID); e.ActorID != agent.ID || e.OnBehalfOf != alice.ID {
			t.Fatalf("audit %+v", e)
		}
	})
}

func TestEraseDue(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		admin := f.account(t, "admin_1", accounts.Admin)
		agent := f.account(t, "agent_1", accounts.Agent)
		alice, err := f.svc.SignUp(f.ctx, accounts.NewAccount{Handle: "alice", DisplayName: "Alice Martin-Dupré"}, passkey("alice-key"))
		if err != nil {
			t.Fatal(err)
		}
		bob := f.signUp(t, "bob", "bob-key")

		// Alice has something of everything.
		if err := f.svc.AddPasskey(f.ctx, accounts.As(alice), passkeyFor(alice.ID, "alice-key-2")); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetRole(f.ctx, accounts.As(admin), alice.ID, accounts.Moderator, "", false, "volunteer"); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.UpdateProfile(f.ctx, accounts.As(alice), alice.ID, accounts.Profile{DisplayName: "Alice Martin-Dupré", Language: "en", Public: true}); err != nil {
			t.Fatal(err)
		}
		tok := f.session(t, alice.ID)
		if _, err := f.svc.NewRecoveryCodes(f.ctx, accounts.As(alice), alice.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.NewRecoveryCodes(f.ctx, accounts.As(bob), bob.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.NewLoginLinkToken(f.ctx, accounts.As(admin), alice.ID); err != nil {
			t.Fatal(err)
		}
		setup, err := f.svc.NewSetupCode(f.ctx, accounts.As(admin), alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Alice is a moderator: no agent verifies her at a desk (the desk
		// rule), the operator does.
		if err := f.svc.VerifyByOperator(f.ctx, alice.ID, accounts.Electoral{}); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.VerifyAtDesk(f.ctx, accounts.As(agent), bob.ID, "passport", accounts.Electoral{}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SaveChallenge(f.ctx, "browser", "add", alice.ID, `{"name":"Alice Martin-Dupré"}`); err != nil {
			t.Fatal(err)
		}

		if _, err := f.svc.RequestDeletion(f.ctx, accounts.As(alice), alice.ID); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(24 * time.Hour)
		if _, err := f.svc.RequestDeletion(f.ctx, accounts.As(bob), bob.ID); err != nil {
			t.Fatal(err)
		}

		// Nothing happens during the grace period, up to its last moment.
		for _, wait := range []time.Duration{time.Hour, accounts.DeletionGrace - 25*time.Hour} {
			f.clock.Advance(wait)
			before := f.State(t)
			if n, err := f.svc.EraseDue(f.ctx); err != nil || n != 0 {
				t.Fatalf("EraseDue during the grace period = %d, %v", n, err)
			}
			f.Unchanged(t, before, "EraseDue during the grace period")
		}
		f.clock.Advance(time.Second)
		bobTok := f.session(t, bob.ID)
		// Her linked fediverse account goes too (instances/notifications).
		if _, err := f.db.NewRaw(`INSERT INTO notification_fediverse (account_id, actor_id, handle, code, created_at, enabled, since)
			VALUES (?, 'https://m.example/users/alice', '@alice@m.example', 'agora-0', ?, TRUE, ?)`,
			alice.ID, f.clock.Now(), f.clock.Now()).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := f.svc.EraseDue(f.ctx); err != nil || n != 1 {
			t.Fatalf("EraseDue = %d, %v; want 1", n, err)
		}

		// The row remains, emptied.
		got, err := f.svc.ByID(f.ctx, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Handle != "deleted_"+alice.ID || got.DisplayName != "" || got.Public || !got.Deleted() ||
			!got.DeletedAt.Equal(f.clock.Now()) || len(got.Roles) != 0 || bytes.Equal(got.WebAuthnID, alice.WebAuthnID) {
			t.Fatalf("erased account %+v", got)
		}
		if got.Has(accounts.Resident) || got.Has(accounts.Moderator) {
			t.Fatal("an erased account holds a role")
		}
		for _, table := range []string{"passkeys", "sessions", "recovery_codes", "one_time_codes", "residencies", "account_roles",
			"notification_fediverse"} {
			if n := f.Count(t, table, "account_id = ?", alice.ID); n != 0 {
				t.Errorf("%d rows of %s left", n, table)
			}
		}
		if n := f.Count(t, "webauthn_challenges", "account_id = ? AND data <> ''", alice.ID); n != 0 {
			t.Error("a challenge keeps alice's data")
		}
		if n := f.Count(t, "accounts", ""); n != 4 {
			t.Fatalf("%d accounts, want 4", n)
		}

		// Nothing of hers opens anything.
		if _, err := f.svc.ByHandle(f.ctx, "alice"); !errors.Is(err, accounts.ErrNotFound) {
			t.Fatalf("ByHandle(alice) = %v", err)
		}
		if _, err := f.svc.ByHandle(f.ctx, got.Handle); !errors.Is(err, accounts.ErrNotFound) {
			t.Fatalf("ByHandle(%s) = %v", got.Handle, err)
		}
		if _, err := f.svc.ByWebAuthnID(f.ctx, alice.WebAuthnID); !errors.Is(err, accounts.ErrNotFound) {
			t.Fatalf("ByWebAuthnID = %v", err)
		}
		f.wantSessions(t, map[string]bool{tok: false})
		if _, err := f.svc.UseOneTimeCode(f.ctx, accounts.CodeSetup, setup); !errors.Is(err, accounts.ErrCodeInvalid) {
			t.Fatalf("setup code after erasure: %v", err)
		}
		// Even a session row that survived would not authenticate.
		if _, err := f.db.NewInsert().Model(&accounts.Session{ID: sha256Hex("survivor"), AccountID: alice.ID,
			CreatedAt: f.clock.Now(), LastSeenAt: f.clock.Now(), ExpiresAt: f.clock.Now().Add(time.Hour)}).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		f.wantSessions(t, map[string]bool{"survivor": false})

		// Bob, whose grace period is not over, keeps everything.
		f.wantSessions(t, map[string]bool{bobTok: true})
		f.wantLeft(t, bob.ID, 10)
		f.wantResidency(t, bob.ID, accounts.Verified)
		if n := f.Count(t, "passkeys", "account_id = ?", bob.ID); n != 1 {
			t.Fatal("bob lost his passkey")
		}

		// The audit log keeps what happened, and neither her handle nor her
		// name.
		entries := f.audit(t, accounts.AuditFilter{SubjectID: alice.ID, Limit: 500})
		if len(entries) < 10 || entries[0].Action != "account.erase" || entries[0].ActorID != "" {
			t.Fatalf("audit after erasure: %v", actions(entries))
		}
		log := strings.ToLower(strings.Join(f.Rows(t, "audit_log"), "\n"))
		for _, secret := range []string{"alice", "martin", "dupré"} {
			if strings.Contains(log, secret) {
				t.Errorf("the audit log still says %q", secret)
			}
		}

		// Her handle is free again; EraseDue does not erase her twice.
		again := f.signUp(t, "alice", "new-alice-key")
		if again.ID == alice.ID {
			t.Fatal("the new alice has the old id")
		}
		if n, err := f.svc.EraseDue(f.ctx); err != nil || n != 0 {
			t.Fatalf("EraseDue again = %d, %v", n, err)
		}
		f.clock.Advance(24 * time.Hour)
		if n, err := f.svc.EraseDue(f.ctx); err != nil || n != 1 {
			t.Fatalf("EraseDue for bob = %d, %v", n, err)
		}
		if _, err := f.svc.ByHandle(f.ctx, "alice"); err != nil {
			t.Fatalf("the new alice: %v", err)
		}
	})
}

// sha256Hex is how a session token is stored (its id).
func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

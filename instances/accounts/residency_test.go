package accounts_test

import (
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
)

// wantResidency checks an account's state now, and IsVerified with it.
func (f *fixture) wantResidency(t testing.TB, accountID string, want accounts.ResidencyState) *accounts.Residency {
	t.Helper()
	r, err := f.svc.Residency(f.ctx, accountID)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.State(f.clock.Now()); got != want {
		t.Fatalf("residency %s, want %s (%+v)", got, want, r)
	}
	ok, err := f.svc.IsVerified(f.ctx, accountID)
	if err != nil || ok != (want == accounts.Verified) {
		t.Fatalf("IsVerified = %t, %v in state %s", ok, err, want)
	}
	return r
}

func TestResidencyAtDesk(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		bob := f.account(t, "bob")
		agent := f.account(t, "agent_1", accounts.Agent)
		admin := f.account(t, "admin_1", accounts.Admin)
		desk := accounts.Actor{Account: agent, OnBehalfOf: alice, Desk: "Mairie du 15e, guichet 2"}

		if r := f.wantResidency(t, alice.ID, accounts.Unverified); r != nil {
			t.Fatalf("never verified, yet %+v", r)
		}

		refusals := []struct {
			name     string
			actor    accounts.Actor
			id       string
			document string
			want     error
		}{
			{"the node itself", accounts.System, alice.ID, "passport", accounts.ErrForbidden},
			{"the resident", accounts.As(alice), alice.ID, "passport", accounts.ErrForbidden},
			{"another resident", accounts.As(bob), alice.ID, "passport", accounts.ErrForbidden},
			{"an admin who is no agent", accounts.As(admin), alice.ID, "passport", accounts.ErrForbidden},
			{"an agent verifying themselves", accounts.As(agent), agent.ID, "passport", accounts.ErrForbidden},
			{"unknown document", desk, alice.ID, "driving_licence", accounts.ErrDocument},
			{"document number instead of type", desk, alice.ID, "passport 12AB34567", accounts.ErrDocument},
			{"empty document", desk, alice.ID, "", accounts.ErrDocument},
			{"no such account", desk, "nobody", "passport", accounts.ErrNotFound},
		}
		for _, tt := range refusals {
			before := f.State(t)
			wantErr(t, f.svc.VerifyAtDesk(f.ctx, tt.actor, tt.id, tt.document, accounts.Electoral{}), tt.want, tt.name)
			f.Unchanged(t, before, tt.name)
		}

		for _, d := range accounts.Documents {
			if err := f.svc.VerifyAtDesk(f.ctx, desk, alice.ID, d, accounts.Electoral{}); err != nil {
				t.Fatalf("document %s: %v", d, err)
			}
		}
		f.clock.Advance(time.Hour)
		verifiedAt := f.clock.Now()
		if err := f.svc.VerifyAtDesk(f.ctx, desk, alice.ID, "passport", accounts.Electoral{}); err != nil {
			t.Fatal(err)
		}
		r := f.wantResidency(t, alice.ID, accounts.Verified)
		if r.Method != accounts.MethodDesk || r.Document != "passport" || r.VerifierID != agent.ID ||
			!r.VerifiedAt.Equal(verifiedAt) || !r.ExpiresAt.Equal(verifiedAt.Add(accounts.ResidencyValidity)) ||
			r.RevokedAt != nil || r.RevokedReason != "" {
			t.Fatalf("residency %+v", r)
		}
		if n := f.Count(t, "residencies", ""); n != 1 {
			t.Fatalf("%d residency rows, want one per account", n)
		}
		e := f.lastAudit(t, "residency.verify", alice.ID)
		if e.ActorID != agent.ID || e.OnBehalfOf != alice.ID || e.Desk != desk.Desk || e.Details != "method=desk document=passport" {
			t.Fatalf("audit %+v", e)
		}
		f.wantResidency(t, bob.ID, accounts.Unverified)

		// It lasts ResidencyValidity, then must be renewed.
		f.clock.Advance(accounts.ResidencyValidity - time.Second)
		f.wantResidency(t, alice.ID, accounts.Verified)
		f.clock.Advance(time.Second)
		f.wantResidency(t, alice.ID, accounts.Expired)
		renewedAt := f.clock.Now()
		if err := f.svc.VerifyAtDesk(f.ctx, accounts.As(agent), alice.ID, "id_card", accounts.Electoral{}); err != nil {
			t.Fatal(err)
		}
		r = f.wantResidency(t, alice.ID, accounts.Verified)
		if r.Document != "id_card" || !r.ExpiresAt.Equal(renewedAt.Add(accounts.ResidencyValidity)) {
			t.Fatalf("renewed %+v", r)
		}

		// Revocation needs a reason and a verification to revoke.
		revokes := []struct {
			name   string
			actor  accounts.Actor
			id     string
			reason string
			want   error
		}{
			{"by the resident", accounts.As(alice), alice.ID, "moved", accounts.ErrForbidden},
			{"by a moderator", accounts.As(f.account(t, "moderator_1", accounts.Moderator)), alice.ID, "moved", accounts.ErrForbidden},
			{"never verified", accounts.As(agent), bob.ID, "moved", accounts.ErrNotFound},
		}
		for _, tt := range revokes {
			before := f.State(t)
			wantErr(t, f.svc.RevokeResidency(f.ctx, tt.actor, tt.id, tt.reason), tt.want, tt.name)
			f.Unchanged(t, before, tt.name)
		}
		for _, reason := range []string{"", "   "} {
			before := f.State(t)
			if err := f.svc.RevokeResidency(f.ctx, accounts.As(agent), alice.ID, reason); err == nil {
				t.Fatalf("revoked with reason %q", reason)
			}
			f.Unchanged(t, before, "a revocation without a reason")
		}
		if err := f.svc.RevokeResidency(f.ctx, accounts.As(admin), alice.ID, "moved to Lyon"); err != nil {
			t.Fatal(err)
		}
		r = f.wantResidency(t, alice.ID, accounts.Revoked)
		if r.RevokedAt == nil || !r.RevokedAt.Equal(f.clock.Now()) || r.RevokedReason != "moved to Lyon" {
			t.Fatalf("revoked %+v", r)
		}
		if e := f.lastAudit(t, "residency.revoke", alice.ID); e.ActorID != admin.ID || e.Reason != "moved to Lyon" {
			t.Fatalf("audit %+v", e)
		}
		before := f.State(t)
		wantErr(t, f.svc.RevokeResidency(f.ctx, accounts.As(agent), alice.ID, "again"), accounts.ErrNotFound, "revoking twice")
		f.Unchanged(t, before, "revoking twice")

		// A new verification clears the revocation.
		f.clock.Advance(time.Hour)
		if err := f.svc.VerifyAtDesk(f.ctx, desk, alice.ID, "proof_of_address", accounts.Electoral{}); err != nil {
			t.Fatal(err)
		}
		if r := f.wantResidency(t, alice.ID, accounts.Verified); r.RevokedAt != nil || r.RevokedReason != "" || r.Document != "proof_of_address" {
			t.Fatalf("re-verified %+v", r)
		}
	})
}

func TestLetterCodes(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		bob := f.account(t, "bob")
		carol := f.account(t, "carol")
		admin := f.account(t, "admin_1", accounts.Admin)
		agent := f.account(t, "agent_1", accounts.Agent)
		month := 30 * 24 * time.Hour

		batches := []struct {
			name  string
			actor accounts.Actor
			n     int
			ttl   time.Duration
			want  error // nil: any error
		}{
			{"by a resident", accounts.As(alice), 3, month, accounts.ErrForbidden},
			{"by an agent", accounts.As(agent), 3, month, accounts.ErrForbidden},
			{"no codes", accounts.As(admin), 0, month, nil},
			{"negative", accounts.As(admin), -1, month, nil},
			{"too many", accounts.As(admin), accounts.MaxLetterBatch + 1, month, nil},
			{"valid an hour", accounts.As(admin), 3, time.Hour, nil},
			{"valid three years", accounts.As(admin), 3, 3 * 365 * 24 * time.Hour, nil},
		}
		for _, tt := range batches {
			before := f.State(t)
			_, codes, err := f.svc.NewLetterBatch(f.ctx, tt.actor, tt.n, tt.ttl)
			if err == nil || codes != nil || (tt.want != nil && !strings.Contains(err.Error(), tt.want.Error())) {
				t.Fatalf("%s: %v, %d codes", tt.name, err, len(codes))
			}
			f.Unchanged(t, before, tt.name)
		}

		batch, codes, err := f.svc.NewLetterBatch(f.ctx, accounts.As(admin), 4, month)
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != 4 || batch == "" {
			t.Fatalf("batch %q codes %q", batch, codes)
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if !codeForm.MatchString(c) || seen[c] {
				t.Fatalf("code %q malformed or repeated", c)
			}
			seen[c] = true
		}
		if n := f.Count(t, "letter_codes", "batch = ? AND used_at IS NULL", batch); n != 4 {
			t.Fatalf("%d codes stored", n)
		}
		f.noPlainCodes(t, "letter_codes", codes)
		f.noPlainCodes(t, "audit_log", codes)
		if e := f.lastAudit(t, "residency.letter_batch", ""); e.ActorID != admin.ID || !strings.Contains(e.Details, "batch="+batch+" codes=4") {
			t.Fatalf("audit %+v", e)
		}

		refusals := []struct {
			name  string
			actor accounts.Actor
			id    string
			code  string
			want  error
		}{
			{"wrong code", accounts.As(alice), alice.ID, "0000-0000-0000-0000", accounts.ErrCodeInvalid},
			{"empty code", accounts.As(alice), alice.ID, "", accounts.ErrCodeInvalid},
			{"for someone else", accounts.As(bob), alice.ID, codes[0], accounts.ErrForbidden},
			{"for nobody", accounts.System, "nobody", codes[0], accounts.ErrNotFound},
		}
		for _, tt := range refusals {
			before := f.State(t)
			wantErr(t, f.svc.UseLetterCode(f.ctx, tt.actor, tt.id, tt.code), tt.want, tt.name)
			f.Unchanged(t, before, tt.name)
		}
		f.wantResidency(t, alice.ID, accounts.Unverified)

		// The code arrived by post; alice types it in capitals, without dashes.
		if err := f.svc.UseLetterCode(f.ctx, accounts.As(alice), alice.ID, strings.ToUpper(strings.ReplaceAll(codes[0], "-", ""))); err != nil {
			t.Fatal(err)
		}
		r := f.wantResidency(t, alice.ID, accounts.Verified)
		if r.Method != accounts.MethodLetter || r.Document != "" || r.VerifierID != alice.ID {
			t.Fatalf("residency %+v", r)
		}
		if e := f.lastAudit(t, "residency.verify", alice.ID); e.Details != "method=letter" || e.ActorID != alice.ID {
			t.Fatalf("audit %+v", e)
		}
		if n := f.Count(t, "letter_codes", "used_by = ?", alice.ID); n != 1 {
			t.Fatalf("%d codes used by alice", n)
		}

		// One code, one account.
		for _, tt := range []struct {
			name string
			acc  *accounts.Account
		}{{"bob with alice's code", bob}, {"alice again", alice}} {
			before := f.State(t)
			wantErr(t, f.svc.UseLetterCode(f.ctx, accounts.As(tt.acc), tt.acc.ID, codes[0]), accounts.ErrCodeInvalid, tt.name)
			f.Unchanged(t, before, tt.name)
		}
		f.wantResidency(t, bob.ID, accounts.Unverified)

		// An agent at a desk may type it for a resident.
		if err := f.svc.UseLetterCode(f.ctx, accounts.Actor{Account: agent, OnBehalfOf: bob, Desk: "guichet 1"}, bob.ID, codes[1]); err != nil {
			t.Fatal(err)
		}
		f.wantResidency(t, bob.ID, accounts.Verified)

		// Codes expire.
		f.clock.Advance(month - time.Second)
		if err := f.svc.UseLetterCode(f.ctx, accounts.As(carol), carol.ID, codes[2]); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Second)
		dave := f.account(t, "dave")
		before := f.State(t)
		wantErr(t, f.svc.UseLetterCode(f.ctx, accounts.As(dave), dave.ID, codes[3]), accounts.ErrCodeInvalid, "expired code")
		f.Unchanged(t, before, "an expired letter code")
		f.wantResidency(t, dave.ID, accounts.Unverified)
	})
}

func TestVerifyByOperator(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		before := f.State(t)
		wantErr(t, f.svc.VerifyByOperator(f.ctx, "nobody", accounts.Electoral{}), accounts.ErrNotFound, "VerifyByOperator(nobody)")
		f.Unchanged(t, before, "verifying nobody")
		if err := f.svc.VerifyByOperator(f.ctx, alice.ID, accounts.Electoral{}); err != nil {
			t.Fatal(err)
		}
		r := f.wantResidency(t, alice.ID, accounts.Verified)
		if r.Method != accounts.MethodOperator || r.VerifierID != "" || r.Document != "" {
			t.Fatalf("residency %+v", r)
		}
		if e := f.lastAudit(t, "residency.verify", alice.ID); e.ActorID != "" || e.Details != "method=operator" {
			t.Fatalf("audit %+v", e)
		}
	})
}

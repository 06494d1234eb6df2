package accounts_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
)

var codeForm = regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$`)

// noPlainCodes fails if any row of table holds one of the codes, as shown
// or without its dashes.
func (f *fixture) noPlainCodes(t testing.TB, table string, codes []string) {
	t.Helper()
	rows := strings.ToLower(strings.Join(f.Rows(t, table), "\n"))
	for _, c := range codes {
		if strings.Contains(rows, c) || strings.Contains(rows, strings.ReplaceAll(c, "-", "")) {
			t.Fatalf("%s holds the code %s in clear", table, c)
		}
	}
}

func TestRecoveryCodes(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		bob := f.account(t, "bob")

		before := f.State(t)
		_, err := f.svc.NewRecoveryCodes(f.ctx, accounts.As(bob), alice.ID)
		wantErr(t, err, accounts.ErrForbidden, "bob makes alice's codes")
		f.Unchanged(t, before, "a refused NewRecoveryCodes")

		codes, err := f.svc.NewRecoveryCodes(f.ctx, accounts.As(alice), alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != accounts.RecoveryCodeCount || accounts.RecoveryCodeCount != 10 {
			t.Fatalf("%d codes", len(codes))
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if !codeForm.MatchString(c) || seen[c] {
				t.Fatalf("code %q malformed or repeated in %q", c, codes)
			}
			seen[c] = true
		}
		if n := f.Count(t, "recovery_codes", "account_id = ?", alice.ID); n != 10 {
			t.Fatalf("%d rows", n)
		}
		f.noPlainCodes(t, "recovery_codes", codes)
		f.noPlainCodes(t, "audit_log", codes)
		bobCodes, err := f.svc.NewRecoveryCodes(f.ctx, accounts.As(bob), bob.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.wantLeft(t, alice.ID, 10)

		// Refusals, all alike and all changing nothing.
		refusals := []struct{ name, handle, code string }{
			{"wrong code", "alice", "0000-0000-0000-0000"},
			{"empty code", "alice", ""},
			{"wrong handle", "alicia", codes[0]},
			{"empty handle", "", codes[0]},
			{"another account's code", "alice", bobCodes[0]},
			{"code with a letter changed", "alice", codes[0][:18] + string("0123456789abcdefghjkmnpqrstvwxyz"[(strings.IndexByte("0123456789abcdefghjkmnpqrstvwxyz", codes[0][18])+1)%32])},
			{"half a code", "alice", codes[0][:9]},
		}
		var first error
		for _, tt := range refusals {
			before := f.State(t)
			_, err := f.svc.UseRecoveryCode(f.ctx, tt.handle, tt.code)
			wantErr(t, err, accounts.ErrCodeInvalid, tt.name)
			if first == nil {
				first = err
			} else if err.Error() != first.Error() {
				t.Fatalf("%s says %q, another refusal said %q: they must not differ", tt.name, err, first)
			}
			f.Unchanged(t, before, tt.name)
		}

		// Each code works once, however it is typed.
		typed := []string{
			codes[0],
			strings.ToUpper(codes[1]),
			strings.ReplaceAll(codes[2], "-", ""),
			" " + strings.ReplaceAll(codes[3], "-", " ") + " ",
			strings.ToUpper(strings.ReplaceAll(codes[4], "-", "")),
		}
		for i, code := range typed {
			acc, err := f.svc.UseRecoveryCode(f.ctx, " Alice", code)
			if err != nil {
				t.Fatalf("code %q: %v", code, err)
			}
			if acc.ID != alice.ID {
				t.Fatalf("code opened %s", acc.Handle)
			}
			f.wantLeft(t, alice.ID, 10-i-1)
			before := f.State(t)
			_, err = f.svc.UseRecoveryCode(f.ctx, "alice", codes[i])
			wantErr(t, err, accounts.ErrCodeInvalid, "a used code")
			f.Unchanged(t, before, "a used code")
		}
		if e := f.lastAudit(t, "recovery.use", alice.ID); e.ActorID != alice.ID {
			t.Fatalf("audit %+v", e)
		}
		f.wantLeft(t, bob.ID, 10)

		// New codes replace the old ones, used or not.
		fresh, err := f.svc.NewRecoveryCodes(f.ctx, accounts.As(alice), alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.wantLeft(t, alice.ID, 10)
		if n := f.Count(t, "recovery_codes", "account_id = ?", alice.ID); n != 10 {
			t.Fatalf("%d rows after regenerating", n)
		}
		before = f.State(t)
		_, err = f.svc.UseRecoveryCode(f.ctx, "alice", codes[5])
		wantErr(t, err, accounts.ErrCodeInvalid, "an old unused code")
		f.Unchanged(t, before, "an old code")
		for i, c := range fresh {
			if _, err := f.svc.UseRecoveryCode(f.ctx, "alice", c); err != nil {
				t.Fatal(err)
			}
			f.wantLeft(t, alice.ID, 9-i)
		}
		if got := len(f.audit(t, accounts.AuditFilter{SubjectID: alice.ID, Action: "recovery.new"})); got != 2 {
			t.Fatalf("%d recovery.new entries", got)
		}
	})
}

func (f *fixture) wantLeft(t testing.TB, accountID string, want int) {
	t.Helper()
	if n, err := f.svc.RecoveryCodesLeft(f.ctx, accountID); err != nil || n != want {
		t.Fatalf("RecoveryCodesLeft = %d, %v; want %d", n, err, want)
	}
}

func TestLoginLink(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		admin := f.account(t, "admin_1", accounts.Admin)
		agent := f.account(t, "agent_1", accounts.Agent)
		moderator := f.account(t, "moderator_1", accounts.Moderator)

		for _, actor := range []accounts.Actor{accounts.As(alice), accounts.As(agent), accounts.As(moderator), {Account: agent, OnBehalfOf: alice, Desk: "d"}} {
			before := f.State(t)
			_, err := f.svc.NewLoginLinkToken(f.ctx, actor, alice.ID)
			wantErr(t, err, accounts.ErrForbidden, "login link by "+actor.Account.Handle)
			f.Unchanged(t, before, "a refused login link")
		}
		before := f.State(t)
		_, err := f.svc.NewLoginLinkToken(f.ctx, accounts.System, "nobody")
		wantErr(t, err, accounts.ErrNotFound, "login link for nobody")
		f.Unchanged(t, before, "a login link for nobody")

		token, err := f.svc.NewLoginLinkToken(f.ctx, accounts.As(admin), alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.noPlainCodes(t, "one_time_codes", []string{strings.ToLower(token)})
		if e := f.lastAudit(t, "code.login_link", alice.ID); e.ActorID != admin.ID {
			t.Fatalf("audit %+v", e)
		}
		// Not a setup code.
		before = f.State(t)
		_, err = f.svc.UseOneTimeCode(f.ctx, accounts.CodeSetup, token)
		wantErr(t, err, accounts.ErrCodeInvalid, "login link used as a setup code")
		f.Unchanged(t, before, "a code of the wrong kind")

		f.clock.Advance(accounts.LoginLinkTTL) // still valid at the last moment
		acc, err := f.svc.UseOneTimeCode(f.ctx, accounts.CodeLoginLink, token)
		if err != nil || acc.ID != alice.ID {
			t.Fatalf("UseOneTimeCode = %v, %v", acc, err)
		}
		if e := f.lastAudit(t, "code.login_link.use", alice.ID); e.ActorID != alice.ID {
			t.Fatalf("audit %+v", e)
		}
		before = f.State(t)
		_, err = f.svc.UseOneTimeCode(f.ctx, accounts.CodeLoginLink, token)
		wantErr(t, err, accounts.ErrCodeInvalid, "login link used twice")
		f.Unchanged(t, before, "a used login link")

		// Expiry: 15 minutes.
		late, err := f.svc.NewLoginLinkToken(f.ctx, accounts.System, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(accounts.LoginLinkTTL + time.Second)
		before = f.State(t)
		_, err = f.svc.UseOneTimeCode(f.ctx, accounts.CodeLoginLink, late)
		wantErr(t, err, accounts.ErrCodeInvalid, "expired login link")
		f.Unchanged(t, before, "an expired login link")
		if accounts.LoginLinkTTL != 15*time.Minute {
			t.Fatalf("LoginLinkTTL = %s", accounts.LoginLinkTTL)
		}
	})
}

func TestSetupCode(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		bob := f.account(t, "bob")
		admin := f.account(t, "admin_1", accounts.Admin)
		agent := f.account(t, "agent_1", accounts.Agent)
		agent2 := f.account(t, "agent_2", accounts.Agent)
		moderator := f.account(t, "moderator_1", accounts.Moderator)
		desk := accounts.Actor{Account: agent, Desk: "Mairie du 15e, guichet 2"}

		refusals := []struct {
			name  string
			actor accounts.Actor
			id    string
			want  error
		}{
			{"resident", accounts.As(bob), alice.ID, accounts.ErrForbidden},
			{"resident for themselves", accounts.As(alice), alice.ID, accounts.ErrForbidden},
			{"moderator", accounts.As(moderator), alice.ID, accounts.ErrForbidden},
			{"agent for an admin", desk, admin.ID, accounts.ErrForbidden},
			{"agent for another agent", desk, agent2.ID, accounts.ErrForbidden},
			{"agent for a moderator", desk, moderator.ID, accounts.ErrForbidden},
			{"no such account", desk, "nobody", accounts.ErrNotFound},
		}
		for _, tt := range refusals {
			before := f.State(t)
			_, err := f.svc.NewSetupCode(f.ctx, tt.actor, tt.id)
			wantErr(t, err, tt.want, tt.name)
			f.Unchanged(t, before, tt.name)
		}

		old, err := f.svc.NewSetupCode(f.ctx, desk, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !codeForm.MatchString(old) {
			t.Fatalf("setup code %q", old)
		}
		f.noPlainCodes(t, "one_time_codes", []string{old})
		if e := f.lastAudit(t, "code.setup", alice.ID); e.ActorID != agent.ID || e.Desk != desk.Desk {
			t.Fatalf("audit %+v", e)
		}
		// A new one replaces the old unused one.
		code, err := f.svc.NewSetupCode(f.ctx, desk, alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := f.Count(t, "one_time_codes", "account_id = ?", alice.ID); n != 1 {
			t.Fatalf("%d codes for alice, want the new one only", n)
		}
		before := f.State(t)
		_, err = f.svc.UseOneTimeCode(f.ctx, accounts.CodeSetup, old)
		wantErr(t, err, accounts.ErrCodeInvalid, "replaced setup code")
		f.Unchanged(t, before, "a replaced setup code")
		before = f.State(t)
		_, err = f.svc.UseOneTimeCode(f.ctx, accounts.CodeLoginLink, code)
		wantErr(t, err, accounts.ErrCodeInvalid, "setup code used as a login link")
		f.Unchanged(t, before, "a code of the wrong kind")

		// Valid 30 days, typed loosely, once.
		f.clock.Advance(accounts.SetupCodeTTL)
		acc, err := f.svc.UseOneTimeCode(f.ctx, accounts.CodeSetup, strings.ToUpper(strings.ReplaceAll(code, "-", " ")))
		if err != nil || acc.ID != alice.ID {
			t.Fatalf("UseOneTimeCode = %v, %v", acc, err)
		}
		before = f.State(t)
		_, err = f.svc.UseOneTimeCode(f.ctx, accounts.CodeSetup, code)
		wantErr(t, err, accounts.ErrCodeInvalid, "setup code used twice")
		f.Unchanged(t, before, "a used setup code")

		// A used code is kept (for the record) when a new one is made.
		if _, err := f.svc.NewSetupCode(f.ctx, accounts.As(admin), alice.ID); err != nil {
			t.Fatal(err)
		}
		if n := f.Count(t, "one_time_codes", "account_id = ? AND used_at IS NOT NULL", alice.ID); n != 1 {
			t.Fatalf("%d used codes kept", n)
		}

		// Expiry after 30 days; admins and the node may make them for staff.
		for _, actor := range []accounts.Actor{accounts.As(admin), accounts.System} {
			late, err := f.svc.NewSetupCode(f.ctx, actor, agent2.ID)
			if err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(accounts.SetupCodeTTL + time.Second)
			before := f.State(t)
			_, err = f.svc.UseOneTimeCode(f.ctx, accounts.CodeSetup, late)
			if !errors.Is(err, accounts.ErrCodeInvalid) {
				t.Fatalf("expired setup code: %v", err)
			}
			f.Unchanged(t, before, "an expired setup code")
		}
		if accounts.SetupCodeTTL != 30*24*time.Hour {
			t.Fatalf("SetupCodeTTL = %s", accounts.SetupCodeTTL)
		}
	})
}

func TestUseSetupCodeChecksHandle(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		f.account(t, "bob")
		agent := f.account(t, "agent_1", accounts.Agent)
		code, err := f.svc.NewSetupCode(f.ctx, accounts.As(agent), alice.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, handle := range []string{"bob", "nobody", ""} {
			before := f.State(t)
			_, err := f.svc.UseSetupCode(f.ctx, handle, code)
			wantErr(t, err, accounts.ErrCodeInvalid, "setup code with handle "+handle)
			f.Unchanged(t, before, "a setup code with the wrong handle")
		}
		acc, err := f.svc.UseSetupCode(f.ctx, " Alice ", strings.ToUpper(code))
		if err != nil || acc.ID != alice.ID {
			t.Fatalf("UseSetupCode = %v, %v", acc, err)
		}
		before := f.State(t)
		_, err = f.svc.UseSetupCode(f.ctx, "alice", code)
		wantErr(t, err, accounts.ErrCodeInvalid, "setup code used twice")
		f.Unchanged(t, before, "a used setup code")
	})
}

package accounts_test

import (
	"testing"
	"time"

	"agora/instances/accounts"
)

func TestHas(t *testing.T) {
	deleted := start
	grants := func(rs ...accounts.Role) []accounts.RoleGrant {
		var out []accounts.RoleGrant
		for _, r := range rs {
			out = append(out, accounts.RoleGrant{Role: r})
		}
		return out
	}
	tests := []struct {
		name string
		acc  *accounts.Account
		want []accounts.Role
	}{
		{"nil account", nil, nil},
		{"resident", &accounts.Account{ID: "a"}, []accounts.Role{accounts.Resident}},
		{"moderator", &accounts.Account{ID: "a", Roles: grants(accounts.Moderator)}, []accounts.Role{accounts.Resident, accounts.Moderator}},
		{"agent and admin", &accounts.Account{ID: "a", Roles: grants(accounts.Agent, accounts.Admin)}, []accounts.Role{accounts.Resident, accounts.Agent, accounts.Admin}},
		{"deleted admin", &accounts.Account{ID: "a", DeletedAt: &deleted, Roles: grants(accounts.Admin)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range accounts.Roles {
				want := false
				for _, w := range tt.want {
					want = want || w == r
				}
				if got := tt.acc.Has(r); got != want {
					t.Errorf("Has(%s) = %t, want %t", r, got, want)
				}
			}
		})
	}
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]accounts.Role{" Admin ": accounts.Admin, "agent": accounts.Agent, "RESIDENT": accounts.Resident} {
		if got, err := accounts.ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "root", "admins"} {
		if _, err := accounts.ParseRole(in); err == nil {
			t.Errorf("ParseRole(%q) accepted", in)
		}
	}
}

func TestSetRole(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		admin := f.account(t, "admin_1", accounts.Admin)
		agent := f.account(t, "agent_1", accounts.Agent)
		moderator := f.account(t, "moderator_1", accounts.Moderator)
		bob := f.account(t, "bob")

		refusals := []struct {
			name  string
			actor accounts.Actor
			id    string
			role  accounts.Role
			want  error
		}{
			{"resident grants", accounts.As(bob), bob.ID, accounts.Admin, accounts.ErrForbidden},
			{"agent grants", accounts.As(agent), bob.ID, accounts.Moderator, accounts.ErrForbidden},
			{"moderator grants", accounts.As(moderator), bob.ID, accounts.Moderator, accounts.ErrForbidden},
			{"agent at a desk grants", accounts.Actor{Account: agent, OnBehalfOf: bob, Desk: "d"}, bob.ID, accounts.Agent, accounts.ErrForbidden},
			{"unknown role", accounts.As(admin), bob.ID, "superuser", accounts.ErrUnknownRole},
			{"empty role", accounts.As(admin), bob.ID, "", accounts.ErrUnknownRole},
			{"resident is not granted", accounts.As(admin), bob.ID, accounts.Resident, accounts.ErrUnknownRole},
			{"no such account", accounts.As(admin), "nobody", accounts.Moderator, accounts.ErrNotFound},
		}
		for _, tt := range refusals {
			for _, remove := range []bool{false, true} {
				before := f.State(t)
				err := f.svc.SetRole(f.ctx, tt.actor, tt.id, tt.role, "", remove, "because")
				wantErr(t, err, tt.want, tt.name)
				f.Unchanged(t, before, tt.name)
			}
		}

		// An admin grants with a reason.
		f.clock.Advance(time.Hour)
		if err := f.svc.SetRole(f.ctx, accounts.As(admin), bob.ID, accounts.Moderator, "", false, "elected by the council"); err != nil {
			t.Fatal(err)
		}
		got, _ := f.svc.ByID(f.ctx, bob.ID)
		if !got.Has(accounts.Moderator) || len(got.Roles) != 1 || !got.Roles[0].GrantedAt.Equal(f.clock.Now()) {
			t.Fatalf("roles after grant: %+v", got.Roles)
		}
		e := f.lastAudit(t, "role.grant", bob.ID)
		if e.ActorID != admin.ID || e.Details != "role=moderator" || e.Reason != "elected by the council" || !e.At.Equal(f.clock.Now()) {
			t.Fatalf("grant entry %+v", e)
		}

		// The command line grants an official role with its service; a
		// role name typed in capitals is the same role.
		if err := f.svc.SetRole(f.ctx, accounts.System, bob.ID, "OFFICIAL", " Espaces verts ", false, "new post"); err != nil {
			t.Fatal(err)
		}
		got, _ = f.svc.ByID(f.ctx, bob.ID)
		if !got.Has(accounts.Official) || f.Count(t, "account_roles", "account_id = ? AND role = ? AND service = ?", bob.ID, "official", "Espaces verts") != 1 {
			t.Fatalf("roles after system grant: %+v", got.Roles)
		}
		if e := f.lastAudit(t, "role.grant", bob.ID); e.ActorID != "" || e.Details != "role=official service=Espaces verts" || e.Reason != "new post" {
			t.Fatalf("grant entry %+v", e)
		}

		// Granting again changes the service, not the number of rows.
		if err := f.svc.SetRole(f.ctx, accounts.As(admin), bob.ID, accounts.Official, "Voirie", false, "moved"); err != nil {
			t.Fatal(err)
		}
		if n := f.Count(t, "account_roles", "account_id = ?", bob.ID); n != 2 {
			t.Fatalf("%d role rows, want 2", n)
		}
		if f.Count(t, "account_roles", "account_id = ? AND role = ? AND service = ?", bob.ID, "official", "Voirie") != 1 {
			t.Fatal("service not updated")
		}

		// Removal.
		if err := f.svc.SetRole(f.ctx, accounts.As(admin), bob.ID, accounts.Moderator, "", true, "term ended"); err != nil {
			t.Fatal(err)
		}
		got, _ = f.svc.ByID(f.ctx, bob.ID)
		if got.Has(accounts.Moderator) || !got.Has(accounts.Official) {
			t.Fatalf("roles after removal: %+v", got.Roles)
		}
		if e := f.lastAudit(t, "role.remove", bob.ID); e.ActorID != admin.ID || e.Details != "role=moderator" || e.Reason != "term ended" {
			t.Fatalf("remove entry %+v", e)
		}
		if err := f.svc.SetRole(f.ctx, accounts.System, bob.ID, accounts.Official, "", true, "reorganisation"); err != nil {
			t.Fatal(err)
		}
		if n := f.Count(t, "account_roles", "account_id = ?", bob.ID); n != 0 {
			t.Fatalf("%d role rows after removing all", n)
		}
		if got := actions(f.audit(t, accounts.AuditFilter{SubjectID: bob.ID, Action: "role."})); len(got) != 5 {
			t.Fatalf("role entries %v, want 3 grants and 2 removals", got)
		}

		// A deleted account gets no role.
		if _, err := f.svc.RequestDeletion(f.ctx, accounts.As(bob), bob.ID); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(accounts.DeletionGrace + time.Second)
		if _, err := f.svc.EraseDue(f.ctx); err != nil {
			t.Fatal(err)
		}
		before := f.State(t)
		wantErr(t, f.svc.SetRole(f.ctx, accounts.As(admin), bob.ID, accounts.Admin, "", false, "x"), accounts.ErrNotFound, "grant to a deleted account")
		f.Unchanged(t, before, "a grant to a deleted account")
	})
}

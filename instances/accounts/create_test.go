package accounts_test

import (
	"errors"
	"strings"
	"testing"

	"agora/instances/accounts"
)

func TestCreateValidatesInput(t *testing.T) {
	tests := []struct {
		name            string
		in              accounts.NewAccount
		want            error
		handle, display string // stored, when accepted
		language        string
	}{
		{name: "plain", in: accounts.NewAccount{Handle: "alice", DisplayName: "Alice"}, handle: "alice", display: "Alice", language: "fr"},
		{name: "uppercase is lowered", in: accounts.NewAccount{Handle: "BoB_2", DisplayName: "Bob"}, handle: "bob_2", display: "Bob", language: "fr"},
		{name: "surrounding spaces trimmed", in: accounts.NewAccount{Handle: "  carol  ", DisplayName: "  Carol Zoé  ", Language: "en"}, handle: "carol", display: "Carol Zoé", language: "en"},
		{name: "30 characters", in: accounts.NewAccount{Handle: strings.Repeat("d", 30), DisplayName: "D"}, handle: strings.Repeat("d", 30), display: "D", language: "fr"},
		{name: "digits and underscore", in: accounts.NewAccount{Handle: "_0_9", DisplayName: "Zero"}, handle: "_0_9", display: "Zero", language: "fr"},
		{name: "deleted without underscore is fine", in: accounts.NewAccount{Handle: "deleted", DisplayName: "D"}, handle: "deleted", display: "D", language: "fr"},
		{name: "80-rune display name", in: accounts.NewAccount{Handle: "eve", DisplayName: strings.Repeat("é", 80)}, handle: "eve", display: strings.Repeat("é", 80), language: "fr"},

		{name: "31 characters", in: accounts.NewAccount{Handle: strings.Repeat("d", 31), DisplayName: "D"}, want: accounts.ErrHandleInvalid},
		{name: "empty handle", in: accounts.NewAccount{Handle: "", DisplayName: "D"}, want: accounts.ErrHandleInvalid},
		{name: "blank handle", in: accounts.NewAccount{Handle: "   ", DisplayName: "D"}, want: accounts.ErrHandleInvalid},
		{name: "inner space", in: accounts.NewAccount{Handle: "jean dupont", DisplayName: "D"}, want: accounts.ErrHandleInvalid},
		{name: "hyphen", in: accounts.NewAccount{Handle: "jean-dupont", DisplayName: "D"}, want: accounts.ErrHandleInvalid},
		{name: "dot", in: accounts.NewAccount{Handle: "jean.dupont", DisplayName: "D"}, want: accounts.ErrHandleInvalid},
		{name: "accent", in: accounts.NewAccount{Handle: "élodie", DisplayName: "D"}, want: accounts.ErrHandleInvalid},
		{name: "at sign", in: accounts.NewAccount{Handle: "@alice", DisplayName: "D"}, want: accounts.ErrHandleInvalid},
		{name: "reserved admin", in: accounts.NewAccount{Handle: "admin", DisplayName: "D"}, want: accounts.ErrHandleReserved},
		{name: "reserved Admin after lowering", in: accounts.NewAccount{Handle: " Admin ", DisplayName: "D"}, want: accounts.ErrHandleReserved},
		{name: "reserved mairie", in: accounts.NewAccount{Handle: "mairie", DisplayName: "D"}, want: accounts.ErrHandleReserved},
		{name: "reserved inbox", in: accounts.NewAccount{Handle: "inbox", DisplayName: "D"}, want: accounts.ErrHandleReserved},
		{name: "reserved well_known", in: accounts.NewAccount{Handle: "well_known", DisplayName: "D"}, want: accounts.ErrHandleReserved},
		{name: "reserved former_participant", in: accounts.NewAccount{Handle: "former_participant", DisplayName: "D"}, want: accounts.ErrHandleReserved},
		{name: "deleted_ prefix", in: accounts.NewAccount{Handle: "deleted_abc", DisplayName: "D"}, want: accounts.ErrHandleReserved},
		{name: "Deleted_ prefix after lowering", in: accounts.NewAccount{Handle: "Deleted_", DisplayName: "D"}, want: accounts.ErrHandleReserved},
		{name: "empty display name", in: accounts.NewAccount{Handle: "frank", DisplayName: ""}, want: accounts.ErrDisplayName},
		{name: "blank display name", in: accounts.NewAccount{Handle: "frank", DisplayName: " \t "}, want: accounts.ErrDisplayName},
		{name: "81-rune display name", in: accounts.NewAccount{Handle: "frank", DisplayName: strings.Repeat("é", 81)}, want: accounts.ErrDisplayName},
		{name: "unknown language", in: accounts.NewAccount{Handle: "frank", DisplayName: "F", Language: "de"}, want: accounts.ErrLanguage},
		{name: "language is case-sensitive", in: accounts.NewAccount{Handle: "frank", DisplayName: "F", Language: "FR"}, want: accounts.ErrLanguage},
		{name: "unknown role", in: accounts.NewAccount{Handle: "frank", DisplayName: "F", Roles: []accounts.Role{"superuser"}}, want: accounts.ErrUnknownRole},
	}
	run(t, func(t *testing.T, f *fixture) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := f.State(t)
				acc, err := f.svc.Create(f.ctx, accounts.System, tt.in)
				if tt.want != nil {
					if !errors.Is(err, tt.want) {
						t.Fatalf("Create(%+v) = %v, want %v", tt.in, err, tt.want)
					}
					f.Unchanged(t, before, "a refused Create")
					return
				}
				if err != nil {
					t.Fatalf("Create(%+v): %v", tt.in, err)
				}
				got, err := f.svc.ByID(f.ctx, acc.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got.Handle != tt.handle || got.DisplayName != tt.display || got.Language != tt.language {
					t.Errorf("stored %q %q %q, want %q %q %q", got.Handle, got.DisplayName, got.Language, tt.handle, tt.display, tt.language)
				}
				if got.Public || got.Deleted() || len(got.WebAuthnID) != 32 || got.CreatedBy != "" || !got.CreatedAt.Equal(start) {
					t.Errorf("stored %+v", got)
				}
				if byHandle, err := f.svc.ByHandle(f.ctx, strings.ToUpper(tt.handle)); err != nil || byHandle.ID != acc.ID {
					t.Errorf("ByHandle(%q) = %v, %v", tt.handle, byHandle, err)
				}
				if e := f.lastAudit(t, "account.create", acc.ID); e.ActorID != "" || e.Details != "opened by the node" {
					t.Errorf("audit %+v", e)
				}
			})
		}
	})
}

func TestCreateDuplicateHandle(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		first := f.account(t, "alice")
		for _, h := range []string{"alice", "ALICE", " Alice "} {
			before := f.State(t)
			_, err := f.svc.Create(f.ctx, accounts.System, accounts.NewAccount{Handle: h, DisplayName: "Other Alice"})
			wantErr(t, err, accounts.ErrHandleTaken, "Create "+h)
			f.Unchanged(t, before, "a duplicate handle")
		}
		before := f.State(t)
		_, err := f.svc.SignUp(f.ctx, accounts.NewAccount{Handle: "Alice", DisplayName: "Other Alice"}, passkey("k1"))
		wantErr(t, err, accounts.ErrHandleTaken, "SignUp alice")
		f.Unchanged(t, before, "a duplicate handle at sign-up")
		if n := f.Count(t, "accounts", "handle = ?", "alice"); n != 1 {
			t.Fatalf("%d accounts named alice", n)
		}
		if got, _ := f.svc.ByHandle(f.ctx, "alice"); got.ID != first.ID || got.DisplayName != "Name of alice" {
			t.Fatalf("alice is now %+v", got)
		}
	})
}

func TestCreateGrantsRoles(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		acc, err := f.svc.Create(f.ctx, accounts.System, accounts.NewAccount{
			Handle: "voirie", DisplayName: "Service voirie",
			Roles:   []accounts.Role{accounts.Resident, accounts.Agent, accounts.Official},
			Service: " Voirie ",
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range accounts.Roles {
			want := r == accounts.Resident || r == accounts.Agent || r == accounts.Official
			if acc.Has(r) != want {
				t.Errorf("returned account Has(%s) = %t", r, !want)
			}
		}
		got, err := f.svc.ByID(f.ctx, acc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Roles) != 2 || !got.Has(accounts.Agent) || !got.Has(accounts.Official) || got.Has(accounts.Admin) {
			t.Fatalf("stored roles %+v", got.Roles)
		}
		if n := f.Count(t, "account_roles", "account_id = ?", acc.ID); n != 2 {
			t.Fatalf("%d role rows, want 2 (resident is implicit)", n)
		}
		if n := f.Count(t, "account_roles", "account_id = ? AND role = ? AND service = ?", acc.ID, "official", "Voirie"); n != 1 {
			t.Fatal("official role without its trimmed service")
		}
		grants := f.audit(t, accounts.AuditFilter{SubjectID: acc.ID, Action: "role.grant"})
		if len(grants) != 2 {
			t.Fatalf("%d role.grant entries, want 2", len(grants))
		}
		for _, g := range grants {
			if g.Reason != "at creation" || g.ActorID != "" {
				t.Errorf("grant entry %+v", g)
			}
		}
	})
}

func TestCreateWhoMay(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		resident := f.account(t, "resident")
		agent := f.account(t, "agent_1", accounts.Agent)
		admin := f.account(t, "admin_1", accounts.Admin)
		moderator := f.account(t, "moderator_1", accounts.Moderator)
		official := f.account(t, "official_1", accounts.Official)
		desk := "Mairie du 15e, guichet 2"

		tests := []struct {
			name    string
			actor   accounts.Actor
			roles   []accounts.Role
			want    error
			details string
		}{
			{"resident", accounts.As(resident), nil, accounts.ErrForbidden, ""},
			{"moderator", accounts.As(moderator), nil, accounts.ErrForbidden, ""},
			{"official", accounts.As(official), nil, accounts.ErrForbidden, ""},
			{"agent cannot grant a role", accounts.Actor{Account: agent, Desk: desk}, []accounts.Role{accounts.Admin}, accounts.ErrForbidden, ""},
			{"agent cannot make another agent", accounts.Actor{Account: agent, Desk: desk}, []accounts.Role{accounts.Agent}, accounts.ErrForbidden, ""},
			{"agent at a desk", accounts.Actor{Account: agent, Desk: desk}, nil, nil, "opened at a desk"},
			{"admin", accounts.As(admin), []accounts.Role{accounts.Moderator}, nil, "opened at a desk"},
			{"system", accounts.System, []accounts.Role{accounts.Admin}, nil, "opened by the node"},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := f.State(t)
				in := accounts.NewAccount{Handle: "new_" + string(rune('a'+i)), DisplayName: "New", Roles: tt.roles}
				acc, err := f.svc.Create(f.ctx, tt.actor, in)
				wantErr(t, err, tt.want, "Create")
				if tt.want != nil {
					f.Unchanged(t, before, "a refused Create")
					return
				}
				got, err := f.svc.ByID(f.ctx, acc.ID)
				if err != nil {
					t.Fatal(err)
				}
				var actorID string
				if tt.actor.Account != nil {
					actorID = tt.actor.Account.ID
				}
				if got.CreatedBy != actorID {
					t.Errorf("created_by %q, want %q", got.CreatedBy, actorID)
				}
				for _, r := range tt.roles {
					if !got.Has(r) {
						t.Errorf("role %s not granted", r)
					}
				}
				e := f.lastAudit(t, "account.create", acc.ID)
				if e.ActorID != actorID || e.Details != tt.details || e.Desk != tt.actor.Desk {
					t.Errorf("audit %+v, want actor %q details %q desk %q", e, actorID, tt.details, tt.actor.Desk)
				}
			})
		}
	})
}

func TestSignUpIsAtomic(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		p := passkey("key-1")
		p.SignCount = 3
		acc, err := f.svc.SignUp(f.ctx, accounts.NewAccount{Handle: "Alice", DisplayName: "Alice", Roles: []accounts.Role{accounts.Admin}}, p)
		if err != nil {
			t.Fatal(err)
		}
		if acc.Handle != "alice" || acc.Has(accounts.Admin) || len(acc.Roles) != 0 {
			t.Fatalf("signed up %+v: a resident cannot give themselves a role", acc)
		}
		if n := f.Count(t, "account_roles", ""); n != 0 {
			t.Fatalf("%d roles after sign-up", n)
		}
		keys, err := f.svc.Passkeys(f.ctx, acc.ID)
		if err != nil || len(keys) != 1 || string(keys[0].ID) != "key-1" || keys[0].SignCount != 3 || keys[0].Name != "Phone key-1" {
			t.Fatalf("passkeys %+v, %v", keys, err)
		}
		if got, err := f.svc.ByWebAuthnID(f.ctx, acc.WebAuthnID); err != nil || got.ID != acc.ID {
			t.Fatalf("ByWebAuthnID = %v, %v", got, err)
		}
		if got := actions(f.audit(t, accounts.AuditFilter{SubjectID: acc.ID})); strings.Join(got, " ") != "passkey.add account.create" {
			t.Fatalf("audit %v", got)
		}
		if e := f.lastAudit(t, "account.create", acc.ID); e.Details != "self sign-up" {
			t.Fatalf("audit %+v", e)
		}

		tests := []struct {
			name string
			in   accounts.NewAccount
			key  *accounts.Passkey
			want error
		}{
			{"passkey already registered", accounts.NewAccount{Handle: "bob", DisplayName: "Bob"}, passkey("key-1"), accounts.ErrPasskeyTaken},
			{"passkey name too long", accounts.NewAccount{Handle: "bob", DisplayName: "Bob"}, &accounts.Passkey{ID: []byte("key-2"), Name: strings.Repeat("n", 61), PublicKey: []byte("pk")}, accounts.ErrPasskeyName},
			{"bad handle", accounts.NewAccount{Handle: "b o b", DisplayName: "Bob"}, passkey("key-3"), accounts.ErrHandleInvalid},
			{"reserved handle", accounts.NewAccount{Handle: "mairie", DisplayName: "Bob"}, passkey("key-4"), accounts.ErrHandleReserved},
			{"no display name", accounts.NewAccount{Handle: "bob", DisplayName: ""}, passkey("key-5"), accounts.ErrDisplayName},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := f.State(t)
				_, err := f.svc.SignUp(f.ctx, tt.in, tt.key)
				wantErr(t, err, tt.want, "SignUp")
				f.Unchanged(t, before, "a refused sign-up")
				if _, err := f.svc.ByHandle(f.ctx, "bob"); !errors.Is(err, accounts.ErrNotFound) {
					t.Fatalf("bob exists after a refused sign-up: %v", err)
				}
			})
		}
	})
}

func TestUpdateProfile(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := f.account(t, "alice")
		bob := f.account(t, "bob")
		agent := f.account(t, "agent_1", accounts.Agent)
		desk := accounts.Actor{Account: agent, OnBehalfOf: alice, Desk: "Mairie du 15e, guichet 2"}
		good := accounts.Profile{DisplayName: "Alice M.", Language: "en", Public: true}

		refusals := []struct {
			name  string
			actor accounts.Actor
			id    string
			p     accounts.Profile
			want  error
		}{
			{"another resident", accounts.As(bob), alice.ID, good, accounts.ErrForbidden},
			{"an agent not at a desk for her", accounts.As(agent), alice.ID, good, accounts.ErrForbidden},
			{"an agent at a desk for someone else", accounts.Actor{Account: agent, OnBehalfOf: bob, Desk: "x"}, alice.ID, good, accounts.ErrForbidden},
			{"a resident claiming to act for her", accounts.Actor{Account: bob, OnBehalfOf: alice}, alice.ID, good, accounts.ErrForbidden},
			{"empty display name", accounts.As(alice), alice.ID, accounts.Profile{DisplayName: "  ", Language: "fr"}, accounts.ErrDisplayName},
			{"long display name", accounts.As(alice), alice.ID, accounts.Profile{DisplayName: strings.Repeat("x", 81), Language: "fr"}, accounts.ErrDisplayName},
			{"no language", accounts.As(alice), alice.ID, accounts.Profile{DisplayName: "A", Language: ""}, accounts.ErrLanguage},
			{"unknown language", accounts.As(alice), alice.ID, accounts.Profile{DisplayName: "A", Language: "es"}, accounts.ErrLanguage},
			{"no such account", accounts.System, "nobody", good, accounts.ErrNotFound},
		}
		for _, tt := range refusals {
			t.Run(tt.name, func(t *testing.T) {
				before := f.State(t)
				wantErr(t, f.svc.UpdateProfile(f.ctx, tt.actor, tt.id, tt.p), tt.want, "UpdateProfile")
				f.Unchanged(t, before, "a refused UpdateProfile")
			})
		}

		if err := f.svc.UpdateProfile(f.ctx, accounts.As(alice), alice.ID, accounts.Profile{DisplayName: " Alice Martin ", Language: "en", Public: true}); err != nil {
			t.Fatal(err)
		}
		got, _ := f.svc.ByID(f.ctx, alice.ID)
		if got.DisplayName != "Alice Martin" || got.Language != "en" || !got.Public {
			t.Fatalf("profile %+v", got)
		}
		if err := f.svc.UpdateProfile(f.ctx, desk, alice.ID, accounts.Profile{DisplayName: "Alice", Language: "fr"}); err != nil {
			t.Fatal(err)
		}
		got, _ = f.svc.ByID(f.ctx, alice.ID)
		if got.DisplayName != "Alice" || got.Language != "fr" || got.Public {
			t.Fatalf("profile %+v", got)
		}
	})
}

func TestSearch(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		agent := f.account(t, "agent_1", accounts.Agent)
		resident := f.account(t, "a_b")
		f.account(t, "axb")
		f.account(t, "zoe")
		if err := f.svc.UpdateProfile(f.ctx, accounts.System, resident.ID, accounts.Profile{DisplayName: "Élise DURAND", Language: "fr"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Search(f.ctx, accounts.As(resident), "a", 10); !errors.Is(err, accounts.ErrForbidden) {
			t.Fatalf("a resident searched accounts: %v", err)
		}
		tests := []struct{ q, want string }{
			{"a_b", "a_b"},       // _ is literal, not a wildcard
			{"A_B", "a_b"},       // case-insensitive
			{"durand", "a_b"},    // display name, case-insensitive
			{"%", ""},            // % is literal
			{"x", "axb"},         // substring
			{"agent", "agent_1"}, // staff are found too
			{"nobody", ""},
		}
		for _, tt := range tests {
			got, err := f.svc.Search(f.ctx, accounts.As(agent), tt.q, 10)
			if err != nil {
				t.Fatal(err)
			}
			var handles []string
			for _, a := range got {
				handles = append(handles, a.Handle)
			}
			if strings.Join(handles, " ") != tt.want {
				t.Errorf("Search(%q) = %v, want %q", tt.q, handles, tt.want)
			}
		}
	})
}

func TestHandleAvailable(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		f.account(t, "alice")
		for _, tt := range []struct {
			handle string
			want   error
		}{
			{"bob", nil},
			{" Bob ", nil},
			{"alice", accounts.ErrHandleTaken},
			{" ALICE", accounts.ErrHandleTaken},
			{"mairie", accounts.ErrHandleReserved},
			{"deleted_x", accounts.ErrHandleReserved},
			{"jean dupont", accounts.ErrHandleInvalid},
			{"", accounts.ErrHandleInvalid},
		} {
			before := f.State(t)
			wantErr(t, f.svc.HandleAvailable(f.ctx, tt.handle), tt.want, "HandleAvailable("+tt.handle+")")
			f.Unchanged(t, before, "HandleAvailable")
		}
	})
}

func TestSignUpWithChosenWebAuthnID(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		id := accounts.NewWebAuthnID()
		if len(id) != 32 || string(id) == string(accounts.NewWebAuthnID()) {
			t.Fatalf("NewWebAuthnID = %x", id)
		}
		acc, err := f.svc.SignUp(f.ctx, accounts.NewAccount{Handle: "alice", DisplayName: "Alice", WebAuthnID: id}, passkey("k1"))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := f.svc.ByWebAuthnID(f.ctx, id); err != nil || got.ID != acc.ID {
			t.Fatalf("ByWebAuthnID = %v, %v", got, err)
		}
		before := f.State(t)
		_, err = f.svc.SignUp(f.ctx, accounts.NewAccount{Handle: "bob", DisplayName: "Bob", WebAuthnID: make([]byte, 65)}, passkey("k2"))
		if err == nil {
			t.Fatal("a 65-byte user handle was accepted")
		}
		f.Unchanged(t, before, "a user handle too long")
	})
}

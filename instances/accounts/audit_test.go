package accounts_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
)

// auditScene writes a known log, an hour apart from step to step:
//
//	start     account.create admin_1, role.grant admin_1, account.create agent_1,
//	          role.grant agent_1, account.create alice, account.create bob
//	+1h       role.grant alice (by admin_1)
//	+2h       role.remove alice (by admin_1)
//	+3h       account.profile bob (agent_1 at a desk, for bob)
//	+4h       account.create junior (agent_1 at a desk, for bob)
//	+5h       session.start alice
type auditScene struct {
	admin, agent, alice, bob, junior *accounts.Account
	desk                             accounts.Actor
	names                            map[string]string // id → handle
}

func (f *fixture) auditScene(t testing.TB) *auditScene {
	t.Helper()
	s := &auditScene{}
	s.admin = f.account(t, "admin_1", accounts.Admin)
	s.agent = f.account(t, "agent_1", accounts.Agent)
	s.alice = f.account(t, "alice")
	s.bob = f.account(t, "bob")
	s.desk = accounts.Actor{Account: s.agent, OnBehalfOf: s.bob, Desk: "Mairie du 15e, guichet 2"}
	f.clock.Advance(time.Hour)
	if err := f.svc.SetRole(f.ctx, accounts.As(s.admin), s.alice.ID, accounts.Moderator, "", false, "elected"); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	if err := f.svc.SetRole(f.ctx, accounts.As(s.admin), s.alice.ID, accounts.Moderator, "", true, "resigned"); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	if err := f.svc.UpdateProfile(f.ctx, s.desk, s.bob.ID, accounts.Profile{DisplayName: "Bob B.", Language: "fr"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	var err error
	if s.junior, err = f.svc.Create(f.ctx, s.desk, accounts.NewAccount{Handle: "junior", DisplayName: "Junior"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	f.session(t, s.alice.ID)
	s.names = map[string]string{"": "-"}
	for _, a := range []*accounts.Account{s.admin, s.agent, s.alice, s.bob, s.junior} {
		s.names[a.ID] = a.Handle
	}
	return s
}

// describe renders entries as "action subject" for comparison.
func (s *auditScene) describe(entries []accounts.AuditEntry) string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Action+" "+s.names[e.SubjectID])
	}
	return strings.Join(out, ", ")
}

func TestAuditRecordsActsAtADesk(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		s := f.auditScene(t)
		e := f.lastAudit(t, "account.profile", s.bob.ID)
		if e.ActorID != s.agent.ID || e.SubjectID != s.bob.ID || e.OnBehalfOf != s.bob.ID || e.Desk != "Mairie du 15e, guichet 2" ||
			e.Details != "language=fr public=false" || !e.At.Equal(start.Add(3*time.Hour)) {
			t.Fatalf("desk entry %+v", e)
		}
		e = f.lastAudit(t, "account.create", s.junior.ID)
		if e.ActorID != s.agent.ID || e.OnBehalfOf != s.bob.ID || e.Desk != s.desk.Desk || e.Details != "opened at a desk" {
			t.Fatalf("desk creation %+v", e)
		}
		e = f.lastAudit(t, "role.grant", s.alice.ID)
		if e.ActorID != s.admin.ID || e.OnBehalfOf != "" || e.Desk != "" || e.Reason != "elected" {
			t.Fatalf("grant %+v", e)
		}
		if e := f.lastAudit(t, "account.create", s.alice.ID); e.ActorID != "" || e.OnBehalfOf != "" || e.Desk != "" {
			t.Fatalf("creation by the node %+v", e)
		}
	})
}

func TestAuditLogFilters(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		s := f.auditScene(t)
		all := "session.start alice, account.create junior, account.profile bob, role.remove alice, role.grant alice, " +
			"account.create bob, account.create alice, role.grant agent_1, account.create agent_1, role.grant admin_1, account.create admin_1"
		h := func(n int) time.Time { return start.Add(time.Duration(n) * time.Hour) }
		tests := []struct {
			name   string
			filter accounts.AuditFilter
			want   string
		}{
			{"everything, newest first", accounts.AuditFilter{}, all},
			{"by actor", accounts.AuditFilter{ActorID: s.admin.ID}, "role.remove alice, role.grant alice"},
			{"by the desk agent", accounts.AuditFilter{ActorID: s.agent.ID}, "account.create junior, account.profile bob"},
			{"by subject, with acts on their behalf", accounts.AuditFilter{SubjectID: s.bob.ID}, "account.create junior, account.profile bob, account.create bob"},
			{"by subject", accounts.AuditFilter{SubjectID: s.alice.ID}, "session.start alice, role.remove alice, role.grant alice, account.create alice"},
			{"exact action", accounts.AuditFilter{Action: "role.grant"}, "role.grant alice, role.grant agent_1, role.grant admin_1"},
			{"action prefix", accounts.AuditFilter{Action: "role."}, "role.remove alice, role.grant alice, role.grant agent_1, role.grant admin_1"},
			{"prefix without its dot is exact", accounts.AuditFilter{Action: "role"}, ""},
			{"action prefix is not a substring", accounts.AuditFilter{Action: "create."}, ""},
			{"account.", accounts.AuditFilter{Action: "account."}, "account.create junior, account.profile bob, account.create bob, account.create alice, account.create agent_1, account.create admin_1"},
			{"since, inclusive", accounts.AuditFilter{Since: h(2)}, "session.start alice, account.create junior, account.profile bob, role.remove alice"},
			{"until, exclusive", accounts.AuditFilter{Until: h(1)}, "account.create bob, account.create alice, role.grant agent_1, account.create agent_1, role.grant admin_1, account.create admin_1"},
			{"between", accounts.AuditFilter{Since: h(1), Until: h(3)}, "role.remove alice, role.grant alice"},
			{"between, another time zone", accounts.AuditFilter{Since: h(1).In(time.FixedZone("CET", 3600)), Until: h(3).In(time.FixedZone("CET", 3600))}, "role.remove alice, role.grant alice"},
			{"between, just after", accounts.AuditFilter{Since: h(1).Add(time.Microsecond), Until: h(3).Add(time.Microsecond)}, "account.profile bob, role.remove alice"},
			{"combined", accounts.AuditFilter{ActorID: s.admin.ID, SubjectID: s.alice.ID, Action: "role.remove"}, "role.remove alice"},
			{"limit", accounts.AuditFilter{Limit: 3}, "session.start alice, account.create junior, account.profile bob"},
			{"nothing matches", accounts.AuditFilter{ActorID: s.alice.ID, Action: "role."}, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := s.describe(f.audit(t, tt.filter)); got != tt.want {
					t.Errorf("got  %s\nwant %s", got, tt.want)
				}
			})
		}

		// Paging with Before walks the whole log once, newest first.
		var pages []accounts.AuditEntry
		filter := accounts.AuditFilter{Limit: 4}
		for {
			page := f.audit(t, filter)
			if len(page) == 0 {
				break
			}
			if len(page) > 4 {
				t.Fatalf("page of %d", len(page))
			}
			pages = append(pages, page...)
			filter.Before = page[len(page)-1].ID
		}
		if got := s.describe(pages); got != all {
			t.Fatalf("paged: %s", got)
		}
		if !slices.IsSortedFunc(pages, func(a, b accounts.AuditEntry) int { return int(b.ID - a.ID) }) {
			t.Fatal("pages not newest first")
		}
		byID := f.audit(t, accounts.AuditFilter{SubjectID: s.alice.ID, Before: pages[1].ID, Limit: 2})
		if got := s.describe(byID); got != "role.remove alice, role.grant alice" {
			t.Fatalf("subject page after the two newest: %s", got)
		}
	})
}

func TestAuditLogLimits(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		rows := make([]accounts.AuditEntry, 600)
		for i := range rows {
			rows[i] = accounts.AuditEntry{At: start, Action: "test.bulk", Details: fmt.Sprint(i)}
		}
		if _, err := f.db.NewInsert().Model(&rows).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct{ limit, want int }{{0, 50}, {-1, 50}, {10, 10}, {500, 500}, {501, 500}, {100000, 500}} {
			if got := len(f.audit(t, accounts.AuditFilter{Limit: tt.limit})); got != tt.want {
				t.Errorf("Limit %d gave %d entries, want %d", tt.limit, got, tt.want)
			}
		}
	})
}

func TestAuditLogAccess(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		s := f.auditScene(t)
		moderator := f.account(t, "moderator_1", accounts.Moderator)
		tests := []struct {
			name   string
			actor  accounts.Actor
			filter accounts.AuditFilter
			ok     bool
		}{
			{"resident about themselves", accounts.As(s.alice), accounts.AuditFilter{SubjectID: s.alice.ID}, true},
			{"resident's own acts", accounts.As(s.alice), accounts.AuditFilter{ActorID: s.alice.ID}, true},
			{"resident about themselves, one action", accounts.As(s.bob), accounts.AuditFilter{SubjectID: s.bob.ID, Action: "account."}, true},
			{"agent's own acts", accounts.As(s.agent), accounts.AuditFilter{ActorID: s.agent.ID}, true},
			{"admin, everything", accounts.As(s.admin), accounts.AuditFilter{}, true},
			{"admin about someone", accounts.As(s.admin), accounts.AuditFilter{SubjectID: s.bob.ID}, true},
			{"the node", accounts.System, accounts.AuditFilter{}, true},

			{"resident, everything", accounts.As(s.alice), accounts.AuditFilter{}, false},
			{"resident about another", accounts.As(s.alice), accounts.AuditFilter{SubjectID: s.bob.ID}, false},
			{"resident, another's acts", accounts.As(s.alice), accounts.AuditFilter{ActorID: s.admin.ID}, false},
			{"resident, an action", accounts.As(s.alice), accounts.AuditFilter{Action: "role."}, false},
			{"agent about the resident they served", accounts.As(s.agent), accounts.AuditFilter{SubjectID: s.bob.ID}, true},
			{"agent at the desk about the resident", s.desk, accounts.AuditFilter{SubjectID: s.bob.ID}, true},
			{"moderator, everything", accounts.As(moderator), accounts.AuditFilter{}, false},
			{"nobody's entries", accounts.Actor{Account: &accounts.Account{}}, accounts.AuditFilter{}, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				entries, err := f.svc.AuditLog(f.ctx, tt.actor, tt.filter)
				if !tt.ok {
					wantErr(t, err, accounts.ErrForbidden, "AuditLog")
					if entries != nil {
						t.Fatalf("entries given with the refusal: %v", entries)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(entries) == 0 {
					t.Fatal("no entries")
				}
				self := tt.actor.Account
				if self == nil || self.Has(accounts.Admin) {
					return
				}
				if self.Has(accounts.Agent) && tt.filter.SubjectID != "" {
					// An agent reads the history of the resident at the desk.
					for _, e := range entries {
						if e.SubjectID != tt.filter.SubjectID && e.OnBehalfOf != tt.filter.SubjectID {
							t.Errorf("%s read an entry not about %s: %+v", self.Handle, tt.filter.SubjectID, e)
						}
					}
					return
				}
				for _, e := range entries {
					if e.SubjectID != self.ID && e.OnBehalfOf != self.ID && e.ActorID != self.ID {
						t.Errorf("%s read an entry not about them: %+v", self.Handle, e)
					}
				}
			})
		}
		// Bob sees what was done for him at the desk.
		entries, err := f.svc.AuditLog(f.ctx, accounts.As(s.bob), accounts.AuditFilter{SubjectID: s.bob.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.describe(entries); got != "account.create junior, account.profile bob, account.create bob" {
			t.Fatalf("bob reads %s", got)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		f.auditScene(t)
		for _, q := range []string{
			"UPDATE audit_log SET reason = 'rewritten'",
			"UPDATE audit_log SET actor_id = '' WHERE action = 'role.grant'",
			"DELETE FROM audit_log",
			"DELETE FROM audit_log WHERE action = 'session.start'",
		} {
			before := f.State(t)
			if _, err := f.db.ExecContext(f.ctx, q); err == nil {
				t.Errorf("%s succeeded on %s", q, f.dialect)
			} else if !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s failed for another reason: %v", q, err)
			}
			f.Unchanged(t, before, q)
		}
		before := f.State(t)
		if _, err := f.db.NewUpdate().Model((*accounts.AuditEntry)(nil)).Set("desk = ?", "x").Where("id > 0").Exec(f.ctx); err == nil {
			t.Error("a bun UPDATE succeeded")
		}
		if _, err := f.db.NewDelete().Model((*accounts.AuditEntry)(nil)).Where("id > 0").Exec(f.ctx); err == nil {
			t.Error("a bun DELETE succeeded")
		}
		f.Unchanged(t, before, "bun UPDATE and DELETE")
		if f.dialect == "postgres" {
			if _, err := f.db.ExecContext(f.ctx, "TRUNCATE audit_log"); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("TRUNCATE audit_log: %v, want refused as append-only", err)
			}
		}
		if n := f.Count(t, "audit_log", ""); n != 11 {
			t.Fatalf("%d entries, want 11", n)
		}
	})
}

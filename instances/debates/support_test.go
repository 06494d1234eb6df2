package debates_test

import (
	"fmt"
	"sync"
	"testing"

	"agora/instances/accounts"
	"agora/instances/debates"
)

func TestSupports(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		carol := f.account(t, "carol")
		agent := f.account(t, "agent_1", accounts.Agent)
		c := f.comment(t, accounts.As(f.alice), f.proposal, "", "Support me.")
		supports := func() int {
			t.Helper()
			stored, err := f.svc.Comment(f.ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			rows := f.Count(t, "comment_supports", "comment_id = ?", c.ID)
			if stored.SupportCount != rows {
				t.Errorf("support_count %d, but %d supports", stored.SupportCount, rows)
			}
			return rows
		}

		wantErr(t, f.svc.Support(f.ctx, accounts.As(bob), c.ID), nil, "support")
		wantErr(t, f.svc.Support(f.ctx, accounts.As(bob), c.ID), nil, "support again")
		if n := supports(); n != 1 {
			t.Errorf("after supporting twice: %d supports, want 1", n)
		}
		wantErr(t, f.svc.Support(f.ctx, accounts.As(carol), c.ID), nil, "support by another")
		if n := supports(); n != 2 {
			t.Errorf("%d supports, want 2", n)
		}
		mine, err := f.svc.Supported(f.ctx, bob.ID, f.proposal)
		wantErr(t, err, nil, "supported")
		if len(mine) != 1 || !mine[c.ID] {
			t.Errorf("bob supports %v", mine)
		}

		before := f.State(t)
		for _, tt := range []struct {
			name  string
			actor accounts.Actor
			id    string
			want  error
		}{
			{"the node", accounts.System, c.ID, debates.ErrForbidden},
			{"a resident for another", accounts.Actor{Account: carol, OnBehalfOf: bob, Desk: "Mairie"}, c.ID, debates.ErrForbidden},
			{"unknown comment", accounts.As(bob), "nope", debates.ErrNotFound},
		} {
			wantErr(t, f.svc.Support(f.ctx, tt.actor, tt.id), tt.want, "support by "+tt.name)
			wantErr(t, f.svc.Withdraw(f.ctx, tt.actor, tt.id), tt.want, "withdraw by "+tt.name)
		}
		f.Unchanged(t, before, "refused supports")

		wantErr(t, f.svc.Withdraw(f.ctx, accounts.As(bob), c.ID), nil, "withdraw")
		wantErr(t, f.svc.Withdraw(f.ctx, accounts.As(bob), c.ID), nil, "withdraw again")
		if n := supports(); n != 1 {
			t.Errorf("after withdrawing: %d supports, want 1", n)
		}
		wantErr(t, f.svc.Support(f.ctx, accounts.As(bob), c.ID), nil, "support once more")
		if n := supports(); n != 2 {
			t.Errorf("%d supports, want 2", n)
		}

		f.hide(t, "comments", c.ID)
		before = f.State(t)
		wantErr(t, f.svc.Support(f.ctx, accounts.As(agent), c.ID), debates.ErrHidden, "support hidden")
		f.Unchanged(t, before, "support of a hidden comment")
		// Withdrawing stays possible.
		wantErr(t, f.svc.Withdraw(f.ctx, accounts.As(carol), c.ID), nil, "withdraw from hidden")
		if n := supports(); n != 1 {
			t.Errorf("%d supports, want 1", n)
		}
	})
}

func TestSupportAtDesk(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		agent := f.account(t, "agent_1", accounts.Agent)
		bob := f.account(t, "bob")
		c := f.comment(t, accounts.As(f.alice), f.proposal, "", "Support me.")
		desk := accounts.Actor{Account: agent, OnBehalfOf: bob, Desk: "Mairie du 11e"}
		wantErr(t, f.svc.Support(f.ctx, desk, c.ID), nil, "support at a desk")
		wantErr(t, f.svc.Support(f.ctx, accounts.As(bob), c.ID), nil, "support again, at home")
		var rows []struct {
			AccountID string
			EnteredBy *string
			Desk      string
		}
		if err := f.db.NewSelect().Table("comment_supports").Column("account_id", "entered_by", "desk").Scan(f.ctx, &rows); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].AccountID != bob.ID || rows[0].EnteredBy == nil || *rows[0].EnteredBy != agent.ID || rows[0].Desk != "Mairie du 11e" {
			t.Errorf("supports = %+v", rows)
		}
		mine, err := f.svc.Supported(f.ctx, bob.ID, f.proposal)
		wantErr(t, err, nil, "supported")
		theirs, err := f.svc.Supported(f.ctx, agent.ID, f.proposal)
		wantErr(t, err, nil, "supported by the agent")
		if !mine[c.ID] || len(theirs) != 0 {
			t.Errorf("bob supports %v, the agent %v", mine, theirs)
		}
		// The agent withdraws it for the resident; their own is another.
		wantErr(t, f.svc.Withdraw(f.ctx, accounts.As(agent), c.ID), nil, "withdraw the agent's own")
		if n := f.Count(t, "comment_supports", ""); n != 1 {
			t.Errorf("the agent's own withdrawal took %d supports", 1-n)
		}
		wantErr(t, f.svc.Withdraw(f.ctx, desk, c.ID), nil, "withdraw at a desk")
		stored, err := f.svc.Comment(f.ctx, c.ID)
		wantErr(t, err, nil, "load")
		if n := f.Count(t, "comment_supports", ""); n != 0 || stored.SupportCount != 0 {
			t.Errorf("after withdrawing at the desk: %d supports, count %d", n, stored.SupportCount)
		}
		// Typed by the resident: no agent, no desk.
		wantErr(t, f.svc.Support(f.ctx, accounts.Actor{Account: bob, Desk: "Ignored"}, c.ID), nil, "support")
		if n := f.Count(t, "comment_supports", "entered_by IS NULL AND desk = ''"); n != 1 {
			t.Errorf("own support recorded with an agent or a desk")
		}
	})
}

func TestSupportsConcurrently(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		c := f.comment(t, accounts.As(f.alice), f.proposal, "", "Popular.")
		people := make([]*accounts.Account, 8)
		for i := range people {
			people[i] = f.account(t, fmt.Sprintf("p%d", i))
		}
		var wg sync.WaitGroup
		for _, p := range people {
			for range 2 { // each supports twice at once: counted once
				wg.Go(func() {
					if err := f.svc.Support(f.ctx, accounts.As(p), c.ID); err != nil {
						t.Errorf("support: %v", err)
					}
				})
			}
		}
		wg.Wait()
		stored, err := f.svc.Comment(f.ctx, c.ID)
		wantErr(t, err, nil, "load")
		if rows := f.Count(t, "comment_supports", ""); stored.SupportCount != 8 || rows != 8 {
			t.Errorf("support_count %d, %d supports; want 8", stored.SupportCount, rows)
		}
	})
}

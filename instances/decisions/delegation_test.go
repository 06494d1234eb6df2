package decisions_test

import (
	"testing"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/instancestest"
)

func TestDelegationWeights(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		node := decisions.Scope{}
		space := decisions.Scope{SpaceID: f.spaceID}
		voirie := decisions.Scope{SpaceID: f.spaceID, Category: "voirie"}
		d1, d2, d3, d4, d5 := f.delegate(t), f.delegate(t), f.delegate(t), f.delegate(t), f.delegate(t)
		r1, r2, r3, r4, r5, r6 := f.resident(t), f.resident(t), f.resident(t), f.resident(t), f.resident(t), f.resident(t)
		delegate := func(who *accounts.Account, sc decisions.Scope, to *accounts.Account) {
			t.Helper()
			if err := f.svc.Delegate(f.ctx, accounts.As(who), sc, to.ID, false); err != nil {
				t.Fatalf("%s delegates to %s: %v", who.Handle, to.Handle, err)
			}
		}
		delegate(r1, space, d1)
		delegate(d1, node, d2)   // a chain: r1 → d1 → d2
		delegate(r2, voirie, d1) // overridden: r2 votes
		delegate(r3, node, d2)
		delegate(r5, node, d3) // d3 does not vote: lost
		delegate(r4, voirie, d4)
		delegate(d4, voirie, d5) // d4 → d5 for voirie...
		delegate(d5, node, d4)   // ...and d5 → d4 node-wide: a cycle for voirie votes only
		delegate(r6, node, d1)
		v := f.vote(t, decisions.Single, func(in *decisions.Input) { in.Category = "voirie" })
		cast := f.cast(t, d2, v, opts("a"))
		f.cast(t, r2, v, opts("b"))
		// r6 changes their mind before closing: revoked, then votes.
		if err := f.svc.Revoke(f.ctx, accounts.As(r6), node); err != nil {
			t.Fatal(err)
		}
		f.clock.Set(v.ClosesAt)
		// A revocation after the closing time is not in the snapshot.
		if err := f.svc.Revoke(f.ctx, accounts.As(r3), node); err != nil {
			t.Fatal(err)
		}
		res := f.close(t, v)
		r := res.Result
		// d2 carries d1, r1 (through d1) and r3: 4 in all.
		if got := totals(r); got["a"] != 4 || got["b"] != 1 {
			t.Errorf("totals %v, want a 4, b 1", got)
		}
		if r.Ballots != 2 || r.Weight != 5 || r.Delegated != 3 || r.Totals[0].Delegated != 3 {
			t.Errorf("ballots %d weight %d delegated %d (a: %d)", r.Ballots, r.Weight, r.Delegated, r.Totals[0].Delegated)
		}
		// r5 ends with d3 who did not vote; r4, d4 and d5 go round.
		if r.Lost != (decisions.Lost{NoVote: 1, Cycle: 3}) {
			t.Errorf("lost %v, want no vote 1, cycle 3", r.Lost)
		}
		if len(res.Weighed) != 1 || res.Weighed[0] != (decisions.Weighed{Receipt: cast.Receipt, Delegate: d2.Handle, Weight: 4, Delegated: 3}) {
			t.Errorf("weighed %+v", res.Weighed)
		}
	})
}

func TestBadDelegations(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		node := decisions.Scope{}
		space := decisions.Scope{SpaceID: f.spaceID}
		d1, d2, d3 := f.delegate(t), f.delegate(t), f.delegate(t)
		plain, unverified := f.resident(t), f.account(t)
		ann := f.resident(t)
		for _, d := range []struct{ from, to *accounts.Account }{{d1, d2}, {d2, d3}} {
			if err := f.svc.Delegate(f.ctx, accounts.As(d.from), node, d.to.ID, false); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name  string
			who   *accounts.Account
			scope decisions.Scope
			to    string
			want  error
		}{
			{"to oneself", ann, node, ann.ID, decisions.ErrSelf},
			{"to a non-delegate", ann, node, plain.ID, decisions.ErrNotDelegate},
			{"to an unverified account", ann, node, unverified.ID, decisions.ErrNotDelegate},
			{"to nobody", ann, node, "nobody", decisions.ErrNotDelegate},
			{"unverified delegator", unverified, node, d1.ID, decisions.ErrNotVerified},
			{"a cycle of two", d2, node, d1.ID, decisions.ErrCycle},
			{"a cycle of three", d3, node, d1.ID, decisions.ErrCycle},
			{"a cycle through the space scope", d3, space, d1.ID, decisions.ErrCycle},
			{"unknown space", ann, decisions.Scope{SpaceID: "nowhere"}, d1.ID, decisions.ErrScope},
			{"unknown category", ann, decisions.Scope{SpaceID: f.spaceID, Category: "parcs"}, d1.ID, decisions.ErrScope},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := f.State(t)
				err := f.svc.Delegate(f.ctx, accounts.As(tc.who), tc.scope, tc.to, false)
				instancestest.WantErr(t, err, tc.want, tc.name)
				f.Unchanged(t, before, tc.name)
			})
		}
		before := f.State(t)
		instancestest.WantErr(t, f.svc.Revoke(f.ctx, accounts.As(ann), node), decisions.ErrNoneToEnd, "revoke nothing")
		f.Unchanged(t, before, "revoke nothing")
		// Replacing a delegation keeps the old one as history.
		if err := f.svc.Delegate(f.ctx, accounts.As(ann), node, d1.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.Delegate(f.ctx, accounts.As(ann), node, d2.ID, false); err != nil {
			t.Fatal(err)
		}
		if live, all := f.Count(t, "decision_delegations", "delegator_id = ? AND revoked_at IS NULL", ann.ID),
			f.Count(t, "decision_delegations", "delegator_id = ?", ann.ID); live != 1 || all != 2 {
			t.Errorf("%d live of %d delegations, want 1 of 2", live, all)
		}
	})
}

func TestChain(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		d1, d2, d3 := f.delegate(t), f.delegate(t), f.delegate(t)
		ann, bob := f.resident(t), f.resident(t)
		for _, d := range []struct{ from, to *accounts.Account }{{ann, d1}, {d1, d2}, {bob, d3}} {
			if err := f.svc.Delegate(f.ctx, accounts.As(d.from), decisions.Scope{}, d.to.ID, false); err != nil {
				t.Fatal(err)
			}
		}
		v := f.vote(t, decisions.Approval, nil)
		f.cast(t, d2, v, opts("a", "c"))
		c, err := f.svc.Chain(f.ctx, accounts.As(ann), v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Direct || len(c.Links) != 2 || c.Links[0].Account.ID != d1.ID || c.Links[1].Account.ID != d2.ID ||
			!c.Links[1].Voted || c.Final == nil || len(c.Final.Options) != 2 || c.Lost != "" {
			t.Errorf("ann's chain %+v", c)
		}
		c, err = f.svc.Chain(f.ctx, accounts.As(bob), v.ID)
		if err != nil || c.Lost != "no_vote" || len(c.Links) != 1 {
			t.Errorf("bob's chain %+v, %v", c, err)
		}
		f.cast(t, ann, v, opts("b")) // a direct vote overrides
		if c, err = f.svc.Chain(f.ctx, accounts.As(ann), v.ID); err != nil || !c.Direct {
			t.Errorf("ann's chain after voting %+v, %v", c, err)
		}
	})
}

func TestCarried(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		d1, d2 := f.delegate(t), f.delegate(t)
		ann, bob, cid := f.resident(t), f.resident(t), f.resident(t)
		for _, d := range []struct {
			from, to *accounts.Account
			named    bool
		}{{ann, d1, true}, {d1, d2, false}, {bob, d2, false}, {cid, d1, true}} {
			if err := f.svc.Delegate(f.ctx, accounts.As(d.from), decisions.Scope{}, d.to.ID, d.named); err != nil {
				t.Fatal(err)
			}
		}
		v := f.vote(t, decisions.Single, nil)
		f.cast(t, cid, v, opts("a")) // cid votes: their weight stays with them
		c, err := f.svc.Carried(f.ctx, accounts.As(d2), v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Weight != 3 || len(c.Named) != 1 || c.Named[0] != ann.Handle {
			t.Errorf("d2 carries %+v, want 3 (ann, d1, bob) with ann named", c)
		}
		f.cast(t, d1, v, opts("b")) // d1 votes: ann's weight stops there
		if c, err = f.svc.Carried(f.ctx, accounts.As(d2), v.ID); err != nil || c.Weight != 1 || len(c.Named) != 0 {
			t.Errorf("d2 carries %+v, %v; want 1 (bob), nobody named", c, err)
		}
		if c, err = f.svc.Carried(f.ctx, accounts.As(d1), v.ID); err != nil || c.Weight != 1 || len(c.Named) != 1 {
			t.Errorf("d1 carries %+v, %v; want ann", c, err)
		}
	})
}

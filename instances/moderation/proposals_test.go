package moderation_test

import (
	"slices"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/moderation"
)

func TestRecategorise(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		f.newSpace(t, "nord", "sports")
		before := f.State(t)
		for _, tt := range []struct {
			name, proposal, category, why string
			want                          error
		}{
			{"unknown category", f.proposal, "potholes", "Roads.", moderation.ErrCategory},
			{"another space's category", f.proposal, "sports", "Sports.", moderation.ErrCategory},
			{"empty category", f.proposal, "", "None.", moderation.ErrNoChange},
			{"no reason", f.proposal, "greenery", "", moderation.ErrReason},
			{"unknown proposal", "nope", "greenery", "Trees.", moderation.ErrNotFound},
		} {
			wantErr(t, f.svc.Recategorise(f.ctx, f.mod(), tt.proposal, tt.category, tt.why), tt.want, tt.name)
		}
		f.Unchanged(t, before, "refused recategorisations")

		wantErr(t, f.svc.Recategorise(f.ctx, f.mod(), f.proposal, "greenery", "About trees."), nil, "recategorise")
		if p := f.proposalFields(t, f.proposal); p.Category != "greenery" {
			t.Errorf("category = %q", p.Category)
		}
		before = f.State(t)
		wantErr(t, f.svc.Recategorise(f.ctx, f.mod(), f.proposal, "greenery", "Again."), moderation.ErrNoChange, "same category")
		f.Unchanged(t, before, "recategorising to the same")

		log, err := f.svc.Log(f.ctx, moderation.LogFilter{SpaceID: f.space})
		wantErr(t, err, nil, "log")
		if len(log) != 1 || log[0].Action != moderation.ActionRecategorise || log[0].Reason != "About trees." ||
			log[0].Detail("from") != "" || log[0].Detail("to") != "greenery" {
			t.Errorf("log = %+v", log)
		}
		if ev := f.events(t); ev[len(ev)-1] != "update proposal "+f.proposal+" -" {
			t.Errorf("events = %q", ev)
		}
	})
}

func TestMerge(t *testing.T) {
	for _, order := range []string{"a into b", "b into a"} {
		t.Run(order, func(t *testing.T) {
			run(t, func(t *testing.T, f *fixture) {
				u := make([]*accounts.Account, 5)
				for i := range u {
					u[i] = f.account(t, "u"+string(rune('1'+i)))
				}
				w := f.account(t, "writer") // supports nothing: see TestMergeLeavesTheAuthorOut
				a, b := f.proposal, f.newProposal(t, f.space, w.ID)
				f.support(t, a, u[0], u[1], u[2]) // u[2] supports both
				f.support(t, b, u[2], u[3])
				from, into, moved := a, b, "2"
				if order == "b into a" {
					from, into, moved = b, a, "1"
				}
				wantErr(t, f.svc.Merge(f.ctx, f.mod(), from, into, "Same bench."), nil, "merge")

				want := []string{u[0].ID, u[1].ID, u[2].ID, u[3].ID}
				slices.Sort(want)
				if got := f.supporters(t, into); !slices.Equal(got, want) {
					t.Errorf("supporters of the merged-into proposal = %q, want %q", got, want)
				}
				if got := f.supporters(t, from); len(got) != 0 {
					t.Errorf("the duplicate keeps supporters %q", got)
				}
				p := f.proposalFields(t, from)
				if p.State != moderation.StateMerged || p.MergedInto != into || p.SupportCount != 0 {
					t.Errorf("duplicate = %+v", p)
				}
				if q := f.proposalFields(t, into); q.State != "published" || q.MergedInto != "" || q.SupportCount != 4 {
					t.Errorf("merged-into = %+v", q)
				}
				log, err := f.svc.Log(f.ctx, moderation.LogFilter{})
				wantErr(t, err, nil, "log")
				if len(log) != 1 || log[0].Action != moderation.ActionMerge || log[0].Target.ID != from ||
					log[0].Detail("into") != into || log[0].Detail("moved") != moved || log[0].Detail("kept") != "1" ||
					log[0].Detail("state") != "published" {
					t.Errorf("log = %+v", log)
				}
				ev := f.events(t)
				if got := ev[len(ev)-2:]; got[0] != "update proposal "+from+" -" || got[1] != "update proposal "+into+" -" {
					t.Errorf("events = %q", got)
				}

				// Chained: what was merged into moves on with it, counted once.
				c := f.newProposal(t, f.space, w.ID)
				f.support(t, c, u[3], u[4])
				wantErr(t, f.svc.Merge(f.ctx, f.mod(), into, c, "Same again."), nil, "merge on")
				if got := f.supporters(t, c); len(got) != 5 {
					t.Errorf("after the second merge: %d supporters, want 5", len(got))
				}
			})
		})
	}
}

func TestMergeRefusals(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob := f.account(t, "bob")
		a, b, c := f.proposal, f.newProposal(t, f.space, bob.ID), f.newProposal(t, f.space, bob.ID)
		far := f.newProposal(t, f.newSpace(t, "nord"), bob.ID)
		f.support(t, a, bob)
		wantErr(t, f.svc.Merge(f.ctx, f.mod(), b, c, "Same."), nil, "merge b into c")

		before := f.State(t)
		for _, tt := range []struct {
			name, from, into, why string
			want                  error
		}{
			{"into itself", a, a, "Same.", moderation.ErrMerge},
			{"across spaces", a, far, "Same.", moderation.ErrMerge},
			{"already merged", b, a, "Same.", moderation.ErrMerge},
			{"into a merged one", a, b, "Same.", moderation.ErrMerge},
			{"unknown duplicate", "nope", a, "Same.", moderation.ErrNotFound},
			{"unknown target", a, "nope", "Same.", moderation.ErrNotFound},
			{"no reason", a, c, " ", moderation.ErrReason},
		} {
			wantErr(t, f.svc.Merge(f.ctx, f.mod(), tt.from, tt.into, tt.why), tt.want, tt.name)
		}
		f.Unchanged(t, before, "refused merges")
	})
}

// A merge never gives an author a support of their own proposal, and it
// answers the duplicate's open reports.
func TestMergeLeavesTheAuthorOutAndClosesReports(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		bob, carol := f.account(t, "bob"), f.account(t, "carol")
		into := f.newProposal(t, f.space, bob.ID)
		f.support(t, f.proposal, bob, carol) // bob supports alice's duplicate of his own
		dup := moderation.Target{Kind: moderation.TargetProposal, ID: f.proposal}
		r, err := f.svc.Report(f.ctx, accounts.As(carol), dup, "Duplicate of bob's.")
		wantErr(t, err, nil, "report the duplicate")
		other, err := f.svc.Report(f.ctx, accounts.As(carol), moderation.Target{Kind: moderation.TargetProposal, ID: into}, "Off topic.")
		wantErr(t, err, nil, "report the other")

		f.clock.Advance(time.Minute)
		wantErr(t, f.svc.Merge(f.ctx, f.mod(), f.proposal, into, "Same bench."), nil, "merge")
		if got := f.supporters(t, into); !slices.Equal(got, []string{carol.ID}) {
			t.Errorf("supporters after the merge = %q, want carol's only", got)
		}
		got, err := f.svc.ReportByID(f.ctx, f.mod(), r.ID)
		wantErr(t, err, nil, "read report")
		if got.Open() || got.Resolution != "Same bench." || !got.ResolvedAt.Equal(f.clock.Now()) {
			t.Errorf("the duplicate's report after the merge: %+v", got)
		}
		if got, _ := f.svc.ReportByID(f.ctx, f.mod(), other.ID); !got.Open() {
			t.Errorf("a report on the other proposal was closed: %+v", got)
		}
	})
}

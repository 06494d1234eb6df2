package demo_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/decisions"
	"agora/instances/demo"
	"agora/instances/markup"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// The demo loads through the real services on both databases, gives
// proposals in several states with answers, and refuses to load twice.
func TestLoad(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storagetest.MigratedDB(t, dialect)
		md := markup.New()
		acc := accounts.NewService(db, nil)
		sp := spaces.NewService(db, md, nil)
		pr := proposals.NewService(db, md, acc, sp, nil)
		svc := demo.Services{Accounts: acc, Spaces: sp, Proposals: pr, Debates: debates.NewService(db, md, nil),
			Decisions: func(now func() time.Time) *decisions.Service { return decisions.NewService(db, acc, sp, now) }}
		if err := demo.Load(ctx, svc, time.Now()); err != nil {
			t.Fatal(err)
		}
		budget, err := sp.BySlug(ctx, demo.BudgetSlug)
		if err != nil {
			t.Fatal(err)
		}
		if !budget.AllowsProposals(time.Now()) {
			t.Error("the demo budget is not open to proposals now")
		}
		page, err := pr.List(ctx, proposals.Query{SpaceID: budget.ID, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		states := map[proposals.State]int{}
		for _, p := range page.Items {
			states[p.State]++
		}
		for _, s := range []proposals.State{proposals.Published, proposals.Review, proposals.Study, proposals.Accepted, proposals.Rejected, proposals.Withdrawn} {
			if states[s] == 0 {
				t.Errorf("no demo proposal in state %s: %v", s, states)
			}
		}
		var comments, debatesN int
		if err := db.NewRaw("SELECT count(*) FROM comments").Scan(ctx, &comments); err != nil || comments < 5 {
			t.Errorf("demo comments: %d, %v", comments, err)
		}
		if err := db.NewRaw("SELECT count(*) FROM debates").Scan(ctx, &debatesN); err != nil || debatesN != 1 {
			t.Errorf("demo debates: %d, %v", debatesN, err)
		}
		// The council's votes: one open, one closed with its results.
		votes, err := decisions.NewService(db, acc, sp, nil).List(ctx)
		if err != nil || len(votes) != 2 {
			t.Fatalf("demo votes: %d, %v", len(votes), err)
		}
		var open, closed int
		for _, v := range votes {
			if v.ClosedAt != nil {
				closed++
				res, err := decisions.NewService(db, acc, sp, nil).Results(ctx, v.ID)
				if err != nil || res.Result.Ballots != 5 || res.Result.Delegated != 1 || res.Electorate < 6 {
					t.Errorf("demo results: %+v, %v", res, err)
				}
			} else if v.Window(time.Now()) == nil {
				open++
			}
		}
		if open != 1 || closed != 1 {
			t.Errorf("demo votes: %d open, %d closed", open, closed)
		}
		if err := demo.Load(ctx, svc, time.Now()); !errors.Is(err, demo.ErrLoaded) {
			t.Fatalf("second load: %v, want ErrLoaded", err)
		}
	})
}

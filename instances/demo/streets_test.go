package demo_test

import (
	"context"
	"testing"
	"time"

	"agora/instances/demo"
	"agora/instances/reports"
	"agora/storage/storagetest"
)

// TestStreetReports: the demo has categories mapped to services, reports
// in every state inside its territory, and planned works to come.
func TestStreetReports(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		now := time.Now()
		_, svc := demoNode(t, dialect, now)
		if err := demo.Load(ctx, svc, now); err != nil {
			t.Fatal(err)
		}
		s := svc.Reports(func() time.Time { return now })
		cats, err := s.Categories(ctx, false)
		if err != nil || len(cats) < 4 {
			t.Fatalf("categories: %v, %d", err, len(cats))
		}
		poly, err := s.Territory(ctx)
		if err != nil || len(poly) < 3 {
			t.Fatalf("territory: %v, %v", err, poly)
		}
		list, err := s.List(ctx, reports.Query{Limit: 1000})
		if err != nil || len(list) < 30 {
			t.Fatalf("reports: %v, %d", err, len(list))
		}
		seen := map[reports.State]int{}
		for _, r := range list {
			seen[r.State]++
			if p, ok := r.Point(); !ok || !poly.Contains(p) {
				t.Errorf("report at %s is outside the territory", r.Address)
			}
		}
		for _, st := range reports.States {
			if seen[st] == 0 {
				t.Errorf("no demo report is %s (%v)", st, seen)
			}
		}
		// Suggestions, ranked by the neighbourhood council's closed vote;
		// the last one came after the vote.
		sugg, err := s.List(ctx, reports.Query{Kind: reports.Suggestion, ByRank: true})
		if err != nil || len(sugg) != 6 {
			t.Fatalf("suggestions: %v, %d", err, len(sugg))
		}
		for i, r := range sugg[:5] {
			if r.CouncilRank == nil || *r.CouncilRank != i+1 || r.ConfirmCount == 0 {
				t.Errorf("suggestion %d: rank %v, supports %d", i, r.CouncilRank, r.ConfirmCount)
			}
		}
		if sugg[5].CouncilRank != nil {
			t.Errorf("the late suggestion is ranked %d", *sugg[5].CouncilRank)
		}
		v, err := svc.Decisions(func() time.Time { return now }).Results(ctx, sugg[0].CouncilVote)
		if err != nil || v.Result.Ballots != 7 || v.Result.Order[0] != sugg[0].ID {
			t.Errorf("council result %+v %v", v, err)
		}
		works, err := s.CurrentWorks(ctx, 0)
		if err != nil || len(works) < 4 {
			t.Errorf("planned works: %v, %d", err, len(works))
		}
	})
}

package budgets_test

import (
	"errors"
	"math/big"
	"reflect"
	"slices"
	"testing"

	"agora/instances/budgets"
)

// Worked by hand on pabulib.org/format's Wieliczka example (see
// wieliczkaExample): budget 2500, 10 voters, so each starts with 250.
//
// Run 1, share 250.
//
//	4: 6 × 250 = 1500 ≥ 1400, equal part 1400/6 = 233.33 ≤ 250: count 6
//	5: equal part 1000/5 = 200: count 5;  1: 150, count 4;  2: 200, count 4
//	7: 3 × 250 = 750 < 1200: unaffordable
//	→ 4; its voters 1 3 5 8 9 10 keep 250 - 700/3 = 50/3 each.
//	5: 3 × 50/3 + 2 × 250 = 550 < 1000; 1: 2 × 50/3 + 2 × 250 ≈ 533 < 600;
//	2: 3 × 50/3 + 250 = 300 < 800: nothing more. Outcome {4}, cost 1400.
//
// Not exhaustive (5 would fit: 2400 ≤ 2500), so the completion raises
// the share to 251, 252, ... With share s, after 4 (always first: count
// 6 against 5) its voters keep s - 700/3, and 1 becomes affordable when
// 2(s - 700/3) + 2s ≥ 600, i.e. s ≥ 266.67 (5 needs s ≥ 340, 2 s ≥ 375).
// So shares 251..266 give {4} again (kept: 1400 ≤ 2500, not
// exhaustive), and share 267 gives:
//
//	4 as before; voters 1 and 5 keep 267 - 700/3 = 101/3 each.
//	1: equal part 150 > 101/3, so 1 and 5 pay all (202/3) and 2 and 6
//	   share the rest: (600 - 202/3)/2 = 266.33 ≤ 267. Funded.
//	Nothing else is affordable (5: 3 × 101/3 + 2 × 267 = 635 < 1000).
//	Outcome {4, 1}, cost 2000 ≤ 2500: kept. Exhaustive (500 left; 2 costs
//	800, 5 1000, 7 1200): stop.
//
// 18 runs (250, then 251..267). The greedy fill adds nothing. Greedy
// funds {4, 5} instead (TestGreedyWieliczka).
func TestEqualSharesWieliczka(t *testing.T) {
	h := mustCompute(t, wieliczkaExample(), budgets.EqualShares, budgets.Options{}).Headings[0]
	if !slices.Equal(h.Funded, []string{"4", "1"}) || h.Used != 2000 {
		t.Fatalf("funded %v used %d, want [4 1] 2000", h.Funded, h.Used)
	}
	if h.StartShare != (budgets.Fraction{Num: 250, Den: 1}) || h.Share != (budgets.Fraction{Num: 267, Den: 1}) || h.Steps != 18 || h.Filled != 0 {
		t.Fatalf("start %v, share %v, steps %d, filled %d; want 250, 267, 18, 0", h.StartShare, h.Share, h.Steps, h.Filled)
	}
	if len(h.Ties) != 0 {
		t.Fatalf("ties %+v", h.Ties)
	}
	// Too few steps allowed: refused, not cut short.
	_, err := budgets.Compute(wieliczkaExample(), budgets.EqualShares, budgets.Options{MaxSteps: 17})
	if !errors.Is(err, budgets.ErrCompletionTooLong) {
		t.Fatalf("MaxSteps 17: %v, want ErrCompletionTooLong", err)
	}
	if _, err := budgets.Compute(wieliczkaExample(), budgets.EqualShares, budgets.Options{MaxSteps: 18}); err != nil {
		t.Fatalf("MaxSteps 18: %v", err)
	}
}

// Worked by hand on tieExample: budget 70, 5 voters (A: 2, B: 2, C: 1),
// start share 14.
//
//	Shares 14..19: A needs 2s ≥ 40 and C needs s ≥ 30: nothing is
//	affordable; the empty outcome is kept, never exhaustive.
//	Share 20: A and B both have count 40/20 = 2, equal cost, equal votes:
//	the tie order (ids) picks A, whose voters pay 20 each; then B (count 2).
//	{A, B} costs 80 > 70: stop, keep share 19's empty outcome.
//	Fill in greedy order: A (40), B (80 > 70, skipped), C (70). A tie the
//	fill broke by id is reported.
//
// 7 runs (14, then 15..20).
func TestEqualSharesTie(t *testing.T) {
	h := mustCompute(t, tieExample(), budgets.EqualShares, budgets.Options{}).Headings[0]
	if !slices.Equal(h.Funded, []string{"A", "C"}) || h.Filled != 2 || h.Used != 70 {
		t.Fatalf("funded %v filled %d used %d; want [A C] 2 70", h.Funded, h.Filled, h.Used)
	}
	if h.StartShare != (budgets.Fraction{Num: 14, Den: 1}) || h.Share != (budgets.Fraction{Num: 19, Den: 1}) || h.Steps != 7 {
		t.Fatalf("start %v share %v steps %d; want 14, 19, 7", h.StartShare, h.Share, h.Steps)
	}
	if want := []budgets.Tie{{Projects: []string{"A", "B"}, Chosen: []string{"A"}}}; !reflect.DeepEqual(h.Ties, want) {
		t.Fatalf("ties %+v", h.Ties)
	}
}

// Ties reached by the last step are reported, whether inside the kept
// run or in the fill. Budget 10, X and Y cost 10.
//
// Same 5 voters for X and Y, share 10/5 = 2: X and Y both have count
// 10/2 = 5, equal cost, equal votes: X by id; its voters pay 2 each and
// Y is no longer affordable. {X} is exhaustive (Y: 20 > 10). With the
// tie order [Y X], Y instead.
//
// 5 voters for X, 5 others for Y, share 1: neither is affordable (5 < 10).
// Share 2: both are, with count 5 each: X by id, then Y: {X, Y} costs
// 20 > 10, so share 1's empty outcome is kept and the fill takes X (tie
// by id), not Y. With 6 voters for X and 4 for Y there is no tie: X has
// more votes.
func TestEqualSharesTies(t *testing.T) {
	e := budgets.Election{
		Headings: []budgets.Heading{{ID: "h", Budget: 10}},
		Projects: []budgets.Project{{ID: "Y", Heading: "h", Cost: 10}, {ID: "X", Heading: "h", Cost: 10}},
		Ballots:  []budgets.Ballot{{Projects: []string{"X", "Y"}, Weight: 5}},
	}
	h := mustCompute(t, e, budgets.EqualShares, budgets.Options{}).Headings[0]
	if !slices.Equal(h.Funded, []string{"X"}) || h.Filled != 0 || h.Steps != 1 {
		t.Fatalf("shared voters: funded %v filled %d steps %d", h.Funded, h.Filled, h.Steps)
	}
	if want := []budgets.Tie{{Projects: []string{"X", "Y"}, Chosen: []string{"X"}}}; !reflect.DeepEqual(h.Ties, want) {
		t.Fatalf("shared voters: ties %+v", h.Ties)
	}
	e.TieOrder = []string{"Y", "X"}
	h = mustCompute(t, e, budgets.EqualShares, budgets.Options{}).Headings[0]
	if want := []budgets.Tie{{Projects: []string{"Y", "X"}, Chosen: []string{"Y"}}}; !slices.Equal(h.Funded, []string{"Y"}) || !reflect.DeepEqual(h.Ties, want) {
		t.Fatalf("tie order [Y X]: funded %v ties %+v", h.Funded, h.Ties)
	}

	e.TieOrder = nil
	e.Ballots = []budgets.Ballot{{Projects: []string{"X"}, Weight: 5}, {Projects: []string{"Y"}, Weight: 5}}
	h = mustCompute(t, e, budgets.EqualShares, budgets.Options{}).Headings[0]
	if !slices.Equal(h.Funded, []string{"X"}) || h.Filled != 1 || h.Share != (budgets.Fraction{Num: 1, Den: 1}) || h.Steps != 2 {
		t.Fatalf("disjoint voters: funded %v filled %d share %v steps %d", h.Funded, h.Filled, h.Share, h.Steps)
	}
	if want := []budgets.Tie{{Projects: []string{"X", "Y"}, Chosen: []string{"X"}}}; !reflect.DeepEqual(h.Ties, want) {
		t.Fatalf("disjoint voters: ties %+v", h.Ties)
	}
	e.Ballots[0].Weight, e.Ballots[1].Weight = 6, 4
	h = mustCompute(t, e, budgets.EqualShares, budgets.Options{}).Headings[0]
	if !slices.Equal(h.Funded, []string{"X"}) || len(h.Ties) != 0 {
		t.Fatalf("6/4: funded %v ties %+v", h.Funded, h.Ties)
	}
}

// equalshares.net's Example 1 with the completion: the first run
// (share 100) funds bike path, playground, library for 1000, and is
// exhaustive (gym 400 and park 250 no longer fit in the 100 left), so
// it is the result. Greedy funds bike path and gym (7 and 6 votes, 1100).
func TestEqualSharesNetExample1Completed(t *testing.T) {
	c, err := budgets.Compare(equalSharesNetExample(1), budgets.EqualShares, budgets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := c.Headings[0]
	if !slices.Equal(h.Chosen.Funded, []string{"bike", "playground", "library"}) || h.Chosen.Steps != 1 || h.Chosen.Used != 1000 {
		t.Fatalf("equal shares: %v, %d steps, used %d", h.Chosen.Funded, h.Chosen.Steps, h.Chosen.Used)
	}
	if !slices.Equal(h.Other.Funded, []string{"bike", "gym"}) || h.Other.Used != 1100 {
		t.Fatalf("greedy: %v used %d", h.Other.Funded, h.Other.Used)
	}
}

// equalshares.net's Example 2 with the completion, against the
// reference (the site gives only the first run): the first run funds
// gym, park, playground for 850 and the library (100) would still fit,
// so the completion runs.
func TestEqualSharesNetExample2Completed(t *testing.T) {
	e := equalSharesNetExample(2)
	h := mustCompute(t, e, budgets.EqualShares, budgets.Options{}).Headings[0]
	ref := refHeadings(e)[0]
	ps, share := ref.refEqualShares()
	if want := ref.ids(ps); !slices.Equal(h.Funded, want) {
		t.Fatalf("funded %v, reference %v", h.Funded, want)
	}
	if h.Steps < 2 || share.Cmp(ratOf(h.Share)) != 0 {
		t.Fatalf("steps %d share %v, reference share %s", h.Steps, h.Share, share.RatString())
	}
	t.Logf("funded %v, share %v after %d runs", h.Funded, h.Share, h.Steps)
}

func ratOf(f budgets.Fraction) *big.Rat { return big.NewRat(f.Num, f.Den) }

// When the budget covers every project with a vote, all of them are
// funded at once (the completion could end nowhere else).
func TestEqualSharesEverythingFits(t *testing.T) {
	e := wieliczkaExample()
	e.Headings[0].Budget = 5000
	h := mustCompute(t, e, budgets.EqualShares, budgets.Options{}).Headings[0]
	if !sameSet(h.Funded, []string{"1", "2", "4", "5", "7"}) || h.Used != 5000 || h.Steps != 1 {
		t.Fatalf("funded %v used %d steps %d", h.Funded, h.Used, h.Steps)
	}
}

// A heading without voters funds nothing, under both rules.
func TestNoVoters(t *testing.T) {
	e := budgets.Election{
		Headings: []budgets.Heading{{ID: "h", Budget: 10}},
		Projects: []budgets.Project{{ID: "a", Heading: "h", Cost: 5}},
	}
	for _, r := range []budgets.Rule{budgets.Greedy, budgets.EqualShares} {
		h := mustCompute(t, e, r, budgets.Options{}).Headings[0]
		if len(h.Funded) != 0 || h.Voters != 0 || len(h.Projects) != 1 {
			t.Fatalf("%s: %+v", r, h)
		}
	}
}

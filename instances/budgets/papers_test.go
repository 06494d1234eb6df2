package budgets_test

import (
	"math/big"
	"slices"
	"testing"

	"agora/instances/budgets"
)

// The examples of the texts that define the Method of Equal Shares,
// checked against the rule without its completion (one run with the
// heading's budget shared equally): the texts give that run's choices
// and, for most, its exact payments.

// fixedRun runs the rule once on the election's only heading with the
// budget B shared equally among the n voters.
func fixedRun(t *testing.T, e budgets.Election) ([]string, []budgets.TraceStep) {
	t.Helper()
	ids, trace, err := budgets.FixedRun(e)
	if err != nil {
		t.Fatal(err)
	}
	return ids, trace
}

// committee builds a committee election (every cost 1, budget k) from
// approval sets over candidates named by one letter.
func committee(k int64, sets ...string) budgets.Election {
	e := budgets.Election{Headings: []budgets.Heading{{ID: "h", Budget: k}}}
	seen := map[rune]bool{}
	for _, s := range sets {
		for _, c := range s {
			if !seen[c] {
				seen[c] = true
				e.Projects = append(e.Projects, budgets.Project{ID: string(c), Heading: "h", Cost: 1})
			}
		}
		var b budgets.Ballot
		for _, c := range s {
			b.Projects = append(b.Projects, string(c))
		}
		b.Weight = 1
		e.Ballots = append(e.Ballots, b)
	}
	return e
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

type step struct{ id, rho, eff string }

func checkTrace(t *testing.T, got []budgets.TraceStep, want []step) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d steps, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.id {
			t.Errorf("step %d: %s, want %s", i+1, g.ID, w.id)
		}
		if g.Rho.Cmp(rat(w.rho)) != 0 {
			t.Errorf("step %d (%s): largest payment %s, want %s", i+1, w.id, g.Rho.RatString(), w.rho)
		}
		if g.Eff.Cmp(rat(w.eff)) != 0 {
			t.Errorf("step %d (%s): effective vote count %s, want %s", i+1, w.id, g.Eff.RatString(), w.eff)
		}
	}
}

// Lackner & Skowron, "Multi-Winner Voting with Approval Preferences"
// (Springer, 2023; arXiv:2007.01795), Example 2.11, on the running
// example of their Example 2.1: 12 voters, committee size 4, so each
// voter starts with 4/12 = 1/3. The first phase of Equal Shares buys
// only a, each of its 8 supporters paying q = 1/8 (remaining 5/24); no
// other candidate is then affordable (b: 3·5/24 + 1/3 = 23/24 < 1). The
// book completes with Phragmén; the first phase is the committee version
// of the rule here (unit costs, cost utilities = approval utilities).
// Its steps are also printed by abcvoting's examples/abcbook/example211.py.
func TestLacknerSkowronExample211(t *testing.T) {
	e := committee(4, "ab", "ab", "ab", "ac", "ac", "ac", "ad", "ad", "bcf", "e", "f", "g")
	got, trace := fixedRun(t, e)
	if !slices.Equal(got, []string{"a"}) {
		t.Fatalf("first phase = %v, want [a]", got)
	}
	checkTrace(t, trace, []step{{"a", "1/8", "8"}})
}

// Lackner & Skowron, Example 2.12: 3×{c,d}, 2×{a,b}, 2×{a,c}, 1×{b,d},
// committee size 3, each voter starts with 3/8. The first phase buys c
// (q = 1/5), then a (q = 13/40: the two {a,c} voters have 7/40 left and
// pay it, the two {a,b} voters pay 13/40 each), then nothing is
// affordable; the book's final committee {a,c,d} adds d in its Phragmén
// phase.
func TestLacknerSkowronExample212(t *testing.T) {
	e := committee(3, "cd", "cd", "cd", "ab", "ab", "ac", "ac", "bd")
	got, trace := fixedRun(t, e)
	if !slices.Equal(got, []string{"c", "a"}) {
		t.Fatalf("first phase = %v, want [c a]", got)
	}
	checkTrace(t, trace, []step{
		{"c", "1/5", "5"},
		{"a", "13/40", "40/13"},
	})
}

// equalshares.net, "Explanation of the Method of Equal Shares" (the
// method's authors' site), Example 1: budget 1100, 11 voters (100
// each), bike path 700 (voters 1-6 and 11), outdoor gym 400 (1-6), new
// park 250 (2, 4, 5, 7, 10), playground 200 (7-10), library for kids 100
// (7, 9, 10). The rule picks the bike path (each of its 7 supporters
// pays 100), then the playground (4 × 50), then the library (3 × 100/3).
func TestEqualSharesNetExample1(t *testing.T) {
	got, trace := fixedRun(t, equalSharesNetExample(1))
	if !slices.Equal(got, []string{"bike", "playground", "library"}) {
		t.Fatalf("winners = %v, want [bike playground library]", got)
	}
	checkTrace(t, trace, []step{
		{"bike", "100", "7"},
		{"playground", "50", "4"},
		{"library", "100/3", "3"},
	})
}

// equalshares.net, Example 2: as Example 1 but voter 11 votes for the
// gym instead of the bike path. The gym goes first (7 × 400/7); the bike
// path is then unaffordable; the park's cost is split with three
// supporters paying all they have left and the two others 60.5 each on
// the site's rounded figures, an effective vote count of 4.13; the
// playground follows (3.31); then the library is unaffordable. Exactly:
// the park's supporters 2, 4, 5 hold 100 - 400/7 = 300/7 each, so
// ρ = (250 - 900/7)/2 = 425/7 and the count is 250/ρ = 70/17 ≈ 4.12;
// the playground's supporters 7 and 10 hold 100 - 425/7 = 275/7, so
// ρ = (200 - 550/7)/2 = 425/7 and the count is 200/ρ = 56/17 ≈ 3.29.
// (The site rounds 42.86 to 43 before dividing, hence 4.13 and 3.31.)
func TestEqualSharesNetExample2(t *testing.T) {
	got, trace := fixedRun(t, equalSharesNetExample(2))
	if !slices.Equal(got, []string{"gym", "park", "playground"}) {
		t.Fatalf("winners = %v, want [gym park playground]", got)
	}
	checkTrace(t, trace, []step{
		{"gym", "400/7", "7"},
		{"park", "425/7", "70/17"},
		{"playground", "425/7", "56/17"},
	})
}

func equalSharesNetExample(n int) budgets.Election {
	e := budgets.Election{
		Headings: []budgets.Heading{{ID: "h", Budget: 1100}},
		Projects: []budgets.Project{
			{ID: "bike", Heading: "h", Cost: 700},
			{ID: "gym", Heading: "h", Cost: 400},
			{ID: "park", Heading: "h", Cost: 250},
			{ID: "playground", Heading: "h", Cost: 200},
			{ID: "library", Heading: "h", Cost: 100},
		},
	}
	ballots := [11][]string{
		{"bike", "gym"}, {"bike", "gym", "park"}, {"bike", "gym"}, {"bike", "gym", "park"},
		{"bike", "gym", "park"}, {"bike", "gym"}, {"park", "playground", "library"},
		{"playground"}, {"playground", "library"}, {"park", "playground", "library"},
		{"bike"},
	}
	if n == 2 {
		ballots[10] = []string{"gym"}
	}
	for _, b := range ballots {
		e.Ballots = append(e.Ballots, budgets.Ballot{Projects: b, Weight: 1})
	}
	return e
}

// abcvoting's tests (tests/test_abcrules.py, "profile4", committee size
// 2: {0,1,3}, {0,1}, {0,1}, {0,3}, {2,3}) give the committees of Equal
// Shares under every tie-breaking: without completion {0}; with the AV
// completion (fill by approvals) {0,1} or {0,3}. By hand, each voter
// starts with 2/5: 0 has 4 supporters (q = 1/4), who keep 3/20; then 1
// (3 × 3/20) and 3 (3/20 + 3/20 + 2/5) are out of reach. The complete
// rule here (Add1 then the fill) tries share 1, which buys 0, 1 and 3
// for 3 > 2, so it keeps {0} and fills with 1 (tie with 3 on votes and
// cost, broken by id).
func TestAbcvotingProfile4(t *testing.T) {
	e := committee(2, "013", "01", "01", "03", "23")
	got, trace := fixedRun(t, e)
	if !slices.Equal(got, []string{"0"}) {
		t.Fatalf("without completion: %v, want [0]", got)
	}
	checkTrace(t, trace, []step{{"0", "1/4", "4"}})
	res, err := budgets.Compute(e, budgets.EqualShares, budgets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if h := res.Headings[0]; !slices.Equal(h.Funded, []string{"0", "1"}) || h.Filled != 1 || len(h.Ties) != 1 {
		t.Fatalf("complete: %v, filled %d, ties %+v", h.Funded, h.Filled, h.Ties)
	}
}

package budgets_test

import (
	"reflect"
	"slices"
	"testing"

	"agora/instances/budgets"
)

// wieliczkaExample is the example of pabulib.org/format ("Municipal PB
// in Wieliczka", budget 2500, 5 projects, 10 voters, rule greedy):
//
//	project  cost  voters           votes
//	1         600  1 2 5 6            4
//	2         800  1 2 3 9            4
//	4        1400  1 3 5 8 9 10       6
//	5        1000  3 4 7 9 10         5
//	7        1200  4 5 6              3
func wieliczkaExample() budgets.Election {
	e := budgets.Election{
		Headings: []budgets.Heading{{ID: "Wieliczka", Budget: 2500}},
		Projects: []budgets.Project{
			{ID: "1", Heading: "Wieliczka", Cost: 600},
			{ID: "2", Heading: "Wieliczka", Cost: 800},
			{ID: "4", Heading: "Wieliczka", Cost: 1400},
			{ID: "5", Heading: "Wieliczka", Cost: 1000},
			{ID: "7", Heading: "Wieliczka", Cost: 1200},
		},
	}
	for _, v := range [][]string{
		{"1", "2", "4"}, {"1", "2"}, {"2", "4", "5"}, {"5", "7"}, {"1", "4", "7"},
		{"1", "7"}, {"5"}, {"4"}, {"2", "4", "5"}, {"4", "5"},
	} {
		e.Ballots = append(e.Ballots, budgets.Ballot{Projects: v, Weight: 1})
	}
	return e
}

// Worked by hand. Greedy order: 4 (6 votes), 5 (5), then 1 and 2 with 4
// votes each, 1 first for its lower cost (600 < 800), then 7 (3).
//
//	4: 0 + 1400 = 1400 ≤ 2500   funded
//	5: 1400 + 1000 = 2400 ≤ 2500 funded
//	1: 2400 + 600 = 3000 > 2500  skipped
//	2: 2400 + 800 = 3200 > 2500  skipped
//	7: 2400 + 1200 = 3600 > 2500 skipped
func TestGreedyWieliczka(t *testing.T) {
	res := mustCompute(t, wieliczkaExample(), budgets.Greedy, budgets.Options{})
	h := res.Headings[0]
	if !slices.Equal(h.Funded, []string{"4", "5"}) || h.Used != 2400 || h.Voters != 10 {
		t.Fatalf("funded %v, used %d, voters %d; want [4 5], 2400, 10", h.Funded, h.Used, h.Voters)
	}
	want := []budgets.ProjectResult{
		{ID: "4", Cost: 1400, Votes: 6, Funded: true},
		{ID: "5", Cost: 1000, Votes: 5, Funded: true},
		{ID: "1", Cost: 600, Votes: 4},
		{ID: "2", Cost: 800, Votes: 4},
		{ID: "7", Cost: 1200, Votes: 3},
	}
	if !reflect.DeepEqual(h.Projects, want) {
		t.Fatalf("projects %+v\nwant %+v", h.Projects, want)
	}
	if len(h.Ties) != 0 || h.Filled != 0 || h.Steps != 0 || h.Share != (budgets.Fraction{}) {
		t.Fatalf("greedy reports Equal Shares fields: %+v", h)
	}
}

// Worked by hand: budget 70; A and B cost 40 with 2 votes each (one
// ballot of weight 2 each), C costs 30 with 1 vote.
//
//	A and B tie on votes and cost: the tie order decides (by id: A).
//	A: 0 + 40 = 40 ≤ 70  funded
//	B: 40 + 40 = 80 > 70 skipped
//	C: 40 + 30 = 70 ≤ 70 funded (a project that exactly fills the budget fits)
//
// The tie is reported. With the tie order [B A] drawn by lot, B is
// funded instead of A.
func TestGreedyTie(t *testing.T) {
	e := tieExample()
	h := mustCompute(t, e, budgets.Greedy, budgets.Options{}).Headings[0]
	if !slices.Equal(h.Funded, []string{"A", "C"}) || h.Used != 70 {
		t.Fatalf("funded %v used %d, want [A C] 70", h.Funded, h.Used)
	}
	if want := []budgets.Tie{{Projects: []string{"A", "B"}, Chosen: []string{"A"}}}; !reflect.DeepEqual(h.Ties, want) {
		t.Fatalf("ties %+v, want %+v", h.Ties, want)
	}
	e.TieOrder = []string{"B", "A"}
	h = mustCompute(t, e, budgets.Greedy, budgets.Options{}).Headings[0]
	if !slices.Equal(h.Funded, []string{"B", "C"}) {
		t.Fatalf("with tie order [B A]: funded %v, want [B C]", h.Funded)
	}
	if want := []budgets.Tie{{Projects: []string{"B", "A"}, Chosen: []string{"B"}}}; !reflect.DeepEqual(h.Ties, want) {
		t.Fatalf("ties %+v, want %+v", h.Ties, want)
	}
}

func tieExample() budgets.Election {
	return budgets.Election{
		Headings: []budgets.Heading{{ID: "h", Budget: 70}},
		Projects: []budgets.Project{
			{ID: "C", Heading: "h", Cost: 30},
			{ID: "B", Heading: "h", Cost: 40},
			{ID: "A", Heading: "h", Cost: 40},
		},
		Ballots: []budgets.Ballot{
			{Projects: []string{"B"}, Weight: 2},
			{Projects: []string{"A"}, Weight: 2},
			{Projects: []string{"C"}, Weight: 1},
		},
	}
}

// Headings are counted apart: a ballot that supports projects in two
// headings counts once in each; a project nobody voted for is never
// funded, even when money is left.
func TestGreedyHeadings(t *testing.T) {
	e := budgets.Election{
		Headings: []budgets.Heading{{ID: "paris", Budget: 100}, {ID: "11e", Budget: 50}},
		Projects: []budgets.Project{
			{ID: "p1", Heading: "paris", Cost: 60},
			{ID: "p2", Heading: "paris", Cost: 50},
			{ID: "d1", Heading: "11e", Cost: 30},
			{ID: "d2", Heading: "11e", Cost: 10},
		},
		Ballots: []budgets.Ballot{
			{Projects: []string{"p1", "d1"}, Weight: 1},
			{Projects: []string{"p1", "p2"}, Weight: 1},
			{Projects: []string{"p2"}, Weight: 1},
			{Projects: []string{"d1"}, Weight: 1},
			{Projects: nil, Weight: 5}, // a blank ballot counts nowhere
		},
	}
	res := mustCompute(t, e, budgets.Greedy, budgets.Options{})
	// paris: p1 2 votes, p2 2 votes → p2 first (cheaper): 50, then p1: 110 > 100.
	if h := res.Headings[0]; !slices.Equal(h.Funded, []string{"p2"}) || h.Voters != 3 {
		t.Fatalf("paris: %v, %d voters; want [p2], 3", h.Funded, h.Voters)
	}
	// 11e: d1 2 votes: 30; d2 has no vote: not funded although 20 are left.
	if h := res.Headings[1]; !slices.Equal(h.Funded, []string{"d1"}) || h.Voters != 2 || h.Used != 30 {
		t.Fatalf("11e: %v, %d voters, used %d; want [d1], 2, 30", h.Funded, h.Voters, h.Used)
	}
}

package decisions

import (
	"fmt"
	"slices"

	"agora/instances/budgets"
)

// Result is what a count gives: totals per option, the order of the
// options (winner first) and, for ranked votes, the Schulze matrices.
// Weights are counted in ballots: a direct ballot weighs 1 plus the
// weight delegated to its voter.
type Result struct {
	Method    Method        `json:"method"`
	Ballots   int64         `json:"ballots"`   // direct ballots counted
	Weight    int64         `json:"weight"`    // their total weight
	Delegated int64         `json:"delegated"` // part of Weight that came through delegation
	Lost      Lost          `json:"lost"`      // delegated weight not counted
	Quorum    int64         `json:"quorum,omitempty"`
	Quorate   bool          `json:"quorate"`
	Totals    []OptionTotal `json:"totals"` // in the vote's order of options
	// Order is every option's key, winner first; Tied says which places
	// were decided by the tie order rather than by the ballots: Tied[i]
	// is true when Order[i] was chosen among equals.
	Order []string `json:"order"`
	Tied  []bool   `json:"tied"`
	// Ranked votes: Pairwise[i][j] is the weight preferring option i to
	// j; Strongest[i][j] the strength of the strongest path from i to j.
	Pairwise  [][]int64 `json:"pairwise,omitempty"`
	Strongest [][]int64 `json:"strongest,omitempty"`
	// BeatStatusQuo lists the options that beat the status quo (ranked
	// votes that have one).
	BeatStatusQuo []string `json:"beat_status_quo,omitempty"`
	// Funded lists the projects a budget vote funds within its total,
	// greedily by votes (package budgets).
	Funded []string `json:"funded,omitempty"`
}

// Lost is delegated weight that reached no ballot.
type Lost struct {
	NoVote int64 `json:"no_vote"` // the chain ended with someone who did not vote
	Cycle  int64 `json:"cycle"`   // the chain went round in a cycle
}

// OptionTotal is one option's count.
type OptionTotal struct {
	Key       string `json:"key"`
	Votes     int64  `json:"votes"`           // weight of ballots choosing it (single, approval, budget)
	Delegated int64  `json:"delegated"`       // part of Votes through delegation
	Score     int64  `json:"score,omitempty"` // score: the weighted sum
}

// Counter adds ballots one by one, so a count never holds them all.
type Counter struct {
	spec Spec
	res  Result
	pair []int64 // ranked: n*n pairwise weights
	rank []int32 // scratch: rank of each option on a ballot
}

// NewCounter starts a count of a vote.
func NewCounter(spec Spec) *Counter {
	n := len(spec.Options)
	c := &Counter{spec: spec, rank: make([]int32, n)}
	c.res.Method = spec.Method
	c.res.Quorum = spec.Quorum
	c.res.Totals = make([]OptionTotal, n)
	for i, o := range spec.Options {
		c.res.Totals[i].Key = o.Key
	}
	if spec.Method == Ranked {
		c.pair = make([]int64, n*n)
	}
	return c
}

// Add counts one ballot of marks (as Spec.Marks gives them), weighing
// weight, of which delegated came through delegation. Marks are trusted
// to be valid: they were checked when cast (Recompute checks them again
// from published ballots).
func (c *Counter) Add(marks []int32, weight, delegated int64) {
	c.res.Ballots++
	c.res.Weight += weight
	c.res.Delegated += delegated
	t := c.res.Totals
	switch c.spec.Method {
	case Single, Approval, Budget:
		for _, m := range marks {
			t[m].Votes += weight
			t[m].Delegated += delegated
		}
	case Score:
		for i, m := range marks {
			t[i].Score += int64(m) * weight
		}
	case Ranked:
		n := len(t)
		unranked := int32(n)
		for i := range c.rank {
			c.rank[i] = unranked
		}
		for r, m := range marks {
			c.rank[m] = int32(r)
		}
		for i := 0; i < n; i++ {
			ri := c.rank[i]
			if ri == unranked {
				continue // an unranked option is preferred to nothing
			}
			row := c.pair[i*n : i*n+n]
			for j := 0; j < n; j++ {
				if ri < c.rank[j] {
					row[j] += weight
				}
			}
		}
	}
}

// Lose records delegated weight that reached no ballot.
func (c *Counter) Lose(l Lost) {
	c.res.Lost.NoVote += l.NoVote
	c.res.Lost.Cycle += l.Cycle
}

// Result finishes the count.
func (c *Counter) Result() Result {
	r := c.res
	r.Totals = slices.Clone(r.Totals)
	r.Quorate = r.Weight >= r.Quorum
	n := len(c.spec.Options)
	tie := c.spec.TieOrder()
	lot := make([]int, n) // place of each option in the tie order
	for p, i := range tie {
		lot[i] = p
	}
	var order []int
	var tied []bool
	switch c.spec.Method {
	case Ranked:
		r.Pairwise = square(c.pair, n)
		r.Strongest = schulze(r.Pairwise)
		order, tied = schulzeOrder(r.Strongest, lot)
		if sq, ok := c.spec.position(c.spec.StatusQuo); ok && c.spec.StatusQuo != "" {
			for i := range n {
				if i != sq && r.Strongest[i][sq] > r.Strongest[sq][i] {
					r.BeatStatusQuo = append(r.BeatStatusQuo, c.spec.Options[i].Key)
				}
			}
		}
	case Score:
		order, tied = byValue(n, lot, func(i int) int64 { return r.Totals[i].Score })
	default:
		order, tied = byValue(n, lot, func(i int) int64 { return r.Totals[i].Votes })
	}
	r.Order = make([]string, n)
	for p, i := range order {
		r.Order[p] = c.spec.Options[i].Key
	}
	r.Tied = tied
	if c.spec.Method == Budget {
		r.Funded = c.funded(r.Totals, tie)
	}
	return r
}

// byValue orders options by value, highest first, equals in the tie
// order; tied[p] says the option at p was chosen among equals (the next
// one has the same value).
func byValue(n int, lot []int, value func(int) int64) ([]int, []bool) {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if va, vb := value(a), value(b); va != vb {
			if va > vb {
				return -1
			}
			return 1
		}
		return lot[a] - lot[b]
	})
	tied := make([]bool, n)
	for p := 0; p+1 < n; p++ {
		tied[p] = value(order[p]) == value(order[p+1])
	}
	return order, tied
}

func square(flat []int64, n int) [][]int64 {
	out := make([][]int64, n)
	for i := range out {
		out[i] = slices.Clone(flat[i*n : i*n+n])
	}
	return out
}

// funded hands a budget vote's approvals to package budgets' greedy
// rule: one heading of the vote's total, every ballot's weight folded
// into per-project votes (greedy reads only the totals), ties by the
// vote's tie order.
func (c *Counter) funded(t []OptionTotal, tie []int) []string {
	e := BudgetElection(c.spec, t, tie)
	res, err := budgets.Compute(e, budgets.Greedy, budgets.Options{Workers: 1})
	if err != nil || len(res.Headings) == 0 {
		return nil
	}
	return res.Headings[0].Funded
}

// BudgetElection is the hook of the participatory budget: a budget
// vote's count as package budgets reads it (one heading, the vote's
// total; one ballot per project, weighing its votes, which is what the
// greedy rule reads; Equal Shares needs the ballots themselves, see
// docs/DECISIONS.md).
func BudgetElection(spec Spec, t []OptionTotal, tie []int) budgets.Election {
	e := budgets.Election{Headings: []budgets.Heading{{ID: "total", Budget: spec.BudgetTotal}}}
	for i, o := range spec.Options {
		e.Projects = append(e.Projects, budgets.Project{ID: o.Key, Heading: "total", Cost: o.Cost})
		if t[i].Votes > 0 {
			e.Ballots = append(e.Ballots, budgets.Ballot{Projects: []string{o.Key}, Weight: t[i].Votes})
		}
	}
	for _, i := range tie {
		e.TieOrder = append(e.TieOrder, spec.Options[i].Key)
	}
	return e
}

// String is for logs and test failures.
func (l Lost) String() string { return fmt.Sprintf("no vote %d, cycle %d", l.NoVote, l.Cycle) }

package decisions_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"testing"

	"agora/instances/decisions"
)

// The reference: a count written the plain way, ballot by ballot and
// pair by pair, with Schulze's strongest paths found by trying every
// simple path. Slow, short, and obviously what the definitions say.

type refBallot struct {
	choice decisions.Choice
	weight int64
}

type refResult struct {
	totals    map[string]int64
	order     []string
	tied      []bool
	pairwise  [][]int64
	strongest [][]int64
}

func refHash(spec decisions.Spec, key string) []byte {
	h := sha256.Sum256([]byte(spec.VoteID + "\x00" + key))
	return h[:]
}

func refCount(spec decisions.Spec, ballots []refBallot) refResult {
	keys := make([]string, len(spec.Options))
	for i, o := range spec.Options {
		keys[i] = o.Key
	}
	r := refResult{totals: map[string]int64{}}
	less := func(a, b string) bool { return bytes.Compare(refHash(spec, a), refHash(spec, b)) < 0 }
	switch spec.Method {
	case decisions.Ranked:
		n := len(keys)
		r.pairwise = make([][]int64, n)
		for i := range n {
			r.pairwise[i] = make([]int64, n)
			for j := range n {
				for _, b := range ballots {
					pi, pj := slices.Index(b.choice.Ranking, keys[i]), slices.Index(b.choice.Ranking, keys[j])
					if pi >= 0 && (pj < 0 || pi < pj) {
						r.pairwise[i][j] += b.weight
					}
				}
			}
		}
		r.strongest = make([][]int64, n)
		for i := range n {
			r.strongest[i] = make([]int64, n)
			for j := range n {
				if i != j {
					r.strongest[i][j] = bestPath(r.pairwise, i, j, map[int]bool{i: true})
				}
			}
		}
		left := slices.Clone(keys)
		for len(left) > 0 {
			var unbeaten []string
			for _, a := range left {
				beaten := false
				for _, b := range left {
					ia, ib := slices.Index(keys, a), slices.Index(keys, b)
					if r.strongest[ib][ia] > r.strongest[ia][ib] {
						beaten = true
					}
				}
				if !beaten {
					unbeaten = append(unbeaten, a)
				}
			}
			sort.Slice(unbeaten, func(i, j int) bool { return less(unbeaten[i], unbeaten[j]) })
			r.order = append(r.order, unbeaten[0])
			r.tied = append(r.tied, len(unbeaten) > 1)
			left = slices.DeleteFunc(left, func(k string) bool { return k == unbeaten[0] })
		}
		return r
	case decisions.Score:
		for _, k := range keys {
			for _, b := range ballots {
				s, ok := b.choice.Scores[k]
				if !ok {
					s = spec.ScoreMin
				}
				r.totals[k] += int64(s) * b.weight
			}
		}
	default:
		for _, b := range ballots {
			for _, k := range b.choice.Options {
				r.totals[k] += b.weight
			}
		}
	}
	r.order = slices.Clone(keys)
	sort.Slice(r.order, func(i, j int) bool {
		a, b := r.order[i], r.order[j]
		if r.totals[a] != r.totals[b] {
			return r.totals[a] > r.totals[b]
		}
		return less(a, b)
	})
	for p := range r.order {
		r.tied = append(r.tied, p+1 < len(r.order) && r.totals[r.order[p]] == r.totals[r.order[p+1]])
	}
	return r
}

// bestPath is the strongest path from i to j through unvisited nodes,
// links by winning votes.
func bestPath(d [][]int64, i, j int, seen map[int]bool) int64 {
	var best int64
	for k := range d {
		if seen[k] || d[i][k] <= d[k][i] {
			continue
		}
		if k == j {
			best = max(best, d[i][k])
			continue
		}
		seen[k] = true
		best = max(best, min(d[i][k], bestPath(d, k, j, seen)))
		delete(seen, k)
	}
	return best
}

func count(t testing.TB, spec decisions.Spec, ballots []refBallot) decisions.Result {
	t.Helper()
	c := decisions.NewCounter(spec)
	for _, b := range ballots {
		marks, err := spec.Marks(b.choice)
		if err != nil {
			t.Fatalf("marks of %+v: %v", b.choice, err)
		}
		c.Add(marks, b.weight, b.weight-1)
	}
	return c.Result()
}

func randomSpec(rng *rand.Rand, m decisions.Method) decisions.Spec {
	n := 2 + rng.IntN(5)
	spec := decisions.Spec{VoteID: fmt.Sprint("vote", rng.IntN(1000)), Method: m, ScoreMin: -2, ScoreMax: 3, BudgetTotal: 100}
	for i := range n {
		spec.Options = append(spec.Options, decisions.Option{Key: fmt.Sprint("k", i), Label: "x", Cost: int64(10 + rng.IntN(60))})
	}
	return spec
}

func randomChoice(rng *rand.Rand, spec decisions.Spec) decisions.Choice {
	keys := make([]string, len(spec.Options))
	for i, o := range spec.Options {
		keys[i] = o.Key
	}
	rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	switch spec.Method {
	case decisions.Single:
		return decisions.Choice{Options: keys[:1]}
	case decisions.Approval:
		return decisions.Choice{Options: keys[:1+rng.IntN(len(keys))]}
	case decisions.Ranked:
		return decisions.Choice{Ranking: keys[:1+rng.IntN(len(keys))]}
	case decisions.Score:
		s := map[string]int{}
		for _, k := range keys[:1+rng.IntN(len(keys))] {
			s[k] = spec.ScoreMin + rng.IntN(spec.ScoreMax-spec.ScoreMin+1)
		}
		return decisions.Choice{Scores: s}
	}
	// Budget: projects in random order while they fit.
	var out []string
	var cost int64
	for _, k := range keys[:1+rng.IntN(len(keys))] {
		i := slices.IndexFunc(spec.Options, func(o decisions.Option) bool { return o.Key == k })
		if cost+spec.Options[i].Cost <= spec.BudgetTotal {
			out = append(out, k)
			cost += spec.Options[i].Cost
		}
	}
	return decisions.Choice{Options: out}
}

func TestMethodsAgainstReference(t *testing.T) {
	t.Parallel()
	for _, m := range decisions.Methods {
		t.Run(string(m), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(1, uint64(len(m))))
			for round := range 400 {
				spec := randomSpec(rng, m)
				var ballots []refBallot
				for range rng.IntN(40) {
					// Few voters and small weights make ties common.
					ballots = append(ballots, refBallot{randomChoice(rng, spec), 1 + int64(rng.IntN(3))})
				}
				got, want := count(t, spec, ballots), refCount(spec, ballots)
				gotTotals := totals(got)
				for _, o := range spec.Options {
					if gotTotals[o.Key] != want.totals[o.Key] {
						t.Fatalf("round %d: totals %v, want %v", round, gotTotals, want.totals)
					}
				}
				if !slices.Equal(got.Order, want.order) || !slices.Equal(got.Tied, want.tied) {
					t.Fatalf("round %d: order %v tied %v, want %v %v (ballots %+v)", round, got.Order, got.Tied, want.order, want.tied, ballots)
				}
				if m == decisions.Ranked && (!reflect.DeepEqual(got.Pairwise, want.pairwise) || !reflect.DeepEqual(got.Strongest, want.strongest)) {
					t.Fatalf("round %d: pairwise %v strongest %v, want %v %v", round, got.Pairwise, got.Strongest, want.pairwise, want.strongest)
				}
				var weight int64
				for _, b := range ballots {
					weight += b.weight
				}
				if got.Ballots != int64(len(ballots)) || got.Weight != weight || got.Delegated != weight-int64(len(ballots)) {
					t.Fatalf("round %d: ballots %d weight %d delegated %d", round, got.Ballots, got.Weight, got.Delegated)
				}
			}
		})
	}
}

// ballots repeats a ranking n times, as the paper's profiles are written.
func profile(rows ...any) []refBallot {
	var out []refBallot
	for i := 0; i < len(rows); i += 2 {
		var r []string
		for _, c := range rows[i+1].(string) {
			r = append(r, string(c))
		}
		out = append(out, refBallot{decisions.Choice{Ranking: r}, int64(rows[i].(int))})
	}
	return out
}

// TestSchulzePaper checks the examples of Markus Schulze's paper (2011,
// section 3): the winners it gives and, where it has one, the order.
func TestSchulzePaper(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		options string
		ballots []refBallot
		winners []string // the options nobody beats
		order   []string // the order where the paper gives it ("" to skip)
	}{
		{"example 1: 45 voters, 5 candidates", "ABCDE", profile(
			5, "ACBED", 5, "ADECB", 8, "BEDAC", 3, "CABED", 7, "CAEBD", 2, "CBADE", 7, "DCEBA", 8, "EBADC"),
			[]string{"E"}, []string{"E", "A", "C", "B", "D"}},
		{"example 2: 30 voters, 4 candidates", "ABCD", profile(
			5, "ACBD", 2, "ACDB", 3, "ADCB", 4, "BACD", 3, "CBDA", 3, "CDBA", 1, "DACB", 5, "DBAC", 4, "DCBA"),
			[]string{"D"}, []string{"D", "A", "C", "B"}},
		{"example 4: 9 voters, a tie between B and D", "ABCD", profile(
			3, "ABCD", 2, "DABC", 2, "DBCA", 2, "CBDA"),
			[]string{"B", "D"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spec := decisions.Spec{VoteID: "paper", Method: decisions.Ranked}
			for _, c := range tc.options {
				spec.Options = append(spec.Options, decisions.Option{Key: string(c), Label: string(c)})
			}
			got := count(t, spec, tc.ballots)
			var winners []string
			for i, o := range spec.Options {
				beaten := false
				for j := range spec.Options {
					if got.Strongest[j][i] > got.Strongest[i][j] {
						beaten = true
					}
				}
				if !beaten {
					winners = append(winners, o.Key)
				}
			}
			if !slices.Equal(winners, tc.winners) {
				t.Errorf("winners %v, want %v (strongest %v)", winners, tc.winners, got.Strongest)
			}
			if tc.order != nil {
				equalOrder(t, got.Order, tc.order)
				if slices.Contains(got.Tied, true) {
					t.Errorf("tied %v, want no tie", got.Tied)
				}
			}
			if len(tc.winners) > 1 && !got.Tied[0] {
				t.Errorf("the first place was decided by a tie and is not marked: %v", got.Tied)
			}
			if len(tc.winners) > 1 && !slices.Contains(tc.winners, got.Order[0]) {
				t.Errorf("winner %s is not one of %v", got.Order[0], tc.winners)
			}
		})
	}
}

func TestStatusQuo(t *testing.T) {
	t.Parallel()
	spec := decisions.Spec{VoteID: "sq", Method: decisions.Ranked, StatusQuo: "keep",
		Options: []decisions.Option{{Key: "keep"}, {Key: "trees"}, {Key: "parking"}}}
	got := count(t, spec, []refBallot{
		{rank("trees", "keep", "parking"), 6}, {rank("keep", "trees"), 3}, {rank("parking", "keep"), 2}})
	equalOrder(t, got.Order, []string{"trees", "keep", "parking"})
	if !slices.Equal(got.BeatStatusQuo, []string{"trees"}) {
		t.Errorf("beat the status quo: %v, want [trees]", got.BeatStatusQuo)
	}
}

func TestBudgetFunded(t *testing.T) {
	t.Parallel()
	spec := decisions.Spec{VoteID: "pb", Method: decisions.Budget, BudgetTotal: 100,
		Options: []decisions.Option{{Key: "park", Cost: 60}, {Key: "bikes", Cost: 50}, {Key: "library", Cost: 40}}}
	got := count(t, spec, []refBallot{{opts("park", "library"), 4}, {opts("bikes", "library"), 3}, {opts("bikes"), 2}})
	// library 7, bikes 5, park 4: library, then bikes (90); park no longer fits.
	if !slices.Equal(got.Funded, []string{"library", "bikes"}) {
		t.Errorf("funded %v", got.Funded)
	}
}

// The reference of delegation: each person's chain walked on its own.
func refResolve(next []int32, voted []bool) []int32 {
	out := make([]int32, len(next))
	for i := range next {
		seen := map[int32]bool{}
		cur := int32(i)
		for {
			if voted[cur] {
				out[i] = cur
				break
			}
			if seen[cur] {
				out[i] = decisions.InCycle
				break
			}
			seen[cur] = true
			if next[cur] < 0 {
				out[i] = decisions.NoVote
				break
			}
			cur = next[cur]
		}
	}
	return out
}

func TestResolveAgainstReference(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 16))
	for round := range 300 {
		n := 1 + rng.IntN(300)
		next := make([]int32, n)
		voted := make([]bool, n)
		for i := range next {
			next[i] = -1
			if rng.IntN(3) > 0 {
				next[i] = int32(rng.IntN(n))
			}
			voted[i] = rng.IntN(5) == 0
		}
		// A chain of depth 50 at the end, ending in a cycle, a voter or
		// nobody, and a short cycle at the start.
		if n > 120 {
			for i := n - 51; i < n-1; i++ {
				next[i], voted[i] = int32(i+1), false
			}
			switch round % 3 {
			case 0:
				next[n-1], voted[n-1] = int32(n-30), false
			case 1:
				voted[n-1] = true
			case 2:
				next[n-1], voted[n-1] = -1, false
			}
			next[0], next[1], next[2] = 1, 2, 0
			voted[0], voted[1], voted[2] = false, false, false
		}
		got := decisions.Graph{Next: next}.Resolve(voted)
		if want := refResolve(next, voted); !slices.Equal(got, want) {
			t.Fatalf("round %d: resolve\n got %v\nwant %v\nnext %v voted %v", round, got, want, next, voted)
		}
	}
}

// A count with delegation equals the count where every delegator whose
// chain reaches a ballot casts that same ballot themselves: random
// ballots, random delegation graphs with cycles and a chain of depth 50,
// every method.
func TestDelegatedCountAgainstReference(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 13))
	for round := range 120 {
		m := decisions.Methods[round%len(decisions.Methods)]
		spec := randomSpec(rng, m)
		n := 60 + rng.IntN(100)
		next := make([]int32, n)
		voted := make([]bool, n)
		choices := make([]decisions.Choice, n)
		for i := range n {
			next[i] = -1
			if rng.IntN(2) == 0 {
				next[i] = int32(rng.IntN(n))
			}
			if voted[i] = rng.IntN(4) == 0; voted[i] {
				choices[i] = randomChoice(rng, spec)
			}
		}
		for i := n - 52; i < n-1; i++ { // a chain of depth 50 into the last person
			next[i], voted[i] = int32(i+1), false
		}
		voted[n-1], choices[n-1] = true, randomChoice(rng, spec)
		to := decisions.Graph{Next: next}.Resolve(voted)
		c := decisions.NewCounter(spec)
		weight := make([]int64, n)
		var lost decisions.Lost
		for i, x := range to {
			switch {
			case x == decisions.NoVote && next[i] >= 0:
				lost.NoVote++
			case x == decisions.InCycle:
				lost.Cycle++
			case x >= 0 && int(x) != i:
				weight[x]++
			}
		}
		var ref []refBallot
		refTo := refResolve(next, voted)
		for i := range n {
			if voted[i] {
				marks, err := spec.Marks(choices[i])
				if err != nil {
					t.Fatal(err)
				}
				c.Add(marks, 1+weight[i], weight[i])
			}
			if x := refTo[i]; x >= 0 {
				ref = append(ref, refBallot{choices[x], 1}) // everyone casts their final ballot, weight 1
			}
		}
		c.Lose(lost)
		got, want := c.Result(), refCount(spec, ref)
		if !slices.Equal(got.Order, want.order) || !slices.Equal(got.Tied, want.tied) {
			t.Fatalf("round %d (%s): order %v %v, want %v %v", round, m, got.Order, got.Tied, want.order, want.tied)
		}
		for k, v := range totals(got) {
			if v != want.totals[k] && m != decisions.Ranked {
				t.Fatalf("round %d (%s): totals %v, want %v", round, m, totals(got), want.totals)
			}
		}
		if m == decisions.Ranked && !reflect.DeepEqual(got.Pairwise, want.pairwise) {
			t.Fatalf("round %d: pairwise %v, want %v", round, got.Pairwise, want.pairwise)
		}
		if got.Weight != int64(len(ref)) {
			t.Fatalf("round %d: weight %d, want %d", round, got.Weight, len(ref))
		}
	}
}

package decisions

// The Schulze method, as Markus Schulze describes it ("A new monotonic,
// clone-independent, reversal symmetric, and Condorcet-consistent
// single-winner election method", 2011): d[i][j] is the weight of
// ballots that prefer i to j; a path's strength is its weakest link,
// links measured by winning votes (d[i][j] when d[i][j] > d[j][i], else
// no link); p[i][j] is the strength of the strongest path from i to j;
// i is better than j when p[i][j] > p[j][i], a relation that is
// transitive (the paper's section 4.1).
//
// Ties: the complete order is built place by place. At each place, the
// options not yet placed that no other unplaced option beats are the
// candidates (there is always at least one, the relation being a strict
// partial order); the one first in the vote's tie order (Spec.TieOrder)
// takes the place. A place is marked tied when there was more than one
// candidate. This is the paper's idea of a tie-breaking ranking of the
// candidates (section 5), with the ranking drawn from the vote's id
// rather than from a random ballot, so anyone can repeat it.

// schulze returns the strongest path strengths of pairwise matrix d
// (Floyd–Warshall over widest paths, O(n³)).
func schulze(d [][]int64) [][]int64 {
	n := len(d)
	p := make([][]int64, n)
	for i := range p {
		p[i] = make([]int64, n)
		for j := range p[i] {
			if i != j && d[i][j] > d[j][i] {
				p[i][j] = d[i][j]
			}
		}
	}
	for k := 0; k < n; k++ {
		for i := 0; i < n; i++ {
			if i == k {
				continue
			}
			for j := 0; j < n; j++ {
				if j == i || j == k {
					continue
				}
				if w := min(p[i][k], p[k][j]); w > p[i][j] {
					p[i][j] = w
				}
			}
		}
	}
	return p
}

// schulzeOrder places the options best first; lot[i] is option i's
// place in the tie order.
func schulzeOrder(p [][]int64, lot []int) (order []int, tied []bool) {
	n := len(p)
	placed := make([]bool, n)
	for len(order) < n {
		best, candidates := -1, 0
		for i := 0; i < n; i++ {
			if placed[i] {
				continue
			}
			beaten := false
			for j := 0; j < n; j++ {
				if !placed[j] && j != i && p[j][i] > p[i][j] {
					beaten = true
					break
				}
			}
			if beaten {
				continue
			}
			candidates++
			if best < 0 || lot[i] < lot[best] {
				best = i
			}
		}
		placed[best] = true
		order = append(order, best)
		tied = append(tied, candidates > 1)
	}
	return order, tied
}

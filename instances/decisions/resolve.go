package decisions

// Delegations as a count reads them: each delegator has at most one
// delegate for a given vote (the most specific of their delegations,
// see Service.edges). Following the delegates from a delegator who did
// not vote, the first person met who voted directly carries the
// delegator's weight (a direct vote always overrides one's own
// delegation). A chain that ends with someone who neither voted nor
// delegated loses its weight (Lost.NoVote), as does one that goes round
// a cycle (Lost.Cycle).

// Graph is the delegations of one vote, on dense numbers: Next[i] is
// the delegate of person i, or -1.
type Graph struct {
	Next []int32
}

// Outcomes of following a chain that reaches no ballot (Resolve).
const (
	NoVote  int32 = -1 // it ends with someone who neither voted nor delegated
	InCycle int32 = -2 // it goes round a cycle
)

// Resolve follows every chain once. voted[i] says person i cast a
// ballot. It returns, for each person, the person whose ballot carries
// their weight (themselves if they voted, NoVote or InCycle if
// lost), in time linear in the number of people whatever the depth of
// the chains.
func (g Graph) Resolve(voted []bool) []int32 {
	n := len(g.Next)
	const unknown, visiting = -3, -4
	to := make([]int32, n)
	for i := range to {
		to[i] = unknown
	}
	path := make([]int32, 0, 64)
	for start := range n {
		if to[start] != unknown {
			continue
		}
		path = path[:0]
		i := int32(start)
		var end int32
		for {
			if voted[i] {
				end = i
				break
			}
			if to[i] == visiting {
				end = InCycle
				break
			}
			if to[i] != unknown {
				end = to[i]
				break
			}
			nx := g.Next[i]
			if nx < 0 {
				end = NoVote
				to[i] = NoVote
				break
			}
			to[i] = visiting
			path = append(path, i)
			i = nx
		}
		if voted[i] {
			to[i] = i
		}
		for _, p := range path {
			to[p] = end
		}
	}
	return to
}

package budgets

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
)

// heading is one heading's share of an Election, checked and indexed for
// the rules: its projects by local index, and its ballots restricted to
// those projects, identical ones merged into groups with summed weights.
type heading struct {
	id     string
	budget int64

	projects []hproject
	index    map[string]int32 // project id → local index

	groups    []group
	approvers [][]int32 // local project → groups that approve it
	votes     []int64   // local project → total weight approving it
	voters    int64     // total weight of the groups

	rank  []int32 // local project → position in the tie order (lower wins)
	order []int32 // local projects in greedy order

	entries int // Σ of the groups' sizes: what a run of Equal Shares costs
}

type hproject struct {
	id   string
	cost int64
}

// group is a set of identical ballots (restricted to one heading).
type group struct {
	projects []int32 // local indices, ascending
	weight   int64
}

// prepare checks e and splits it by heading. Every refusal wraps
// ErrInvalid and names what is wrong.
func prepare(e Election) ([]*heading, error) {
	if len(e.Headings) == 0 {
		return nil, fmt.Errorf("%w: no heading", ErrInvalid)
	}
	hs := make([]*heading, len(e.Headings))
	byID := make(map[string]int, len(e.Headings))
	for i, h := range e.Headings {
		switch {
		case h.ID == "":
			return nil, fmt.Errorf("%w: heading %d has no id", ErrInvalid, i+1)
		case h.Budget <= 0 || h.Budget > MaxAmount:
			return nil, fmt.Errorf("%w: heading %q: budget %d is not a positive amount of at most %d", ErrInvalid, h.ID, h.Budget, MaxAmount)
		}
		if _, dup := byID[h.ID]; dup {
			return nil, fmt.Errorf("%w: heading %q appears twice", ErrInvalid, h.ID)
		}
		byID[h.ID] = i
		hs[i] = &heading{id: h.ID, budget: h.Budget, index: map[string]int32{}}
	}

	// Project id → (heading, local index), packed for sorting ballots.
	where := make(map[string]uint64, len(e.Projects))
	for i, p := range e.Projects {
		hi, ok := byID[p.Heading]
		switch {
		case p.ID == "":
			return nil, fmt.Errorf("%w: project %d has no id", ErrInvalid, i+1)
		case !ok:
			return nil, fmt.Errorf("%w: project %q: heading %q is not a heading of this budget", ErrInvalid, p.ID, p.Heading)
		case p.Cost <= 0 || p.Cost > MaxAmount:
			return nil, fmt.Errorf("%w: project %q: cost %d is not a positive amount of at most %d", ErrInvalid, p.ID, p.Cost, MaxAmount)
		}
		if _, dup := where[p.ID]; dup {
			return nil, fmt.Errorf("%w: project %q appears twice", ErrInvalid, p.ID)
		}
		h := hs[hi]
		local := int32(len(h.projects))
		h.projects = append(h.projects, hproject{id: p.ID, cost: p.Cost})
		h.index[p.ID] = local
		where[p.ID] = uint64(hi)<<32 | uint64(local)
	}

	if err := setRanks(hs, e.TieOrder, where); err != nil {
		return nil, err
	}

	keys := make([]map[string]int32, len(hs))
	for i := range keys {
		keys[i] = map[string]int32{}
	}
	var (
		total int64
		buf   []uint64
		key   []byte
	)
	for bi, b := range e.Ballots {
		if b.Weight <= 0 || b.Weight > MaxWeight {
			return nil, fmt.Errorf("%w: ballot %d: weight %d is not between 1 and %d", ErrInvalid, bi+1, b.Weight, MaxWeight)
		}
		if total += b.Weight; total > MaxWeight {
			return nil, fmt.Errorf("%w: ballot %d: the ballots weigh more than %d in all", ErrInvalid, bi+1, MaxWeight)
		}
		buf = buf[:0]
		for _, id := range b.Projects {
			w, ok := where[id]
			if !ok {
				return nil, fmt.Errorf("%w: ballot %d: %q is not a project of this budget", ErrInvalid, bi+1, id)
			}
			buf = append(buf, w)
		}
		slices.Sort(buf)
		for i := 1; i < len(buf); i++ {
			if buf[i] == buf[i-1] {
				h := hs[buf[i]>>32]
				return nil, fmt.Errorf("%w: ballot %d: project %q appears twice", ErrInvalid, bi+1, h.projects[uint32(buf[i])].id)
			}
		}
		// One group per heading the ballot touches.
		for start := 0; start < len(buf); {
			hi := buf[start] >> 32
			end := start + 1
			for end < len(buf) && buf[end]>>32 == hi {
				end++
			}
			key = key[:0]
			for _, w := range buf[start:end] {
				key = binary.LittleEndian.AppendUint32(key, uint32(w))
			}
			h := hs[hi]
			if g, ok := keys[hi][string(key)]; ok {
				h.groups[g].weight += b.Weight
			} else {
				keys[hi][string(key)] = int32(len(h.groups))
				ps := make([]int32, end-start)
				for i, w := range buf[start:end] {
					ps[i] = int32(uint32(w))
				}
				h.groups = append(h.groups, group{projects: ps, weight: b.Weight})
			}
			start = end
		}
	}
	for _, h := range hs {
		h.build()
	}
	return hs, nil
}

// setRanks gives every project its position in the tie order: those in
// TieOrder first, in that order, then the others by id.
func setRanks(hs []*heading, tieOrder []string, where map[string]uint64) error {
	for _, h := range hs {
		h.rank = make([]int32, len(h.projects))
	}
	seen := make(map[string]bool, len(tieOrder))
	for i, id := range tieOrder {
		w, ok := where[id]
		switch {
		case !ok:
			return fmt.Errorf("%w: tie order: %q is not a project of this budget", ErrInvalid, id)
		case seen[id]:
			return fmt.Errorf("%w: tie order: project %q appears twice", ErrInvalid, id)
		}
		seen[id] = true
		hs[w>>32].rank[uint32(w)] = int32(i)
	}
	rest := make([]string, 0, len(where)-len(seen))
	for id := range where {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	for i, id := range rest {
		w := where[id]
		hs[w>>32].rank[uint32(w)] = int32(len(tieOrder) + i)
	}
	return nil
}

// build derives votes, approvers and the greedy order from the groups.
// Groups are sorted first so that nothing depends on the order of the
// ballots.
func (h *heading) build() {
	slices.SortFunc(h.groups, func(a, b group) int { return slices.Compare(a.projects, b.projects) })
	h.votes = make([]int64, len(h.projects))
	h.approvers = make([][]int32, len(h.projects))
	counts := make([]int32, len(h.projects))
	for _, g := range h.groups {
		h.voters += g.weight
		h.entries += len(g.projects)
		for _, p := range g.projects {
			h.votes[p] += g.weight
			counts[p]++
		}
	}
	for p := range h.approvers {
		h.approvers[p] = make([]int32, 0, counts[p])
	}
	for gi, g := range h.groups {
		for _, p := range g.projects {
			h.approvers[p] = append(h.approvers[p], int32(gi))
		}
	}
	h.order = make([]int32, len(h.projects))
	for i := range h.order {
		h.order[i] = int32(i)
	}
	slices.SortFunc(h.order, h.greedyCmp)
}

// greedyCmp orders projects for greedy: more votes first, then lower
// cost, then the tie order.
func (h *heading) greedyCmp(a, b int32) int {
	if c := cmp.Compare(h.votes[b], h.votes[a]); c != 0 {
		return c
	}
	if c := cmp.Compare(h.projects[a].cost, h.projects[b].cost); c != 0 {
		return c
	}
	return cmp.Compare(h.rank[a], h.rank[b])
}

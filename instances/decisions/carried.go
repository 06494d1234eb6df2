package decisions

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
)

// Carry is the weight a delegate carries in a vote: how many residents'
// chains end with them if they vote (numbers), and the handles of those
// among them who chose to be named.
type Carry struct {
	Weight int64
	Named  []string
}

// Carried says how much weight the resident carries in a vote, with the
// delegations as they stand now (as they stood at closing, after it),
// counting them as voting: what their ballot weighs, or would.
func (s *Service) Carried(ctx context.Context, actor accounts.Actor, voteID string) (*Carry, error) {
	who, err := s.person(ctx, actor)
	if err != nil {
		return nil, err
	}
	v, err := s.ByID(ctx, voteID)
	if err != nil {
		return nil, err
	}
	out := &Carry{}
	if !v.Delegation {
		return out, nil
	}
	at := v.snapshot(s.now())
	es, err := s.edges(ctx, s.db, v, at)
	if err != nil {
		return nil, err
	}
	ids := map[string]int32{}
	var names []string
	var g Graph
	intern := func(id string) int32 {
		i, ok := ids[id]
		if !ok {
			i = int32(len(ids))
			ids[id] = i
			names = append(names, id)
			g.Next = append(g.Next, -1)
		}
		return i
	}
	named := map[int32]bool{}
	for _, e := range es {
		from := intern(e.DelegatorID)
		g.Next[from] = intern(e.DelegateID)
		named[from] = e.Named
	}
	me, ok := ids[who.ID]
	if !ok {
		return out, nil
	}
	voted := make([]bool, len(g.Next))
	// Who in the graph voted, a thousand at a time (bound parameters).
	for lo := 0; lo < len(names); lo += 1000 {
		var got []string
		if err := s.db.NewSelect().Table("decision_ballots").Column("voter_id").
			Where("vote_id = ? AND voter_id IN (?)", v.ID, bun.In(names[lo:min(len(names), lo+1000)])).
			Scan(ctx, &got); err != nil {
			return nil, fmt.Errorf("read voters: %w", err)
		}
		for _, id := range got {
			voted[ids[id]] = true
		}
	}
	voted[me] = true
	var handles []string
	for i, x := range g.Resolve(voted) {
		if x == me && int32(i) != me {
			out.Weight++
			if named[int32(i)] {
				handles = append(handles, names[i])
			}
		}
	}
	for _, id := range handles {
		acc, err := s.accounts.ByID(ctx, id)
		if err != nil {
			return nil, err
		}
		out.Named = append(out.Named, acc.Handle)
	}
	return out, nil
}

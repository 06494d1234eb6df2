package decisions

import (
	"context"

	"agora/instances/decisions"
)

// opinionView is the fediverse's answers to a vote's poll, shown apart
// from the binding result: per option, how many remote accounts chose it.
type opinionView struct {
	Rows     []opinionRow
	Voters   int
	Multiple bool // the poll took several options (anyOf)
}

type opinionRow struct {
	Name  string
	Count int64
}

// opinion reads a vote's fediverse opinion.
func (s *surface) opinion(ctx context.Context, v *decisions.Vote) (*opinionView, error) {
	o, err := s.decisions.Opinion(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	d := &opinionView{Voters: int(o.Voters), Multiple: v.MultipleChoice()}
	for i, name := range decisions.PollNames(v) {
		d.Rows = append(d.Rows, opinionRow{Name: name, Count: o.Counts[i]})
	}
	return d, nil
}

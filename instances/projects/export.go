package projects

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"agora/instances/budgets"
	"agora/instances/decisions"
)

// PBFile builds the Pabulib file of one heading of an edition voted and
// counted on the node, from the heading's vote as published: META with
// the edition's rule, the heading's amount, the vote's window and its
// tie order (budgets.TieOrderKey); PROJECTS the projects on the ballot,
// project_id being the option key (the reference, or the id when the
// reference cannot be one), with their cost, votes and selected (funded
// by the edition's rule, as recorded by Count); VOTES the published
// ballots, voter_id being the receipt (a ballot of weight w, paper
// ballots entered as one, is w rows: the receipt, then receipt.2 to
// receipt.w), never an identity. budgets.ParsePB reads it back and
// counting it by its rule gives the recorded result.
//
// ErrNoVote for an edition not voted on the node, ErrVoteRunning before
// the count, ErrNotFound for an unknown heading.
func (s *Voting) PBFile(ctx context.Context, budgetID, heading string) (*budgets.PB, error) {
	b, err := s.projects.Budget(ctx, budgetID)
	if err != nil {
		return nil, err
	}
	hb, err := s.Ballot(ctx, budgetID, heading)
	if err != nil {
		return nil, err
	}
	if b.ResultsAt.IsZero() || hb.Vote.ClosedAt == nil {
		return nil, ErrVoteRunning
	}
	v := hb.Vote
	pb := &budgets.PB{
		Meta: budgets.Meta{Description: b.Title + " — " + hb.Heading.Name, Subunit: hb.Heading.Name,
			Instance: strconv.Itoa(v.ClosesAt.UTC().Year()), Budget: hb.Heading.Amount, VoteType: "approval",
			Rule:      map[budgets.Rule]string{budgets.Greedy: "greedy", budgets.EqualShares: "equalshares/add1"}[b.Rule],
			DateBegin: v.OpensAt.UTC().Format("02.01.2006"), DateEnd: v.ClosesAt.UTC().Format("02.01.2006"),
			MaxLength: v.MaxChoices, Currency: b.Currency},
		ProjectColumns: []string{"project_id", "cost", "votes", "selected", "name", "category"},
		VoteColumns:    []string{"voter_id", "vote"},
	}
	if pb.Meta.Rule == "" {
		pb.Meta.Rule = "greedy"
	}
	var order []string
	spec := v.Spec()
	for _, i := range spec.TieOrder() {
		order = append(order, v.Options[i].Key)
	}
	pb.Meta.Other = append(pb.Meta.Other, budgets.KeyValue{Key: budgets.TieOrderKey, Value: strings.Join(order, ",")})
	for i, o := range v.Options {
		p := hb.Projects[i]
		pb.Projects = append(pb.Projects, budgets.PBProject{ID: o.Key, Cost: p.Cost, Fields: map[string]string{
			"votes": strconv.FormatInt(p.Votes, 10), "selected": map[bool]string{true: "1", false: "0"}[p.Funded],
			"name": oneLine(p.Title), "category": oneLine(p.Theme)}})
	}
	err = s.decisions.EachPublished(ctx, v.ID, func(ballot decisions.PublishedBallot) error {
		if len(ballot.Choice.Options) == 0 {
			return nil // a blank ballot counts in turnout, not in a .pb file
		}
		vote := slices.Clone(ballot.Choice.Options)
		for n := int64(1); n <= ballot.Weight; n++ {
			id := ballot.Receipt
			if n > 1 {
				id += "." + strconv.FormatInt(n, 10)
			}
			pb.Votes = append(pb.Votes, budgets.PBVote{VoterID: id, Vote: vote, Fields: map[string]string{}})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the published ballots: %w", err)
	}
	pb.Meta.NumProjects, pb.Meta.NumVotes = len(pb.Projects), len(pb.Votes)
	return pb, nil
}

// oneLine keeps a title on one line of the file: the format has no line
// breaks in a field.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

package decisions

import (
	"context"
	"fmt"

	"agora/instances/accounts"
)

// Link is one step of a resident's chain: a person their vote went
// through.
type Link struct {
	Account *accounts.Account
	Voted   bool // this person cast a ballot: the chain ends here
}

// Chain is where a resident's vote went in a vote: straight to their own
// ballot, or along their delegates to the first who voted.
type Chain struct {
	Direct bool   // they voted themselves
	Links  []Link // the delegates met, in order
	// Final is the ballot cast for them by the last link, when that
	// delegate voted (delegates vote in public); nil otherwise.
	Final *Choice
	Lost  string // "", "no_vote" or "cycle"
}

// Chain follows the resident's delegations in a vote as a count would
// (as they stand now while it is open, as they stood at closing after).
func (s *Service) Chain(ctx context.Context, actor accounts.Actor, voteID string) (*Chain, error) {
	who, err := s.person(ctx, actor)
	if err != nil {
		return nil, err
	}
	v, err := s.ByID(ctx, voteID)
	if err != nil {
		return nil, err
	}
	at := v.snapshot(s.now())
	voted := func(id string) (string, bool, error) {
		var content string
		err := s.db.NewSelect().Table("decision_ballots").Column("content").Where("vote_id = ? AND voter_id = ?", v.ID, id).Scan(ctx, &content)
		if isNoRows(err) {
			return "", false, nil
		}
		return content, err == nil, err
	}
	out := &Chain{}
	if _, ok, err := voted(who.ID); err != nil {
		return nil, err
	} else if ok {
		out.Direct = true
		return out, nil
	}
	if !v.Delegation {
		out.Lost = "no_vote"
		return out, nil
	}
	seen := map[string]bool{who.ID: true}
	for cur := who.ID; ; {
		es, err := s.edges(ctx, s.db, v, at, cur)
		if err != nil {
			return nil, err
		}
		if len(es) == 0 {
			out.Lost = "no_vote"
			return out, nil
		}
		next := es[0].DelegateID
		if seen[next] {
			out.Lost = "cycle"
			return out, nil
		}
		seen[next] = true
		acc, err := s.accounts.ByID(ctx, next)
		if err != nil {
			return nil, fmt.Errorf("load delegate: %w", err)
		}
		content, ok, err := voted(next)
		if err != nil {
			return nil, err
		}
		out.Links = append(out.Links, Link{Account: acc, Voted: ok})
		if ok {
			spec := v.Spec()
			n := len(spec.Options)
			if spec.Method == Score {
				n = -1
			}
			marks, err := decode(content, nil, n)
			if err != nil {
				return nil, err
			}
			c := spec.Choice(marks)
			out.Final = &c
			return out, nil
		}
		cur = next
	}
}

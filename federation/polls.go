package federation

import (
	"context"
	"errors"
	"fmt"

	"agora/federation/as2"
	"agora/instances/decisions"
	"agora/instances/spaces"
)

// Votes as fediverse polls (docs/FEDERATION.md, "Vote: Question"): each
// vote is a Question of its space's Group, created and announced as the
// Group announces a budget step, updated as fediverse answers arrive
// (coalesced) and once more when the vote is counted. Answers are
// opinion: decisions.Service.AddAnswer keeps them apart from ballots.

// voteDoc renders a vote as its Question, with the fediverse's counts
// and, once counted, the binding result.
func (s *Service) voteDoc(ctx context.Context, r as2.Renderer, id string) (*as2.Doc, *spaces.Space, error) {
	if s.decisions == nil {
		return nil, nil, errGone
	}
	v, err := s.decisions.ByID(ctx, id)
	if errors.Is(err, decisions.ErrNotFound) {
		return nil, nil, errGone
	}
	if err != nil {
		return nil, nil, err
	}
	sp, err := s.spaces.ByID(ctx, v.SpaceID)
	if err != nil {
		return nil, nil, err
	}
	op, err := s.decisions.Opinion(ctx, v.ID)
	if err != nil {
		return nil, nil, err
	}
	in := as2.QuestionInput{Vote: v, Space: sp, Opinion: op}
	if v.ClosedAt != nil {
		if in.Tally, err = s.decisions.Results(ctx, v.ID); err != nil && !errors.Is(err, decisions.ErrStillOpen) {
			return nil, nil, err
		}
	}
	return r.VoteQuestion(in), sp, nil
}

// applyAnswer takes a reply to one of the node's votes: a poll answer
// (a Note with the name of an option and no content) is recorded as
// fediverse opinion; anything else is ignored (votes take no comments).
// A bad answer (unknown name, outside the window, a second option on a
// single-choice poll) is refused and changes nothing.
func (s *Service) applyAnswer(ctx context.Context, a *as2.Activity, sender, voteID string) (string, error) {
	if s.decisions == nil {
		return "ignored: the node runs no votes", nil
	}
	if a.Type != "Create" {
		return "ignored: " + a.Type + " of a poll answer", nil // answers are not edited
	}
	ans, ok, err := as2.ReadPollAnswer(a)
	if err != nil {
		return "", err
	}
	if !ok {
		return "ignored: a reply to a vote that is not a poll answer", nil
	}
	if ans.Actor != sender {
		return "", fmt.Errorf("%w: %s sent an answer of %s", ErrInvalid, sender, ans.Actor)
	}
	added, err := s.decisions.AddAnswer(ctx, decisions.Answer{VoteID: voteID, Actor: sender, Name: ans.Name, ActivityID: a.ID})
	for _, bad := range []error{decisions.ErrNotFound, decisions.ErrUnknownName, decisions.ErrAnswered, decisions.ErrAnswerActor,
		decisions.ErrNotOpen, decisions.ErrClosed} {
		if errors.Is(err, bad) {
			return "", fmt.Errorf("%w: poll answer: %w", ErrInvalid, err)
		}
	}
	if err != nil {
		return "", retry(err)
	}
	if !added {
		return "poll answer repeated: counted once", nil
	}
	return "poll answer to vote " + voteID, nil
}

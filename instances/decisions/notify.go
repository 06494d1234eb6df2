package decisions

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/notifications"
)

// What votes tell the followers of their space (see package
// notifications): that a vote opened, and that it closed with its
// result, each in the transaction that records it.

// AnnounceWithin is how far back AnnounceOpened looks: a vote that
// opened longer ago (before the node was upgraded, or while it was down
// for days) is not announced late.
const AnnounceWithin = 48 * time.Hour

// notifyClosed tells the space's followers that v closed, with the
// winning option's label when the vote reached its quorum.
func notifyClosed(ctx context.Context, tx bun.IDB, at time.Time, v *Vote, t *Tally) error {
	winner := ""
	if t != nil && t.Result.Quorate && len(t.Result.Order) > 0 && (len(t.Result.Tied) == 0 || !t.Result.Tied[0]) {
		if err := tx.NewSelect().Table("decision_options").Column("label").
			Where("vote_id = ? AND key = ?", v.ID, t.Result.Order[0]).Scan(ctx, &winner); err != nil {
			return fmt.Errorf("notify vote closed: winner: %w", err)
		}
	}
	return notifications.Record(ctx, tx, notifications.Event{Kind: notifications.VoteClosed,
		Subject: notifications.Target{Kind: notifications.Vote, ID: v.ID}, Title: v.Question, Detail: winner, At: at,
		Followers: []notifications.Target{{Kind: notifications.Space, ID: v.SpaceID}}})
}

// AnnounceOpened tells the followers of their space of every vote that
// opened within AnnounceWithin and was not announced yet, once whichever
// process runs it; it returns how many it announced. The node runs it
// with CloseDue.
func (s *Service) AnnounceOpened(ctx context.Context) (int, error) {
	now := s.now()
	var votes []Vote
	if err := s.db.NewSelect().Model(&votes).Column("id", "space_id", "question", "opens_at").
		Where("closed_at IS NULL AND opens_at <= ? AND opens_at > ? AND closes_at > ?", now, now.Add(-AnnounceWithin), now).
		Where(`NOT EXISTS (SELECT 1 FROM notification_once AS o WHERE o."key" = 'vote-open:' || v.id)`).
		Scan(ctx); err != nil {
		return 0, fmt.Errorf("list votes to announce: %w", err)
	}
	n := 0
	for _, v := range votes {
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			first, err := notifications.Once(ctx, tx, "vote-open:"+v.ID, now)
			if err != nil || !first {
				return err
			}
			n++
			return notifications.Record(ctx, tx, notifications.Event{Kind: notifications.VoteOpened,
				Subject: notifications.Target{Kind: notifications.Vote, ID: v.ID}, Title: v.Question, At: v.OpensAt,
				Followers: []notifications.Target{{Kind: notifications.Space, ID: v.SpaceID}}})
		})
		if err != nil {
			return n, fmt.Errorf("announce vote %s: %w", v.ID, err)
		}
	}
	return n, nil
}

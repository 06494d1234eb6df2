package spaces

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/notifications"
)

// AnnounceWithin is how far back AnnouncePhases looks: a phase that
// began longer ago (before the node was upgraded, or while it was down
// for days) is not announced late.
const AnnounceWithin = 48 * time.Hour

// AnnouncePhases tells the followers of a space that one of its phases
// began (proposals open, the vote, the follow-up...), once for each
// phase and start time whichever process runs it, in the transaction that
// records it; a phase whose dates an admin moves is announced again at
// its new start. The first phase of a space is announced too: its
// followers may have followed it before it opened. It returns how many it
// announced; the node runs it now and then (serve).
func (s *Service) AnnouncePhases(ctx context.Context) (int, error) {
	now := s.now()
	var due []struct {
		SpaceID  string    `bun:"space_id"`
		Position int       `bun:"position"`
		Kind     PhaseKind `bun:"kind"`
		Name     string    `bun:"name"`
		StartsAt time.Time `bun:"starts_at"`
		Title    string    `bun:"title"`
	}
	if err := s.db.NewSelect().TableExpr("space_phases AS ph").Join("JOIN spaces AS sp ON sp.id = ph.space_id").
		ColumnExpr("ph.space_id, ph.position, ph.kind, ph.name, ph.starts_at, sp.title").
		Where("ph.starts_at <= ? AND ph.starts_at > ? AND ph.ends_at > ?", now, now.Add(-AnnounceWithin), now).
		Order("ph.starts_at").Scan(ctx, &due); err != nil {
		return 0, fmt.Errorf("list phases to announce: %w", err)
	}
	keys := make([]string, len(due))
	for i, p := range due {
		keys[i] = "phase:" + p.SpaceID + ":" + strconv.Itoa(p.Position) + ":" + strconv.FormatInt(p.StartsAt.Unix(), 10)
	}
	var done []string
	if len(keys) > 0 {
		if err := s.db.NewSelect().Table("notification_once").Column("key").Where(`"key" IN (?)`, bun.In(keys)).
			Scan(ctx, &done); err != nil {
			return 0, fmt.Errorf("list announced phases: %w", err)
		}
	}
	n := 0
	for i, p := range due {
		key := keys[i]
		if slices.Contains(done, key) {
			continue
		}
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			first, err := notifications.Once(ctx, tx, key, now)
			if err != nil || !first {
				return err
			}
			n++
			return notifications.Record(ctx, tx, notifications.Event{Kind: notifications.PhaseStart,
				Subject: notifications.Target{Kind: notifications.Space, ID: p.SpaceID}, Title: p.Title, Detail: string(p.Kind),
				At: p.StartsAt, Followers: []notifications.Target{{Kind: notifications.Space, ID: p.SpaceID}}})
		})
		if err != nil {
			return n, fmt.Errorf("announce phase %s: %w", key, err)
		}
	}
	return n, nil
}

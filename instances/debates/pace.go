package debates

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/ratelimit"
)

// CommentLimits are how many comments and replies one author may write:
// enough for a resident taken by a lively debate (a reply every few
// seconds for a while), not for a script filling threads. They count the
// comments themselves, so a post refused for its content costs nothing
// and the windows slide; a comment an agent types at a desk counts for
// the resident it is by (its author), not for the agent.
var CommentLimits = []ratelimit.Rule{{Max: 10, Window: time.Minute}, {Max: 100, Window: 24 * time.Hour}}

// ErrRateLimited is a comment refused because its author wrote as many
// as CommentLimits allow; the error is a *RateLimitError that says how
// long to wait.
var ErrRateLimited = errors.New("too many comments in a short time")

// RateLimitError refuses an act for now; errors.Is(err, ErrRateLimited).
type RateLimitError struct {
	Wait time.Duration // until one more is allowed
}

func (e *RateLimitError) Error() string {
	return ErrRateLimited.Error() + ": wait " + strconv.Itoa(int(e.Wait.Round(time.Second)/time.Second)) + " s"
}

// Is makes errors.Is(err, ErrRateLimited) hold.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }

// WrittenSince returns when an account's comments written after since
// were created, newest first, at most n of them: what a limit on how fast
// one writes needs. A comment entered at a desk counts for the resident
// it is by (its author), not for the agent who typed it; a deleted
// comment that left its thread no longer counts.
func (s *Service) WrittenSince(ctx context.Context, accountID string, since time.Time, n int) ([]time.Time, error) {
	return writtenSince(ctx, s.db, accountID, since, n)
}

func writtenSince(ctx context.Context, db bun.IDB, accountID string, since time.Time, n int) ([]time.Time, error) {
	var out []time.Time
	err := db.NewSelect().Model((*Comment)(nil)).Column("c.created_at").
		Where("c.author_id = ? AND c.created_at > ?", accountID, since.UTC()).
		OrderExpr("c.created_at DESC").Limit(int64(n)).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("read recent comments: %w", err)
	}
	return out, nil
}

// paced checks, in the transaction that will write it, that authorID may
// write one more comment now. It first takes the author's comment lock
// (accounts.Serialize), so simultaneous posts are counted one after the
// other and exactly CommentLimits pass, on either database.
func (s *Service) paced(ctx context.Context, tx bun.IDB, authorID string) error {
	now := s.now()
	if err := accounts.Serialize(ctx, tx, authorID, accounts.PaceComment, now); err != nil {
		return err
	}
	longest := ratelimit.Longest(CommentLimits)
	written, err := writtenSince(ctx, tx, authorID, now.Add(-longest.Window), longest.Max)
	if err != nil {
		return err
	}
	if wait := ratelimit.Wait(written, CommentLimits, now); wait > 0 {
		return &RateLimitError{Wait: wait}
	}
	return nil
}

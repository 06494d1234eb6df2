package debates

import (
	"context"
	"fmt"
	"time"
)

// WrittenSince returns when an account's comments written after since
// were created, newest first, at most n of them: what a limit on how fast
// one writes needs. A comment entered at a desk counts for the resident
// it is by (its author), not for the agent who typed it; a deleted
// comment that left its thread no longer counts.
func (s *Service) WrittenSince(ctx context.Context, accountID string, since time.Time, n int) ([]time.Time, error) {
	var out []time.Time
	err := s.db.NewSelect().Model((*Comment)(nil)).Column("c.created_at").
		Where("c.author_id = ? AND c.created_at > ?", accountID, since.UTC()).
		OrderExpr("c.created_at DESC").Limit(int64(n)).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("read recent comments: %w", err)
	}
	return out, nil
}

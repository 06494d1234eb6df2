package debates

import (
	"context"
	"fmt"
)

// Latest returns the newest visible comments on a target (neither hidden
// nor deleted), replies included, newest first, at most n, with their
// local authors: what a feed of the target shows.
func (s *Service) Latest(ctx context.Context, t Target, n int) ([]*Comment, error) {
	if _, err := t.Kind.table(); err != nil {
		return nil, err
	}
	var rows []*Comment
	err := s.db.NewSelect().Model(&rows).Relation("Author").
		Where("c.target_kind = ? AND c.target_id = ?", t.Kind, t.ID).
		Where("c.hidden_at IS NULL AND c.deleted_at IS NULL").
		OrderExpr("c.created_at DESC, c.id DESC").Limit(int64(n)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load latest comments: %w", err)
	}
	for _, c := range rows {
		c.fix()
	}
	return rows, nil
}

package debates

import (
	"context"
	"fmt"
)

// MaxContributions is the most debates or comments DebatesByAuthor and
// CommentsByAuthor list.
const MaxContributions = 100

// DebatesByAuthor lists the debates an account opened that anyone may
// read (hidden ones left out), newest first, at most limit.
func (s *Service) DebatesByAuthor(ctx context.Context, accountID string, limit int) ([]Debate, error) {
	limit = min(max(limit, 1), MaxContributions)
	var out []Debate
	if err := s.db.NewSelect().Model(&out).Column("id", "space_id", "question", "state", "comment_count", "created_at").
		Where("author_id = ? AND hidden_at IS NULL", accountID).
		Order("created_at DESC", "id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("debates by author: %w", err)
	}
	return out, nil
}

// CommentsByAuthor lists the comments an account wrote that anyone may
// read: neither hidden nor deleted, on a proposal or debate that is not
// hidden; newest first, at most limit.
func (s *Service) CommentsByAuthor(ctx context.Context, accountID string, limit int) ([]*Comment, error) {
	limit = min(max(limit, 1), MaxContributions)
	var out []*Comment
	if err := s.db.NewSelect().Model(&out).
		Where("c.author_id = ? AND c.hidden_at IS NULL AND c.deleted_at IS NULL", accountID).
		Where("NOT EXISTS (SELECT 1 FROM proposals AS t WHERE c.target_kind = 'proposal' AND t.id = c.target_id AND t.hidden_at IS NOT NULL)").
		Where("NOT EXISTS (SELECT 1 FROM debates AS t WHERE c.target_kind = 'debate' AND t.id = c.target_id AND t.hidden_at IS NOT NULL)").
		Order("c.created_at DESC", "c.id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("comments by author: %w", err)
	}
	return out, nil
}

package proposals

import (
	"context"
	"fmt"
)

// MaxContributions is the most proposals ByAuthor and SupportedBy list.
const MaxContributions = 100

// ByAuthor lists the proposals an account wrote that anyone may read
// (hidden ones left out), newest first, at most limit (MaxContributions).
func (s *Service) ByAuthor(ctx context.Context, accountID string, limit int) ([]Proposal, error) {
	limit = min(max(limit, 1), MaxContributions)
	var out []Proposal
	if err := s.db.NewSelect().Model(&out).Column("p.id", "p.space_id", "p.title", "p.state", "p.support_count", "p.comment_count", "p.created_at").
		Where("p.author_id = ? AND p.hidden_at IS NULL", accountID).
		Order("p.created_at DESC", "p.id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("proposals by author: %w", err)
	}
	return out, nil
}

// SupportedBy lists the proposals an account supports that anyone may
// read, latest support first, at most limit (MaxContributions). Pages show
// it only for a resident who chose to (accounts.Account.ShowSupports).
func (s *Service) SupportedBy(ctx context.Context, accountID string, limit int) ([]Proposal, error) {
	limit = min(max(limit, 1), MaxContributions)
	var out []Proposal
	if err := s.db.NewSelect().Model(&out).Column("p.id", "p.space_id", "p.title", "p.state", "p.support_count", "p.comment_count", "p.created_at").
		Join("JOIN proposal_supports AS ps ON ps.proposal_id = p.id").
		Where("ps.account_id = ? AND p.hidden_at IS NULL", accountID).
		Order("ps.created_at DESC", "p.id DESC").Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("proposals supported: %w", err)
	}
	return out, nil
}

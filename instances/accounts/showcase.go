package accounts

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// SetShowSupports says whether the account's public profile lists the
// proposals it supports (no by default): the resident themselves, or an
// agent at a desk for them. It only matters while the profile is public.
func (s *Service) SetShowSupports(ctx context.Context, actor Actor, accountID string, show bool) error {
	defer s.sessions.forgetAccount(accountID) // once written: see sessionCache
	if err := s.mayActFor(ctx, actor, accountID); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Account)(nil)).Set("show_supports = ?", show).
			Where("id = ? AND deleted_at IS NULL", accountID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("show supports: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.audit(ctx, tx, actor, "account.show_supports", accountID, fmt.Sprintf("show=%t", show), "")
	})
}

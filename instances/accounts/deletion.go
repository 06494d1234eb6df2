package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// DeletionGrace is how long a resident has to change their mind after
// asking to delete their account. After it, the account is erased for
// good.
const DeletionGrace = 14 * 24 * time.Hour

// ErrNoDeletion means no deletion is pending.
var ErrNoDeletion = errors.New("no deletion is pending")

// RequestDeletion schedules the erasure of an account after DeletionGrace.
func (s *Service) RequestDeletion(ctx context.Context, actor Actor, accountID string) (time.Time, error) {
	defer s.sessions.forgetAccount(accountID) // once written: see sessionCache
	if err := s.mayActFor(ctx, actor, accountID); err != nil {
		return time.Time{}, err
	}
	now := s.now()
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Account)(nil)).Set("deletion_requested_at = ?", now).
			Where("id = ? AND deleted_at IS NULL AND deletion_requested_at IS NULL", accountID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("request deletion: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.audit(ctx, tx, actor, "account.delete_request", accountID, "", "")
	})
	return now.Add(DeletionGrace), err
}

// CancelDeletion keeps an account whose deletion is pending.
func (s *Service) CancelDeletion(ctx context.Context, actor Actor, accountID string) error {
	defer s.sessions.forgetAccount(accountID) // once written: see sessionCache
	if err := s.mayActFor(ctx, actor, accountID); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Account)(nil)).Set("deletion_requested_at = NULL").
			Where("id = ? AND deleted_at IS NULL AND deletion_requested_at IS NOT NULL", accountID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("cancel deletion: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNoDeletion
		}
		return s.audit(ctx, tx, actor, "account.delete_cancel", accountID, "", "")
	})
}

// EraseDue erases every account whose grace period is over and returns how
// many. The row stays, so contributions keep an author shown as "former
// participant"; everything personal goes: handle, name, passkeys,
// sessions, codes, residency, roles.
func (s *Service) EraseDue(ctx context.Context) (int, error) {
	var ids []string
	err := s.db.NewSelect().Model((*Account)(nil)).Column("id").
		Where("deleted_at IS NULL AND deletion_requested_at < ?", s.now().Add(-DeletionGrace)).Scan(ctx, &ids)
	if err != nil {
		return 0, fmt.Errorf("find accounts to erase: %w", err)
	}
	for _, id := range ids {
		if err := s.erase(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

func (s *Service) erase(ctx context.Context, id string) error {
	defer s.sessions.forgetAccount(id)
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, table := range []string{"passkeys", "sessions", "recovery_codes", "one_time_codes", "residencies", "account_roles",
			"follows", "notifications", "notification_email", "notification_fediverse"} {
			if _, err := tx.NewDelete().TableExpr(table).Where("account_id = ?", id).Exec(ctx); err != nil {
				return fmt.Errorf("erase %s: %w", table, err)
			}
		}
		if _, err := tx.NewUpdate().TableExpr("webauthn_challenges").Set("data = ''").Where("account_id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*Account)(nil)).
			Set("handle = ?", "deleted_"+id).Set("display_name = ''").Set("public = ?", false).Set("show_supports = ?", false).
			Set("webauthn_id = ?", randomBytes(32)).Set("deleted_at = ?", s.now()).
			Where("id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("erase account: %w", err)
		}
		return s.audit(ctx, tx, System, "account.erase", id, "", "")
	})
}

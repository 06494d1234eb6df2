package notifications

import (
	"context"
	"fmt"
)

// Follow makes a resident follow a target, or follow it again after
// they stopped.
func (s *Service) Follow(ctx context.Context, accountID string, t Target) error {
	if accountID == "" {
		return ErrSignIn
	}
	if err := s.exists(ctx, t); err != nil {
		return err
	}
	f := &follow{AccountID: accountID, TargetKind: t.Kind, TargetID: t.ID, CreatedAt: s.now()}
	if _, err := s.db.NewInsert().Model(f).
		On("CONFLICT (account_id, target_kind, target_id) DO UPDATE").Set("stopped_at = NULL").Exec(ctx); err != nil {
		return fmt.Errorf("follow %s %s: %w", t.Kind, t.ID, err)
	}
	return nil
}

// Unfollow stops a resident following a target; writing in its thread
// again will not start it again.
func (s *Service) Unfollow(ctx context.Context, accountID string, t Target) error {
	if accountID == "" {
		return ErrSignIn
	}
	if err := s.exists(ctx, t); err != nil {
		return err
	}
	now := s.now()
	f := &follow{AccountID: accountID, TargetKind: t.Kind, TargetID: t.ID, CreatedAt: now, StoppedAt: &now}
	if _, err := s.db.NewInsert().Model(f).
		On("CONFLICT (account_id, target_kind, target_id) DO UPDATE").Set("stopped_at = EXCLUDED.stopped_at").Exec(ctx); err != nil {
		return fmt.Errorf("unfollow %s %s: %w", t.Kind, t.ID, err)
	}
	return nil
}

// Following reports whether a resident follows a target now.
func (s *Service) Following(ctx context.Context, accountID string, t Target) (bool, error) {
	if accountID == "" {
		return false, nil
	}
	n, err := s.db.NewSelect().Model((*follow)(nil)).
		Where("account_id = ? AND target_kind = ? AND target_id = ? AND stopped_at IS NULL", accountID, t.Kind, t.ID).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("following %s %s: %w", t.Kind, t.ID, err)
	}
	return n > 0, nil
}

// exists checks that a target may be followed: it exists (a person: with
// a public profile).
func (s *Service) exists(ctx context.Context, t Target) error {
	table, _, err := t.Kind.table()
	if err != nil {
		return err
	}
	var id string
	q := s.db.NewSelect().Table(table).Column("id").Where("id = ?", t.ID)
	if t.Kind == Person { // only a public profile, of an account not erased
		q = q.Where("public AND deleted_at IS NULL")
	}
	if err := q.Scan(ctx, &id); err != nil {
		return notFound(err, fmt.Sprintf("%s %s", t.Kind, t.ID))
	}
	return nil
}

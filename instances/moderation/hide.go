package moderation

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/debates"
)

// Hide hides a proposal, debate or comment, for a reason shown in its
// place ("hidden by moderation: reason") and in the public log. A hidden
// comment no longer counts in its thread's comment count. The open
// reports on the item are answered by the decision: they are resolved
// with its reason, in the same transaction.
func (s *Service) Hide(ctx context.Context, actor accounts.Actor, t Target, why string) error {
	return s.setHidden(ctx, actor, t, why, true)
}

// Unhide shows a hidden item again, for a reason given in the public log.
func (s *Service) Unhide(ctx context.Context, actor accounts.Actor, t Target, why string) error {
	return s.setHidden(ctx, actor, t, why, false)
}

func (s *Service) setHidden(ctx context.Context, actor accounts.Actor, t Target, why string, hide bool) error {
	if err := moderator(actor); err != nil {
		return err
	}
	why, err := reason(why, ErrReason)
	if err != nil {
		return err
	}
	table, err := t.Kind.table()
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		it, err := locate(ctx, tx, t)
		if err != nil {
			return err
		}
		switch {
		case it.deleted:
			return fmt.Errorf("comment %s was deleted: %w", t.ID, ErrNotFound)
		case hide && it.HiddenAt != nil:
			return ErrHidden
		case !hide && it.HiddenAt == nil:
			return ErrNotHidden
		}
		q := tx.NewUpdate().Table(table).Where("id = ?", t.ID)
		action, delta := ActionHide, -1
		if hide {
			q = q.Set("hidden_at = ?", s.now()).Set("hidden_reason = ?", why)
		} else {
			q = q.Set("hidden_at = NULL").Set("hidden_reason = ''")
			action, delta = ActionUnhide, 1
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("%s %s: %w", action, t.Kind, err)
		}
		if t.Kind == TargetComment {
			if err := debates.AdjustCommentCount(ctx, tx, it.thread, delta); err != nil {
				return err
			}
		}
		if hide {
			if err := s.closeReports(ctx, tx, t, why); err != nil {
				return err
			}
		}
		if err := s.record(ctx, tx, actor, action, t, it.SpaceID, why, ""); err != nil {
			return err
		}
		return updated(ctx, tx, s.now(), t)
	})
}

// closeReports resolves, inside the caller's transaction, every open
// report on t with the reason of the decision that answers them. The
// decision's own entry in the public log stands for them.
func (s *Service) closeReports(ctx context.Context, tx bun.IDB, t Target, why string) error {
	if _, err := tx.NewUpdate().Table("reports").Set("resolved_at = ?", s.now()).Set("resolution = ?", why).
		Where("target_kind = ? AND target_id = ? AND resolved_at IS NULL", t.Kind, t.ID).Exec(ctx); err != nil {
		return fmt.Errorf("close the reports on %s %s: %w", t.Kind, t.ID, err)
	}
	return nil
}

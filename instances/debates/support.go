package debates

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
)

// commentSupport is one account's support of a comment, with the agent
// and the desk when an agent gave it for the resident present.
type commentSupport struct {
	bun.BaseModel `bun:"table:comment_supports"`

	CommentID string    `bun:"comment_id,pk"`
	AccountID string    `bun:"account_id,pk"`
	CreatedAt time.Time `bun:"created_at"`
	EnteredBy string    `bun:"entered_by,nullzero"`
	Desk      string    `bun:"desk"`
}

// Support adds a resident's support to a visible comment whose target
// still takes comments: the signed-in resident's, or the resident's
// present at an agent's desk. Any resident may support a comment, verified
// or not: it says "I agree" in a conversation, and counts towards nothing
// the city must act on. An account supports a comment once; supporting it
// again changes nothing.
func (s *Service) Support(ctx context.Context, actor accounts.Actor, commentID string) error {
	who, enteredBy, err := author(ctx, s.db, actor)
	if err != nil {
		return err
	}
	row := &commentSupport{CommentID: commentID, AccountID: who.ID, EnteredBy: enteredBy, CreatedAt: s.now()}
	if enteredBy != "" {
		row.Desk = actor.Desk
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := lockComment(ctx, tx, commentID)
		if err != nil {
			return err
		}
		switch {
		case c.Deleted():
			return fmt.Errorf("comment %s: %w", c.ID, ErrNotFound)
		case c.Hidden():
			return ErrHidden
		}
		if err := takesComments(ctx, tx, c.Target()); err != nil {
			return err
		}
		res, err := tx.NewInsert().Model(row).On("CONFLICT (comment_id, account_id) DO NOTHING").Exec(ctx)
		if err != nil {
			return fmt.Errorf("support comment: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("support comment: %w", err)
		}
		return addSupports(ctx, tx, c.ID, n)
	})
}

// Withdraw takes a resident's support back, theirs or, at a desk, the
// resident's present. It is always possible, and withdrawing a support
// never given changes nothing.
func (s *Service) Withdraw(ctx context.Context, actor accounts.Actor, commentID string) error {
	who, _, err := author(ctx, s.db, actor)
	if err != nil {
		return err
	}
	accountID := who.ID
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockComment(ctx, tx, commentID); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*commentSupport)(nil)).
			Where("comment_id = ? AND account_id = ?", commentID, accountID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("withdraw support: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return fmt.Errorf("withdraw support: %w", err)
		}
		return addSupports(ctx, tx, commentID, -n)
	})
}

// addSupports moves a comment's support_count by n.
func addSupports(ctx context.Context, tx bun.Tx, commentID string, n int64) error {
	if n == 0 {
		return nil
	}
	if _, err := tx.NewUpdate().Model((*Comment)(nil)).Set("support_count = support_count + ?", n).
		Where("id = ?", commentID).Exec(ctx); err != nil {
		return fmt.Errorf("count supports: %w", err)
	}
	return nil
}

// Supported returns which comments of a thread an account supports, for
// pages to show its own supports.
func (s *Service) Supported(ctx context.Context, accountID string, t Target) (map[string]bool, error) {
	var ids []string
	err := s.db.NewSelect().TableExpr("comment_supports AS cs").ColumnExpr("cs.comment_id").
		Join("JOIN comments AS c ON c.id = cs.comment_id").
		Where("cs.account_id = ? AND c.target_kind = ? AND c.target_id = ?", accountID, t.Kind, t.ID).
		Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("load supports: %w", err)
	}
	out := make(map[string]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

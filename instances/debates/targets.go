package debates

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// TakesComments returns nil when a target takes comments now, for pages
// to offer the form or say why not: ErrNotFound, ErrHidden (the target is
// hidden by moderation) or ErrClosed (a closed debate).
func (s *Service) TakesComments(ctx context.Context, t Target) error {
	return checkTarget(ctx, s.db, t, false)
}

// takesComments checks, and locks until the transaction ends, a target
// that is about to get or change a comment: it exists, is not hidden and,
// for a debate, is open.
func takesComments(ctx context.Context, tx bun.IDB, t Target) error {
	return checkTarget(ctx, tx, t, true)
}

func checkTarget(ctx context.Context, db bun.IDB, t Target, lock bool) error {
	table, err := t.Kind.table()
	if err != nil {
		return err
	}
	if t.Kind == TargetBudgetProject {
		return checkBudgetProject(ctx, db, t, lock)
	}
	var (
		state  string
		hidden *time.Time
	)
	q := db.NewSelect().Table(table).Column("state", "hidden_at").Where("id = ?", t.ID)
	if lock {
		q = forUpdate(q)
	}
	if err := q.Scan(ctx, &state, &hidden); err != nil {
		return notFound(err, fmt.Sprintf("load %s %s", t.Kind, t.ID))
	}
	switch {
	case hidden != nil:
		return fmt.Errorf("this %s is %w", t.Kind, ErrHidden)
	case t.Kind == TargetDebate && state != string(DebateOpen):
		return ErrClosed
	}
	return nil
}

// checkBudgetProject: a budget project takes comments once funded (its
// follow-up is what residents talk about); projects are not hidden by
// moderators, their comments are.
func checkBudgetProject(ctx context.Context, db bun.IDB, t Target, lock bool) error {
	var funded bool
	q := db.NewSelect().Table("budget_projects").Column("funded").Where("id = ?", t.ID)
	if lock {
		q = forUpdate(q)
	}
	if err := q.Scan(ctx, &funded); err != nil {
		return notFound(err, fmt.Sprintf("load %s %s", t.Kind, t.ID))
	}
	if !funded {
		return fmt.Errorf("%w: this project was not funded", ErrTarget)
	}
	return nil
}

// TargetTitle names what a thread is on when the pages that show it do
// not (a budget project's title); proposals and debates are named by
// their own services.
func (s *Service) TargetTitle(ctx context.Context, t Target) (string, error) {
	if t.Kind != TargetBudgetProject {
		return "", fmt.Errorf("%w: %q", ErrTarget, t.Kind)
	}
	var title string
	if err := s.db.NewSelect().Table("budget_projects").Column("title").Where("id = ?", t.ID).Scan(ctx, &title); err != nil {
		return "", notFound(err, fmt.Sprintf("load %s %s", t.Kind, t.ID))
	}
	return title, nil
}

// AdjustCommentCount moves a target's comment_count, the number of its
// visible comments, by delta inside the caller's transaction. This
// package calls it when a comment is written or deleted; package
// moderation when one is hidden or shown again.
func AdjustCommentCount(ctx context.Context, tx bun.IDB, t Target, delta int) error {
	table, err := t.Kind.table()
	if err != nil {
		return err
	}
	res, err := tx.NewUpdate().Table(table).Set("comment_count = comment_count + ?", delta).
		Where("id = ?", t.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("count comments of %s %s: %w", t.Kind, t.ID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fmt.Errorf("count comments of %s %s: %w", t.Kind, t.ID, ErrNotFound)
	}
	return nil
}

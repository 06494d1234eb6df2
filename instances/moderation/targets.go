package moderation

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/debates"
)

// item is a reported or moderated item, as moderation needs it.
type item struct {
	Target
	SpaceID  string
	HiddenAt *time.Time
	AuthorID string // "" for a fediverse author

	// For a comment: what it is on, and whether it was deleted (kept,
	// empty, to hold its replies in place).
	thread  debates.Target
	deleted bool
}

// locate loads an item, locked until the transaction ends, with the space
// it belongs to.
func locate(ctx context.Context, tx bun.IDB, t Target) (*item, error) {
	table, err := t.Kind.table()
	if err != nil {
		return nil, err
	}
	it := &item{Target: t}
	if t.Kind == TargetComment {
		c := new(debates.Comment)
		q := tx.NewSelect().Model(c).Column("target_kind", "target_id", "author_id", "hidden_at", "deleted_at").Where("id = ?", t.ID)
		if err := forUpdate(q).Scan(ctx); err != nil {
			return nil, notFound(err, "load comment "+t.ID)
		}
		it.HiddenAt, it.thread, it.deleted, it.AuthorID = c.HiddenAt, c.Target(), c.Deleted(), c.AuthorID
		// The thread's space; the thread itself is locked later, when its
		// comment count moves.
		q = tx.NewSelect().Column("space_id").Where("id = ?", c.TargetID)
		if c.TargetKind == debates.TargetBudgetProject { // a project's space is its edition's
			q = tx.NewSelect().TableExpr("budget_projects AS p").ColumnExpr("b.space_id").
				Join("JOIN budgets AS b ON b.id = p.budget_id").Where("p.id = ?", c.TargetID)
		} else {
			threadTable, err := TargetKind(c.TargetKind).table()
			if err != nil {
				return nil, err
			}
			q = q.Table(threadTable)
		}
		if err := q.Scan(ctx, &it.SpaceID); err != nil {
			return nil, notFound(err, fmt.Sprintf("load %s %s", c.TargetKind, c.TargetID))
		}
		return it, nil
	}
	q := tx.NewSelect().Table(table).Column("space_id", "hidden_at").ColumnExpr("COALESCE(author_id, '')").Where("id = ?", t.ID)
	if err := forUpdate(q).Scan(ctx, &it.SpaceID, &it.HiddenAt, &it.AuthorID); err != nil {
		return nil, notFound(err, fmt.Sprintf("load %s %s", t.Kind, t.ID))
	}
	return it, nil
}

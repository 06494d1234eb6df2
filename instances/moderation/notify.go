package moderation

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/notifications"
)

// notifyAuthor tells the local author of a moderated item what was done
// to it and why, in the transaction of the act (see package
// notifications). Moderators are not named, as in the public log.
// Resolving a report changes nothing of the item and tells no author.
func notifyAuthor(ctx context.Context, tx bun.IDB, at time.Time, action Action, t Target, why string) error {
	if action == ActionResolve {
		return nil
	}
	table, err := t.Kind.table()
	if err != nil {
		return err
	}
	var row struct {
		AuthorID   *string `bun:"author_id"`
		TargetKind string  `bun:"target_kind"`
		TargetID   string  `bun:"target_id"`
	}
	q := tx.NewSelect().Table(table).Column("author_id").Where("id = ?", t.ID)
	if t.Kind == TargetComment {
		q = q.Column("target_kind", "target_id")
	}
	if err := q.Scan(ctx, &row); err != nil {
		return notFound(err, fmt.Sprintf("load author of %s %s", t.Kind, t.ID))
	}
	if row.AuthorID == nil || *row.AuthorID == "" {
		return nil // a fediverse author: told nothing here
	}
	e := notifications.Event{Kind: notifications.Kind(string(notifications.Moderated) + "." + string(action)),
		Detail: why, At: at, To: []string{*row.AuthorID}}
	switch t.Kind {
	case TargetComment:
		e.Subject, e.CommentID = notifications.Target{Kind: notifications.TargetKind(row.TargetKind), ID: row.TargetID}, t.ID
	default:
		e.Subject = notifications.Target{Kind: notifications.TargetKind(t.Kind), ID: t.ID}
	}
	return notifications.Record(ctx, tx, e)
}

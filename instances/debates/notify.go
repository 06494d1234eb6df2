package debates

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/notifications"
)

// What debates and comments tell residents, written in the transaction
// of the change (see package notifications).

// followTarget is what a comment's target is followed as.
func followTarget(t Target) notifications.Target {
	switch t.Kind {
	case TargetDebate:
		return notifications.Target{Kind: notifications.Debate, ID: t.ID}
	case TargetBudgetProject:
		return notifications.Target{Kind: notifications.BudgetProject, ID: t.ID}
	}
	return notifications.Target{Kind: notifications.Proposal, ID: t.ID}
}

// notifyDebateOpened: its author follows the debate, the author's and
// the space's followers hear of it, and a resident for whom an agent opened it at a
// desk is told.
func notifyDebateOpened(ctx context.Context, tx bun.IDB, at time.Time, d *Debate) error {
	t := notifications.Target{Kind: notifications.Debate, ID: d.ID}
	if err := notifications.Follow(ctx, tx, at, d.AuthorID, t); err != nil {
		return err
	}
	// The author's followers first, then the space's: one event, so a
	// person following both hears of it once, as a follower of the author.
	event := notifications.NewEventID()
	if err := notifications.Record(ctx, tx, notifications.Event{Kind: notifications.DebateBy, EventID: event, Subject: t, Title: d.Question,
		ActorID: d.AuthorID, At: at, Followers: []notifications.Target{{Kind: notifications.Person, ID: d.AuthorID}}}); err != nil {
		return err
	}
	if err := notifications.Record(ctx, tx, notifications.Event{Kind: notifications.NewDebate, EventID: event, Subject: t, Title: d.Question,
		ActorID: d.AuthorID, At: at, Followers: []notifications.Target{{Kind: notifications.Space, ID: d.SpaceID}}}); err != nil {
		return err
	}
	if err := notifications.Record(ctx, tx, notifications.Event{Kind: notifications.Mention, Subject: t, Title: d.Question,
		ActorID: d.AuthorID, At: at, Handles: notifications.Mentions(d.Question + "\n" + d.Description)}); err != nil {
		return err
	}
	if d.EnteredBy == "" {
		return nil
	}
	return notifications.Record(ctx, tx, notifications.Event{Kind: notifications.DeskAct, Subject: t, Title: d.Question,
		Detail: "notify.desk.debate_opened", ActorID: d.EnteredBy, At: at, To: []string{d.AuthorID}})
}

// notifyDebateClosed tells a debate's followers it closed.
func notifyDebateClosed(ctx context.Context, tx bun.IDB, at time.Time, d *Debate, actorID string) error {
	t := notifications.Target{Kind: notifications.Debate, ID: d.ID}
	return notifications.Record(ctx, tx, notifications.Event{Kind: notifications.StateChange, Subject: t, Title: d.Question,
		Detail: string(DebateClosed), ActorID: actorID, At: at, Followers: []notifications.Target{t}})
}

// notifyCommented: a local author follows the thread they wrote in; the
// author of the comment replied to hears of the reply (from this node or
// the fediverse), the residents named by @handle of the mention, and a
// resident for whom an agent wrote it at a desk is told.
func notifyCommented(ctx context.Context, tx bun.IDB, at time.Time, c *Comment, parent *Comment) error {
	t := followTarget(c.Target())
	if err := notifications.Follow(ctx, tx, at, c.AuthorID, t); err != nil {
		return err
	}
	if parent != nil && parent.AuthorID != "" {
		if err := notifications.Record(ctx, tx, notifications.Event{Kind: notifications.Reply, Subject: t, CommentID: c.ID,
			ActorID: c.AuthorID, At: at, To: []string{parent.AuthorID}}); err != nil {
			return err
		}
	}
	if c.Remote() {
		return nil
	}
	if err := notifications.Record(ctx, tx, notifications.Event{Kind: notifications.Mention, Subject: t, CommentID: c.ID,
		ActorID: c.AuthorID, At: at, Handles: notifications.Mentions(c.Body)}); err != nil {
		return err
	}
	if c.EnteredBy == "" {
		return nil
	}
	return notifications.Record(ctx, tx, notifications.Event{Kind: notifications.DeskAct, Subject: t, CommentID: c.ID,
		Detail: "notify.desk.commented", ActorID: c.EnteredBy, At: at, To: []string{c.AuthorID}})
}

package proposals

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/notifications"
)

// What proposals tell residents, written in the transaction of the
// change (see package notifications).

// notifyCreated: the author follows their proposal; the author's and the
// space's followers hear of it, the residents it names by @handle too; and a
// resident for whom an agent wrote it at a desk is told.
func notifyCreated(ctx context.Context, tx bun.IDB, at time.Time, actor accounts.Actor, p *Proposal) error {
	t := notifications.Target{Kind: notifications.Proposal, ID: p.ID}
	if err := notifications.Follow(ctx, tx, at, p.AuthorID, t); err != nil {
		return err
	}
	// The author's followers first, then the space's: one event, so a
	// person following both hears of it once, as a follower of the author.
	event := notifications.NewEventID()
	if err := notifications.Record(ctx, tx, notifications.Event{Kind: notifications.ProposalBy, EventID: event, Subject: t, Title: p.Title,
		ActorID: p.AuthorID, At: at, Followers: []notifications.Target{{Kind: notifications.Person, ID: p.AuthorID}}}); err != nil {
		return err
	}
	if err := notifications.Record(ctx, tx, notifications.Event{Kind: notifications.NewProposal, EventID: event, Subject: t, Title: p.Title,
		ActorID: p.AuthorID, At: at, Followers: []notifications.Target{{Kind: notifications.Space, ID: p.SpaceID}}}); err != nil {
		return err
	}
	if err := notifications.Record(ctx, tx, notifications.Event{Kind: notifications.Mention, Subject: t, Title: p.Title,
		ActorID: p.AuthorID, At: at, Handles: notifications.Mentions(p.Body)}); err != nil {
		return err
	}
	return notifyDesk(ctx, tx, at, actor, p, "notify.desk.proposal_created")
}

// notifyDesk tells a resident that an agent acted for them at a desk:
// always, whatever they follow.
func notifyDesk(ctx context.Context, tx bun.IDB, at time.Time, actor accounts.Actor, p *Proposal, what string) error {
	if actor.OnBehalfOf == nil || actor.Account == nil {
		return nil
	}
	return notifications.Record(ctx, tx, notifications.Event{Kind: notifications.DeskAct,
		Subject: notifications.Target{Kind: notifications.Proposal, ID: p.ID}, Title: p.Title, Detail: what,
		ActorID: actor.Account.ID, At: at, To: []string{actor.OnBehalfOf.ID}})
}

// notifyMoved tells a proposal's followers that it changed state, with
// an official answer or not.
func notifyMoved(ctx context.Context, tx bun.IDB, at time.Time, e *Event, p *Proposal) error {
	kind := notifications.StateChange
	if e.Kind == "answer" {
		kind = notifications.Answered
	}
	return notifications.Record(ctx, tx, notifications.Event{Kind: kind,
		Subject: notifications.Target{Kind: notifications.Proposal, ID: p.ID}, Title: p.Title, Detail: string(e.ToState),
		ActorID: e.ActorID, At: at, Followers: []notifications.Target{{Kind: notifications.Proposal, ID: p.ID}}})
}

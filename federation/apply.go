package federation

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/federation/as2"
	"agora/instances/debates"
	"agora/instances/moderation"
)

// follower is a remote actor following one of the node's actors.
type follower struct {
	bun.BaseModel `bun:"table:ap_followers"`
	Actor         string    `bun:"actor,pk"` // the local actor's id
	Follower      string    `bun:"follower,pk"`
	Inbox         string    `bun:"inbox"`
	FollowID      string    `bun:"follow_id"`
	CreatedAt     time.Time `bun:"created_at"`
}

// reaction is a fediverse Like or Announce of a local object: shown apart
// as opinion, never counted as a support.
type reaction struct {
	bun.BaseModel `bun:"table:ap_reactions"`
	ActivityID    string    `bun:"activity_id,pk"`
	Actor         string    `bun:"actor"`
	Kind          string    `bun:"kind"`
	ObjectType    string    `bun:"object_type"`
	ObjectID      string    `bun:"object_id"`
	CreatedAt     time.Time `bun:"created_at"`
}

// local is what an IRI names on this node: kind is "proposal", "debate",
// "comment", "space", "person" or "instance", with its id (a slug or
// handle for actors); ok is false for anything else.
func (s *Service) local(iri string) (kind, id string, ok bool) {
	u, err := url.Parse(iri)
	if err != nil || u.Host != s.cfg.BaseURL.Host || u.Fragment != "" && u.Fragment != "main-key" {
		return "", "", false
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	switch {
	case len(parts) == 1 && parts[0] == "actor":
		return "instance", "", true
	case len(parts) == 1 && parts[0] == "apps":
		return "catalogue", "", true
	case len(parts) == 3 && parts[0] == "reports" && parts[1] == "categories":
		return "reportcategory", parts[2], true
	case len(parts) == 2:
		switch parts[0] {
		case "proposals":
			return "proposal", parts[1], true
		case "debates":
			return "debate", parts[1], true
		case "comments":
			return "comment", parts[1], true
		case "spaces":
			return "space", parts[1], true
		case "people":
			return "person", parts[1], true
		case "apps":
			return "app", parts[1], true
		case "votes":
			return "vote", parts[1], true
		}
	}
	return "", "", false
}

// apply carries out an activity and says what it did, in a few words.
func (s *Service) apply(ctx context.Context, a *as2.Activity) (string, error) {
	sev, err := s.severity(ctx, hostOf(a.Actor))
	if err != nil {
		return "", retry(err)
	}
	if sev == Suspend {
		return "ignored: host suspended", nil
	}
	silenced := sev == Silence
	switch a.Type {
	case "Follow":
		return s.applyFollow(ctx, a)
	case "Undo":
		if silenced && a.Inner != nil && a.Inner.Type == "Delete" {
			return "ignored: host silenced", nil // a restore shows content again
		}
		return s.applyUndo(ctx, a)
	case "Accept", "Reject":
		return s.applyFollowAnswer(ctx, a)
	case "Update":
		if a.ObjectID == a.Actor {
			// A profile changed (name, key, inboxes): read it again.
			if _, err := s.remoteActor(ctx, a.Actor, true); err != nil {
				return "", retry(err)
			}
			return "actor refreshed", nil
		}
		if silenced {
			return "ignored: host silenced", nil
		}
		return s.applyObject(ctx, a, a.Actor)
	case "Create":
		if silenced {
			return "ignored: host silenced", nil
		}
		return s.applyObject(ctx, a, a.Actor)
	case "Delete":
		return s.applyDelete(ctx, a.Actor, a.ObjectID)
	case "Announce":
		if silenced {
			return "ignored: host silenced", nil
		}
		return s.applyAnnounce(ctx, a)
	case "Add":
		if silenced {
			return "ignored: host silenced", nil
		}
		return s.applyAdoption(ctx, a)
	case "Remove":
		// A withdrawal takes away what the host added: accepted from a
		// silenced host too, as its undos and deletes are.
		return s.applyUnadoption(ctx, a)
	case "Like", "EmojiReact":
		if silenced {
			return "ignored: host silenced", nil
		}
		return s.react(ctx, a, "like")
	case "Flag":
		if silenced {
			return "ignored: host silenced", nil
		}
		return s.applyFlag(ctx, a)
	}
	return "ignored: " + a.Type, nil
}

// applyFollow accepts a follow of a space's Group, a public person or the
// instance actor, at once, and sends the Accept back.
func (s *Service) applyFollow(ctx context.Context, a *as2.Activity) (string, error) {
	target := a.ObjectID
	kind, id, ok := s.local(target)
	// The instance actor only signs the node's fetches and follows: it
	// takes no followers (manuallyApprovesFollowers, never approved).
	if !ok || (kind != "space" && kind != "person" && kind != "catalogue" && kind != "reportcategory") {
		return "", fmt.Errorf("%w: cannot follow %s", ErrInvalid, target)
	}
	exists, err := s.actorExists(ctx, kind, id)
	if err != nil {
		return "", retry(err)
	}
	if !exists {
		return "", fmt.Errorf("%w: no actor %s", ErrInvalid, target)
	}
	remote, err := s.remoteActor(ctx, a.Actor, false)
	if err != nil {
		return "", retry(err)
	}
	f := &follower{Actor: target, Follower: remote.ID, Inbox: remote.DeliverTo(), FollowID: a.ID, CreatedAt: s.now()}
	return "followed " + target, s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(f).On("CONFLICT (actor, follower) DO UPDATE").
			Set("inbox = EXCLUDED.inbox, follow_id = EXCLUDED.follow_id").Exec(ctx); err != nil {
			return retry(err)
		}
		follow := as2.Follow(a.ID, a.Actor, target)
		accept := as2.Accept(s.ids.Activity(newActivityID()), target, follow, []string{a.Actor})
		return s.deliverTx(ctx, tx, target, accept, []string{remote.Inbox})
	})
}

// applyUndo undoes a follow, a like or an announce.
func (s *Service) applyUndo(ctx context.Context, a *as2.Activity) (string, error) {
	inner := a.Inner
	innerID := a.ObjectID
	if inner != nil && inner.Actor != a.Actor {
		return "", fmt.Errorf("%w: undo of another actor's activity", ErrInvalid)
	}
	if inner != nil && inner.Type == "Delete" {
		return s.restore(ctx, inner.ObjectID, a.Actor)
	}
	if inner != nil && inner.Type == "Follow" {
		_, err := s.db.NewDelete().Model((*follower)(nil)).Where("follower = ? AND actor = ?", a.Actor, inner.ObjectID).Exec(ctx)
		if err != nil {
			return "", retry(err)
		}
		return "unfollowed " + inner.ObjectID, nil
	}
	// By id: a follow, like or announce this actor sent.
	res, err := s.db.NewDelete().Model((*follower)(nil)).Where("follower = ? AND follow_id = ?", a.Actor, innerID).Exec(ctx)
	if err != nil {
		return "", retry(err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return "unfollowed", nil
	}
	res, err = s.db.NewDelete().Model((*reaction)(nil)).Where("actor = ? AND activity_id = ?", a.Actor, innerID).Exec(ctx)
	if err != nil {
		return "", retry(err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return "reaction withdrawn", nil
	}
	return "ignored: nothing to undo", nil
}

// applyObject takes a created or updated object: a reply to something of
// this node becomes (or edits) a remote comment; a Page or Note from a
// space this node follows is kept for "Other cities".
func (s *Service) applyObject(ctx context.Context, a *as2.Activity, sender string) (string, error) {
	o := a.Object
	if o == nil {
		return "ignored: object not inline", nil
	}
	followed := s.followsGroup(ctx, sender)
	if o.AttributedTo != "" && !sameHost(o.AttributedTo, o.ID) || !sameHost(o.ID, sender) && !followed {
		return "", fmt.Errorf("%w: object %s is not from its sender's host", ErrInvalid, o.ID)
	}
	switch {
	case followed:
		return s.mirror(ctx, a.Type, sender, sender, o, objectMap(a.Raw))
	case s.followsGroup(ctx, o.Audience):
		return s.mirror(ctx, a.Type, o.Audience, sender, o, objectMap(a.Raw))
	}
	if kind, id, ok := s.local(o.InReplyTo); ok && kind == "vote" {
		return s.applyAnswer(ctx, a, sender, id) // polls.go
	}
	if o.Type != "Note" && o.Type != "Page" && o.Type != "Article" {
		return "ignored: " + o.Type, nil
	}
	author := o.AttributedTo
	if author == "" {
		author = sender
	}
	if author != sender {
		// Only its author creates or edits a comment: nobody writes in
		// another's name.
		return "", fmt.Errorf("%w: %s sent an object attributed to %s", ErrInvalid, sender, author)
	}
	if a.Type == "Update" {
		if _, err := s.debates.EditRemote(ctx, o.ID, author, o.Content); err != nil {
			if errors.Is(err, debates.ErrNotFound) {
				return "ignored: update of an unknown object", nil
			}
			return "", err
		}
		return "comment edited", nil
	}
	in := debates.RemoteComment{APID: o.ID, Actor: author, URL: o.URL, Content: o.Content}
	kind, id, ok := s.local(o.InReplyTo)
	switch {
	case ok && kind == "proposal":
		in.Target = debates.Target{Kind: debates.TargetProposal, ID: id}
	case ok && kind == "debate":
		in.Target = debates.Target{Kind: debates.TargetDebate, ID: id}
	case ok && kind == "comment":
		in.ParentID = id
	default:
		// A reply to a remote comment on one of ours: attach it under that
		// comment when we have it.
		parent, err := s.debates.CommentByAPID(ctx, o.InReplyTo)
		if err != nil {
			return "ignored: not a reply to this node", nil
		}
		in.ParentID = parent.ID
	}
	if ra, err := s.remoteActor(ctx, author, false); err == nil {
		in.Name = ra.Name
		if in.Name == "" {
			in.Name = ra.PreferredUsername
		}
	} else {
		return "", retry(err)
	}
	c, err := s.debates.AddRemote(ctx, in)
	if err != nil {
		return "", err
	}
	return "comment " + c.ID, nil
}

// applyDelete removes what the actor deleted: a remote comment, an object
// of a followed space, or the actor itself (its follows go).
func (s *Service) applyDelete(ctx context.Context, actor, objectID string) (string, error) {
	if objectID == actor {
		if _, err := s.db.NewDelete().Model((*follower)(nil)).Where("follower = ?", actor).Exec(ctx); err != nil {
			return "", retry(err)
		}
		return "actor deleted: follows removed", nil
	}
	if !sameHost(objectID, actor) {
		return "", fmt.Errorf("%w: delete of an object on another host", ErrInvalid)
	}
	if n, err := s.forget(ctx, objectID, actor); err != nil {
		return "", err
	} else if n > 0 {
		return "remote object deleted", nil
	}
	err := s.debates.DeleteRemote(ctx, objectID, actor)
	switch {
	case errors.Is(err, debates.ErrNotFound):
		return "ignored: unknown object", nil
	case err != nil:
		return "", err
	}
	return "comment deleted", nil
}

// applyAnnounce unwraps what a followed Group announces (FEP-1b12), or
// records a share of a local object as a reaction.
func (s *Service) applyAnnounce(ctx context.Context, a *as2.Activity) (string, error) {
	if s.followsGroup(ctx, a.Actor) {
		switch {
		case a.Inner != nil && (a.Inner.Type == "Create" || a.Inner.Type == "Update"):
			return s.applyObject(ctx, a.Inner, a.Actor)
		case a.Inner != nil && a.Inner.Type == "Delete":
			n, err := s.forget(ctx, a.Inner.ObjectID, a.Actor)
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("remote objects deleted: %d", n), nil
		case a.Inner != nil && a.Inner.Type == "Undo" && a.Inner.Inner != nil && a.Inner.Inner.Type == "Delete":
			return s.restore(ctx, a.Inner.Inner.ObjectID, a.Actor)
		case a.Object != nil:
			return s.mirror(ctx, "Create", a.Actor, a.Actor, a.Object, objectMap(a.Raw))
		}
		return "ignored: announce without an inline object", nil
	}
	return s.react(ctx, a, "announce")
}

// react records a Like or an Announce of a local proposal, debate or
// comment.
func (s *Service) react(ctx context.Context, a *as2.Activity, kind string) (string, error) {
	objKind, id, ok := s.local(a.ObjectID)
	if !ok || (objKind != "proposal" && objKind != "debate" && objKind != "comment") {
		return "ignored: " + kind + " of something else", nil
	}
	_, err := s.db.NewInsert().Model(&reaction{ActivityID: a.ID, Actor: a.Actor, Kind: kind, ObjectType: objKind,
		ObjectID: id, CreatedAt: s.now()}).On("CONFLICT (activity_id) DO NOTHING").Exec(ctx)
	if err != nil {
		return "", retry(err)
	}
	return kind + " of " + objKind + " " + id, nil
}

// applyFlag turns a report from the fediverse into a moderation report on
// each local proposal or comment it names.
func (s *Service) applyFlag(ctx context.Context, a *as2.Activity) (string, error) {
	targets := a.Targets
	if len(targets) == 0 && a.ObjectID != "" {
		targets = []string{a.ObjectID}
	}
	reason := a.Content
	if reason == "" {
		reason = "fediverse report"
	}
	n := 0
	for _, t := range targets {
		kind, id, ok := s.local(t)
		var mt moderation.Target
		switch {
		case ok && kind == "proposal":
			mt = moderation.Target{Kind: moderation.TargetProposal, ID: id}
		case ok && kind == "comment":
			mt = moderation.Target{Kind: moderation.TargetComment, ID: id}
		case ok && kind == "debate":
			mt = moderation.Target{Kind: moderation.TargetDebate, ID: id}
		default:
			continue
		}
		_, err := s.mod.ReportRemote(ctx, a.Actor, mt, reason)
		if errors.Is(err, moderation.ErrNotFound) {
			continue // gone since, or never ours: the others are still reported
		}
		if err != nil {
			return "", err
		}
		n++
	}
	return fmt.Sprintf("reports: %d", n), nil
}

func (s *Service) actorExists(ctx context.Context, kind, id string) (bool, error) {
	switch kind {
	case "space":
		return s.db.NewSelect().Table("spaces").Where("slug = ?", id).Exists(ctx)
	case "person":
		return s.db.NewSelect().Table("accounts").Where("handle = ? AND public AND deleted_at IS NULL", id).Exists(ctx)
	case "catalogue":
		return s.apps != nil, nil
	case "reportcategory":
		if s.reports == nil {
			return false, nil
		}
		return s.db.NewSelect().Table("report_categories").Where("slug = ?", id).Exists(ctx)
	}
	return false, nil
}

// objectMap is the object of an activity as sent, for the properties the
// parser does not carry (Agora's own terms).
func objectMap(activity map[string]any) map[string]any {
	m, _ := activity["object"].(map[string]any)
	return m
}

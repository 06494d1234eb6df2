package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"agora/federation/as2"
	"agora/instances/notifications"
)

// A resident may link their fediverse account (instances/notifications,
// fediverse.go): the node resolves the handle by WebFinger and reads the
// actor with the bounded, signed fetch every actor goes through
// (remoteActor); the link is verified when the code it holds is in the
// actor's summary or in a public post on the first page of its outbox.
// Notifications then go to that actor as direct messages from the
// instance actor, through the durable signed delivery of every activity
// (deliverTx).

// LinkFediverse resolves handle to an actor and records a pending link
// for the resident, with the code to publish. A bad handle or an actor
// that cannot be read changes nothing.
func (s *Service) LinkFediverse(ctx context.Context, accountID, handle string) (*notifications.FediverseLink, error) {
	if s.notes == nil {
		return nil, errors.New("fediverse links need the notifications service")
	}
	h, err := notifications.ParseHandle(handle)
	if err != nil {
		return nil, err
	}
	if l, err := s.notes.Fediverse(ctx, accountID); err != nil {
		return nil, err
	} else if l != nil {
		return nil, notifications.ErrLinked
	}
	id, err := s.resolve(ctx, h)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", notifications.ErrUnreachable, err)
	}
	actor, err := s.remoteActor(ctx, id, true)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", notifications.ErrUnreachable, err)
	}
	if _, _, local := s.local(actor.ID); local || sameHost(actor.ID, s.ids.Instance()) {
		return nil, fmt.Errorf("%w: %s is on this node", notifications.ErrHandle, h)
	}
	return s.notes.StartFediverse(ctx, accountID, h, actor.ID)
}

// CheckFediverse looks for the resident's code at their linked actor
// (fetched again) and marks the link verified when it is there.
func (s *Service) CheckFediverse(ctx context.Context, accountID string) error {
	if s.notes == nil {
		return errors.New("fediverse links need the notifications service")
	}
	l, err := s.notes.Fediverse(ctx, accountID)
	if err != nil {
		return err
	}
	if l == nil {
		return notifications.ErrNoLink
	}
	if l.Verified() {
		return nil
	}
	actor, err := s.remoteActor(ctx, l.ActorID, true)
	if err != nil {
		return fmt.Errorf("%w: %v", notifications.ErrUnreachable, err)
	}
	found := strings.Contains(actor.Summary, l.Code)
	if !found {
		found, err = s.codeInOutbox(ctx, actor.ID, l.Code)
		if err != nil {
			s.log.InfoContext(ctx, "fediverse link: outbox not read", "actor", actor.ID, "err", err)
		}
	}
	if !found {
		return notifications.ErrCodeAbsent
	}
	return s.notes.VerifyFediverse(ctx, accountID, l.ActorID)
}

// maxOutboxItems bounds the posts of an outbox page read for a code.
const maxOutboxItems = 40

// codeInOutbox reports whether a public post on the first page of the
// actor's outbox holds code. The outbox and its page must be on the
// actor's host; every fetch is the bounded, signed one.
func (s *Service) codeInOutbox(ctx context.Context, actorID, code string) (bool, error) {
	body, err := s.fetchSigned(ctx, actorID)
	if err != nil {
		return false, err
	}
	var actor struct {
		ID     string `json:"id"`
		Outbox any    `json:"outbox"`
	}
	if err := json.Unmarshal(body, &actor); err != nil || actor.ID != actorID {
		return false, fmt.Errorf("%w: %s is not the actor asked for", ErrInvalid, actorID)
	}
	outbox := firstString(actor.Outbox)
	if outbox == "" || !sameHost(outbox, actorID) {
		return false, fmt.Errorf("%w: %s has no outbox on its host", ErrInvalid, actorID)
	}
	if body, err = s.fetchSigned(ctx, outbox); err != nil {
		return false, err
	}
	var coll struct {
		First        json.RawMessage   `json:"first"`
		OrderedItems []json.RawMessage `json:"orderedItems"`
		Items        []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(body, &coll); err != nil {
		return false, fmt.Errorf("%w: outbox of %s: %v", ErrInvalid, actorID, err)
	}
	items := append(coll.OrderedItems, coll.Items...)
	if len(items) == 0 && len(coll.First) > 0 {
		var first any
		json.Unmarshal(coll.First, &first)
		page := coll.First
		if link := firstString(first); link != "" {
			if !sameHost(link, actorID) {
				return false, fmt.Errorf("%w: outbox page %s of %s is on another host", ErrInvalid, link, actorID)
			}
			if page, err = s.fetchSigned(ctx, link); err != nil {
				return false, err
			}
		}
		coll.OrderedItems, coll.Items = nil, nil
		if err := json.Unmarshal(page, &coll); err != nil {
			return false, fmt.Errorf("%w: outbox of %s: %v", ErrInvalid, actorID, err)
		}
		items = append(coll.OrderedItems, coll.Items...)
	}
	for i, raw := range items {
		if i >= maxOutboxItems {
			break
		}
		if publicPostHolds(raw, actorID, code) {
			return true, nil
		}
	}
	return false, nil
}

// publicPostHolds reports whether an outbox item, a Create of a post or
// the post itself, is public, by the actor, and its content holds code.
func publicPostHolds(raw json.RawMessage, actorID, code string) bool {
	type post struct {
		Actor        any             `json:"actor"`
		AttributedTo any             `json:"attributedTo"`
		Content      string          `json:"content"`
		To           any             `json:"to"`
		Cc           any             `json:"cc"`
		Object       json.RawMessage `json:"object"`
	}
	var p post
	if json.Unmarshal(raw, &p) != nil {
		return false
	}
	if len(p.Object) > 0 && p.Object[0] == '{' {
		var o post
		if json.Unmarshal(p.Object, &o) != nil {
			return false
		}
		if firstString(p.Actor) != actorID {
			return false
		}
		p = o
		p.Actor = actorID
	}
	by := firstString(p.AttributedTo)
	if by == "" {
		by = firstString(p.Actor)
	}
	return by == actorID && isPublic(p.To, p.Cc) && strings.Contains(p.Content, code)
}

// isPublic reports whether an audience names the Public collection (as
// its IRI or its compact forms).
func isPublic(audiences ...any) bool {
	for _, a := range audiences {
		var list []any
		switch t := a.(type) {
		case string:
			list = []any{t}
		case []any:
			list = t
		}
		for _, v := range list {
			if s, _ := v.(string); slices.Contains([]string{as2.Public, "as:Public", "Public"}, s) {
				return true
			}
		}
	}
	return false
}

// directBatch is how many notifications one pass queues at most.
const directBatch = 100

// deliverNotifications queues, as direct messages, the notifications of
// residents with a verified fediverse link, in the transaction that
// marks them queued: each goes once, and none is lost on a crash. It
// returns how many it queued.
func (s *Service) deliverNotifications(ctx context.Context) (int, error) {
	if s.notes == nil || s.message == nil {
		return 0, nil
	}
	var n int
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		items, err := notifications.ClaimFediverse(ctx, tx, s.now(), directBatch)
		if err != nil {
			return err
		}
		n = len(items)
		for i := range items {
			it := &items[i]
			// The actor as read when linked or last seen: no fetch inside
			// the transaction (SQLite has one writer).
			var actor RemoteActor
			if err := tx.NewSelect().Model(&actor).Where("id = ?", it.ActorID).Scan(ctx); err != nil {
				s.log.WarnContext(ctx, "notification to the fediverse not sent", "actor", it.ActorID, "err", err)
				continue
			}
			text, link := s.message(it.Language, &it.Notification)
			id := s.ids.Activity(newActivityID())
			note := as2.DirectNote(id+"/note", s.ids.Instance(), actor.ID, it.Handle, text, link, it.CreatedAt)
			create := as2.Create(id, s.ids.Instance(), note, []string{actor.ID}, nil)
			if err := s.deliverTx(ctx, tx, s.ids.Instance(), create, []string{actor.Inbox}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

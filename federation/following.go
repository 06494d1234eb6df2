package federation

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/federation/as2"
)

// Following is a remote space (a Group) this node follows, through its
// instance actor, to show its proposals and debates under "Other cities".
type Following struct {
	bun.BaseModel `bun:"table:ap_following"`
	Remote        string     `bun:"remote,pk"`
	FollowID      string     `bun:"follow_id"`
	State         string     `bun:"state"` // pending, accepted, rejected
	CreatedAt     time.Time  `bun:"created_at"`
	AcceptedAt    *time.Time `bun:"accepted_at"`
	CreatedBy     string     `bun:"created_by,nullzero"`

	Actor *RemoteActor `bun:"rel:belongs-to,join:remote=id"`
}

// RemoteObject is a proposal (Page) or a comment (Note) of a followed
// remote space, as its node last sent it; content is sanitised.
type RemoteObject struct {
	bun.BaseModel `bun:"table:ap_remote_objects"`
	ID            string     `bun:"id,pk"`
	Type          string     `bun:"type"`
	Group         string     `bun:"group_actor"`
	AttributedTo  string     `bun:"attributed_to"`
	AuthorName    string     `bun:"author_name"`
	Name          string     `bun:"name"`
	ContentHTML   string     `bun:"content_html"`
	URL           string     `bun:"url"`
	InReplyTo     string     `bun:"in_reply_to"`
	Context       string     `bun:"context"`
	State         string     `bun:"state"`
	Supports      int        `bun:"supports"`
	Published     time.Time  `bun:"published"`
	Updated       time.Time  `bun:"updated"`
	DeletedAt     *time.Time `bun:"deleted_at"`
	DeletedBy     string     `bun:"deleted_by"` // the author or the Group
	ReceivedAt    time.Time  `bun:"received_at"`
	// Budget holds a budget project's figures (a Page with
	// agora:budgetProject), checked and made plain; nil for the rest.
	Budget *as2.BudgetProject `bun:"budget,type:text"`
}

// Follow asks a remote space to let this node follow it. target is a
// handle (@budget@paris12.example or budget@paris12.example) or the
// Group's URL.
func (s *Service) Follow(ctx context.Context, target, by string) (*Following, error) {
	id, err := s.resolve(ctx, target)
	if err != nil {
		return nil, err
	}
	actor, err := s.remoteActor(ctx, id, true)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot read %s: %v", ErrInvalid, id, err)
	}
	if actor.Type != "Group" {
		return nil, fmt.Errorf("%w: %s is a %s, not a space (Group)", ErrInvalid, actor.Handle(), actor.Type)
	}
	f := &Following{Remote: actor.ID, FollowID: s.ids.Activity(newActivityID()), State: "pending", CreatedAt: s.now(), CreatedBy: by}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(f).On("CONFLICT (remote) DO UPDATE").
			Set("follow_id = EXCLUDED.follow_id, state = EXCLUDED.state, created_at = EXCLUDED.created_at").Exec(ctx)
		if err != nil {
			return err
		}
		return s.deliverTx(ctx, tx, s.ids.Instance(), as2.Follow(f.FollowID, s.ids.Instance(), actor.ID), []string{actor.Inbox})
	})
	if err != nil {
		return nil, fmt.Errorf("follow %s: %w", actor.ID, err)
	}
	f.Actor = actor
	return f, nil
}

// Unfollow stops following a remote space and forgets what it sent.
func (s *Service) Unfollow(ctx context.Context, remote string) error {
	var f Following
	if err := s.db.NewSelect().Model(&f).Relation("Actor").Where("remote = ?", remote).Scan(ctx); err != nil {
		return fmt.Errorf("%w: not following %s", ErrInvalid, remote)
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*Following)(nil)).Where("remote = ?", remote).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*RemoteObject)(nil)).Where("group_actor = ?", remote).Exec(ctx); err != nil {
			return err
		}
		follow := as2.Follow(f.FollowID, s.ids.Instance(), remote)
		undo := as2.Undo(s.ids.Activity(newActivityID()), s.ids.Instance(), follow, []string{remote}, nil)
		if f.Actor == nil {
			return nil
		}
		return s.deliverTx(ctx, tx, s.ids.Instance(), undo, []string{f.Actor.Inbox})
	})
}

// Followings lists the remote spaces the node follows.
func (s *Service) Followings(ctx context.Context) ([]Following, error) {
	var out []Following
	err := s.db.NewSelect().Model(&out).Relation("Actor").Order("created_at").Scan(ctx)
	return out, err
}

// RemoteObjects lists what a followed space sent, newest first: its
// proposals (Page), or with inReplyTo set, the comments of one.
func (s *Service) RemoteObjects(ctx context.Context, group, context string, limit int64) ([]RemoteObject, error) {
	var out []RemoteObject
	q := s.db.NewSelect().Model(&out).Where("deleted_at IS NULL")
	if group != "" {
		q = q.Where("group_actor = ?", group)
	}
	if context != "" {
		q = q.Where("context = ? AND id <> ?", context, context).Order("published")
	} else {
		q = q.Where("type <> 'Note'").OrderExpr("published DESC")
	}
	err := q.Limit(limit).Scan(ctx)
	return out, err
}

// RemoteObject returns one object of a followed space.
func (s *Service) RemoteObject(ctx context.Context, id string) (*RemoteObject, error) {
	var o RemoteObject
	if err := s.db.NewSelect().Model(&o).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("%w: no remote object %s", ErrInvalid, id)
	}
	return &o, nil
}

// followsGroup reports whether this node follows the actor (accepted).
func (s *Service) followsGroup(ctx context.Context, actor string) bool {
	if actor == "" {
		return false
	}
	ok, err := s.db.NewSelect().Model((*Following)(nil)).Where("remote = ? AND state = 'accepted'", actor).Exists(ctx)
	return err == nil && ok
}

// applyFollowAnswer records a remote space's Accept or Reject of our
// follow. An Accept also queues the backfill of what the Group published
// before (backfill.go), in the same transaction.
func (s *Service) applyFollowAnswer(ctx context.Context, a *as2.Activity) (string, error) {
	followID := a.ObjectID
	if a.Inner != nil {
		followID = a.Inner.ID
	}
	state, at := "rejected", (*time.Time)(nil)
	if a.Type == "Accept" {
		now := s.now()
		state, at = "accepted", &now
	}
	var n int64
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*Following)(nil)).Set("state = ?", state).Set("accepted_at = ?", at).
			Where("follow_id = ? AND remote = ?", followID, a.Actor).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ = res.RowsAffected(); n == 0 || state != "accepted" {
			return nil
		}
		_, err = s.river.InsertTx(ctx, tx.Tx, backfillArgs{Group: a.Actor}, nil)
		return err
	})
	if err != nil {
		return "", retry(err)
	}
	if n == 0 {
		return "ignored: no such follow", nil
	}
	return "follow " + state, nil
}

// mirror keeps (or updates) an object a followed space sent, on the
// word of signer: the Group (announcing it, or sending it itself), or
// the actor who sent it directly. Who may (FEP-1b12): a new object comes
// from its Group or its author; a known one is changed only by its author
// or the Group it belongs to, never by another actor of the same host.
func (s *Service) mirror(ctx context.Context, activity, group, signer string, o *as2.Object, raw map[string]any) (string, error) {
	s.cleanObject(o)
	if _, isApp := raw[as2.TermPublicCode].(string); isApp && s.apps != nil {
		if !sameHost(o.ID, group) {
			return "", fmt.Errorf("%w: %s announced an app of another host", ErrInvalid, group)
		}
		return s.mirrorApp(ctx, group, o, raw)
	}
	if o.Type != "Page" && o.Type != "Note" && o.Type != "Article" {
		return "ignored: " + o.Type, nil
	}
	if !sameHost(o.ID, group) {
		return "", fmt.Errorf("%w: %s announced an object of another host", ErrInvalid, group)
	}
	content := o.Content // sanitised HTML (cleanObject), Markdown shown as text
	author := ""
	if ra, err := s.remoteActor(ctx, o.AttributedTo, false); err == nil {
		author = cmp.Or(ra.Name, ra.PreferredUsername)
	}
	ctxID := o.Context
	if ctxID == "" && o.Type == "Page" {
		ctxID = o.ID
	}
	state, _ := raw[as2.TermState].(string)
	state = s.plain(state, 40)
	supports := 0
	if n, ok := raw[as2.TermSupports].(float64); ok {
		supports = int(n)
	}
	budget, err := s.budgetOf(o, raw)
	if err != nil {
		return "", err
	}
	obj := &RemoteObject{ID: o.ID, Type: o.Type, Group: group, AttributedTo: o.AttributedTo, AuthorName: author,
		Name: o.Name, ContentHTML: content, URL: cmp.Or(o.URL, o.ID), InReplyTo: o.InReplyTo, Context: ctxID,
		State: state, Supports: supports, Published: o.Published, Updated: o.Updated, ReceivedAt: s.now(), Budget: budget}
	if obj.Published.IsZero() {
		obj.Published = s.now()
	}
	if obj.Updated.IsZero() {
		obj.Updated = obj.Published
	}
	known, err := s.knownObject(ctx, o.ID)
	if err != nil {
		return "", err
	}
	switch {
	case known != nil && !authority(known, signer):
		return "", fmt.Errorf("%w: %s is neither the author of %s nor its Group", ErrInvalid, signer, o.ID)
	case known == nil && signer != group && signer != o.AttributedTo:
		return "", fmt.Errorf("%w: %s sent %s, attributed to %q, in %s", ErrInvalid, signer, o.ID, o.AttributedTo, group)
	case known != nil && known.DeletedAt != nil:
		// A deleted object stays deleted: a late or replayed Create does
		// not bring it back (Undo{Delete} does: restore).
		return "ignored: deleted before", nil
	}
	_, err = s.db.NewInsert().Model(obj).On("CONFLICT (id) DO UPDATE").
		Set("name = EXCLUDED.name, content_html = EXCLUDED.content_html, state = EXCLUDED.state, supports = EXCLUDED.supports").
		Set("updated = EXCLUDED.updated, author_name = EXCLUDED.author_name, received_at = EXCLUDED.received_at").
		Set("budget = EXCLUDED.budget").Exec(ctx)
	if err != nil {
		return "", retry(err)
	}
	return strings.ToLower(activity) + " remote " + o.Type, nil
}

// knownObject is the object stored with that id, or nil.
func (s *Service) knownObject(ctx context.Context, id string) (*RemoteObject, error) {
	var o RemoteObject
	err := s.db.NewSelect().Model(&o).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, retry(fmt.Errorf("read remote object %s: %w", id, err))
	}
	return &o, nil
}

// authority reports whether signer may change or delete o: its author,
// or the Group it was announced in (FEP-1b12).
func authority(o *RemoteObject, signer string) bool {
	return signer != "" && (signer == o.AttributedTo || signer == o.Group)
}

// forget marks an object of a followed space (and, for a Page, its
// comments) deleted by signer, who must be its author or its Group; it
// returns how many it found.
func (s *Service) forget(ctx context.Context, id, signer string) (int64, error) {
	o, err := s.knownObject(ctx, id)
	if err != nil || o == nil {
		return 0, err
	}
	if !authority(o, signer) {
		return 0, fmt.Errorf("%w: %s is neither the author of %s nor its Group", ErrInvalid, signer, id)
	}
	now := s.now()
	res, err := s.db.NewUpdate().Model((*RemoteObject)(nil)).Set("deleted_at = ?", now).Set("deleted_by = ?", signer).
		Where("(id = ? OR context = ?) AND deleted_at IS NULL", id, id).Exec(ctx)
	if err != nil {
		return 0, retry(err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// restore brings back an object deleted before (Undo{Delete}), with the
// comments that went with it. Its Group may restore it; its author only
// what the author deleted (not the Group's removal).
func (s *Service) restore(ctx context.Context, id, signer string) (string, error) {
	o, err := s.knownObject(ctx, id)
	if err != nil {
		return "", err
	}
	if o == nil || o.DeletedAt == nil {
		return "ignored: nothing to undo", nil
	}
	if signer != o.Group && (signer != o.AttributedTo || o.DeletedBy != signer) {
		return "", fmt.Errorf("%w: %s may not restore %s (deleted by %q)", ErrInvalid, signer, id, o.DeletedBy)
	}
	_, err = s.db.NewUpdate().Model((*RemoteObject)(nil)).Set("deleted_at = NULL").Set("deleted_by = ''").
		Where("(id = ? OR context = ?) AND deleted_at IS NOT NULL AND deleted_by = ?", id, id, o.DeletedBy).Exec(ctx)
	if err != nil {
		return "", retry(err)
	}
	return "remote object restored", nil
}

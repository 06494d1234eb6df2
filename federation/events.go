package federation

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"agora/federation/as2"
	"agora/instances/debates"
	"agora/instances/projects"
	"agora/instances/proposals"
	"agora/instances/reports"
	"agora/instances/spaces"
)

// newActivityID is the opaque part of a new activity's id.
func newActivityID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

type eventWorker struct {
	river.WorkerDefaults[eventArgs]
	s *Service
}

// Work renders a change as activities and queues one delivery per inbox,
// in one transaction: either every delivery is queued or the event is
// retried whole.
func (w *eventWorker) Work(ctx context.Context, job *river.Job[eventArgs]) error {
	s, e := w.s, job.Args
	out, err := s.render(ctx, e)
	if err != nil {
		return err
	}
	if len(out) == 0 {
		return nil
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, o := range out {
			if o.record != nil {
				keep, err := o.record(ctx, tx)
				if err != nil {
					return err
				}
				if !keep {
					continue
				}
			}
			inboxes, err := s.followerInboxes(ctx, tx, o.audience...)
			if err != nil {
				return err
			}
			inboxes = append(inboxes, o.also...)
			if err := s.deliverTx(ctx, tx, o.actor, o.activity, inboxes); err != nil {
				return err
			}
		}
		return nil
	})
}

// outgoing is one activity and whom it goes to: the followers of the
// audience actors, and any other inboxes. record, when set, writes what
// sending it leaves behind in the transaction that queues it; false
// drops the activity (what it is about changed since it was rendered).
type outgoing struct {
	actor    string
	activity *as2.Doc
	audience []string
	also     []string
	record   func(ctx context.Context, tx bun.Tx) (bool, error)
}

// render turns an outbox event into the activities that announce it.
// The author (if a public person) sends Create/Update/Delete to their
// followers; the space's Group announces it to its followers (FEP-1b12),
// and for a new proposal also announces the bare Page, which Mastodon
// shows (it does not unwrap Announce{Create}).
func (s *Service) render(ctx context.Context, e eventArgs) ([]outgoing, error) {
	r := as2.Renderer{IDs: s.ids}
	var (
		object *as2.Doc
		sp     *spaces.Space
		author string
		also   []string
		remote string // the original id of an object a peer wrote
		err    error
	)
	switch e.ObjectType {
	case "proposal":
		object, sp, author, err = s.proposalDoc(ctx, r, e.ObjectID)
	case "debate":
		object, sp, author, err = s.debateDoc(ctx, r, e.ObjectID)
	case "comment":
		object, sp, author, also, remote, err = s.commentDoc(ctx, r, e.ObjectID)
	case reports.ReportObject, reports.StateObject:
		return s.renderReport(ctx, r, e)
	case "app", "release", "adoption":
		return s.renderCatalogue(ctx, r, e)
	case projects.StepObject:
		object, sp, err = s.stepDoc(ctx, r, e.ObjectID)
	case projects.ProjectObject:
		object, sp, err = s.budgetProjectDoc(ctx, r, e.ObjectID)
	case "vote":
		// The Group owns its polls: it sends Create{Question} and
		// Update{Question} itself, which Mastodon applies (it does not
		// unwrap an Announce), besides announcing them (polls.go).
		object, sp, err = s.voteDoc(ctx, r, e.ObjectID)
		if err == nil {
			author = s.ids.Space(sp.Slug)
		}
	default:
		return nil, nil
	}
	var group string
	switch {
	case errors.Is(err, errGone) && e.Change == "delete":
		// Erased: tell those it was announced to, from what was recorded.
		var pub published
		if err := s.db.NewSelect().Model(&pub).Where("object_type = ? AND object_id = ?", e.ObjectType, e.ObjectID).
			Scan(ctx); err != nil {
			return nil, nil // never announced
		}
		group, author = pub.Group, pub.Author
		object = as2.Tombstone(s.objectIRI(e.ObjectType, e.ObjectID), formerType(e.ObjectType), s.now())
	case errors.Is(err, errGone):
		return nil, nil
	case err != nil:
		return nil, err
	default:
		group = s.ids.Space(sp.Slug)
		if remote == "" {
			_, err := s.db.NewInsert().Model(&published{ObjectType: e.ObjectType, ObjectID: e.ObjectID, Group: group, Author: author}).
				On("CONFLICT (object_type, object_id) DO UPDATE").Set("author_actor = EXCLUDED.author_actor").Exec(ctx)
			if err != nil {
				return nil, fmt.Errorf("record published: %w", err)
			}
		}
	}
	followers := as2.Followers(group)
	to := []string{as2.Public}
	var out []outgoing
	wrap := func(kind string) *as2.Doc {
		id := s.ids.Activity(newActivityID())
		switch kind {
		case "update":
			return as2.Update(id, cmp.Or(author, group), object, to, []string{followers})
		case "delete":
			return as2.Delete(id, cmp.Or(author, group), object, to, []string{followers})
		}
		return as2.Create(id, cmp.Or(author, group), object, to, []string{followers})
	}
	if remote != "" {
		// A peer's comment: the Group shares the original; only its author
		// may create, update or delete it.
		if e.Change == "create" {
			out = append(out, outgoing{actor: group, activity: as2.Announce(s.ids.Activity(newActivityID()), group, as2.Ref(remote)), audience: []string{group}})
		}
		return out, nil
	}
	change := e.Change
	if object.Value != nil && object.Value.GetTypeName() == "Tombstone" {
		change = "delete" // hidden by moderation: gone for peers too
	}
	activity := wrap(change)
	if author != "" {
		out = append(out, outgoing{actor: author, activity: activity, audience: []string{author}, also: also})
		also = nil
	}
	out = append(out, outgoing{actor: group, activity: as2.Announce(s.ids.Activity(newActivityID()), group, activity), audience: []string{group}, also: also})
	// Mastodon does not unwrap Announce{Create}: the bare object, boosted
	// by the Group, is what its users see (as Lemmy does for posts).
	if change == "create" && e.ObjectType != "vote" {
		out = append(out, outgoing{actor: group, activity: as2.Announce(s.ids.Activity(newActivityID()), group, object), audience: []string{group}})
	}
	return out, nil
}

// stepDoc renders a published step of a budget project, as the Note of
// its budget space's Group.
func (s *Service) stepDoc(ctx context.Context, r as2.Renderer, id string) (*as2.Doc, *spaces.Space, error) {
	if s.projects == nil {
		return nil, nil, errGone
	}
	m, p, b, err := s.projects.StepOf(ctx, id)
	if errors.Is(err, projects.ErrNotFound) {
		return nil, nil, errGone
	}
	if err != nil {
		return nil, nil, err
	}
	sp, err := s.spaces.ByID(ctx, b.SpaceID)
	if err != nil {
		return nil, nil, err
	}
	return r.StepNote(as2.StepInput{ID: m.ID, ProjectID: p.ID, ProjectTitle: p.Title, Status: string(m.Status),
		Progress: m.Progress, Text: m.Text, At: m.At, Space: sp}), sp, nil
}

// published records where an object was announced (ap_published).
type published struct {
	bun.BaseModel `bun:"table:ap_published"`
	ObjectType    string `bun:"object_type,pk"`
	ObjectID      string `bun:"object_id,pk"`
	Group         string `bun:"group_actor"`
	Author        string `bun:"author_actor"`
}

func (s *Service) objectIRI(objectType, id string) string {
	switch objectType {
	case "proposal":
		return s.ids.Proposal(id)
	case "debate":
		return s.ids.Debate(id)
	}
	return s.ids.Comment(id)
}

func formerType(objectType string) string {
	if objectType == "comment" {
		return "Note"
	}
	return "Page"
}

// errGone is an object no longer there to render: nothing to send.
var errGone = errors.New("gone")

// personOf is the actor of a local account when they chose to be public.
func (s *Service) personOf(ctx context.Context, accountID string) string {
	if accountID == "" {
		return ""
	}
	a, err := s.accounts.ByID(ctx, accountID)
	if err != nil || !a.Public || a.DeletedAt != nil {
		return ""
	}
	return s.ids.Person(a.Handle)
}

func (s *Service) proposalDoc(ctx context.Context, r as2.Renderer, id string) (*as2.Doc, *spaces.Space, string, error) {
	p, err := s.proposals.ByID(ctx, id)
	if errors.Is(err, proposals.ErrNotFound) {
		return nil, nil, "", errGone
	}
	if err != nil {
		return nil, nil, "", err
	}
	sp, err := s.spaces.ByID(ctx, p.SpaceID)
	if err != nil {
		return nil, nil, "", err
	}
	files, err := s.proposals.Attachments(ctx, id)
	if err != nil {
		return nil, nil, "", err
	}
	timeline, err := s.proposals.Timeline(ctx, id)
	if err != nil {
		return nil, nil, "", err
	}
	author := s.personOf(ctx, p.AuthorID)
	doc := r.ProposalPage(as2.ProposalInput{Proposal: p, Space: sp, Author: author, Attachments: files,
		Answer: as2.LatestAnswer(timeline)})
	return doc, sp, author, nil
}

func (s *Service) debateDoc(ctx context.Context, r as2.Renderer, id string) (*as2.Doc, *spaces.Space, string, error) {
	d, err := s.debates.Debate(ctx, id)
	if errors.Is(err, debates.ErrNotFound) {
		return nil, nil, "", errGone
	}
	if err != nil {
		return nil, nil, "", err
	}
	sp, err := s.spaces.ByID(ctx, d.SpaceID)
	if err != nil {
		return nil, nil, "", err
	}
	author := s.personOf(ctx, d.AuthorID)
	return r.DebatePage(d, sp, author), sp, author, nil
}

// commentDoc renders a comment; also are the inboxes of remote authors it
// answers (so a Mastodon user sees the reply to their comment).
func (s *Service) commentDoc(ctx context.Context, r as2.Renderer, id string) (doc *as2.Doc, sp *spaces.Space, author string, also []string, remote string, err error) {
	c, err := s.debates.Comment(ctx, id)
	if errors.Is(err, debates.ErrNotFound) {
		return nil, nil, "", nil, "", errGone
	}
	if err != nil {
		return nil, nil, "", nil, "", err
	}
	var spaceID, page string
	switch c.TargetKind {
	case debates.TargetBudgetProject:
		// Comments on budget projects stay on the node: a project has no
		// ActivityPub object to reply to (its steps are the Group's notes).
		return nil, nil, "", nil, "", errGone
	case debates.TargetProposal:
		p, err := s.proposals.ByID(ctx, c.TargetID)
		if err != nil {
			return nil, nil, "", nil, "", err
		}
		spaceID, page = p.SpaceID, s.ids.Proposal(p.ID)
	case debates.TargetDebate:
		d, err := s.debates.Debate(ctx, c.TargetID)
		if err != nil {
			return nil, nil, "", nil, "", err
		}
		spaceID, page = d.SpaceID, s.ids.Debate(d.ID)
	}
	if sp, err = s.spaces.ByID(ctx, spaceID); err != nil {
		return nil, nil, "", nil, "", err
	}
	if c.Remote() {
		return nil, sp, "", nil, *c.APID, nil
	}
	inReplyTo := page
	if c.ParentID != "" {
		parent, err := s.debates.Comment(ctx, c.ParentID)
		if err != nil {
			return nil, nil, "", nil, "", err
		}
		inReplyTo = s.ids.Comment(parent.ID)
		if parent.Remote() {
			inReplyTo = *parent.APID
			if ra, err := s.remoteActor(ctx, parent.RemoteActor, false); err == nil {
				also = append(also, ra.DeliverTo())
			}
		}
	}
	author = s.personOf(ctx, c.AuthorID)
	return r.CommentNote(c, sp, author, inReplyTo), sp, author, also, "", nil
}

// followerInboxes are the distinct inboxes of the followers of actors.
func (s *Service) followerInboxes(ctx context.Context, db bun.IDB, actors ...string) ([]string, error) {
	if len(actors) == 0 {
		return nil, nil
	}
	var inboxes []string
	err := db.NewSelect().Model((*follower)(nil)).Distinct().Column("inbox").
		Where("actor IN (?)", bun.In(actors)).Scan(ctx, &inboxes)
	if err != nil {
		return nil, fmt.Errorf("read followers: %w", err)
	}
	return inboxes, nil
}

// deliverTx queues one signed delivery of activity per distinct inbox,
// in the caller's transaction.
func (s *Service) deliverTx(ctx context.Context, tx bun.Tx, actor string, activity *as2.Doc, inboxes []string) error {
	body, err := as2.Serialize(activity)
	if err != nil {
		return fmt.Errorf("serialise activity: %w", err)
	}
	seen := map[string]bool{}
	var params []river.InsertManyParams
	for _, in := range inboxes {
		if in == "" || seen[in] {
			continue
		}
		seen[in] = true
		if _, _, local := s.local(in); local || sameHost(in, s.ids.Instance()) {
			continue // never to ourselves
		}
		params = append(params, river.InsertManyParams{Args: deliveryArgs{Inbox: in, Actor: actor, Activity: body}})
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := s.river.InsertManyTx(ctx, tx.Tx, params); err != nil {
		return fmt.Errorf("queue deliveries: %w", err)
	}
	return nil
}

package federation

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/federation/as2"
	"agora/storage/database"
)

// maxComment is the longest comment a resident sends to another city,
// as for a comment here.
const maxComment = 5000

// CommentRemote publishes a public resident's comment on a proposal or
// debate of a followed space: kept here with the remote objects (so the
// page shows it at once) and sent as Create{Note} to that space's node,
// which shows it with its origin. Only public accounts are actors, so
// only they can comment across cities.
func (s *Service) CommentRemote(ctx context.Context, accountID, pageID, body string) error {
	a, err := s.accounts.ByID(ctx, accountID)
	if err != nil {
		return err
	}
	if !a.Public || a.DeletedAt != nil {
		return fmt.Errorf("%w: only public profiles can comment on other cities", ErrInvalid)
	}
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > maxComment {
		return fmt.Errorf("%w: a comment is 1 to %d characters", ErrInvalid, maxComment)
	}
	page, err := s.RemoteObject(ctx, pageID)
	if err != nil || page.Type == "Note" || page.DeletedAt != nil {
		return fmt.Errorf("%w: no such proposal of another city", ErrInvalid)
	}
	group, err := s.remoteActor(ctx, page.Group, false)
	if err != nil {
		return err
	}
	person := s.ids.Person(a.Handle)
	note := &RemoteObject{ID: s.ids.Note(database.NewID()), Type: "Note", Group: page.Group, AttributedTo: person,
		AuthorName: a.DisplayName, ContentHTML: s.markup.Markdown(body), InReplyTo: page.ID, Context: page.ID,
		Published: s.now(), Updated: s.now(), ReceivedAt: s.now()}
	note.URL = note.ID
	doc := as2.RemoteNote(note.ID, person, page.ID, page.Group, note.ContentHTML, body, note.Published)
	create := as2.Create(s.ids.Activity(newActivityID()), person, doc, []string{as2.Public, page.Group}, []string{as2.Followers(person)})
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(note).Exec(ctx); err != nil {
			return err
		}
		return s.deliverTx(ctx, tx, person, create, []string{group.DeliverTo()})
	})
}

// Reactions counts the fediverse likes and shares of a local object.
func (s *Service) Reactions(ctx context.Context, objectType, id string) (likes, shares int, err error) {
	var rows []struct {
		Kind string `bun:"kind"`
		N    int    `bun:"n"`
	}
	err = s.db.NewSelect().Model((*reaction)(nil)).Column("kind").ColumnExpr("count(*) AS n").
		Where("object_type = ? AND object_id = ?", objectType, id).Group("kind").Scan(ctx, &rows)
	for _, r := range rows {
		switch r.Kind {
		case "like":
			likes = r.N
		case "announce":
			shares = r.N
		}
	}
	return likes, shares, err
}

// QueueDepth counts the jobs waiting to run, and of those the ones that
// failed at least once.
func (s *Service) QueueDepth(ctx context.Context) (waiting, failing int, err error) {
	n, err := s.db.NewSelect().Table("river_job").Where("state IN ('available', 'scheduled', 'retryable', 'running')").Count(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("queue depth: %w", err)
	}
	f, err := s.db.NewSelect().Table("river_job").Where("state = 'retryable' OR (state IN ('available', 'scheduled') AND attempt > 0)").Count(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("queue depth: %w", err)
	}
	return int(n), int(f), nil
}

// localNote serves a comment a resident sent to another city.
func (s *Service) localNote(ctx context.Context, id string) (*as2.Doc, error) {
	o, err := s.RemoteObject(ctx, id)
	if err != nil || !sameHost(o.AttributedTo, s.ids.Instance()) {
		return nil, errGone
	}
	if o.DeletedAt != nil {
		return as2.Tombstone(o.ID, "Note", *o.DeletedAt), nil
	}
	return as2.RemoteNote(o.ID, o.AttributedTo, o.InReplyTo, o.Group, o.ContentHTML, "", o.Published), nil
}

package debates

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// Bounds on what a fediverse peer sends, beyond the body's 5,000
// characters of text.
const (
	maxRemoteURL  = 2048
	maxRemoteName = 100
	maxRemoteHTML = 64 << 10
)

// RemoteComment is a comment that arrived from the fediverse, already
// verified by federation (signature, actor, blocks).
type RemoteComment struct {
	APID     string // the object's id, an http(s) URL: ingestion is idempotent by it
	Actor    string // the author's actor URI
	Name     string // the author's display name, as the peer gives it
	URL      string // the object's page for people, if any
	Target   Target // what it answers: a proposal or a debate, or empty for a reply to a comment
	ParentID string // the local comment it answers, if any
	Content  string // HTML as received; sanitised here
}

// AddRemote writes a comment from the fediverse. Receiving the same
// object again (same APID) returns the comment already stored, even one
// deleted since, and writes nothing; the same APID from another actor is
// refused. The target and parent are checked as for a local comment.
func (s *Service) AddRemote(ctx context.Context, in RemoteComment) (*Comment, error) {
	apID, err := remoteURL(in.APID, true)
	if err != nil {
		return nil, err
	}
	actor, err := remoteURL(in.Actor, true)
	if err != nil {
		return nil, err
	}
	page, err := remoteURL(in.URL, false)
	if err != nil {
		return nil, err
	}
	html, err := s.remoteBody(in.Content)
	if err != nil {
		return nil, err
	}
	c := &Comment{
		ID: database.NewID(), TargetKind: in.Target.Kind, TargetID: in.Target.ID, ParentID: in.ParentID,
		RemoteActor: actor, RemoteName: remoteName(in.Name), RemoteURL: page, APID: &apID,
		Body: html, BodyHTML: html, CreatedAt: s.now(),
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		stored, err := s.byAPID(ctx, tx, apID, actor)
		if err == nil {
			c = stored
			return nil
		}
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		return s.add(ctx, tx, c)
	})
	if errors.Is(err, database.ErrConflict) {
		// The same object arrived twice at once and the other copy won.
		return s.byAPID(ctx, s.db, apID, actor)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// EditRemote replaces the body of a remote comment, on behalf of the
// actor who wrote it and no other; the previous body goes to its history.
func (s *Service) EditRemote(ctx context.Context, apID, actor, content string) (*Comment, error) {
	html, err := s.remoteBody(content)
	if err != nil {
		return nil, err
	}
	var c *Comment
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if c, err = s.byAPID(ctx, tx, apID, actor); err != nil {
			return err
		}
		return s.edit(ctx, tx, c, html, html, "")
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// DeleteRemote deletes a remote comment, on behalf of the actor who wrote
// it and no other, as Delete does for a local one.
func (s *Service) DeleteRemote(ctx context.Context, apID, actor string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := s.byAPID(ctx, tx, apID, actor)
		if err != nil {
			return err
		}
		return s.remove(ctx, tx, c)
	})
}

// byAPID loads the comment stored for a remote object (locked, inside a
// transaction) and checks that actor wrote it.
func (s *Service) byAPID(ctx context.Context, db bun.IDB, apID, actor string) (*Comment, error) {
	c := new(Comment)
	if err := forUpdate(db.NewSelect().Model(c).Where("ap_id = ?", apID)).Scan(ctx); err != nil {
		return nil, notFound(err, "load remote comment")
	}
	if c.RemoteActor == "" || c.RemoteActor != actor {
		return nil, fmt.Errorf("%w: %s is not the author of %s", ErrForbidden, actor, apID)
	}
	return c, nil
}

// remoteBody sanitises a peer's HTML and checks its length as text.
func (s *Service) remoteBody(content string) (string, error) {
	if len(content) > maxRemoteHTML*4 {
		return "", fmt.Errorf("%w (got %d bytes)", ErrBody, len(content))
	}
	html := s.md.Sanitize(strings.ToValidUTF8(strings.ReplaceAll(content, "\x00", ""), "\uFFFD"))
	if len(html) > maxRemoteHTML {
		return "", fmt.Errorf("%w (got %d bytes of HTML)", ErrBody, len(html))
	}
	if n := utf8.RuneCountInString(s.md.Text(html)); n < 1 || n > MaxBody {
		return "", fmt.Errorf("%w (got %d)", ErrBody, n)
	}
	return html, nil
}

// remoteURL checks an absolute http(s) URL from a peer.
func remoteURL(raw string, required bool) (string, error) {
	if raw == "" && !required {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || len(raw) > maxRemoteURL || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("%w: %q is not an http(s) URL", ErrRemote, raw)
	}
	return raw, nil
}

// remoteName keeps a peer's display name to one short line.
func remoteName(name string) string {
	name = strings.Join(strings.Fields(strings.ToValidUTF8(name, "")), " ")
	if utf8.RuneCountInString(name) > maxRemoteName {
		name = string([]rune(name)[:maxRemoteName])
	}
	return name
}

// CommentByAPID returns the comment stored for a remote object, or
// ErrNotFound.
func (s *Service) CommentByAPID(ctx context.Context, apID string) (*Comment, error) {
	c := new(Comment)
	if err := s.db.NewSelect().Model(c).Where("ap_id = ?", apID).Scan(ctx); err != nil {
		return nil, notFound(err, "load remote comment")
	}
	c.fix()
	return c, nil
}

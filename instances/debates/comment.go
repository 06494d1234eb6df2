package debates

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/markup"
	"agora/instances/outbox"
	"agora/storage/database"
)

// Alignment is where a comment stands on what it answers.
type Alignment string

const (
	AlignNone    Alignment = ""
	AlignFor     Alignment = "for"
	AlignAgainst Alignment = "against"
	AlignNeutral Alignment = "neutral"
)

// ParseAlignment checks an alignment; "" and "none" mean none.
func ParseAlignment(s string) (Alignment, error) {
	switch a := Alignment(strings.ToLower(strings.TrimSpace(s))); a {
	case AlignNone, "none":
		return AlignNone, nil
	case AlignFor, AlignAgainst, AlignNeutral:
		return a, nil
	}
	return "", fmt.Errorf("%w: %q", ErrAlignment, s)
}

// Comment is one message of a thread. Its author is a local account
// (AuthorID, and EnteredBy and Desk when an agent typed it at a desk for
// them) or a fediverse actor (RemoteActor and the rest).
//
// Body is what was written: Markdown for a local author, the sanitised
// HTML as received for a remote one. A deleted comment that still has
// replies stays in its thread, with DeletedAt set and an empty body (see
// Deleted).
type Comment struct {
	bun.BaseModel `bun:"table:comments,alias:c"`

	ID           string     `bun:"id,pk"`
	TargetKind   TargetKind `bun:"target_kind"`
	TargetID     string     `bun:"target_id"`
	ParentID     string     `bun:"parent_id,nullzero"`
	Depth        int        `bun:"depth"` // 0 for a comment on the target itself
	AuthorID     string     `bun:"author_id,nullzero"`
	RemoteActor  string     `bun:"remote_actor,nullzero"` // ActivityPub actor URI
	RemoteName   string     `bun:"remote_name"`
	RemoteURL    string     `bun:"remote_url"`
	APID         *string    `bun:"ap_id"` // the remote object's id
	EnteredBy    string     `bun:"entered_by,nullzero"`
	Desk         string     `bun:"desk"`
	Body         string     `bun:"body"`
	BodyHTML     string     `bun:"body_html"`
	Alignment    Alignment  `bun:"alignment"`
	SupportCount int        `bun:"support_count"`
	CreatedAt    time.Time  `bun:"created_at"`
	EditedAt     *time.Time `bun:"edited_at"`
	DeletedAt    *time.Time `bun:"deleted_at"`
	HiddenAt     *time.Time `bun:"hidden_at"`
	HiddenReason string     `bun:"hidden_reason"`

	// Author is the local author's public face, loaded by reads; nil for
	// a remote author.
	Author *Author `bun:"rel:belongs-to,join:author_id=id"`
}

// Author is what a thread shows of a local author. A deleted account is
// shown as a former participant.
type Author struct {
	bun.BaseModel `bun:"table:accounts,alias:author"`

	ID          string     `bun:"id,pk"`
	Handle      string     `bun:"handle"`
	DisplayName string     `bun:"display_name"`
	Public      bool       `bun:"public"` // the handle may be shown beyond this node
	DeletedAt   *time.Time `bun:"deleted_at"`
}

// Target returns what the comment is about.
func (c *Comment) Target() Target { return Target{Kind: c.TargetKind, ID: c.TargetID} }

// Hidden reports whether moderation hid the comment; pages then show
// "hidden by moderation" and HiddenReason instead of its body.
func (c *Comment) Hidden() bool { return c.HiddenAt != nil }

// Deleted reports whether the comment was deleted and kept only to hold
// its replies in place.
func (c *Comment) Deleted() bool { return c.DeletedAt != nil }

// Remote reports whether a fediverse actor wrote the comment.
func (c *Comment) Remote() bool { return c.RemoteActor != "" }

// visible reports whether the comment counts in its target's comment_count.
func (c *Comment) visible() bool { return !c.Hidden() && !c.Deleted() }

// NewComment is what writing a comment takes.
type NewComment struct {
	Target    Target // what it is about; may be left empty for a reply
	ParentID  string // the comment it replies to, if any
	Body      string // Markdown, 1 to 5,000 characters
	Alignment Alignment
}

// Add writes a comment as the signed-in resident, or as the resident
// present at an agent's desk. A reply takes its parent's target. Past
// CommentLimits it writes nothing and returns a *RateLimitError.
func (s *Service) Add(ctx context.Context, actor accounts.Actor, in NewComment) (*Comment, error) {
	who, enteredBy, err := author(ctx, s.db, actor)
	if err != nil {
		return nil, err
	}
	body, html, err := s.commentBody(in.Body)
	if err != nil {
		return nil, err
	}
	align, err := ParseAlignment(string(in.Alignment))
	if err != nil {
		return nil, err
	}
	c := &Comment{
		ID: database.NewID(), TargetKind: in.Target.Kind, TargetID: in.Target.ID, ParentID: in.ParentID,
		AuthorID: who.ID, EnteredBy: enteredBy, Desk: actor.Desk, Body: body, BodyHTML: html,
		Alignment: align, CreatedAt: s.now(),
	}
	if enteredBy == "" {
		c.Desk = ""
	}
	if err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.paced(ctx, tx, c.AuthorID); err != nil {
			return err
		}
		return s.add(ctx, tx, c)
	}); err != nil {
		return nil, err
	}
	return c, nil
}

// add places a new comment in its thread, checks that its target takes
// comments, and writes it, its target's count and its event.
func (s *Service) add(ctx context.Context, tx bun.Tx, c *Comment) error {
	var parent *Comment
	if c.ParentID != "" {
		var err error
		parent, err = lockComment(ctx, tx, c.ParentID)
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("%w: there is no comment %s", ErrParent, c.ParentID)
		}
		if err != nil {
			return err
		}
		if c.TargetID == "" && c.TargetKind == "" {
			c.TargetKind, c.TargetID = parent.TargetKind, parent.TargetID
		}
		switch {
		case parent.Target() != c.Target():
			return ErrParent
		case parent.Hidden():
			return fmt.Errorf("the comment replied to is %w", ErrHidden)
		case parent.Deleted():
			return fmt.Errorf("%w: it was deleted", ErrParent)
		}
		c.Depth = parent.Depth + 1
	}
	if err := takesComments(ctx, tx, c.Target()); err != nil {
		return err
	}
	if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
		return fmt.Errorf("insert comment: %w", database.Translate(err))
	}
	if err := AdjustCommentCount(ctx, tx, c.Target(), 1); err != nil {
		return err
	}
	if err := notifyCommented(ctx, tx, s.now(), c, parent); err != nil {
		return err
	}
	return outbox.Record(ctx, tx, s.now(), outbox.Create, objectComment, c.ID, c.AuthorID)
}

// Edit replaces the body of a comment that is not hidden, on a target that
// still takes comments: its author, or an agent at a desk for them. The
// previous body is kept in the comment's history.
func (s *Service) Edit(ctx context.Context, actor accounts.Actor, id, body string) (*Comment, error) {
	body, html, err := s.commentBody(body)
	if err != nil {
		return nil, err
	}
	var c *Comment
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if c, err = lockComment(ctx, tx, id); err != nil {
			return err
		}
		if c.Remote() {
			return ErrForbidden
		}
		if err := mayChange(ctx, tx, actor, c.AuthorID); err != nil {
			return err
		}
		return s.edit(ctx, tx, c, body, html, actorID(actor))
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// edit keeps the previous body as a version and writes the new one.
func (s *Service) edit(ctx context.Context, tx bun.Tx, c *Comment, body, html, editor string) error {
	switch {
	case c.Deleted():
		return fmt.Errorf("comment %s: %w", c.ID, ErrNotFound)
	case c.Hidden():
		return ErrHidden
	}
	if err := takesComments(ctx, tx, c.Target()); err != nil {
		return err
	}
	if body == c.Body {
		return nil // nothing changed: no version, nothing to deliver
	}
	var last int
	if err := tx.NewSelect().Model((*Version)(nil)).ColumnExpr("COALESCE(MAX(version), 0)").
		Where("comment_id = ?", c.ID).Scan(ctx, &last); err != nil {
		return fmt.Errorf("find last version: %w", err)
	}
	now := s.now()
	v := &Version{CommentID: c.ID, Version: last + 1, Body: c.Body, EditedAt: now, EditedBy: editor}
	if _, err := tx.NewInsert().Model(v).Exec(ctx); err != nil {
		return fmt.Errorf("keep previous version: %w", err)
	}
	c.Body, c.BodyHTML, c.EditedAt = body, html, &now
	if _, err := tx.NewUpdate().Model(c).Column("body", "body_html", "edited_at").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("update comment: %w", err)
	}
	return outbox.Record(ctx, tx, s.now(), outbox.Update, objectComment, c.ID, c.AuthorID)
}

// Delete removes a comment: its author, an agent at a desk for them, or
// the node. A comment with replies stays as an empty placeholder, marked
// deleted (DeletedAt), so the replies keep their place; its history and
// supports go. A placeholder left without replies goes too.
func (s *Service) Delete(ctx context.Context, actor accounts.Actor, id string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := lockComment(ctx, tx, id)
		if err != nil {
			return err
		}
		if actor.Account != nil && c.Remote() {
			return ErrForbidden
		}
		if actor.Account != nil {
			if err := mayChange(ctx, tx, actor, c.AuthorID); err != nil {
				return err
			}
		}
		return s.remove(ctx, tx, c)
	})
}

// remove deletes a comment, or empties it when it has replies.
func (s *Service) remove(ctx context.Context, tx bun.Tx, c *Comment) error {
	if c.Deleted() {
		return fmt.Errorf("comment %s: %w", c.ID, ErrNotFound)
	}
	wasVisible := c.visible()
	replies, err := tx.NewSelect().Model((*Comment)(nil)).Where("parent_id = ?", c.ID).Count(ctx)
	if err != nil {
		return fmt.Errorf("count replies: %w", err)
	}
	if replies > 0 {
		now := s.now()
		c.Body, c.BodyHTML, c.Alignment, c.SupportCount, c.DeletedAt = "", "", AlignNone, 0, &now
		if _, err := tx.NewUpdate().Model(c).Column("body", "body_html", "alignment", "support_count", "deleted_at").
			WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("empty comment: %w", err)
		}
		for _, m := range []any{(*Version)(nil), (*commentSupport)(nil)} {
			if _, err := tx.NewDelete().Model(m).Where("comment_id = ?", c.ID).Exec(ctx); err != nil {
				return fmt.Errorf("delete comment history: %w", err)
			}
		}
	} else if err := prune(ctx, tx, c); err != nil {
		return err
	}
	if wasVisible {
		if err := AdjustCommentCount(ctx, tx, c.Target(), -1); err != nil {
			return err
		}
	}
	return outbox.Record(ctx, tx, s.now(), outbox.Delete, objectComment, c.ID, c.AuthorID)
}

// prune deletes a comment without replies (its versions and supports go
// with it), then each emptied ancestor it leaves without replies.
func prune(ctx context.Context, tx bun.Tx, c *Comment) error {
	for {
		if _, err := tx.NewDelete().Model((*Comment)(nil)).Where("id = ?", c.ID).Exec(ctx); err != nil {
			return fmt.Errorf("delete comment: %w", err)
		}
		if c.ParentID == "" {
			return nil
		}
		parent, err := lockComment(ctx, tx, c.ParentID)
		if errors.Is(err, ErrNotFound) {
			return nil // nothing above to tidy
		}
		if err != nil {
			return err
		}
		if !parent.Deleted() {
			return nil
		}
		n, err := tx.NewSelect().Model((*Comment)(nil)).Where("parent_id = ?", parent.ID).Count(ctx)
		if err != nil {
			return fmt.Errorf("count replies: %w", err)
		}
		if n > 0 {
			return nil
		}
		c = parent
	}
}

// Comment returns one comment with its author, hidden or not, with all
// its text: for its author and moderators.
func (s *Service) Comment(ctx context.Context, id string) (*Comment, error) {
	c := new(Comment)
	if err := s.db.NewSelect().Model(c).Relation("Author").Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "load comment")
	}
	c.fix()
	return c, nil
}

// Version is a comment's body as it was before an edit.
type Version struct {
	bun.BaseModel `bun:"table:comment_versions"`

	CommentID string    `bun:"comment_id,pk"`
	Version   int       `bun:"version,pk"` // 1 for the body as first written
	Body      string    `bun:"body"`
	EditedAt  time.Time `bun:"edited_at"` // when this body was replaced
	EditedBy  string    `bun:"edited_by,nullzero"`
}

// History returns the earlier bodies of a comment, oldest first; the
// current one is the comment's. A hidden comment's history is not shown.
func (s *Service) History(ctx context.Context, id string) ([]Version, error) {
	c := new(Comment)
	if err := s.db.NewSelect().Model(c).Column("id", "hidden_at").Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "load comment")
	}
	if c.Hidden() {
		return nil, ErrHidden
	}
	var out []Version
	if err := s.db.NewSelect().Model(&out).Where("comment_id = ?", id).Order("version").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load history: %w", err)
	}
	return out, nil
}

// lockComment loads a comment, locked until the transaction ends.
func lockComment(ctx context.Context, tx bun.Tx, id string) (*Comment, error) {
	c := new(Comment)
	if err := forUpdate(tx.NewSelect().Model(c).Where("id = ?", id)).Scan(ctx); err != nil {
		return nil, notFound(err, "load comment "+id)
	}
	return c, nil
}

// fix drops the empty author a join leaves for a remote comment.
func (c *Comment) fix() {
	if c.AuthorID == "" {
		c.Author = nil
	}
}

// commentBody checks a local comment's Markdown and renders it.
func (s *Service) commentBody(src string) (string, string, error) {
	body, err := text(src, 1, MaxBody, ErrBody)
	if err != nil {
		return "", "", err
	}
	html := s.md.Markdown(body)
	if html == "" {
		return "", "", &markup.LengthError{Err: ErrBody, N: utf8.RuneCountInString(body), Min: 1, Max: MaxBody, Cleaned: true}
	}
	return body, html, nil
}

// text trims what a person wrote and checks its length in characters;
// invalid UTF-8 and NUL characters are refused (PostgreSQL refuses them).
func text(s string, lo, hi int, bad error) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("%w (not valid text)", bad)
	}
	if err := markup.CheckLength(bad, s, lo, hi); err != nil {
		return "", err
	}
	return s, nil
}

package debates

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/outbox"
	"agora/storage/database"
)

// DebateState is whether a debate still takes comments.
type DebateState string

const (
	DebateOpen   DebateState = "open"
	DebateClosed DebateState = "closed"
)

// Debate is a question put to a space, open for comments until it is
// closed with a conclusion. Its author is a resident; EnteredBy and Desk
// name the agent who typed it at a desk for them, if one did.
type Debate struct {
	bun.BaseModel `bun:"table:debates"`

	ID              string      `bun:"id,pk"`
	SpaceID         string      `bun:"space_id"`
	AuthorID        string      `bun:"author_id"`
	Question        string      `bun:"question"`
	Description     string      `bun:"description"` // Markdown as written
	DescriptionHTML string      `bun:"description_html"`
	State           DebateState `bun:"state"`
	Conclusion      string      `bun:"conclusion"`
	ConclusionHTML  string      `bun:"conclusion_html"`
	CommentCount    int         `bun:"comment_count"`       // visible comments
	EnteredBy       string      `bun:"entered_by,nullzero"` // the agent, when typed at a desk
	Desk            string      `bun:"desk"`
	CreatedAt       time.Time   `bun:"created_at"`
	EditedAt        *time.Time  `bun:"edited_at"`
	ClosedAt        *time.Time  `bun:"closed_at"`
	HiddenAt        *time.Time  `bun:"hidden_at"`
	HiddenReason    string      `bun:"hidden_reason"`
}

// Hidden reports whether moderation hid the debate; pages then show
// "hidden by moderation" and HiddenReason instead of its text.
func (d *Debate) Hidden() bool { return d.HiddenAt != nil }

// NewDebate is what opening a debate takes.
type NewDebate struct {
	SpaceID     string
	Question    string // plain text, 1 to 200 characters
	Description string // Markdown, at most 5,000 characters
}

// CreateDebate opens a debate in a space, written by the signed-in
// resident, or by an agent at a desk for the resident present (the
// resident is its author; the agent and the desk are kept beside).
func (s *Service) CreateDebate(ctx context.Context, actor accounts.Actor, in NewDebate) (*Debate, error) {
	who, enteredBy, err := author(ctx, s.db, actor)
	if err != nil {
		return nil, err
	}
	question, description, err := debateText(in.Question, in.Description)
	if err != nil {
		return nil, err
	}
	d := &Debate{
		ID: database.NewID(), SpaceID: in.SpaceID, AuthorID: who.ID, EnteredBy: enteredBy, Question: question,
		Description: description, DescriptionHTML: s.markdown(description),
		State: DebateOpen, CreatedAt: s.now(),
	}
	if enteredBy != "" {
		d.Desk = actor.Desk
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		n, err := tx.NewSelect().Table("spaces").Where("id = ?", in.SpaceID).Count(ctx)
		if err != nil {
			return fmt.Errorf("find space: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("space %q: %w", in.SpaceID, ErrNotFound)
		}
		if _, err := tx.NewInsert().Model(d).Exec(ctx); err != nil {
			return fmt.Errorf("insert debate: %w", err)
		}
		if err := notifyDebateOpened(ctx, tx, d.CreatedAt, d); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, s.now(), outbox.Create, objectDebate, d.ID, d.AuthorID)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// DebateEdit is what its author may change about an open debate.
type DebateEdit struct {
	Question    string
	Description string
}

// EditDebate changes the question and description of an open debate that
// is not hidden: its author, or an agent at a desk for them. It sets
// EditedAt when something changed.
func (s *Service) EditDebate(ctx context.Context, actor accounts.Actor, id string, in DebateEdit) (*Debate, error) {
	question, description, err := debateText(in.Question, in.Description)
	if err != nil {
		return nil, err
	}
	return s.changeDebate(ctx, id, func(ctx context.Context, tx bun.Tx, d *Debate) error {
		if err := mayChange(ctx, tx, actor, d.AuthorID); err != nil {
			return err
		}
		if err := d.open(); err != nil {
			return err
		}
		if d.Question == question && d.Description == description {
			return nil // nothing changed, nothing to deliver
		}
		now := s.now()
		d.Question, d.Description, d.DescriptionHTML, d.EditedAt = question, description, s.markdown(description), &now
		if _, err := tx.NewUpdate().Model(d).Column("question", "description", "description_html", "edited_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update debate: %w", err)
		}
		return outbox.Record(ctx, tx, s.now(), outbox.Update, objectDebate, d.ID, d.AuthorID)
	})
}

// CloseDebate closes an open debate with a conclusion (Markdown, 1 to
// 5,000 characters): its author (or an agent at a desk for them), who
// asked the question; a moderator, an official (the city answers the
// question) or an admin, in their own name; or the node. A closed debate
// takes no more comments and its comments are no longer edited or
// supported.
func (s *Service) CloseDebate(ctx context.Context, actor accounts.Actor, id, conclusion string) (*Debate, error) {
	conclusion, err := text(conclusion, 1, MaxConclusion, ErrConclusion)
	if err != nil {
		return nil, err
	}
	html := s.markdown(conclusion)
	if html == "" {
		return nil, fmt.Errorf("%w (nothing to show)", ErrConclusion)
	}
	return s.changeDebate(ctx, id, func(ctx context.Context, tx bun.Tx, d *Debate) error {
		staff := actor.OnBehalfOf == nil && MayClose(actor.Account)
		if !staff {
			if err := mayChange(ctx, tx, actor, d.AuthorID); err != nil {
				return err
			}
		}
		if d.State != DebateOpen {
			return ErrClosed
		}
		now := s.now()
		d.State, d.Conclusion, d.ConclusionHTML, d.ClosedAt = DebateClosed, conclusion, html, &now
		if _, err := tx.NewUpdate().Model(d).Column("state", "conclusion", "conclusion_html", "closed_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("close debate: %w", err)
		}
		if err := notifyDebateClosed(ctx, tx, now, d, actorID(actor)); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, s.now(), outbox.Update, objectDebate, d.ID, d.AuthorID)
	})
}

// MayClose reports whether an account may close any debate, not only its
// own: moderators, officials and admins; nil is the node, which may.
func MayClose(a *accounts.Account) bool {
	return a == nil || a.Has(accounts.Moderator) || a.Has(accounts.Official) || a.Has(accounts.Admin)
}

// DeleteDebate removes a debate nobody has commented on yet: its author
// (or an agent at a desk for them) or the node. Once people have answered,
// the debate stays; moderators hide it if it must go.
func (s *Service) DeleteDebate(ctx context.Context, actor accounts.Actor, id string) error {
	_, err := s.changeDebate(ctx, id, func(ctx context.Context, tx bun.Tx, d *Debate) error {
		if actor.Account != nil {
			if err := mayChange(ctx, tx, actor, d.AuthorID); err != nil {
				return err
			}
		}
		n, err := tx.NewSelect().Model((*Comment)(nil)).
			Where("target_kind = ? AND target_id = ?", TargetDebate, d.ID).Count(ctx)
		if err != nil {
			return fmt.Errorf("count comments: %w", err)
		}
		if n > 0 {
			return ErrHasComments
		}
		if _, err := tx.NewDelete().Model(d).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("delete debate: %w", err)
		}
		return outbox.Record(ctx, tx, s.now(), outbox.Delete, objectDebate, d.ID, d.AuthorID)
	})
	return err
}

// changeDebate loads and locks a debate and runs change on it in one
// transaction.
func (s *Service) changeDebate(ctx context.Context, id string, change func(context.Context, bun.Tx, *Debate) error) (*Debate, error) {
	d := new(Debate)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := forUpdate(tx.NewSelect().Model(d).Where("id = ?", id)).Scan(ctx); err != nil {
			return notFound(err, "load debate")
		}
		return change(ctx, tx, d)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// open checks that a debate still takes comments and edits.
func (d *Debate) open() error {
	if d.Hidden() {
		return ErrHidden
	}
	if d.State != DebateOpen {
		return ErrClosed
	}
	return nil
}

// Debate returns one debate, hidden or not, with all its text: pages show
// a hidden debate's reason instead of its text.
func (s *Service) Debate(ctx context.Context, id string) (*Debate, error) {
	d := new(Debate)
	if err := s.db.NewSelect().Model(d).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "load debate")
	}
	return d, nil
}

// DebateFilter selects the debates of a space.
type DebateFilter struct {
	SpaceID string
	State   DebateState // "" for every state
	Before  time.Time   // debates created earlier: the next page
	Limit   int         // default 50, at most 200
}

// Debates lists a space's debates, newest first. The description of a
// hidden debate is left out: a listing shows only why it was hidden.
func (s *Service) Debates(ctx context.Context, f DebateFilter) ([]Debate, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 200)
	var out []Debate
	q := s.db.NewSelect().Model(&out).Where("space_id = ?", f.SpaceID).
		Order("created_at DESC", "id DESC").Limit(int64(f.Limit))
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if !f.Before.IsZero() {
		q = q.Where("created_at < ?", f.Before.UTC())
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list debates: %w", err)
	}
	for i := range out {
		if out[i].Hidden() {
			out[i].Description, out[i].DescriptionHTML = "", ""
		}
	}
	return out, nil
}

// debateText normalises and checks a question (one line of plain text)
// and a description (Markdown).
func debateText(question, description string) (string, string, error) {
	question, err := text(strings.Join(strings.Fields(question), " "), 1, MaxQuestion, ErrQuestion)
	if err != nil {
		return "", "", err
	}
	description, err = text(description, 0, MaxDescription, ErrDescription)
	if err != nil {
		return "", "", err
	}
	return question, description, nil
}

// markdown renders what a resident wrote; nothing renders as nothing.
func (s *Service) markdown(src string) string {
	if src == "" {
		return ""
	}
	return s.md.Markdown(src)
}

// Package debates holds the conversations of a node: standalone debates in
// a space (a question, open until closed with a conclusion) and threaded
// comments on a proposal or a debate, written by local residents (or by an
// agent at a desk for a resident who is present) or arriving from the
// fediverse.
//
// Every change is written with its outbox event (package outbox) in one
// transaction, so federation delivers exactly what was committed. The
// event is in the name of the local author, even when an agent typed it at
// a desk or the node removed it, and in nobody's for a remote author. A target's
// comment_count counts its visible comments: neither hidden by moderation
// nor deleted. It is kept in step in the same transaction as the change,
// here and in package moderation (see AdjustCommentCount).
package debates

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/markup"
	"agora/storage/database"
)

// Errors the service returns; the frontend maps them to messages.
var (
	ErrNotFound    = errors.New("not found")
	ErrForbidden   = errors.New("not allowed")
	ErrTarget      = errors.New("comments go on a proposal, a debate or a funded budget project")
	ErrParent      = errors.New("the comment replied to is not in this thread")
	ErrBody        = errors.New("a comment is 1 to 5,000 characters")
	ErrAlignment   = errors.New("an alignment is for, against, neutral or none")
	ErrQuestion    = errors.New("a question is 1 to 200 characters")
	ErrDescription = errors.New("a description is at most 5,000 characters")
	ErrConclusion  = errors.New("a conclusion is 1 to 5,000 characters")
	ErrClosed      = errors.New("this debate is closed")
	ErrHidden      = errors.New("hidden by moderation")
	ErrHasComments = errors.New("a debate that has comments cannot be deleted")
	ErrRemote      = errors.New("invalid remote comment")
	ErrSort        = errors.New("unknown sort order")
)

// Limits, in characters (runes), of what people write.
const (
	MaxBody        = 5000
	MaxQuestion    = 200
	MaxDescription = 5000
	MaxConclusion  = 5000
)

// The object types this package announces in the outbox.
const (
	objectComment = "comment"
	objectDebate  = "debate"
)

// TargetKind is what a comment is about.
type TargetKind string

const (
	TargetProposal TargetKind = "proposal"
	TargetDebate   TargetKind = "debate"
	// TargetBudgetProject is a participatory budget's project: residents
	// comment on it once it is funded (package projects keeps it).
	TargetBudgetProject TargetKind = "budget_project"
)

// table is where targets of the kind live.
func (k TargetKind) table() (string, error) {
	switch k {
	case TargetProposal:
		return "proposals", nil
	case TargetDebate:
		return "debates", nil
	case TargetBudgetProject:
		return "budget_projects", nil
	}
	return "", fmt.Errorf("%w: %q", ErrTarget, k)
}

// Target names what a thread hangs on.
type Target struct {
	Kind TargetKind
	ID   string
}

// Service runs the debates and comments of one node.
type Service struct {
	db  *bun.DB
	md  *markup.Renderer
	now func() time.Time
}

// NewService returns the debates service over db. md renders what people
// write (a fresh renderer when nil); now is the clock (nil for time.Now).
func NewService(db *bun.DB, md *markup.Renderer, now func() time.Time) *Service {
	if md == nil {
		md = markup.New()
	}
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, md: md, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// author returns whom an act is written as, and the agent who entered it
// at a desk if any: a signed-in resident acts for themselves, an agent
// for the resident present at their desk, never for staff (the desk rule
// of accounts.CheckDeskTarget: the error is then ErrForbidden and
// accounts.ErrStaffTarget both).
func author(ctx context.Context, db bun.IDB, actor accounts.Actor) (*accounts.Account, string, error) {
	who, err := accounts.ForResident(ctx, db, actor)
	switch {
	case errors.Is(err, accounts.ErrStaffTarget):
		return nil, "", fmt.Errorf("%w: %w", ErrForbidden, err)
	case errors.Is(err, accounts.ErrForbidden):
		return nil, "", ErrForbidden
	case err != nil:
		return nil, "", err
	}
	if actor.OnBehalfOf == nil {
		return who, "", nil
	}
	return who, actor.Account.ID, nil
}

// mayChange checks that actor may change what accountID wrote: it is
// theirs, or an agent acts at a desk for them.
func mayChange(ctx context.Context, db bun.IDB, actor accounts.Actor, accountID string) error {
	who, _, err := author(ctx, db, actor)
	if err != nil {
		return err
	}
	if accountID == "" || who.ID != accountID {
		return ErrForbidden
	}
	return nil
}

// actorID is the account that acted, "" for the node.
func actorID(actor accounts.Actor) string {
	if actor.Account == nil {
		return ""
	}
	return actor.Account.ID
}

// forUpdate locks the selected rows until the transaction ends on
// PostgreSQL; SQLite transactions already hold the only write lock.
func forUpdate(q *bun.SelectQuery) *bun.SelectQuery {
	if database.IsPostgres(q.DB()) {
		return q.For("UPDATE")
	}
	return q
}

// notFound turns a driver's "no rows" into ErrNotFound, wrapping others.
func notFound(err error, what string) error {
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// Package moderation holds what residents and moderators do about content
// that breaks the rules: reports (from residents, or Flags from the
// fediverse), hiding and showing again, recategorising and merging
// proposals, and the public log of every moderation act.
//
// Every act is written in one transaction with its log entry and an
// outbox event for the item it changed. The log is public: what, when,
// why, on what, in which space. It never shows who reported, and the
// moderator is kept for the node's admins only.
package moderation

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/outbox"
	"agora/storage/database"
)

// Errors the service returns; the frontend maps them to messages.
var (
	ErrNotFound   = errors.New("not found")
	ErrForbidden  = errors.New("not allowed")
	ErrTarget     = errors.New("only a proposal, a debate or a comment can be reported or moderated")
	ErrReason     = errors.New("a reason is 1 to 1,000 characters")
	ErrResolution = errors.New("a resolution is 1 to 1,000 characters")
	ErrHidden     = errors.New("already hidden")
	ErrNotHidden  = errors.New("not hidden")
	ErrCategory   = errors.New("this space has no such category")
	ErrNoChange   = errors.New("nothing would change")
	ErrMerge      = errors.New("these proposals cannot be merged")
	ErrResolved   = errors.New("this report is already resolved")
	ErrRemote     = errors.New("invalid remote actor")
	ErrOwnContent = errors.New("one does not report what one wrote")
)

// MaxReason is the longest reason, resolution or report, in characters.
const MaxReason = 1000

// TargetKind is what a report or a moderation act is about.
type TargetKind string

const (
	TargetProposal TargetKind = "proposal"
	TargetDebate   TargetKind = "debate"
	TargetComment  TargetKind = "comment"
)

// table is where items of the kind live.
func (k TargetKind) table() (string, error) {
	switch k {
	case TargetProposal:
		return "proposals", nil
	case TargetDebate:
		return "debates", nil
	case TargetComment:
		return "comments", nil
	}
	return "", fmt.Errorf("%w: %q", ErrTarget, k)
}

// Target names a reported or moderated item.
type Target struct {
	Kind TargetKind
	ID   string
}

// Action is a moderation act, as the public log names it.
type Action string

const (
	ActionHide         Action = "hide"
	ActionUnhide       Action = "unhide"
	ActionRecategorise Action = "recategorise"
	ActionMerge        Action = "merge"
	ActionResolve      Action = "resolve"
)

// Service runs reports and moderation on one node.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns the moderation service over db. now is the clock
// (nil for time.Now).
func NewService(db *bun.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// moderator checks that actor may moderate: a moderator acting in their
// own name, or the node.
func moderator(actor accounts.Actor) error {
	if actor.OnBehalfOf != nil || (actor.Account != nil && !actor.Account.Has(accounts.Moderator)) {
		return ErrForbidden
	}
	return nil
}

// MayReport says whether who may report an item written by authorID (""
// for a fediverse author): ErrOwnContent when they wrote it, since they
// may edit, withdraw or delete it themselves. Pages ask it before they
// offer the report link; Report applies it.
func MayReport(who *accounts.Account, authorID string) error {
	if who != nil && authorID != "" && who.ID == authorID {
		return ErrOwnContent
	}
	return nil
}

// reason trims and checks a reason or resolution.
func reason(s string, bad error) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return "", fmt.Errorf("%w (not valid text)", bad)
	}
	if n := utf8.RuneCountInString(s); n < 1 || n > MaxReason {
		return "", fmt.Errorf("%w (got %d)", bad, n)
	}
	return s, nil
}

// updated records, inside the caller's transaction, that moderation
// changed an item. The node acts, not the moderator (no actor): moderators
// are not named to the fediverse either.
func updated(ctx context.Context, tx bun.IDB, at time.Time, t Target) error {
	return outbox.Record(ctx, tx, at, outbox.Update, string(t.Kind), t.ID, "")
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

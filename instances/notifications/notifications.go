// Package notifications holds what residents follow (a space, a proposal,
// a debate) and the notifications the node writes for them.
//
// A notification is written by the domain package whose change causes
// it, with Record, inside the transaction of that change: the change and
// its notifications commit together or not at all, so none is lost on a
// crash and none is written twice (one per event and person, enforced by
// the database). This package knows nothing of the other domains: it
// imports only storage, and they call it, as they call package outbox.
//
// Notifications reach residents on the site, by email (email.go: the
// rows are the queue, claimed by frontend/notify's courier) and, for a
// resident who linked a fediverse account, as a direct message from the
// node's instance actor (fediverse.go, sent by federation/fedlink.go).
//
// Follows start on their own (authors follow what they create, repliers
// the thread they wrote in) and stop when the resident says so; a stopped
// follow is kept, so that writing again in the thread does not start it
// again behind their back.
package notifications

import (
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// TargetKind is what a resident may follow, and what a notification is
// about.
type TargetKind string

const (
	Space    TargetKind = "space"
	Proposal TargetKind = "proposal"
	Debate   TargetKind = "debate"
	Account  TargetKind = "account" // a notification about one's account (a desk act)
	Person   TargetKind = "person"  // a person with a public profile, followed for what they publish
	Vote     TargetKind = "vote"    // a binding vote (the subject of its opening and closing)
	// BudgetProject is a participatory budget's project, followed for its
	// follow-up once funded.
	BudgetProject TargetKind = "budget_project"
	// Report is a street report, followed for its changes of state.
	Report TargetKind = "report"
)

// ParseTarget checks a kind of followed thing from a form.
func ParseTarget(kind, id string) (Target, error) {
	switch k := TargetKind(kind); k {
	case Space, Proposal, Debate, Person, BudgetProject, Report:
		if id == "" || len(id) > 64 {
			break
		}
		return Target{Kind: k, ID: id}, nil
	}
	return Target{}, fmt.Errorf("%w: %q %q", ErrTarget, kind, id)
}

// Target names a followed thing.
type Target struct {
	Kind TargetKind
	ID   string
}

// table is where things of the kind live, and their title column.
func (k TargetKind) table() (table, title string, err error) {
	switch k {
	case Space:
		return "spaces", "title", nil
	case Proposal:
		return "proposals", "title", nil
	case Debate:
		return "debates", "question", nil
	case Person:
		return "accounts", "display_name", nil
	case Vote:
		return "decision_votes", "question", nil
	case BudgetProject:
		return "budget_projects", "title", nil
	case Report: // a report has no title: its description
		return "street_reports", "description", nil
	}
	return "", "", fmt.Errorf("%w: %q", ErrTarget, k)
}

// Kind is what a notification tells.
type Kind string

const (
	Answered    Kind = "answer"       // an official answered a proposal one follows
	StateChange Kind = "state"        // a followed proposal or debate changed state
	Reply       Kind = "reply"        // someone replied to one's comment
	Mention     Kind = "mention"      // someone wrote one's @handle
	NewProposal Kind = "new_proposal" // in a followed space
	NewDebate   Kind = "new_debate"   // in a followed space
	Moderated   Kind = "moderation"   // moderators acted on one's own content
	DeskAct     Kind = "desk"         // an agent acted on one's behalf at a desk
	ProposalBy  Kind = "proposal_by"  // a followed person published a proposal
	DebateBy    Kind = "debate_by"    // a followed person opened a debate
	PhaseStart  Kind = "phase"        // a phase of a followed space began (Detail: its kind)
	VoteOpened  Kind = "vote_open"    // a vote of a followed space opened
	VoteClosed  Kind = "vote_closed"  // it closed (Detail: the winning option, "" when none)
	// BudgetStep: a funded budget project one follows, or that came from
	// one's idea, moved on (Detail: StepDetail's status and progress).
	BudgetStep Kind = "budget_step"
	// ReportState: a street report one follows (or made) changed state
	// (Detail: the new state).
	ReportState Kind = "report_state"
)

// StepDetail is a BudgetStep's Detail: the project's follow-up status
// and its progress in percent, "works 40".
func StepDetail(status string, progress int) string { return fmt.Sprintf("%s %d", status, progress) }

// Errors of the service.
var (
	ErrTarget   = errors.New("only a space, a proposal, a debate, a budget project, a street report or a person with a public profile can be followed")
	ErrNotFound = errors.New("not found")
	ErrSignIn   = errors.New("sign in to do this")
)

// Notification is one line of a resident's notifications.
type Notification struct {
	bun.BaseModel `bun:"table:notifications,alias:n"`

	ID          int64      `bun:"id,pk,autoincrement"`
	AccountID   string     `bun:"account_id"`
	EventID     string     `bun:"event_id"`
	Kind        Kind       `bun:"kind"`
	SubjectKind TargetKind `bun:"subject_kind"`
	SubjectID   string     `bun:"subject_id"`
	CommentID   string     `bun:"comment_id"`
	Title       string     `bun:"title"`
	Detail      string     `bun:"detail"`
	ActorID     string     `bun:"actor_id,nullzero"`
	CreatedAt   time.Time  `bun:"created_at"`
	ReadAt      *time.Time `bun:"read_at"`
	EmailedAt   *time.Time `bun:"emailed_at"`   // claimed for email
	Mailed      bool       `bun:"mailed"`       // taken by the SMTP server
	FediverseAt *time.Time `bun:"fediverse_at"` // queued as a fediverse direct message

	// ActorName is the display name of who acted ("" for the node, an
	// erased account or a remote author), loaded by List.
	ActorName string `bun:"actor_name,scanonly"`
}

// Unread reports whether the notification was not marked read.
func (n *Notification) Unread() bool { return n.ReadAt == nil }

// follow is one row of follows.
type follow struct {
	bun.BaseModel `bun:"table:follows"`

	AccountID  string     `bun:"account_id,pk"`
	TargetKind TargetKind `bun:"target_kind,pk"`
	TargetID   string     `bun:"target_id,pk"`
	CreatedAt  time.Time  `bun:"created_at"`
	StoppedAt  *time.Time `bun:"stopped_at"`
}

// Service runs follows and notifications for one node.
type Service struct {
	db  *bun.DB
	now func() time.Time
}

// NewService returns the service over db. now is the clock (nil for
// time.Now).
func NewService(db *bun.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// notFound turns a driver's "no rows" into ErrNotFound.
func notFound(err error, what string) error {
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return fmt.Errorf("%s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

package accounts

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/notifications"
)

// What the domain writes in the audit log's details and reasons, besides
// "key=value" facts: fixed phrases, which pages word in their language
// (entries already written hold the same text).
const (
	AuditOpenedByNode = "opened by the node" // account.create by the node (a command, the demo)
	AuditOpenedAtDesk = "opened at a desk"   // account.create by an agent
	AuditSelfSignUp   = "self sign-up"       // account.create by the resident
	AuditAtCreation   = "at creation"        // reason of a role granted with the account
)

// AuditEntry is one line of the append-only audit log: who did what to
// whom, when and why, and, for an act at a desk, for whom and where. The
// database refuses UPDATE and DELETE on this table.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log"`

	ID         int64     `bun:"id,pk,autoincrement"`
	At         time.Time `bun:"at"`
	ActorID    string    `bun:"actor_id"`
	Action     string    `bun:"action"`
	SubjectID  string    `bun:"subject_id"`
	OnBehalfOf string    `bun:"on_behalf_of"`
	Desk       string    `bun:"desk"`
	Details    string    `bun:"details"`
	Reason     string    `bun:"reason"`
}

// audit appends an entry inside the caller's transaction, so the act and
// its record commit together or not at all.
func (s *Service) audit(ctx context.Context, tx bun.IDB, actor Actor, action, subjectID, details, reason string) error {
	return Record(ctx, tx, s.now(), actor, action, subjectID, details, reason)
}

// Record appends an entry to the audit log inside the caller's
// transaction: other domains record their acts on the node (its
// settings, its spaces) with it, in the transaction of the act.
func Record(ctx context.Context, tx bun.IDB, at time.Time, actor Actor, action, subjectID, details, reason string) error {
	e := &AuditEntry{
		At: at, ActorID: actor.id(), Action: action, SubjectID: subjectID,
		Desk: actor.Desk, Details: details, Reason: reason,
	}
	if actor.OnBehalfOf != nil {
		e.OnBehalfOf = actor.OnBehalfOf.ID
	}
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return notifyDesk(ctx, tx, at, actor, action, subjectID)
}

// notifyDesk tells a resident, always, that an agent acted for them at a
// desk (see package notifications), in the transaction of the act.
func notifyDesk(ctx context.Context, tx bun.IDB, at time.Time, actor Actor, action, subjectID string) error {
	to := ""
	switch {
	case actor.Account == nil:
		return nil
	case actor.OnBehalfOf != nil:
		to = actor.OnBehalfOf.ID
	case actor.Desk != "" && subjectID != actor.id():
		to = subjectID
	}
	if to == "" {
		return nil
	}
	return notifications.Record(ctx, tx, notifications.Event{Kind: notifications.DeskAct,
		Subject: notifications.Target{Kind: notifications.Account, ID: to}, Detail: "audit.action." + action,
		ActorID: actor.id(), At: at, To: []string{to}})
}

// AuditFilter selects audit entries; zero fields select everything.
type AuditFilter struct {
	ActorID   string
	SubjectID string
	Action    string // exact, or a prefix ending in "." such as "role."
	Since     time.Time
	Until     time.Time
	Before    int64 // entries with a smaller id: the next page
	Limit     int   // default 50, at most 500
}

// AuditLog lists entries, newest first. Admins read everything; agents
// read the history of one resident at a time (the one at their desk);
// anyone else reads the entries about themselves, and those they entered.
func (s *Service) AuditLog(ctx context.Context, actor Actor, f AuditFilter) ([]AuditEntry, error) {
	if !actor.can(Admin) && !(actor.can(Agent) && f.SubjectID != "") {
		self := actor.id()
		if self == "" || (f.SubjectID != self && f.ActorID != self) {
			return nil, ErrForbidden
		}
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500)
	var out []AuditEntry
	q := s.db.NewSelect().Model(&out).Order("id DESC").Limit(int64(f.Limit))
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.SubjectID != "" {
		q = q.Where("(subject_id = ? OR on_behalf_of = ?)", f.SubjectID, f.SubjectID)
	}
	if f.Action != "" {
		if f.Action[len(f.Action)-1] == '.' {
			q = q.Where("action LIKE ?", f.Action+"%")
		} else {
			q = q.Where("action = ?", f.Action)
		}
	}
	if !f.Since.IsZero() {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		q = q.Where("at < ?", f.Until.UTC())
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}

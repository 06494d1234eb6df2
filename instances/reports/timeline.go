package reports

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
)

// Kinds of timeline event.
const (
	KindCreated = "created" // the report was sent
	KindState   = "state"   // an official changed its state, with a message
	KindMessage = "message" // the reporter or the service wrote
)

// Event is one line of a report's timeline.
type Event struct {
	bun.BaseModel `bun:"table:report_events"`

	ID           int64      `bun:"id,pk,autoincrement"`
	ReportID     string     `bun:"report_id"`
	Kind         string     `bun:"kind"`
	State        State      `bun:"state"` // the state after the event
	ActorID      string     `bun:"actor_id,nullzero"`
	EnteredBy    string     `bun:"entered_by,nullzero"` // an agent writing for the reporter at a desk
	Message      string     `bun:"message"`
	Private      bool       `bun:"private"` // seen by the reporter and the service only
	Category     string     `bun:"category"`
	Service      string     `bun:"service"`
	Operator     string     `bun:"operator"`
	ScheduledFor *time.Time `bun:"scheduled_for"`
	At           time.Time  `bun:"at"`
}

func (s *Service) record(ctx context.Context, tx bun.IDB, e *Event) error {
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("record report event: %w", err)
	}
	return nil
}

// Timeline returns a report's events, oldest first, as viewer may see
// them: private messages only for the reporter and the service in charge.
func (s *Service) Timeline(ctx context.Context, viewer accounts.Actor, id string) ([]Event, error) {
	r, err := s.ByID(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []Event
	q := s.db.NewSelect().Model(&out).Where("report_id = ?", id).Order("id")
	if !s.seesPrivate(viewer, r) {
		q = q.Where("private = ?", false)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("load timeline: %w", err)
	}
	return out, nil
}

// seesPrivate: the reporter (or an agent at a desk for them), an official
// of the service in charge, or the node itself.
func (s *Service) seesPrivate(viewer accounts.Actor, r *Report) bool {
	switch {
	case viewer.Account == nil:
		return true
	case viewer.OnBehalfOf != nil:
		return viewer.Account.Has(accounts.Agent) && viewer.OnBehalfOf.ID == r.AuthorID
	}
	return viewer.Account.ID == r.AuthorID || InService(viewer.Account, r.Service)
}

// InService reports whether an account is an official of the service.
func InService(a *accounts.Account, service string) bool {
	if a == nil || a.Deleted() {
		return false
	}
	for _, g := range a.Roles {
		if g.Role == accounts.Official && strings.EqualFold(strings.TrimSpace(g.Service), strings.TrimSpace(service)) {
			return true
		}
	}
	return false
}

// MayChange reports whether actor may change the report's state: an
// official of the service in charge, acting for themselves (or the node).
func MayChange(actor accounts.Actor, r *Report) bool {
	if actor.Account == nil {
		return true
	}
	return actor.OnBehalfOf == nil && r.State.Open() && InService(actor.Account, r.Service)
}

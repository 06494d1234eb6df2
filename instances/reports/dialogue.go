package reports

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/notifications"
	"agora/storage/database"
)

// MaySay reports whether actor may write on the report: its reporter
// (or an agent at a desk for them) or an official of the service in
// charge.
func MaySay(actor accounts.Actor, r *Report) bool {
	switch {
	case actor.Account == nil:
		return true
	case actor.Account.Deleted():
		return false
	case actor.OnBehalfOf != nil:
		return actor.Account.Has(accounts.Agent) && actor.OnBehalfOf.ID == r.AuthorID
	}
	return actor.Account.ID == r.AuthorID || InService(actor.Account, r.Service)
}

// Say adds a message to the report's dialogue, public unless private is
// set (then only the reporter and the service see it), and returns it.
func (s *Service) Say(ctx context.Context, actor accounts.Actor, id, message string, private bool) (*Event, error) {
	message = strings.TrimSpace(message)
	if !between(message, 1, MessageMax) {
		return nil, ErrMessage
	}
	var e *Event
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r, err := load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !MaySay(actor, r) {
			return ErrForbidden
		}
		e = &Event{ReportID: r.ID, Kind: KindMessage, State: r.State, Message: message, Private: private,
			Category: r.Category, Service: r.Service, At: s.now()}
		if actor.OnBehalfOf != nil {
			if err := accounts.CheckDeskTarget(ctx, tx, actor, actor.OnBehalfOf.ID); err != nil {
				return fmt.Errorf("%w: %w", ErrForbidden, err)
			}
			e.ActorID, e.EnteredBy = actor.OnBehalfOf.ID, actor.Account.ID
		} else if actor.Account != nil {
			e.ActorID = actor.Account.ID
		}
		return s.record(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	s.changed()
	return e, nil
}

// Confirmation is a resident's "me too" on someone else's report.
type confirmation struct {
	bun.BaseModel `bun:"table:report_confirmations"`

	ReportID  string    `bun:"report_id,pk"`
	AccountID string    `bun:"account_id,pk"`
	EnteredBy string    `bun:"entered_by,nullzero"`
	At        time.Time `bun:"at"`
}

// Confirm adds a resident's "me too" to an open report: once each, never
// on one's own. On a suggestion it is a support, and only a verified
// resident gives it (ErrNotVerified), since the council's ballot is
// ordered by supports.
func (s *Service) Confirm(ctx context.Context, actor accounts.Actor, id string) error {
	defer s.changed()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		who, err := accounts.ForResident(ctx, tx, actor)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrForbidden, err)
		}
		r, err := load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		switch {
		case r.AuthorID == who.ID:
			return ErrOwnReport
		case !r.State.Open():
			return ErrClosed
		}
		if err := s.maySupport(ctx, tx, r, who); err != nil {
			return err
		}
		c := &confirmation{ReportID: r.ID, AccountID: who.ID, At: s.now()}
		if actor.OnBehalfOf != nil {
			c.EnteredBy = actor.Account.ID
		}
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			if errors.Is(database.Translate(err), database.ErrConflict) {
				return ErrAlreadyConfirmed
			}
			return fmt.Errorf("confirm report: %w", err)
		}
		if _, err := tx.NewUpdate().Model((*Report)(nil)).Where("id = ?", r.ID).
			Set("confirm_count = confirm_count + 1").Exec(ctx); err != nil {
			return fmt.Errorf("count confirmation: %w", err)
		}
		// Who has the same problem wants to hear of it too (as a replier
		// follows the thread; a stopped follow stays stopped).
		return notifications.Follow(ctx, tx, c.At, who.ID, followed(r.ID))
	})
}

// Confirmed reports whether an account confirmed a report.
func (s *Service) Confirmed(ctx context.Context, accountID, id string) (bool, error) {
	n, err := s.db.NewSelect().Model((*confirmation)(nil)).Where("report_id = ? AND account_id = ?", id, accountID).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("read confirmation: %w", err)
	}
	return n > 0, nil
}

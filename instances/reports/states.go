package reports

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/outbox"
)

// Change is an official's change of a report's state.
type Change struct {
	To           State
	Message      string    // required: the reason, the news, what was done
	ScheduledFor time.Time // Scheduled: the day of the intervention
	Category     string    // Requalified: the new category (and so service)
	Operator     string    // Transferred: the third party now in charge
	After        *Photo    // Done: an optional "after" photo
}

// next lists the states each open state may move to.
var next = map[State][]State{
	New:          {Acknowledged, Scheduled, Done, Rejected, Requalified, Transferred},
	Acknowledged: {Scheduled, Done, Rejected, Requalified, Transferred},
	Scheduled:    {Scheduled, Done, Rejected, Requalified, Transferred},
	Requalified:  {Acknowledged, Scheduled, Done, Rejected, Requalified, Transferred},
}

// Next lists the states a report may move to from st.
func Next(st State) []State { return next[st] }

// ChangeState moves a report to another state. Only an official of the
// service in charge may, with a message; it goes on the public timeline.
// A requalified report goes to the new category's service.
func (s *Service) ChangeState(ctx context.Context, actor accounts.Actor, id string, c Change) error {
	c.Message, c.Operator, c.Category = strings.TrimSpace(c.Message), strings.TrimSpace(c.Operator), strings.TrimSpace(c.Category)
	if !between(c.Message, 1, MessageMax) {
		return ErrMessage
	}
	if c.After != nil {
		if c.To != Done {
			return ErrPhotos
		}
		if err := checkPhotos([]Photo{*c.After}, 1); err != nil {
			return err
		}
	}
	var cell *int64
	defer func() {
		s.changed()
		s.moved(cell)
	}()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		r, err := load(ctx, tx, id, true)
		if err != nil {
			return err
		}
		cell = r.Cell
		if actor.Account != nil && (actor.OnBehalfOf != nil || !InService(actor.Account, r.Service)) {
			return ErrForbidden
		}
		if !r.State.Open() {
			return ErrClosed
		}
		if !slices.Contains(next[r.State], c.To) {
			return ErrTransition
		}
		now := s.now()
		e := &Event{ReportID: r.ID, Kind: KindState, State: c.To, Message: c.Message, Category: r.Category,
			Service: r.Service, At: now}
		if actor.Account != nil {
			e.ActorID = actor.Account.ID
		}
		q := tx.NewUpdate().Model((*Report)(nil)).Where("id = ?", r.ID).Set("state = ?", c.To).Set("updated_at = ?", now)
		switch c.To {
		case Scheduled:
			day := c.ScheduledFor.UTC().Truncate(24 * time.Hour)
			if c.ScheduledFor.IsZero() || day.Before(r.CreatedAt.Truncate(24*time.Hour)) {
				return ErrSchedule
			}
			e.ScheduledFor = &day
			q = q.Set("scheduled_for = ?", day)
		case Transferred:
			if !between(c.Operator, 1, OperatorMax) {
				return ErrOperator
			}
			e.Operator = c.Operator
			q = q.Set("operator = ?", c.Operator)
		case Requalified:
			cat, err := category(ctx, tx, c.Category)
			if err != nil {
				return err
			}
			if cat.Retired || cat.Slug == r.Category {
				return ErrRequalify
			}
			e.Category, e.Service = cat.Slug, cat.Service
			q = q.Set("category = ?", cat.Slug).Set("service = ?", cat.Service)
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("change report state: %w", err)
		}
		if c.After != nil {
			if err := insertPhotos(ctx, tx, r.ID, []Photo{*c.After}, true); err != nil {
				return err
			}
		}
		if err := s.record(ctx, tx, e); err != nil {
			return err
		}
		if err := notifyState(ctx, tx, now, r, e); err != nil {
			return err
		}
		return outbox.Record(ctx, tx, now, outbox.Create, StateObject, strconv.FormatInt(e.ID, 10), "")
	})
}

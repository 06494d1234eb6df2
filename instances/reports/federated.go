package reports

import (
	"context"
	"errors"
	"fmt"

	"agora/storage/database"
)

// The outbox's names for what federation announces of reports: a report
// sent, and a change of its state (the timeline event's id). Messages,
// public or private, are never recorded: only the report and its states
// go out.
const (
	ReportObject = "report"
	StateObject  = "report_state"
)

// Published is what a report shows to the fediverse: its open-data
// record (no description, no photo, the point rounded and the address
// left out when the reporter kept their name private), the category it
// was first sent in (whose actor announced it), and the reporter's
// account when they chose to be named.
type Published struct {
	OpenRecord
	Origin   string // the category at creation
	AuthorID string // "" unless the reporter chose to show their name
}

// PublishedReport returns a report as federation may show it.
func (s *Service) PublishedReport(ctx context.Context, id string) (*Published, error) {
	r, err := s.ByID(ctx, id)
	if err != nil {
		return nil, err
	}
	p := &Published{OpenRecord: openRecord(r), Origin: r.Category}
	if r.NamePublic {
		p.AuthorID = r.AuthorID
	}
	var origin string
	err = s.db.NewSelect().Model((*Event)(nil)).Column("category").Where("report_id = ? AND kind = ?", id, KindCreated).
		Order("id").Limit(1).Scan(ctx, &origin)
	switch {
	case errors.Is(database.Translate(err), database.ErrNotFound):
	case err != nil:
		return nil, fmt.Errorf("report %s origin: %w", id, err)
	case origin != "":
		p.Origin = origin
	}
	return p, nil
}

// ErrNotPublic is a timeline event federation must not show: a message
// (public or private) or anything but a change of state.
var ErrNotPublic = errors.New("not a public change of state")

// StateChange returns a change of state of a report's timeline; a
// message, public or private, is ErrNotPublic.
func (s *Service) StateChange(ctx context.Context, eventID int64) (*Event, error) {
	e := new(Event)
	if err := s.db.NewSelect().Model(e).Where("id = ?", eventID).Scan(ctx); err != nil {
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("load report event %d: %w", eventID, err)
	}
	if e.Kind != KindState || e.Private {
		return nil, ErrNotPublic
	}
	return e, nil
}

// CategoryReports returns the ids of the reports first sent in a
// category, newest first, from offset, at most limit; and how many there
// are. They are what the category's actor announced: its outbox.
func (s *Service) CategoryReports(ctx context.Context, slug string, offset, limit int) ([]string, int, error) {
	q := s.db.NewSelect().Model((*Event)(nil)).Where("kind = ? AND category = ?", KindCreated, slug)
	total, err := q.Count(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("count reports of %s: %w", slug, err)
	}
	var ids []string
	if limit > 0 {
		err = s.db.NewSelect().Model((*Event)(nil)).Column("report_id").Where("kind = ? AND category = ?", KindCreated, slug).
			OrderExpr("id DESC").Offset(int64(offset)).Limit(int64(limit)).Scan(ctx, &ids)
		if err != nil {
			return nil, 0, fmt.Errorf("list reports of %s: %w", slug, err)
		}
	}
	return ids, int(total), nil
}

package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// UpdatesQuery asks for the public updates of reports: state changes and
// public messages, oldest first, as FixMyStreet's Open311 extension
// (servicerequestupdates) lists them.
type UpdatesQuery struct {
	ReportIDs []string  // none for all
	Since     time.Time // included; zero for no bound
	Until     time.Time // included; zero for no bound
	Limit     int       // 1 to 1000; 100 if 0
	Offset    int       // at most MaxOffset
}

// Updates returns the public state changes and messages of reports, in
// the order they happened. Private messages, and the report's creation
// (a request, not an update), are left out.
func (s *Service) Updates(ctx context.Context, q UpdatesQuery) ([]Event, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	q.Limit = min(q.Limit, 1000)
	done, err := s.admit(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	var out []Event
	sel := s.db.NewSelect().Model(&out).
		Where("kind IN (?)", bun.In([]string{KindState, KindMessage})).Where("private = ?", false).
		Order("at", "id").Limit(int64(q.Limit))
	if q.Offset > 0 {
		sel = sel.Offset(int64(min(q.Offset, MaxOffset)))
	}
	if len(q.ReportIDs) > 0 {
		sel = sel.Where("report_id IN (?)", bun.In(q.ReportIDs))
	}
	if !q.Since.IsZero() {
		sel = sel.Where("at >= ?", q.Since.UTC())
	}
	if !q.Until.IsZero() {
		sel = sel.Where("at <= ?", q.Until.UTC())
	}
	if err := sel.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list report updates: %w", err)
	}
	return out, nil
}

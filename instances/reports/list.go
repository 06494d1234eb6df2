package reports

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Query is a list of reports newest first, as the list by date and the
// Open311 requests list ask for it.
type Query struct {
	Categories []string // none for all
	Kind       Kind     // "" for both kinds
	// ByRank lists suggestions by their council rank, best first, those
	// never ranked after, newest first; Before is then not used (pages
	// go by Offset).
	ByRank bool
	States []State // none for all
	Since  time.Time
	Until  time.Time
	Before *Cursor // the page after this report
	Limit  int     // 1 to 1000; 50 if 0
	Offset int     // reports skipped first (Open311's page), at most MaxOffset
}

// MaxOffset is how far into a list a page may start: an offset is read
// through, so it is bounded.
const MaxOffset = 10_000

// Cursor is where a page of newest-first reports ends.
type Cursor struct {
	CreatedAt time.Time
	ID        string
}

// List returns reports newest first.
func (s *Service) List(ctx context.Context, q Query) ([]Report, error) {
	done, err := s.admit(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	var out []Report
	if err := s.listQuery(&out, q).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	return out, nil
}

// listQuery is List's query, into model.
func (s *Service) listQuery(model any, q Query) *bun.SelectQuery {
	if q.Limit <= 0 {
		q.Limit = 50
	}
	q.Limit = min(q.Limit, 1000)
	sel := s.db.NewSelect().Model(model).Limit(int64(q.Limit))
	if q.ByRank {
		// Portable "NULLS LAST": SQLite puts NULL first, PostgreSQL last.
		sel = sel.OrderExpr("CASE WHEN council_rank IS NULL THEN 1 ELSE 0 END").Order("council_rank")
		q.Before = nil
	}
	sel = sel.Order("created_at DESC", "id DESC")
	sel = ofKind(sel, q.Kind)
	if q.Offset > 0 {
		sel = sel.Offset(int64(min(q.Offset, MaxOffset)))
	}
	if len(q.Categories) > 0 {
		sel = sel.Where("category IN (?)", bun.In(q.Categories))
	}
	if len(q.States) > 0 {
		sel = sel.Where("state IN (?)", bun.In(q.States))
	}
	if !q.Since.IsZero() {
		sel = sel.Where("created_at >= ?", q.Since.UTC())
	}
	if !q.Until.IsZero() {
		sel = sel.Where("created_at <= ?", q.Until.UTC())
	}
	if q.Before != nil {
		sel = sel.Where("(created_at < ? OR (created_at = ? AND id < ?))", q.Before.CreatedAt, q.Before.CreatedAt, q.Before.ID)
	}
	return sel
}

// ByIDs returns the reports of ids that exist, in no order.
func (s *Service) ByIDs(ctx context.Context, ids []string) ([]Report, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var out []Report
	if err := s.db.NewSelect().Model(&out).Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load reports: %w", err)
	}
	return out, nil
}

// Notes returns the message of the latest state change of each report of
// ids that has one (Open311's status_notes).
func (s *Service) Notes(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Event
	if err := s.db.NewSelect().Model(&rows).Column("report_id", "message").
		Where("report_id IN (?) AND kind = ?", bun.In(ids), KindState).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load notes: %w", err)
	}
	for _, e := range rows {
		out[e.ReportID] = e.Message
	}
	return out, nil
}

// FirstPhotos returns the position of the first photo of each report of
// ids that has one: of the photos sent with the report, or with after
// set, of the "after" photos of reports done.
func (s *Service) FirstPhotos(ctx context.Context, ids []string, after bool) (map[string]int, error) {
	out := map[string]int{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ReportID string `bun:"report_id"`
		Position int    `bun:"position"`
	}
	if err := s.db.NewSelect().Model((*Photo)(nil)).ColumnExpr("report_id, MIN(position) AS position").
		Where("report_id IN (?) AND after = ?", bun.In(ids), after).Group("report_id").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("load photos: %w", err)
	}
	for _, r := range rows {
		out[r.ReportID] = r.Position
	}
	return out, nil
}

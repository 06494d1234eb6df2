package reports

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// MaxBoxResults is the most reports one box query returns.
const MaxBoxResults = 500

// Grid limits: a box touching up to maxFineCells fine cells is read on
// the fine grid, up to maxCoarseCells coarse cells on the coarse one;
// a larger box is refused (ErrBoxTooLarge).
const (
	maxFineCells   = 400
	maxCoarseCells = 2500
)

// Filter narrows a box query.
type Filter struct {
	Category string // "" for all
	Kind     Kind   // "" for both kinds
	OpenOnly bool
}

// boxPlan checks a box query and chooses its grid: the fine cells the
// box touches, or the coarse ones when they are too many; and the limit
// within MaxBoxResults. InBox and Pins share it.
func boxPlan(b Box, limit int) (column string, cells []int64, n int, err error) {
	if !b.Valid() {
		return "", nil, 0, ErrPoint
	}
	if limit <= 0 || limit > MaxBoxResults {
		limit = MaxBoxResults
	}
	column, cells = "cell", boxCells(b, fineStep, fineCols, maxFineCells)
	if cells == nil {
		column, cells = "coarse", boxCells(b, coarseStep, coarseCols, maxCoarseCells)
	}
	if cells == nil {
		return "", nil, 0, ErrBoxTooLarge
	}
	return column, cells, limit, nil
}

// InBox returns up to limit (at most MaxBoxResults) reports with a point
// in the box, in no promised order, and whether there were more. It reads
// the grid index: the cells the box touches, then the points' latitude
// range within each, so it reads about as many rows as it returns.
func (s *Service) InBox(ctx context.Context, b Box, f Filter, limit int) ([]Report, bool, error) {
	column, list, limit, err := boxPlan(b, limit)
	if err != nil {
		return nil, false, err
	}
	done, err := s.admit(ctx)
	if err != nil {
		return nil, false, err
	}
	defer done()
	var out []Report
	q := s.db.NewSelect().Model(&out).
		Where("? IN (?)", bun.Ident(column), bun.In(list)).
		Where("lat_e6 BETWEEN ? AND ?", e6(b.South), e6(b.North)).
		Where("lon_e6 BETWEEN ? AND ?", e6(b.West), e6(b.East)).
		Limit(int64(limit + 1))
	if f.Category != "" {
		q = q.Where("category = ?", f.Category)
	}
	q = ofKind(q, f.Kind)
	if f.OpenOnly {
		q = q.Where("state IN (?)", bun.In([]State{New, Acknowledged, Scheduled, Requalified}))
	}
	if err := q.Scan(ctx); err != nil {
		return nil, false, fmt.Errorf("reports in box: %w", err)
	}
	more := len(out) > limit
	if more {
		out = out[:limit]
	}
	return out, more, nil
}

// Near is a report and its distance from a point.
type Near struct {
	Report
	Metres float64
}

// Nearby returns the reports within metres of p, nearest first, up to
// limit: the duplicates a resident is shown before sending ("already
// reported? confirm it"), and the list sorted by distance.
func (s *Service) Nearby(ctx context.Context, p Point, metres float64, f Filter, limit int) ([]Near, error) {
	if !p.Valid() {
		return nil, ErrPoint
	}
	found, _, err := s.InBox(ctx, Around(p, metres), f, MaxBoxResults)
	if err != nil {
		return nil, err
	}
	out := make([]Near, 0, len(found))
	for _, r := range found {
		at, _ := r.Point()
		if d := Distance(p, at); d <= metres {
			out = append(out, Near{Report: r, Metres: d})
		}
	}
	slices.SortFunc(out, func(a, b Near) int {
		switch {
		case a.Metres < b.Metres:
			return -1
		case a.Metres > b.Metres:
			return 1
		}
		return b.CreatedAt.Compare(a.CreatedAt)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

package reports

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"agora/storage/database"
)

// Pin is what a map shows of a report: where, what, and how it stands.
type Pin struct {
	ID       string
	Category string
	State    State
	LatE6    int64
	LonE6    int64
}

// Point is the pin's position.
func (p Pin) Point() Point { return Point{Lat: fromE6(p.LatE6), Lon: fromE6(p.LonE6)} }

// pinsAnswer is a box's pins as the cache keeps them.
type pinsAnswer struct {
	pins []Pin
	more bool
}

// Pins is InBox for a map: the same index, reading only what a pin
// shows. A box of the fine grid (a city's map) is answered from the
// pins kept per cell (cells.go); a larger one reads the coarse grid,
// and the same box and filter asked again within AnswerTTL is answered
// from memory (answers.go). The slice returned may be shared with other
// callers: read it, do not change it.
func (s *Service) Pins(ctx context.Context, b Box, f Filter, limit int) ([]Pin, bool, error) {
	column, list, limit, err := boxPlan(b, limit)
	if err != nil {
		return nil, false, err
	}
	q := pinsQuery{column: column, cells: list, south: e6(b.South), north: e6(b.North), west: e6(b.West), east: e6(b.East),
		filter: f, limit: limit}
	if ttl := s.answerTTL(); column == "cell" && ttl > 0 {
		a, err := s.pinsFromCells(ctx, q, ttl)
		return a.pins, a.more, err
	}
	v, err := s.answers.get(ctx, q.key(), func(ctx context.Context) (any, error) { return s.pinsInTurn(ctx, q) })
	if err != nil {
		return nil, false, err
	}
	a := v.(pinsAnswer)
	return a.pins, a.more, nil
}

// pinsInTurn reads a box from the database in a turn among the public
// reads.
func (s *Service) pinsInTurn(ctx context.Context, q pinsQuery) (pinsAnswer, error) {
	done, err := s.admit(ctx)
	if err != nil {
		return pinsAnswer{}, err
	}
	defer done()
	return s.pins(ctx, q)
}

// pinsQuery is one box query, normalised: the box in microdegrees.
type pinsQuery struct {
	column                   string
	cells                    []int64
	south, north, west, east int64
	filter                   Filter
	limit                    int
}

// key is the query as the cache knows it: the box in microdegrees and
// the filter (the cells follow from the box).
func (q pinsQuery) key() string {
	var b strings.Builder
	b.Grow(96)
	b.WriteString("pins|")
	for _, v := range []int64{q.south, q.west, q.north, q.east, int64(q.limit)} {
		b.WriteString(strconv.FormatInt(v, 10))
		b.WriteByte('|')
	}
	b.WriteString(string(q.filter.Kind))
	b.WriteByte('|')
	if q.filter.OpenOnly {
		b.WriteString("open")
	}
	b.WriteByte('|')
	b.WriteString(q.filter.Category)
	return b.String()
}

// sql writes the query with its values apart (? or $n), so the text
// repeats from one box to the next: SQLite and PostgreSQL keep its plan
// (pinStmts, pgx's statement cache).
func (q pinsQuery) sql(postgres bool) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, len(q.cells)+8)
	arg := func(v any) {
		args = append(args, v)
		if postgres {
			b.WriteString("$" + strconv.Itoa(len(args)))
		} else {
			b.WriteByte('?')
		}
	}
	b.WriteString("SELECT id, category, state, lat_e6, lon_e6 FROM street_reports WHERE ")
	b.WriteString(q.column)
	b.WriteString(" IN (")
	for i, c := range q.cells {
		if i > 0 {
			b.WriteString(", ")
		}
		arg(c)
	}
	b.WriteString(") AND lat_e6 BETWEEN ")
	arg(q.south)
	b.WriteString(" AND ")
	arg(q.north)
	b.WriteString(" AND lon_e6 BETWEEN ")
	arg(q.west)
	b.WriteString(" AND ")
	arg(q.east)
	if q.filter.Category != "" {
		b.WriteString(" AND category = ")
		arg(q.filter.Category)
	}
	if q.filter.Kind != "" {
		b.WriteString(" AND category IN (SELECT slug FROM report_categories WHERE kind = ")
		arg(string(q.filter.Kind))
		b.WriteString(")")
	}
	if q.filter.OpenOnly {
		b.WriteString(" AND state IN (")
		for i, st := range []State{New, Acknowledged, Scheduled, Requalified} {
			if i > 0 {
				b.WriteString(", ")
			}
			arg(string(st))
		}
		b.WriteString(")")
	}
	b.WriteString(" LIMIT ")
	arg(q.limit + 1)
	return b.String(), args
}

// maxPreparedCells: box queries over at most this many cells (a map's
// view, up to about 4 × 4 km) are kept prepared; larger ones are
// prepared each time, so the statements kept stay few.
const maxPreparedCells = 16

// pins reads the pins of a box, scanning the rows itself: bun's
// reflection cost about a fifth of the query (docs/BENCHMARKS.md).
func (s *Service) pins(ctx context.Context, q pinsQuery) (pinsAnswer, error) {
	text, args := q.sql(database.IsPostgres(s.db))
	var rows *sql.Rows
	var err error
	if len(q.cells) <= maxPreparedCells {
		var st *sql.Stmt
		st, err = s.pinStmt(ctx, text)
		if err == nil {
			rows, err = st.QueryContext(ctx, args...)
		}
	} else {
		rows, err = s.db.DB.QueryContext(ctx, text, args...)
	}
	if err != nil {
		return pinsAnswer{}, fmt.Errorf("pins in box: %w", err)
	}
	defer rows.Close()
	out := make([]Pin, 0, min(q.limit+1, 64))
	// Declared once: scanned into, they escape to the heap.
	var p Pin
	var state string
	for rows.Next() {
		// Into strings: the driver's own, not copied.
		if err := rows.Scan(&p.ID, &p.Category, &state, &p.LatE6, &p.LonE6); err != nil {
			return pinsAnswer{}, fmt.Errorf("pins in box: %w", err)
		}
		p.State = State(state)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return pinsAnswer{}, fmt.Errorf("pins in box: %w", err)
	}
	more := len(out) > q.limit
	if more {
		out = out[:q.limit]
	}
	return pinsAnswer{pins: out, more: more}, nil
}

// pinStmt returns the prepared statement of a text, preparing it once.
func (s *Service) pinStmt(ctx context.Context, text string) (*sql.Stmt, error) {
	if st, ok := s.pinStmts.Load(text); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.db.DB.PrepareContext(ctx, text)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.pinStmts.LoadOrStore(text, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

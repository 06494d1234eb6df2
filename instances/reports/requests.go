package reports

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Request is a report as the Open311 list shows it: its public fields
// (the Report's other fields are left zero), the message of its latest
// state change (Open311's status_notes) and the position of its first
// photo sent with it (0 for none).
type Request struct {
	Report
	Note  string
	Photo int
}

// RequestColumns are the columns of a report a Request reads.
const requestColumns = "id, category, service, state, lat_e6, lon_e6, address, description, operator, scheduled_for, created_at, updated_at"

// Requests is List (newest first; ByRank is not used) with each
// report's latest state note and first photo, as Notes and FirstPhotos
// would give them, in one statement: the page of reports, then two
// lookups per report on their indexes. The same query asked again
// within AnswerTTL is answered from memory (answers.go); the slice
// returned may be shared: read it, do not change it.
func (s *Service) Requests(ctx context.Context, q Query) ([]Request, error) {
	q.ByRank = false
	v, err := s.answers.get(ctx, q.key(), func(ctx context.Context) (any, error) {
		done, err := s.admit(ctx)
		if err != nil {
			return nil, err
		}
		defer done()
		return s.requests(ctx, q)
	})
	if err != nil {
		return nil, err
	}
	return v.([]Request), nil
}

// key is the query as the cache knows it.
func (q Query) key() string {
	var b strings.Builder
	b.WriteString("requests|")
	b.WriteString(strings.Join(q.Categories, ","))
	b.WriteByte('|')
	b.WriteString(string(q.Kind))
	b.WriteByte('|')
	for _, st := range q.States {
		b.WriteString(string(st))
		b.WriteByte(',')
	}
	b.WriteByte('|')
	for _, t := range []time.Time{q.Since, q.Until} {
		if !t.IsZero() {
			b.WriteString(strconv.FormatInt(t.UnixNano(), 10))
		}
		b.WriteByte('|')
	}
	if q.Before != nil {
		b.WriteString(strconv.FormatInt(q.Before.CreatedAt.UnixNano(), 10))
		b.WriteByte(',')
		b.WriteString(q.Before.ID)
	}
	b.WriteByte('|')
	b.WriteString(strconv.Itoa(q.Limit))
	b.WriteByte('|')
	b.WriteString(strconv.Itoa(q.Offset))
	return b.String()
}

func (s *Service) requests(ctx context.Context, q Query) ([]Request, error) {
	// The page is chosen first (List's query, on the created_at index,
	// its limit applied), then each of its rows looks up its note and
	// photo: written the other way, a database that sorts could look
	// them up for every report of the period.
	inner := s.listQuery((*Report)(nil), q).Column(strings.Split(requestColumns, ", ")...).String()
	text := "SELECT " + requestColumns + `,
 COALESCE((SELECT e.message FROM report_events e WHERE e.report_id = r.id AND e.kind = '` + KindState + `' ORDER BY e.id DESC LIMIT 1), ''),
 COALESCE((SELECT MIN(p.position) FROM report_photos p WHERE p.report_id = r.id AND p.after = ` + s.falseLiteral() + `), 0)
FROM (` + inner + `) AS r ORDER BY created_at DESC, id DESC`
	rows, err := s.db.DB.QueryContext(ctx, text)
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	defer rows.Close()
	out := make([]Request, 0, min(max(q.Limit, 1), 1000))
	// Declared once: scanned into, they escape to the heap.
	var state string
	var lat, lon sql.NullInt64
	var scheduled, created, updated timeValue
	var r Request
	for rows.Next() {
		// Into strings: the driver's own, not copied.
		r = Request{}
		if err := rows.Scan(&r.ID, &r.Category, &r.Service, &state, &lat, &lon, &r.Address, &r.Description, &r.Operator, &scheduled,
			&created, &updated, &r.Note, &r.Photo); err != nil {
			return nil, fmt.Errorf("list requests: %w", err)
		}
		r.State = State(state)
		if lat.Valid && lon.Valid {
			la, lo := lat.Int64, lon.Int64
			r.LatE6, r.LonE6 = &la, &lo
		}
		if !scheduled.t.IsZero() {
			at := scheduled.t
			r.ScheduledFor = &at
		}
		r.CreatedAt, r.UpdatedAt = created.t, updated.t
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	return out, nil
}

// falseLiteral is false as the database writes it in SQL.
func (s *Service) falseLiteral() string {
	return string(s.db.Dialect().AppendBool(nil, false))
}

// timeValue scans a time as either driver returns it: a time.Time, or
// on SQLite a text when the column's declared type is lost; NULL is the
// zero time.
type timeValue struct{ t time.Time }

func (v *timeValue) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		v.t = time.Time{}
		return nil
	case time.Time:
		v.t = x.UTC()
		return nil
	case string:
		return v.parse(x)
	case []byte:
		return v.parse(string(x))
	}
	return fmt.Errorf("a time, not %T", src)
}

func (v *timeValue) parse(s string) error {
	for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			v.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("not a time: %q", s)
}

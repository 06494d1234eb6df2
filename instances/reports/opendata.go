package reports

import (
	"context"
	"fmt"
	"math"
	"time"
)

// OpenRecord is what the open data says of a report: no reporter, no
// description (free text may name people), and, when the reporter
// chose not to be named, the point rounded to RoundTo degrees and no
// address.
type OpenRecord struct {
	ID            string
	Category      string
	Service       string
	State         State
	Point         *Point
	Rounded       bool
	Address       string
	Confirmations int
	ScheduledFor  *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// RoundTo is the grid an open-data point is rounded to when its reporter
// asked for privacy: 0.001°, about 110 m north-south and 75 m east-west
// in Paris.
const RoundTo = 0.001

// exportChunk is how many reports one read of the export takes: each
// chunk is its own short query, so a long download holds neither a
// connection nor a snapshot for its whole length.
const exportChunk = 1000

// Export calls fn with every report, oldest first, as open data. Reports
// are read in chunks (never the whole set in memory); a report sent
// while the export runs is included if it is newer than the chunk being
// read. fn's error stops the export and is returned.
func (s *Service) Export(ctx context.Context, fn func(OpenRecord) error) error {
	var after *Cursor
	for {
		var rows []Report
		q := s.db.NewSelect().Model(&rows).
			Column("id", "category", "service", "state", "lat_e6", "lon_e6", "address", "name_public",
				"confirm_count", "scheduled_for", "created_at", "updated_at").
			Order("created_at", "id").Limit(exportChunk)
		if after != nil {
			q = q.Where("created_at >= ? AND (created_at > ? OR id > ?)", after.CreatedAt, after.CreatedAt, after.ID)
		}
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("export reports: %w", err)
		}
		for i := range rows {
			if err := fn(openRecord(&rows[i])); err != nil {
				return err
			}
		}
		if len(rows) < exportChunk {
			return nil
		}
		last := rows[len(rows)-1]
		after = &Cursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
}

func openRecord(r *Report) OpenRecord {
	o := OpenRecord{ID: r.ID, Category: r.Category, Service: r.Service, State: r.State, Address: r.Address,
		Confirmations: r.ConfirmCount, ScheduledFor: r.ScheduledFor, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
	if p, ok := r.Point(); ok {
		if !r.NamePublic {
			p = Point{Lat: round(p.Lat), Lon: round(p.Lon)}
			o.Rounded = true
		}
		o.Point = &p
	}
	if !r.NamePublic {
		o.Address = ""
	}
	return o
}

// round rounds on whole microdegrees, so the result prints short
// (48.861, not 48.861000000000004).
func round(deg float64) float64 {
	const step = RoundTo * 1e6
	return fromE6(int64(math.Round(float64(e6(deg))/step) * step))
}

// Count is how many reports a service has in a state.
type Count struct {
	Service string `bun:"service"`
	State   State  `bun:"state"`
	N       int64  `bun:"n"`
}

// Counts returns how many reports each service has in each state, by
// service then state; a pair with none is left out.
func (s *Service) Counts(ctx context.Context) ([]Count, error) {
	var out []Count
	if err := s.db.NewSelect().Model((*Report)(nil)).ColumnExpr("service, state, COUNT(*) AS n").
		Group("service", "state").Order("service", "state").Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("count reports: %w", err)
	}
	return out, nil
}

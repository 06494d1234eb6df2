package reports

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/database"
)

// Work is an intervention a city service plans in public space: where,
// when (from one day to another, inclusive) and what.
type Work struct {
	bun.BaseModel `bun:"table:report_works"`

	ID          string    `bun:"id,pk"`
	Service     string    `bun:"service"`
	Title       string    `bun:"title"`
	Description string    `bun:"description"`
	Address     string    `bun:"address"`
	LatE6       int64     `bun:"lat_e6"`
	LonE6       int64     `bun:"lon_e6"`
	Cell        int64     `bun:"cell"`
	Coarse      int64     `bun:"coarse"`
	StartsOn    time.Time `bun:"starts_on"`
	EndsOn      time.Time `bun:"ends_on"`
	AuthorID    string    `bun:"author_id"`
	CreatedAt   time.Time `bun:"created_at"`
}

// Point is where the work is.
func (w *Work) Point() Point { return Point{Lat: fromE6(w.LatE6), Lon: fromE6(w.LonE6)} }

// WorkInput is what an official publishes.
type WorkInput struct {
	Service     string // one of the official's services
	Title       string
	Description string
	Address     string
	Point       Point
	StartsOn    time.Time // days, UTC
	EndsOn      time.Time
}

// Limits of a planned work.
const (
	WorkTitleMax       = 200
	WorkDescriptionMax = 2000
	WorkSpanMax        = 5 * 366 * 24 * time.Hour
)

// Errors of planned works.
var (
	ErrWorkTitle       = errors.New("a work's title is 1 to 200 characters, its description at most 2,000")
	ErrWorkDates       = errors.New("a work ends on or after the day it starts, within five years, and not in the past")
	ErrWorkNotOfficial = errors.New("only an official of this service publishes its works")
	ErrWorkNotFound    = errors.New("planned work not found")
)

// PublishWork records a planned work of a service by one of its
// officials. Every check is made before anything is written.
func (s *Service) PublishWork(ctx context.Context, actor accounts.Actor, in WorkInput) (*Work, error) {
	in.Service, in.Title = strings.TrimSpace(in.Service), strings.TrimSpace(in.Title)
	in.Description, in.Address = strings.TrimSpace(in.Description), strings.TrimSpace(in.Address)
	if actor.Account == nil || actor.OnBehalfOf != nil || in.Service == "" || !InService(actor.Account, in.Service) {
		return nil, ErrWorkNotOfficial
	}
	if !between(in.Title, 1, WorkTitleMax) || !between(in.Description, 0, WorkDescriptionMax) {
		return nil, ErrWorkTitle
	}
	if !between(in.Address, 0, AddressMax) {
		return nil, ErrAddress
	}
	now := s.now()
	today := now.Truncate(24 * time.Hour)
	starts, ends := in.StartsOn.UTC().Truncate(24*time.Hour), in.EndsOn.UTC().Truncate(24*time.Hour)
	if starts.IsZero() || ends.Before(starts) || ends.Sub(starts) > WorkSpanMax || ends.Before(today) {
		return nil, ErrWorkDates
	}
	if err := s.inTerritory(ctx, in.Point); err != nil {
		return nil, err
	}
	lat, lon := e6(in.Point.Lat), e6(in.Point.Lon)
	fine, coarse := cells(lat, lon)
	w := &Work{ID: database.NewID(), Service: in.Service, Title: in.Title, Description: in.Description, Address: in.Address,
		LatE6: lat, LonE6: lon, Cell: fine, Coarse: coarse, StartsOn: starts, EndsOn: ends, AuthorID: actor.Account.ID, CreatedAt: now}
	if _, err := s.db.NewInsert().Model(w).Exec(ctx); err != nil {
		return nil, fmt.Errorf("insert work: %w", err)
	}
	return w, nil
}

// WorkByID returns a planned work.
func (s *Service) WorkByID(ctx context.Context, id string) (*Work, error) {
	w := new(Work)
	if err := s.db.NewSelect().Model(w).Where("id = ?", id).Scan(ctx); err != nil {
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return nil, ErrWorkNotFound
		}
		return nil, fmt.Errorf("load work %s: %w", id, err)
	}
	return w, nil
}

// CurrentWorks returns the works not yet over, soonest first, up to
// limit (at most 500).
func (s *Service) CurrentWorks(ctx context.Context, limit int) ([]Work, error) {
	if limit <= 0 || limit > MaxBoxResults {
		limit = MaxBoxResults
	}
	var out []Work
	today := s.now().Truncate(24 * time.Hour)
	if err := s.db.NewSelect().Model(&out).Where("ends_on >= ?", today).Order("starts_on", "id").
		Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list works: %w", err)
	}
	return out, nil
}

// WorksInBox returns the works not yet over with a point in the box, up
// to MaxBoxResults, on the reports' grid.
func (s *Service) WorksInBox(ctx context.Context, b Box) ([]Work, error) {
	if !b.Valid() {
		return nil, ErrPoint
	}
	column, list := "cell", boxCells(b, fineStep, fineCols, maxFineCells)
	if list == nil {
		column, list = "coarse", boxCells(b, coarseStep, coarseCols, maxCoarseCells)
	}
	if list == nil {
		return nil, ErrBoxTooLarge
	}
	var out []Work
	today := s.now().Truncate(24 * time.Hour)
	if err := s.db.NewSelect().Model(&out).
		Where("? IN (?)", bun.Ident(column), bun.In(list)).
		Where("lat_e6 BETWEEN ? AND ?", e6(b.South), e6(b.North)).
		Where("lon_e6 BETWEEN ? AND ?", e6(b.West), e6(b.East)).
		Where("ends_on >= ?", today).Order("starts_on", "id").Limit(MaxBoxResults).Scan(ctx); err != nil {
		return nil, fmt.Errorf("works in box: %w", err)
	}
	return out, nil
}

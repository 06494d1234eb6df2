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
	// The last edit, and the withdrawal: a withdrawn work keeps its page,
	// with the reason, and leaves the lists and the map.
	UpdatedAt    *time.Time `bun:"updated_at"`
	UpdatedBy    string     `bun:"updated_by,nullzero"`
	CancelledAt  *time.Time `bun:"cancelled_at"`
	CancelledBy  string     `bun:"cancelled_by,nullzero"`
	CancelReason string     `bun:"cancel_reason"`
}

// Withdrawn reports whether the service withdrew the work.
func (w *Work) Withdrawn() bool { return w.CancelledAt != nil }

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
	WorkReasonMax      = 1000
)

// Errors of planned works.
var (
	ErrWorkTitle       = errors.New("a work's title is 1 to 200 characters")
	ErrWorkDescription = errors.New("a work's details are at most 2,000 characters")
	ErrWorkDates       = errors.New("a work ends on or after the day it starts, within five years, and not in the past")
	ErrWorkNotOfficial = errors.New("only an official of this service publishes its works")
	ErrWorkNotFound    = errors.New("planned work not found")
	ErrWorkReason      = errors.New("withdrawing a work takes a reason of 1 to 1,000 characters")
	ErrWorkWithdrawn   = errors.New("this work was withdrawn")
)

// PublishWork records a planned work of a service by one of its
// officials. Every check is made before anything is written; the
// refusals of the input come together (errors.Join), so a form shows
// each next to its field.
func (s *Service) PublishWork(ctx context.Context, actor accounts.Actor, in WorkInput) (*Work, error) {
	in = in.trimmed()
	if actor.Account == nil || actor.OnBehalfOf != nil || in.Service == "" || !InService(actor.Account, in.Service) {
		return nil, ErrWorkNotOfficial
	}
	w := &Work{ID: database.NewID(), AuthorID: actor.Account.ID, CreatedAt: s.now()}
	if err := s.checkWork(ctx, in, w); err != nil {
		return nil, err
	}
	if _, err := s.db.NewInsert().Model(w).Exec(ctx); err != nil {
		return nil, fmt.Errorf("insert work: %w", err)
	}
	return w, nil
}

func (in WorkInput) trimmed() WorkInput {
	in.Service, in.Title = strings.TrimSpace(in.Service), strings.TrimSpace(in.Title)
	in.Description, in.Address = strings.TrimSpace(in.Description), strings.TrimSpace(in.Address)
	return in
}

// checkWork checks in and, when it is right, writes it into w (its
// days, point and grid cells). Every refusal of the input is returned,
// joined; a failure of the database alone.
func (s *Service) checkWork(ctx context.Context, in WorkInput, w *Work) error {
	var refused []error
	if !between(in.Title, 1, WorkTitleMax) {
		refused = append(refused, ErrWorkTitle)
	}
	if !between(in.Description, 0, WorkDescriptionMax) {
		refused = append(refused, ErrWorkDescription)
	}
	if !between(in.Address, 0, AddressMax) {
		refused = append(refused, ErrAddress)
	}
	today := s.now().Truncate(24 * time.Hour)
	starts, ends := in.StartsOn.UTC().Truncate(24*time.Hour), in.EndsOn.UTC().Truncate(24*time.Hour)
	if in.StartsOn.IsZero() || in.EndsOn.IsZero() || ends.Before(starts) || ends.Sub(starts) > WorkSpanMax || ends.Before(today) {
		refused = append(refused, ErrWorkDates)
	}
	if err := s.inTerritory(ctx, in.Point); errors.Is(err, ErrOutsideTerritory) || errors.Is(err, ErrPoint) {
		refused = append(refused, err)
	} else if err != nil {
		return err
	}
	if len(refused) > 0 {
		return errors.Join(refused...)
	}
	lat, lon := e6(in.Point.Lat), e6(in.Point.Lon)
	fine, coarse := cells(lat, lon)
	w.Service, w.Title, w.Description, w.Address = in.Service, in.Title, in.Description, in.Address
	w.LatE6, w.LonE6, w.Cell, w.Coarse, w.StartsOn, w.EndsOn = lat, lon, fine, coarse, starts, ends
	return nil
}

// CheckWork makes the checks of the input of PublishWork and EditWork
// (not who may), writing nothing: a form that could not read some
// fields still shows every other refusal at once.
func (s *Service) CheckWork(ctx context.Context, in WorkInput) error {
	return s.checkWork(ctx, in.trimmed(), new(Work))
}

// MayEditWork reports whether a may edit or withdraw w: an official of
// its service, or an admin, acting for themselves; never once withdrawn.
func MayEditWork(actor accounts.Actor, w *Work) bool {
	a := actor.Account
	if a == nil || actor.OnBehalfOf != nil || a.Deleted() || w.Withdrawn() {
		return false
	}
	return a.Has(accounts.Admin) || InService(a, w.Service)
}

// EditWork changes a work, with the checks of PublishWork, by an official
// of its service or an admin. The work moves to another service only if
// the editor holds that one too. Nothing is written on any refusal.
func (s *Service) EditWork(ctx context.Context, actor accounts.Actor, id string, in WorkInput) (*Work, error) {
	w, err := s.WorkByID(ctx, id)
	if err != nil {
		return nil, err
	}
	in = in.trimmed()
	if w.Withdrawn() {
		return nil, ErrWorkWithdrawn
	}
	if !MayEditWork(actor, w) {
		return nil, ErrWorkNotOfficial
	}
	if in.Service == "" {
		in.Service = w.Service
	}
	if !strings.EqualFold(in.Service, w.Service) && !InService(actor.Account, in.Service) {
		return nil, ErrWorkNotOfficial
	}
	was := w.Service
	if err := s.checkWork(ctx, in, w); err != nil {
		return nil, err
	}
	now := s.now()
	w.UpdatedAt, w.UpdatedBy = &now, actor.Account.ID
	res, err := s.db.NewUpdate().Model(w).
		Column("service", "title", "description", "address", "lat_e6", "lon_e6", "cell", "coarse", "starts_on", "ends_on", "updated_at", "updated_by").
		Where("id = ? AND service = ? AND cancelled_at IS NULL", w.ID, was).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("update work %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, ErrWorkWithdrawn // withdrawn or moved meanwhile
	}
	return w, nil
}

// WithdrawWork cancels a work, with a reason shown on its page, by an
// official of its service or an admin. The work leaves the lists and
// the map.
func (s *Service) WithdrawWork(ctx context.Context, actor accounts.Actor, id, reason string) (*Work, error) {
	w, err := s.WorkByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if w.Withdrawn() {
		return nil, ErrWorkWithdrawn
	}
	if !MayEditWork(actor, w) {
		return nil, ErrWorkNotOfficial
	}
	reason = strings.TrimSpace(reason)
	if !between(reason, 1, WorkReasonMax) {
		return nil, ErrWorkReason
	}
	now := s.now()
	res, err := s.db.NewUpdate().Model((*Work)(nil)).
		Set("cancelled_at = ?", now).Set("cancelled_by = ?", actor.Account.ID).Set("cancel_reason = ?", reason).
		Where("id = ? AND cancelled_at IS NULL", w.ID).Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("withdraw work %s: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return nil, ErrWorkWithdrawn
	}
	w.CancelledAt, w.CancelledBy, w.CancelReason = &now, actor.Account.ID, reason
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

// CurrentWorks returns the works not yet over nor withdrawn, soonest first, up to
// limit (at most 500).
func (s *Service) CurrentWorks(ctx context.Context, limit int) ([]Work, error) {
	if limit <= 0 || limit > MaxBoxResults {
		limit = MaxBoxResults
	}
	var out []Work
	today := s.now().Truncate(24 * time.Hour)
	if err := s.db.NewSelect().Model(&out).Where("ends_on >= ?", today).Where("cancelled_at IS NULL").Order("starts_on", "id").
		Limit(int64(limit)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list works: %w", err)
	}
	return out, nil
}

// WorksInBox returns the works not yet over nor withdrawn, with a point in the box, up
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
		Where("ends_on >= ?", today).Where("cancelled_at IS NULL").Order("starts_on", "id").Limit(MaxBoxResults).Scan(ctx); err != nil {
		return nil, fmt.Errorf("works in box: %w", err)
	}
	return out, nil
}

package reports

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/notifications"
	"agora/instances/outbox"
	"agora/storage/database"
)

// State is where a report stands.
type State string

// The states, as DansMaRue uses them. New, acknowledged, scheduled and
// requalified reports are open; done, rejected and transferred ones are
// closed.
const (
	New          State = "new"
	Acknowledged State = "acknowledged"
	Scheduled    State = "scheduled"
	Done         State = "done"
	Rejected     State = "rejected"
	Requalified  State = "requalified"
	Transferred  State = "transferred"
)

// States lists every state, in the order pages show them.
var States = []State{New, Acknowledged, Scheduled, Requalified, Done, Rejected, Transferred}

// Open reports whether a report in this state still waits for the city.
func (s State) Open() bool {
	return s == New || s == Acknowledged || s == Scheduled || s == Requalified
}

// Report is one street report.
type Report struct {
	bun.BaseModel `bun:"table:street_reports"`

	ID           string     `bun:"id,pk"`
	Category     string     `bun:"category"`
	Service      string     `bun:"service"` // the service in charge, set from the category, changed by requalification
	State        State      `bun:"state"`
	LatE6        *int64     `bun:"lat_e6"`
	LonE6        *int64     `bun:"lon_e6"`
	Cell         *int64     `bun:"cell"`
	Coarse       *int64     `bun:"coarse"`
	Address      string     `bun:"address"`
	Description  string     `bun:"description"`
	AuthorID     string     `bun:"author_id"`
	EnteredBy    string     `bun:"entered_by,nullzero"` // the agent who entered it at a desk
	Desk         string     `bun:"desk"`
	NamePublic   bool       `bun:"name_public"`
	ScheduledFor *time.Time `bun:"scheduled_for"`
	Operator     string     `bun:"operator"`      // who it was transferred to
	ConfirmCount int        `bun:"confirm_count"` // "me too", or for a suggestion its supports
	// CouncilRank is a suggestion's place (from 1) in the result of the
	// latest council vote it was on, CouncilVote that vote; nil and ""
	// before any such vote closed.
	CouncilRank *int      `bun:"council_rank"`
	CouncilVote string    `bun:"council_vote,nullzero"`
	CreatedAt   time.Time `bun:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at"`
}

// Point is the report's position, if it has one.
func (r *Report) Point() (Point, bool) {
	if r.LatE6 == nil || r.LonE6 == nil {
		return Point{}, false
	}
	return Point{Lat: fromE6(*r.LatE6), Lon: fromE6(*r.LonE6)}, true
}

// Photo is an image of a report. The caller re-encodes it (no EXIF, no
// GPS) and stores it in the blob store; the row says where.
type Photo struct {
	bun.BaseModel `bun:"table:report_photos"`

	ReportID    string `bun:"report_id,pk"`
	Position    int    `bun:"position,pk"` // from 1
	BlobKey     string `bun:"blob_key"`
	ContentType string `bun:"content_type"`
	Size        int64  `bun:"size"`
	After       bool   `bun:"after"` // the "after" photo of a report done
}

// MaxPhotos is how many photos a resident joins to a report.
const MaxPhotos = 5

// PhotoTypes are the content types a photo may have.
var PhotoTypes = []string{"image/jpeg", "image/png"}

// Limits of what people write.
const (
	DescriptionMax = 5000
	AddressMax     = 300
	MessageMax     = 5000
	OperatorMax    = 200
)

// Errors the service returns; the frontend maps them to messages.
var (
	ErrNotFound         = errors.New("report not found")
	ErrForbidden        = errors.New("not allowed")
	ErrUnknownCategory  = errors.New("unknown report category")
	ErrOutsideTerritory = errors.New("this point is outside the node's territory")
	ErrLocation         = errors.New("a report needs a point or an address")
	ErrDescription      = errors.New("a description is 1 to 5,000 characters")
	ErrAddress          = errors.New("an address is at most 300 characters")
	ErrPhotos           = errors.New("at most 5 photos, each a JPEG or PNG image")
	ErrTransition       = errors.New("this state cannot follow the report's current state")
	ErrClosed           = errors.New("this report is closed")
	ErrMessage          = errors.New("a message is 1 to 5,000 characters")
	ErrSchedule         = errors.New("a scheduled intervention needs a date, not before the report")
	ErrOperator         = errors.New("a transfer names the operator (1 to 200 characters)")
	ErrRequalify        = errors.New("a requalification names another category")
	ErrAlreadyConfirmed = errors.New("already confirmed")
	ErrOwnReport        = errors.New("one does not confirm one's own report")
	ErrBoxTooLarge      = errors.New("this box is too large")
)

// Service runs the street reports of one node.
type Service struct {
	db  *bun.DB
	now func() time.Time
	// reads admits the public read queries (the map's box, the lists)
	// a few at a time, first come first served: a burst of clients then
	// queues in order instead of crowding the database, where the last
	// of a crowd waited seconds (docs/BENCHMARKS.md).
	reads chan struct{}
	// answers keeps the map's and the Open311 list's answers for
	// AnswerTTL (answers.go).
	answers *answers
	// categories are the categories, kept the same way.
	categories *answers
	// pinStmts are the map's box query prepared, by text (pins.go).
	pinStmts sync.Map
	// pinCells keeps the map's pins per cell of the fine grid (cells.go).
	pinCells *pinCells
}

// NewService returns the reports service over db. now is the clock (nil
// for time.Now).
func NewService(db *bun.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) },
		reads: make(chan struct{}, 2*runtime.GOMAXPROCS(0)), answers: newAnswers(AnswerTTL), categories: newAnswers(AnswerTTL), pinCells: newPinCells()}
}

// admit waits for a turn among the public read queries; call the
// returned func when done.
func (s *Service) admit(ctx context.Context) (func(), error) {
	select {
	case s.reads <- struct{}{}:
		return func() { <-s.reads }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Input is what a report is made of.
type Input struct {
	Category    string
	Point       *Point // nil for an address only
	Address     string
	Description string
	NamePublic  bool // the reporter's name shown on the report
	Photos      []Photo
}

// Create records a report by a resident, or by an agent at a desk for
// the resident present (actor.OnBehalfOf; the agent is recorded). Every
// check is made before anything is written.
func (s *Service) Create(ctx context.Context, actor accounts.Actor, in Input) (*Report, error) {
	in.Address, in.Description = strings.TrimSpace(in.Address), strings.TrimSpace(in.Description)
	if !between(in.Description, 1, DescriptionMax) {
		return nil, ErrDescription
	}
	if !between(in.Address, 0, AddressMax) {
		return nil, ErrAddress
	}
	if in.Point == nil && in.Address == "" {
		return nil, ErrLocation
	}
	if err := checkPhotos(in.Photos, MaxPhotos); err != nil {
		return nil, err
	}
	var r *Report
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		author, err := accounts.ForResident(ctx, tx, actor)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrForbidden, err)
		}
		c, err := category(ctx, tx, in.Category)
		if err != nil {
			return err
		}
		if c.Retired {
			return ErrUnknownCategory
		}
		now := s.now()
		r = &Report{ID: database.NewID(), Category: c.Slug, Service: c.Service, State: New, Address: in.Address,
			Description: in.Description, AuthorID: author.ID, NamePublic: in.NamePublic, CreatedAt: now, UpdatedAt: now}
		if actor.OnBehalfOf != nil {
			r.EnteredBy, r.Desk = actor.Account.ID, actor.Desk
		}
		if in.Point != nil {
			if err := s.inTerritory(ctx, *in.Point); err != nil {
				return err
			}
			lat, lon := e6(in.Point.Lat), e6(in.Point.Lon)
			fine, coarse := cells(lat, lon)
			r.LatE6, r.LonE6, r.Cell, r.Coarse = &lat, &lon, &fine, &coarse
		}
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return fmt.Errorf("insert report: %w", err)
		}
		if err := insertPhotos(ctx, tx, r.ID, in.Photos, false); err != nil {
			return err
		}
		// The reporter follows their report: they hear of its changes.
		if err := notifications.Follow(ctx, tx, now, author.ID, followed(r.ID)); err != nil {
			return err
		}
		if err := s.record(ctx, tx, &Event{ReportID: r.ID, Kind: KindCreated, State: New, ActorID: author.ID,
			EnteredBy: r.EnteredBy, Category: c.Slug, Service: c.Service, At: now}); err != nil {
			return err
		}
		// The node announces it (its category's actor), never the reporter.
		return outbox.Record(ctx, tx, now, outbox.Create, ReportObject, r.ID, "")
	})
	if err != nil {
		return nil, err
	}
	s.changed()
	s.moved(r.Cell)
	return r, nil
}

// inTerritory checks a point against the node's territory.
func (s *Service) inTerritory(ctx context.Context, p Point) error {
	if !p.Valid() {
		return ErrPoint
	}
	poly, err := s.Territory(ctx)
	if err != nil {
		return err
	}
	if len(poly) > 0 && !poly.Contains(p) {
		return ErrOutsideTerritory
	}
	return nil
}

func checkPhotos(photos []Photo, most int) error {
	if len(photos) > most {
		return ErrPhotos
	}
	for _, p := range photos {
		if p.BlobKey == "" || p.Size <= 0 || !slices.Contains(PhotoTypes, p.ContentType) {
			return ErrPhotos
		}
	}
	return nil
}

func insertPhotos(ctx context.Context, tx bun.Tx, id string, photos []Photo, after bool) error {
	if len(photos) == 0 {
		return nil
	}
	n, err := tx.NewSelect().Model((*Photo)(nil)).Where("report_id = ?", id).Count(ctx)
	if err != nil {
		return fmt.Errorf("count photos: %w", err)
	}
	rows := make([]Photo, len(photos))
	for i, p := range photos {
		rows[i] = Photo{ReportID: id, Position: int(n) + i + 1, BlobKey: p.BlobKey, ContentType: p.ContentType, Size: p.Size, After: after}
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("insert photos: %w", err)
	}
	return nil
}

// ByID returns a report.
func (s *Service) ByID(ctx context.Context, id string) (*Report, error) {
	return load(ctx, s.db, id, false)
}

func load(ctx context.Context, db bun.IDB, id string, forUpdate bool) (*Report, error) {
	r := new(Report)
	q := db.NewSelect().Model(r).Where("id = ?", id)
	if forUpdate && database.IsPostgres(db) {
		q = q.For("UPDATE")
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("load report %s: %w", id, err)
	}
	return r, nil
}

// Photos returns a report's photos in order.
func (s *Service) Photos(ctx context.Context, id string) ([]Photo, error) {
	var out []Photo
	if err := s.db.NewSelect().Model(&out).Where("report_id = ?", id).Order("position").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load photos: %w", err)
	}
	return out, nil
}

// Photo returns one photo of a report.
func (s *Service) Photo(ctx context.Context, id string, n int) (*Photo, error) {
	p := new(Photo)
	if err := s.db.NewSelect().Model(p).Where("report_id = ? AND position = ?", id, n).Scan(ctx); err != nil {
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("load photo: %w", err)
	}
	return p, nil
}

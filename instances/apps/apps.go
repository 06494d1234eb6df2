package apps

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/outbox"
	"agora/storage/blobs"
	"agora/storage/database"
)

// ReviewState is where an app stands in review.
type ReviewState string

const (
	Submitted ReviewState = "submitted" // published, not yet reviewed
	Reviewed  ReviewState = "reviewed"  // a steward went through the checklist
	Certified ReviewState = "certified" // every item checked, and certified
)

// Checklist is what a steward checks before certifying an app.
type Checklist struct {
	OSILicence          bool `bun:"osi_licence"`          // the licence is OSI-approved
	SourceReachable     bool `bun:"source_reachable"`     // the repository at url answers
	MaintenanceDeclared bool `bun:"maintenance_declared"` // maintenance.type is not none
	Accessibility       bool `bun:"accessibility"`        // an accessibility statement is published
	FrenchDocumentation bool `bun:"french_documentation"` // the documentation exists in French
}

// Complete reports whether every item is checked.
func (c Checklist) Complete() bool {
	return c.OSILicence && c.SourceReachable && c.MaintenanceDeclared && c.Accessibility && c.FrenchDocumentation
}

// App is one app of the catalogue.
type App struct {
	bun.BaseModel `bun:"table:apps,alias:a"`

	ID   string `bun:"id,pk"`
	Slug string `bun:"slug"` // stable: /apps/{slug}
	Name string `bun:"name"`
	URL  string `bun:"url"` // the source repository
	// PublicCodeYML is the publiccode.yml as submitted, byte for byte.
	PublicCodeYML     string `bun:"publiccode_yml"`
	PublicCodeVersion string `bun:"publiccode_version"`
	LandingURL        string `bun:"landing_url"`
	SoftwareVersion   string `bun:"software_version"`
	ReleaseDate       string `bun:"release_date"` // YYYY-MM-DD or ""
	// What the catalogue filters on, from the publiccode.yml.
	Categories        Strings `bun:"categories"`
	Platforms         Strings `bun:"platforms"`
	DevelopmentStatus string  `bun:"development_status"`
	SoftwareType      string  `bun:"software_type"`
	License           string  `bun:"license"` // normalised SPDX expression
	OSIApproved       bool    `bun:"osi_approved"`
	Languages         Strings `bun:"languages"` // localisation.availableLanguages, canonical BCP 47
	// ShortDescriptions are the short descriptions by language, for lists.
	ShortDescriptions Texts `bun:"short_descriptions"`
	// SearchText is the name and descriptions, lowercased and without
	// accents, that List searches.
	SearchText string `bun:"search_text"`

	ReviewState ReviewState `bun:"review_state"`
	Checklist   Checklist   `bun:"embed:check_"`
	ReviewedBy  string      `bun:"reviewed_by,nullzero"`
	ReviewedAt  *time.Time  `bun:"reviewed_at"`
	CertifiedBy string      `bun:"certified_by,nullzero"`
	CertifiedAt *time.Time  `bun:"certified_at"`

	CreatedBy    string     `bun:"created_by,nullzero"` // "" for the node itself
	CreatedAt    time.Time  `bun:"created_at"`
	UpdatedAt    time.Time  `bun:"updated_at"`
	DeprecatedAt *time.Time `bun:"deprecated_at"`
	DeletedAt    *time.Time `bun:"deleted_at"`

	// Origin of an app another node publishes (federation fills them).
	OriginActor string  `bun:"origin_actor,nullzero"` // the ActivityPub actor of its catalogue
	OriginNode  string  `bun:"origin_node,nullzero"`  // its host name
	RemoteID    *string `bun:"remote_id"`             // the ActivityPub id of the app
	RemoteURL   string  `bun:"remote_url,nullzero"`   // its page on the origin node
}

// Remote reports whether the app comes from another node.
func (a *App) Remote() bool { return a.RemoteID != nil }

// Deprecated reports whether the app was deprecated.
func (a *App) Deprecated() bool { return a.DeprecatedAt != nil }

// PublicCode parses the stored publiccode.yml.
func (a *App) PublicCode() (*PublicCode, error) {
	pc, _, err := Parse(strings.NewReader(a.PublicCodeYML))
	return pc, err
}

// Strings is a list of strings stored as a JSON array.
type Strings []string

// Value implements driver.Valuer.
func (l Strings) Value() (driver.Value, error) {
	if l == nil {
		l = Strings{}
	}
	b, err := json.Marshal([]string(l))
	return string(b), err
}

// Scan implements sql.Scanner.
func (l *Strings) Scan(src any) error { return scanJSON(src, (*[]string)(l)) }

// Texts is a map of strings (by language) stored as a JSON object.
type Texts map[string]string

// Value implements driver.Valuer.
func (t Texts) Value() (driver.Value, error) {
	if t == nil {
		t = Texts{}
	}
	b, err := json.Marshal(map[string]string(t))
	return string(b), err
}

// Scan implements sql.Scanner.
func (t *Texts) Scan(src any) error { return scanJSON(src, (*map[string]string)(t)) }

func scanJSON(src, dst any) error {
	switch v := src.(type) {
	case nil:
		return nil
	case string:
		return json.Unmarshal([]byte(v), dst)
	case []byte:
		return json.Unmarshal(v, dst)
	}
	return fmt.Errorf("cannot scan %T as JSON", src)
}

// Errors of the catalogue. Field errors come as *InvalidError, which
// errors.Is matches to ErrInvalid.
var (
	ErrNotFound      = errors.New("app not found")
	ErrGone          = errors.New("this app was deleted")
	ErrForbidden     = errors.New("only catalogue stewards may do this")
	ErrInvalid       = errors.New("invalid input")
	ErrTooLarge      = errors.New("the file is too large")
	ErrConflict      = errors.New("already in the catalogue")
	ErrRemote        = errors.New("this app is published by another node: it changes only from there")
	ErrMediaType     = errors.New("an image must be a PNG, JPEG or WebP file")
	ErrChecklist     = errors.New("an app is certified only once every item of the checklist is checked")
	ErrOwnSubmission = errors.New("an app is certified by someone other than who published it")
	ErrNotAdopted    = errors.New("no such adoption")
)

// Defaults of Options.
const (
	DefaultMaxArtifactSize = 2 << 30 // 2 GiB
	DefaultMaxImageSize    = 5 << 20 // 5 MiB
)

// Limits of the catalogue.
const (
	MaxArtifactsPerRelease = 20
	MaxScreenshots         = 20
	maxChangelog           = 20_000 // characters
	maxNameLen             = 200    // characters: artifact and adopter names
	maxShortField          = 300    // characters: versions, contacts
	defaultPerPage         = 20
	maxPerPage             = 100
	searchTermsMax         = 10
	sniffLen               = 512 // bytes read to detect an image's type, as http.DetectContentType does
	yamlIndent             = 2
	slugMax                = 60
	usedByMax              = 1000 // names written in an exported usedBy
)

// Options are the catalogue's settings; zero values take the defaults.
type Options struct {
	// MaxArtifactSize is the largest release artifact accepted, in bytes.
	MaxArtifactSize int64
	// MaxImageSize is the largest logo or screenshot accepted, in bytes.
	MaxImageSize int64
	// MayCurate says whether an actor may publish, review, certify and
	// record adoptions. The default (AdminsMayCurate) allows the node
	// itself (accounts.System, the command line), catalogue stewards
	// (accounts.Steward) and admins.
	MayCurate func(accounts.Actor) bool
}

// AdminsMayCurate is the default of Options.MayCurate: the node itself
// (the command line), catalogue stewards and admins.
func AdminsMayCurate(a accounts.Actor) bool {
	if a.OnBehalfOf != nil {
		return false // a desk acts for residents, not for the catalogue
	}
	return a.Account == nil || a.Account.Has(accounts.Steward) || a.Account.Has(accounts.Admin)
}

// Service runs the catalogue of a node.
type Service struct {
	db    *bun.DB
	blobs blobs.Store
	now   func() time.Time
	opts  Options
}

// NewService returns the catalogue; now is the clock (nil: time.Now).
func NewService(db *bun.DB, store blobs.Store, now func() time.Time, opts Options) *Service {
	if now == nil {
		now = time.Now
	}
	if opts.MaxArtifactSize <= 0 {
		opts.MaxArtifactSize = DefaultMaxArtifactSize
	}
	if opts.MaxImageSize <= 0 {
		opts.MaxImageSize = DefaultMaxImageSize
	}
	if opts.MayCurate == nil {
		opts.MayCurate = AdminsMayCurate
	}
	return &Service{db: db, blobs: store, opts: opts,
		now: func() time.Time { return now().UTC().Truncate(time.Microsecond) }}
}

// curator checks the actor may change the catalogue and returns the
// account id to record ("" for the node itself).
func (s *Service) curator(actor accounts.Actor) (string, error) {
	if !s.opts.MayCurate(actor) {
		return "", ErrForbidden
	}
	if actor.Account == nil {
		return "", nil
	}
	return actor.Account.ID, nil
}

// MayCurate reports whether actor may change the catalogue, for pages
// that offer the forms only to those who may use them.
func (s *Service) MayCurate(actor accounts.Actor) bool { return s.opts.MayCurate(actor) }

// Limits returns the largest artifact and image accepted, in bytes.
func (s *Service) Limits() (artifact, image int64) {
	return s.opts.MaxArtifactSize, s.opts.MaxImageSize
}

// outboxed records a change for federation, in the caller's transaction.
// The catalogue announces in the node's name, not a person's.
func outboxed(ctx context.Context, tx bun.IDB, at time.Time, kind, objectType, id string) error {
	return outbox.Record(ctx, tx, at, kind, objectType, id, "")
}

// BySlug returns an app; ErrGone if it was deleted.
func (s *Service) BySlug(ctx context.Context, slug string) (*App, error) {
	return s.load(ctx, s.db, slug, false)
}

// load reads an app, locking its row in a transaction when lock is set
// (PostgreSQL; SQLite transactions are serialised already).
func (s *Service) load(ctx context.Context, db bun.IDB, slug string, lock bool) (*App, error) {
	a := new(App)
	q := db.NewSelect().Model(a).Where("a.slug = ?", slug)
	if lock && database.IsPostgres(db) {
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load app: %w", err)
	}
	if a.DeletedAt != nil {
		return a, ErrGone
	}
	return a, nil
}

// local loads an app the caller will change, refusing remote ones.
func (s *Service) local(ctx context.Context, tx bun.IDB, slug string) (*App, error) {
	_, inTx := tx.(bun.Tx)
	a, err := s.load(ctx, tx, slug, inTx)
	if err != nil {
		return nil, err
	}
	if a.Remote() {
		return nil, ErrRemote
	}
	return a, nil
}

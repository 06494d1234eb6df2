// Package spaces holds the participatory spaces of a node: a process (a
// participatory budget), a council or an assembly, with its ordered phases
// and their dates, the categories residents choose from, and the rules
// proposals follow there.
package spaces

import (
	"agora/instances/invalid"
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/markup"
	"agora/storage/database"
)

// Kind is what a space is.
type Kind string

const (
	Process  Kind = "process"  // a participatory process, e.g. a participatory budget
	Council  Kind = "council"  // a neighbourhood council
	Assembly Kind = "assembly" // a standing assembly
)

// Kinds lists the kinds of space.
var Kinds = []Kind{Process, Council, Assembly}

// PhaseKind says what residents may do during a phase.
type PhaseKind string

const (
	Information    PhaseKind = "information"    // read only
	Proposals      PhaseKind = "proposals"      // propose and support
	Supports       PhaseKind = "supports"       // support only
	Debate         PhaseKind = "debate"         // comment and debate
	Coconstruction PhaseKind = "coconstruction" // officials merge ideas into projects (participatory budgets)
	Evaluation     PhaseKind = "evaluation"     // officials answer (a budget's technical review)
	Vote           PhaseKind = "vote"           // ballots, on the node and at desks
	Results        PhaseKind = "results"        // the result is published
	Implementation PhaseKind = "implementation" // follow-up of what is built
)

// PhaseKinds lists the phase kinds in their usual order: a
// participatory budget's are proposals (ideas), coconstruction,
// evaluation (technical review), vote, results and implementation.
var PhaseKinds = []PhaseKind{Information, Proposals, Supports, Debate, Coconstruction, Evaluation, Vote, Results, Implementation}

// Phase is one period of a space.
type Phase struct {
	bun.BaseModel `bun:"table:space_phases"`

	SpaceID  string    `bun:"space_id,pk"`
	Position int       `bun:"position,pk"`
	Kind     PhaseKind `bun:"kind"`
	Name     string    `bun:"name"` // optional label; pages show the kind's name when empty
	StartsAt time.Time `bun:"starts_at"`
	EndsAt   time.Time `bun:"ends_at"`
}

// Category is a theme residents file a proposal under.
type Category struct {
	bun.BaseModel `bun:"table:space_categories"`

	SpaceID  string `bun:"space_id,pk"`
	Slug     string `bun:"slug,pk"`
	NameFR   string `bun:"name_fr"`
	NameEN   string `bun:"name_en"`
	Position int    `bun:"position"`
}

// Name returns the category's name in lang.
func (c Category) Name(lang string) string {
	if lang == "en" && c.NameEN != "" {
		return c.NameEN
	}
	return c.NameFR
}

// Space is a participatory space.
type Space struct {
	bun.BaseModel `bun:"table:spaces"`

	ID                   string    `bun:"id,pk"`
	Slug                 string    `bun:"slug"`
	Title                string    `bun:"title"`
	Description          string    `bun:"description"` // Markdown
	Kind                 Kind      `bun:"kind"`
	TitleMax             int       `bun:"title_max"`
	BodyMax              int       `bun:"body_max"`
	SupportThreshold     int       `bun:"support_threshold"`
	UnverifiedMayPropose bool      `bun:"unverified_may_propose"`
	CreatedAt            time.Time `bun:"created_at"`
	UpdatedAt            time.Time `bun:"updated_at"`
	CreatedBy            string    `bun:"created_by"`
	// DatesChangedAt is when an admin last moved the dates of its
	// phases, which its page tells residents; nil if they never moved.
	DatesChangedAt *time.Time `bun:"dates_changed_at"`

	Phases     []Phase    `bun:"rel:has-many,join:id=space_id"`
	Categories []Category `bun:"rel:has-many,join:id=space_id"`
}

// PhaseAt returns the phase running at t, or nil between or outside phases.
func (s *Space) PhaseAt(t time.Time) *Phase {
	for i := range s.Phases {
		p := &s.Phases[i]
		if !t.Before(p.StartsAt) && t.Before(p.EndsAt) {
			return p
		}
	}
	return nil
}

// AllowsProposals reports whether new proposals are accepted at t.
func (s *Space) AllowsProposals(t time.Time) bool {
	p := s.PhaseAt(t)
	return p != nil && p.Kind == Proposals
}

// AllowsSupports reports whether supports may be given or withdrawn at t.
func (s *Space) AllowsSupports(t time.Time) bool {
	p := s.PhaseAt(t)
	return p != nil && (p.Kind == Proposals || p.Kind == Supports)
}

// HasCategory reports whether slug is one of the space's categories.
func (s *Space) HasCategory(slug string) bool {
	return slices.ContainsFunc(s.Categories, func(c Category) bool { return c.Slug == slug })
}

// Category returns the category with slug, or nil.
func (s *Space) Category(slug string) *Category {
	for i := range s.Categories {
		if s.Categories[i].Slug == slug {
			return &s.Categories[i]
		}
	}
	return nil
}

// Errors of the spaces service.
var (
	ErrNotFound    = errors.New("space not found")
	ErrForbidden   = errors.New("only an administrator opens or changes a space")
	ErrSlug        = errors.New("a slug is 1 to 60 of a-z, 0-9 and -")
	ErrSlugTaken   = errors.New("this slug is taken")
	ErrTitle       = errors.New("a title is 1 to 150 characters")
	ErrDescription = errors.New("a description is at most 20,000 characters")
	ErrKind        = errors.New("a space is a process, a council or an assembly")
	ErrPhases      = errors.New("phases need a known kind and dates in order, without overlap")
	ErrCategories  = errors.New("categories need a slug of a-z, 0-9 and -, a French name, and no duplicate")
	ErrLimits      = errors.New("limits: title 10 to 300 characters, body 100 to 20,000, support threshold 0 to 1,000,000")

	// The rules of one phase or one category; each is also ErrPhases
	// or ErrCategories.
	ErrPhaseKind     = fmt.Errorf("%w: unknown kind of phase", ErrPhases)
	ErrPhaseName     = fmt.Errorf("%w: a phase's name is at most 80 characters", ErrPhases)
	ErrPhaseDates    = fmt.Errorf("%w: a phase has a first and a last day, in that order", ErrPhases)
	ErrPhaseOverlap  = fmt.Errorf("%w: a phase starts once the one before has ended", ErrPhases)
	ErrCategorySlug  = fmt.Errorf("%w: a category's slug is 1 to 60 of a-z, 0-9 and -", ErrCategories)
	ErrCategoryTwice = fmt.Errorf("%w: two categories have the same slug", ErrCategories)
	ErrCategoryName  = fmt.Errorf("%w: a category's French name is 1 to 80 characters, its English one at most 80", ErrCategories)
	ErrCategoryInUse = fmt.Errorf("%w: proposals are filed under this category", ErrCategories)
)

// FieldError is one thing wrong with what opens or changes a space: the
// field it is about ("slug", "title", "description", "kind",
// "title_max", "body_max", "support_threshold", "phases.N.kind",
// "phases.N.name", "phases.N.start", "phases.N.end",
// "categories.N.slug", "categories.N.name_fr", "categories.N.name_en",
// N counting from 0) and the rule it breaks, one of the errors above.
type FieldError = invalid.Field

// InvalidError is every FieldError of one input, so that a form shows
// them all at once. errors.Is matches it to each of their rules.
type InvalidError = invalid.Error

// problems gathers FieldErrors.
type problems = invalid.Fields

// Defaults residents asked for: short titles and bodies, read in one go.
const (
	DefaultTitleMax  = 100
	DefaultBodyMax   = 700
	DefaultThreshold = 50
)

var slugRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Service runs the spaces of a node.
type Service struct {
	db  *bun.DB
	md  *markup.Renderer
	now func() time.Time

	// cache keeps spaces read by id or slug for a few seconds: every page
	// and API call reads its space, which changes rarely. Another process
	// sees a change at most cacheTTL late.
	mu    sync.Mutex
	cache map[string]cached
}

type cached struct {
	space *Space
	until time.Time
}

// cacheTTL is how stale a space read from the cache may be.
const cacheTTL = 5 * time.Second

// NewService returns the spaces service; now is the clock (nil: time.Now).
func NewService(db *bun.DB, md *markup.Renderer, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, md: md, now: func() time.Time { return now().UTC().Truncate(time.Microsecond) },
		cache: map[string]cached{}}
}

// PhaseInput is one phase of a new space.
type PhaseInput struct {
	Kind     PhaseKind
	Name     string
	StartsAt time.Time
	EndsAt   time.Time
}

// CategoryInput is one category of a new space.
type CategoryInput struct {
	Slug, NameFR, NameEN string
}

// NewSpace is what opening a space takes. Zero limits take the defaults;
// no phases give a proposal phase from now for 30 days, then evaluation and
// implementation.
type NewSpace struct {
	Slug                 string
	Title                string
	Description          string
	Kind                 Kind
	Phases               []PhaseInput
	Categories           []CategoryInput
	TitleMax             int
	BodyMax              int
	SupportThreshold     int
	UnverifiedMayPropose bool
}

// DefaultPhases are the phases of a space opened with none given.
func DefaultPhases(from time.Time) []PhaseInput {
	day := 24 * time.Hour
	return []PhaseInput{
		{Kind: Proposals, StartsAt: from, EndsAt: from.Add(30 * day)},
		{Kind: Evaluation, StartsAt: from.Add(30 * day), EndsAt: from.Add(60 * day)},
		{Kind: Implementation, StartsAt: from.Add(60 * day), EndsAt: from.Add(425 * day)},
	}
}

// EditSpace is what changing a space takes: everything but its slug,
// which forms its address and its fediverse actor and never changes.
// Zero limits take the defaults, as when it was opened; phases are
// required.
type EditSpace struct {
	Title                string
	Description          string
	Kind                 Kind
	Phases               []PhaseInput
	Categories           []CategoryInput
	TitleMax             int
	BodyMax              int
	SupportThreshold     int
	UnverifiedMayPropose bool
}

// admin checks that actor may open or change spaces: an admin, or the
// node itself (the command line).
func admin(actor accounts.Actor) error {
	if actor.OnBehalfOf != nil || actor.Account != nil && !actor.Account.Has(accounts.Admin) {
		return ErrForbidden
	}
	return nil
}

// Validate checks a new space as Create would, without opening it: every
// problem at once in an *InvalidError (a slug another space has
// included), nil when Create would accept it.
func (s *Service) Validate(ctx context.Context, in NewSpace) error {
	_, err := s.validate(in)
	var bad problems
	var inv *InvalidError
	if errors.As(err, &inv) {
		bad = inv.Errors
	} else if err != nil {
		return err
	}
	slug := strings.ToLower(strings.TrimSpace(in.Slug))
	if slugRe.MatchString(slug) {
		n, err := s.db.NewSelect().Table("spaces").Where("slug = ?", slug).Count(ctx)
		if err != nil {
			return fmt.Errorf("find slug: %w", err)
		}
		if n > 0 {
			bad = append(problems{{Field: "slug", Err: ErrSlugTaken}}, bad...)
		}
	}
	return bad.Err("space")
}

// Create opens a space. Only admins (or the command line) may. The audit
// log records it.
func (s *Service) Create(ctx context.Context, actor accounts.Actor, in NewSpace) (*Space, error) {
	if err := admin(actor); err != nil {
		return nil, err
	}
	if err := s.Validate(ctx, in); err != nil {
		return nil, err
	}
	sp, err := s.validate(in)
	if err != nil {
		return nil, err
	}
	if actor.Account != nil {
		sp.CreatedBy = actor.Account.ID
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := accounts.Record(ctx, tx, sp.CreatedAt, actor, "space.create", "", "space="+sp.Slug, ""); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(sp).Exec(ctx); err != nil {
			if errors.Is(database.Translate(err), database.ErrConflict) {
				return &InvalidError{What: "space", Errors: []FieldError{{Field: "slug", Err: ErrSlugTaken}}}
			}
			return fmt.Errorf("insert space: %w", err)
		}
		if _, err := tx.NewInsert().Model(&sp.Phases).Exec(ctx); err != nil {
			return fmt.Errorf("insert phases: %w", err)
		}
		if len(sp.Categories) > 0 {
			if _, err := tx.NewInsert().Model(&sp.Categories).Exec(ctx); err != nil {
				return fmt.Errorf("insert categories: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sp, nil
}

// validate checks everything in, gathering every problem (an
// *InvalidError), and returns the space it describes with a new id.
func (s *Service) validate(in NewSpace) (*Space, error) {
	var bad problems
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	if len(in.Slug) > 60 || !slugRe.MatchString(in.Slug) {
		bad.Add("slug", ErrSlug)
	}
	sp, more := s.check(in.Slug, EditSpace{Title: in.Title, Description: in.Description, Kind: in.Kind, Phases: in.Phases,
		Categories: in.Categories, TitleMax: in.TitleMax, BodyMax: in.BodyMax, SupportThreshold: in.SupportThreshold,
		UnverifiedMayPropose: in.UnverifiedMayPropose}, true)
	bad = append(bad, more...)
	if err := bad.Err("space"); err != nil {
		return nil, err
	}
	sp.ID = database.NewID()
	for i := range sp.Phases {
		sp.Phases[i].SpaceID = sp.ID
	}
	for i := range sp.Categories {
		sp.Categories[i].SpaceID = sp.ID
	}
	return sp, nil
}

// check checks what a space holds beyond its slug, gathering every
// problem, and returns the space it describes (without an id). A new
// space (opening) without phases gets DefaultPhases.
func (s *Service) check(slug string, in EditSpace, opening bool) (*Space, problems) {
	var bad problems
	in.Title = strings.TrimSpace(in.Title)
	if n := utf8.RuneCountInString(in.Title); n < 1 || n > 150 {
		bad.Add("title", ErrTitle)
	}
	if utf8.RuneCountInString(in.Description) > 20000 {
		bad.Add("description", ErrDescription)
	}
	if in.Kind == "" {
		in.Kind = Process
	}
	if !slices.Contains(Kinds, in.Kind) {
		bad.Add("kind", ErrKind)
	}
	if in.TitleMax == 0 {
		in.TitleMax = DefaultTitleMax
	}
	if in.BodyMax == 0 {
		in.BodyMax = DefaultBodyMax
	}
	if in.TitleMax < 10 || in.TitleMax > 300 {
		bad.Add("title_max", ErrLimits)
	}
	if in.BodyMax < 100 || in.BodyMax > 20000 {
		bad.Add("body_max", ErrLimits)
	}
	if in.SupportThreshold < 0 || in.SupportThreshold > 1_000_000 {
		bad.Add("support_threshold", ErrLimits)
	}
	now := s.now()
	if len(in.Phases) == 0 && opening {
		in.Phases = DefaultPhases(now)
	}
	if len(in.Phases) == 0 {
		bad.Add("phases", ErrPhases)
	}
	sp := &Space{
		Slug: slug, Title: in.Title, Description: in.Description, Kind: in.Kind,
		TitleMax: in.TitleMax, BodyMax: in.BodyMax, SupportThreshold: in.SupportThreshold,
		UnverifiedMayPropose: in.UnverifiedMayPropose, CreatedAt: now, UpdatedAt: now,
	}
	var prevEnd time.Time
	for i, p := range in.Phases {
		at := fmt.Sprintf("phases.%d.", i)
		if !slices.Contains(PhaseKinds, p.Kind) {
			bad.Add(at+"kind", ErrPhaseKind)
		}
		if utf8.RuneCountInString(strings.TrimSpace(p.Name)) > 80 {
			bad.Add(at+"name", ErrPhaseName)
		}
		switch {
		case p.StartsAt.IsZero():
			bad.Add(at+"start", ErrPhaseDates)
		case p.EndsAt.IsZero():
			bad.Add(at+"end", ErrPhaseDates)
		case !p.StartsAt.Before(p.EndsAt):
			bad.Add(at+"end", ErrPhaseDates)
		case p.StartsAt.Before(prevEnd):
			bad.Add(at+"start", ErrPhaseOverlap)
		}
		if !p.EndsAt.IsZero() {
			prevEnd = p.EndsAt
		}
		sp.Phases = append(sp.Phases, Phase{Position: i, Kind: p.Kind, Name: strings.TrimSpace(p.Name),
			StartsAt: p.StartsAt.UTC(), EndsAt: p.EndsAt.UTC()})
	}
	seen := map[string]bool{}
	for i, c := range in.Categories {
		at := fmt.Sprintf("categories.%d.", i)
		c.Slug = strings.ToLower(strings.TrimSpace(c.Slug))
		c.NameFR, c.NameEN = strings.TrimSpace(c.NameFR), strings.TrimSpace(c.NameEN)
		switch {
		case !slugRe.MatchString(c.Slug) || len(c.Slug) > 60:
			bad.Add(at+"slug", ErrCategorySlug)
		case seen[c.Slug]:
			bad.Add(at+"slug", ErrCategoryTwice)
		}
		if n := utf8.RuneCountInString(c.NameFR); n < 1 || n > 80 {
			bad.Add(at+"name_fr", ErrCategoryName)
		}
		if utf8.RuneCountInString(c.NameEN) > 80 {
			bad.Add(at+"name_en", ErrCategoryName)
		}
		seen[c.Slug] = true
		sp.Categories = append(sp.Categories, Category{Slug: c.Slug, NameFR: c.NameFR, NameEN: c.NameEN, Position: i})
	}
	return sp, bad
}

// BySlug returns a space with its phases and categories. The space may be
// shared with other callers: treat it as read-only.
func (s *Service) BySlug(ctx context.Context, slug string) (*Space, error) {
	return s.cached(ctx, "slug:"+slug, "slug = ?", slug)
}

// ByID returns a space with its phases and categories, read-only as BySlug.
func (s *Service) ByID(ctx context.Context, id string) (*Space, error) {
	return s.cached(ctx, "id:"+id, "id = ?", id)
}

func (s *Service) cached(ctx context.Context, key, where string, arg any) (*Space, error) {
	now := time.Now()
	s.mu.Lock()
	c, ok := s.cache[key]
	s.mu.Unlock()
	if ok && now.Before(c.until) {
		return c.space, nil
	}
	sp, err := s.one(ctx, where, arg)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if len(s.cache) > 10_000 { // spaces are few; this only bounds junk keys
		clear(s.cache)
	}
	s.cache[key] = cached{space: sp, until: now.Add(cacheTTL)}
	s.mu.Unlock()
	return sp, nil
}

func (s *Service) one(ctx context.Context, where string, arg any) (*Space, error) {
	sp := new(Space)
	err := s.db.NewSelect().Model(sp).Where("space.id IN (SELECT id FROM spaces WHERE "+where+")", arg).
		Relation("Phases", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("position") }).
		Relation("Categories", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("position") }).
		Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load space: %w", err)
	}
	return sp, nil
}

// List returns every space, newest first, with phases and categories.
func (s *Service) List(ctx context.Context) ([]Space, error) {
	var out []Space
	err := s.db.NewSelect().Model(&out).
		Relation("Phases", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("position") }).
		Relation("Categories", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("position") }).
		Order("created_at DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list spaces: %w", err)
	}
	return out, nil
}

// DescriptionHTML renders the space's description.
func (s *Service) DescriptionHTML(sp *Space) string { return s.md.Markdown(sp.Description) }

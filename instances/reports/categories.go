package reports

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/database"
)

// Category is a kind of problem residents report (a pothole, graffiti, a
// broken street light), mapped by the admin to the city service in
// charge: the officials whose role carries that service's name
// (accounts.RoleGrant.Service) answer its reports. It is also the Open311
// service, its slug the service_code.
type Category struct {
	bun.BaseModel `bun:"table:report_categories"`

	Slug      string    `bun:"slug,pk"`
	NameFR    string    `bun:"name_fr"`
	NameEN    string    `bun:"name_en"`
	Service   string    `bun:"service"`
	Position  int       `bun:"position"`
	Retired   bool      `bun:"retired"` // no new reports; old ones keep it
	Kind      Kind      `bun:"kind"`    // problem (the default) or suggestion of a new amenity
	UpdatedAt time.Time `bun:"updated_at"`
}

// Name is the category's name in a language ("fr" or "en").
func (c *Category) Name(lang string) string {
	if lang == "en" && c.NameEN != "" {
		return c.NameEN
	}
	return c.NameFR
}

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// ErrCategoryInput is a category with a bad slug, a missing name, or no
// service.
var ErrCategoryInput = errors.New("a category has a slug (1 to 40 of a-z, 0-9, -), a French and an English name (1 to 80 characters) and a service (1 to 80); its kind is problem or suggestion")

// SaveCategory adds or changes a category. Only an admin (or the command
// line) may. A report keeps the service it was sent to: changing a
// category's service changes where the next reports go.
func (s *Service) SaveCategory(ctx context.Context, actor accounts.Actor, c Category) error {
	if actor.Account != nil && !actor.Account.Has(accounts.Admin) {
		return ErrForbidden
	}
	c.Slug = strings.TrimSpace(c.Slug)
	c.NameFR, c.NameEN, c.Service = strings.TrimSpace(c.NameFR), strings.TrimSpace(c.NameEN), strings.TrimSpace(c.Service)
	if c.Kind == "" {
		c.Kind = Problem
	}
	if !slugRe.MatchString(c.Slug) || !slices.Contains(Kinds, c.Kind) || !between(c.NameFR, 1, 80) || !between(c.NameEN, 1, 80) || !between(c.Service, 1, 80) {
		return ErrCategoryInput
	}
	c.UpdatedAt = s.now()
	_, err := s.db.NewInsert().Model(&c).On("CONFLICT (slug) DO UPDATE").
		Set("name_fr = EXCLUDED.name_fr, name_en = EXCLUDED.name_en, service = EXCLUDED.service").
		Set("position = EXCLUDED.position, retired = EXCLUDED.retired, kind = EXCLUDED.kind, updated_at = EXCLUDED.updated_at").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("save category %s: %w", c.Slug, err)
	}
	s.changed()
	return nil
}

// Categories returns the categories in their order, the retired ones too
// when all is set. Every map and Open311 answer names them: they are
// kept as the other answers are (answers.go, apart so that they do not
// count as answers kept in AnswerHits), and the caller gets its own copy.
func (s *Service) Categories(ctx context.Context, all bool) ([]Category, error) {
	v, err := s.categories.get(ctx, strconv.FormatBool(all), func(ctx context.Context) (any, error) {
		var out []Category
		q := s.db.NewSelect().Model(&out).Order("position", "slug")
		if !all {
			q = q.Where("retired = ?", false)
		}
		if err := q.Scan(ctx); err != nil {
			return nil, fmt.Errorf("load categories: %w", err)
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return slices.Clone(v.([]Category)), nil
}

// CategoryBySlug returns a category, retired or not.
func (s *Service) CategoryBySlug(ctx context.Context, slug string) (*Category, error) {
	return category(ctx, s.db, slug)
}

func category(ctx context.Context, db bun.IDB, slug string) (*Category, error) {
	c := new(Category)
	if err := db.NewSelect().Model(c).Where("slug = ?", slug).Scan(ctx); err != nil {
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return nil, ErrUnknownCategory
		}
		return nil, fmt.Errorf("load category %s: %w", slug, err)
	}
	return c, nil
}

func between(s string, lo, hi int) bool {
	n := utf8.RuneCountInString(s)
	return n >= lo && n <= hi
}

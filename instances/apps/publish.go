package apps

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/uptrace/bun"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"agora/instances/accounts"
	"agora/instances/outbox"
	"agora/storage/database"
)

// Publish adds an app to the catalogue from its publiccode.yml. When the
// file does not pass, nothing is stored and every problem is returned
// (with an *InvalidError). A repository already published here is
// ErrConflict: update that app instead.
func (s *Service) Publish(ctx context.Context, actor accounts.Actor, publiccodeYAML io.Reader) (*App, []FieldError, error) {
	by, err := s.curator(actor)
	if err != nil {
		return nil, nil, err
	}
	raw, pc, fes, err := read(publiccodeYAML)
	if err != nil {
		return nil, fes, err
	}
	now := s.now()
	a := &App{ID: database.NewID(), PublicCodeYML: raw, ReviewState: Submitted, CreatedBy: by, CreatedAt: now, UpdatedAt: now}
	fill(a, pc)
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.urlFree(ctx, tx, a.URL, ""); err != nil {
			return err
		}
		slug, err := freeSlug(ctx, tx, pc.Name)
		if err != nil {
			return err
		}
		a.Slug = slug
		if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
			if errors.Is(database.Translate(err), database.ErrConflict) {
				return ErrConflict
			}
			return fmt.Errorf("insert app: %w", err)
		}
		if err := writeTags(ctx, tx, a.ID, pc); err != nil {
			return err
		}
		return outboxed(ctx, tx, now, outbox.Create, "app", a.ID)
	})
	if err != nil {
		return nil, nil, err
	}
	return a, nil, nil
}

// Update replaces an app's publiccode.yml. Its slug stays. When the
// licence, the repository, the maintenance type or the presence of a
// French description changes, the review starts again: the checklist is
// cleared and a certification withdrawn, since they attested the old ones.
func (s *Service) Update(ctx context.Context, actor accounts.Actor, slug string, publiccodeYAML io.Reader) (*App, []FieldError, error) {
	if _, err := s.curator(actor); err != nil {
		return nil, nil, err
	}
	raw, pc, fes, err := read(publiccodeYAML)
	if err != nil {
		return nil, fes, err
	}
	var a *App
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if a, err = s.local(ctx, tx, slug); err != nil {
			return err
		}
		if err := s.urlFree(ctx, tx, pc.URL, a.ID); err != nil {
			return err
		}
		old, err := a.PublicCode()
		if err != nil {
			return fmt.Errorf("read stored publiccode.yml of %s: %w", slug, err)
		}
		if reviewBasis(old) != reviewBasis(pc) {
			a.ReviewState, a.Checklist = Submitted, Checklist{}
			a.ReviewedBy, a.ReviewedAt, a.CertifiedBy, a.CertifiedAt = "", nil, "", nil
		}
		a.PublicCodeYML = raw
		a.UpdatedAt = s.now()
		fill(a, pc)
		if _, err := tx.NewUpdate().Model(a).WherePK().Exec(ctx); err != nil {
			if errors.Is(database.Translate(err), database.ErrConflict) {
				return ErrConflict
			}
			return fmt.Errorf("update app: %w", err)
		}
		if _, err := tx.NewDelete().Model((*tag)(nil)).Where("app_id = ?", a.ID).Exec(ctx); err != nil {
			return fmt.Errorf("clear app tags: %w", err)
		}
		if err := writeTags(ctx, tx, a.ID, pc); err != nil {
			return err
		}
		return outboxed(ctx, tx, a.UpdatedAt, outbox.Update, "app", a.ID)
	})
	if err != nil {
		return nil, nil, err
	}
	return a, nil, nil
}

// reviewBasis is what a review attests of a publiccode.yml.
func reviewBasis(pc *PublicCode) string {
	_, fr := pc.Description["fr"]
	return strings.Join([]string{pc.URL, pc.Legal.Licence.Expression, pc.Maintenance.Type, strconv.FormatBool(fr)}, "\n")
}

// read reads and checks a publiccode.yml, keeping its text.
func read(r io.Reader) (string, *PublicCode, []FieldError, error) {
	var raw strings.Builder
	pc, fes, err := Parse(io.TeeReader(r, &raw))
	if err != nil {
		return "", nil, fes, err
	}
	return raw.String(), pc, nil, nil
}

// urlFree refuses a repository another local app (not except) has.
func (s *Service) urlFree(ctx context.Context, tx bun.IDB, url, except string) error {
	q := tx.NewSelect().Model((*App)(nil)).Where("a.url = ? AND a.remote_id IS NULL AND a.deleted_at IS NULL", url)
	if except != "" {
		q = q.Where("a.id <> ?", except)
	}
	n, err := q.Count(ctx)
	if err != nil {
		return fmt.Errorf("check app url: %w", err)
	}
	if n > 0 {
		return ErrConflict
	}
	return nil
}

// fill copies what the catalogue keeps apart from a publiccode.yml.
func fill(a *App, pc *PublicCode) {
	a.Name = pc.Name
	a.URL = pc.URL
	a.PublicCodeVersion = pc.Version
	a.LandingURL = pc.LandingURL
	a.SoftwareVersion = pc.SoftwareVersion
	a.ReleaseDate = pc.ReleaseDate
	a.Categories = Strings(pc.Categories)
	a.Platforms = Strings(pc.Platforms)
	a.DevelopmentStatus = pc.DevelopmentStatus
	a.SoftwareType = pc.SoftwareType
	a.License = pc.Legal.Licence.Expression
	a.OSIApproved = pc.Legal.Licence.OSIApproved
	a.Languages = Strings(pc.Localisation.AvailableLanguages)
	a.ShortDescriptions = Texts{}
	parts := []string{pc.Name}
	for _, lang := range pc.Languages() {
		d := pc.Description[lang]
		a.ShortDescriptions[lang] = d.ShortDescription
		parts = append(parts, d.LocalisedName, d.ShortDescription, d.LongDescription)
		parts = append(parts, d.Features...)
	}
	a.SearchText = fold(strings.Join(parts, "\n"))
}

// tag is one value an app is filtered by.
type tag struct {
	bun.BaseModel `bun:"table:app_tags"`

	AppID string `bun:"app_id,pk"`
	Kind  string `bun:"kind,pk"`
	Value string `bun:"value,pk"`
}

// Kinds of tag.
const (
	tagCategory = "category"
	tagPlatform = "platform"
	tagLicence  = "license"
	tagLanguage = "language"
)

// writeTags records the values of an app's lists, lowercased; a language
// also under its primary subtag, so "fr" finds "fr-BE".
func writeTags(ctx context.Context, tx bun.IDB, appID string, pc *PublicCode) error {
	var rows []tag
	add := func(kind, v string) {
		t := tag{AppID: appID, Kind: kind, Value: strings.ToLower(v)}
		if !slices.Contains(rows, t) {
			rows = append(rows, t)
		}
	}
	for _, v := range pc.Categories {
		add(tagCategory, v)
	}
	for _, v := range pc.Platforms {
		add(tagPlatform, v)
	}
	for _, v := range pc.Legal.Licence.IDs {
		add(tagLicence, v)
	}
	for _, v := range pc.Localisation.AvailableLanguages {
		add(tagLanguage, v)
		if primary, _, ok := strings.Cut(v, "-"); ok {
			add(tagLanguage, primary)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("insert app tags: %w", err)
	}
	return nil
}

// freeSlug makes a slug of name not taken by any app, deleted ones
// included (their address answers "gone"): "agora", "agora-2", ...
func freeSlug(ctx context.Context, tx bun.IDB, name string) (string, error) {
	base := slugify(name)
	var taken []string
	if err := tx.NewSelect().Model((*App)(nil)).Column("a.slug").
		Where("a.slug = ? OR a.slug LIKE ?", base, base+"-%").Scan(ctx, &taken); err != nil {
		return "", fmt.Errorf("read app slugs: %w", err)
	}
	// Names the catalogue's own pages and its ActivityPub actor use.
	taken = append(taken, "new", "inbox", "outbox", "followers", "following")
	slug := base
	for i := 2; slices.Contains(taken, slug); i++ {
		slug = base + "-" + strconv.Itoa(i)
	}
	return slug, nil
}

// slugify makes a URL segment of a name: ASCII letters and digits,
// hyphens between words, at most slugMax characters.
func slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range fold(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= slugMax {
			break
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return "app"
	}
	return s
}

// fold lowercases s and removes its accents, for search and slugs.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// Deprecate marks an app as no longer recommended; it stays listed, with
// its releases.
func (s *Service) Deprecate(ctx context.Context, actor accounts.Actor, slug string) (*App, error) {
	if _, err := s.curator(actor); err != nil {
		return nil, err
	}
	var a *App
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if a, err = s.local(ctx, tx, slug); err != nil || a.Deprecated() {
			return err
		}
		now := s.now()
		a.DeprecatedAt, a.UpdatedAt = &now, now
		if _, err := tx.NewUpdate().Model(a).Column("deprecated_at", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("deprecate app: %w", err)
		}
		return outboxed(ctx, tx, now, outbox.Update, "app", a.ID)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Delete removes an app from the catalogue. Its row stays, marked, so
// that its address answers "gone" and federation can send a Tombstone;
// its releases, files, images, tags and adoptions are erased, and the
// blobs no other row uses are removed from the store.
func (s *Service) Delete(ctx context.Context, actor accounts.Actor, slug string) error {
	if _, err := s.curator(actor); err != nil {
		return err
	}
	var keys []string
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.local(ctx, tx, slug)
		if err != nil {
			return err
		}
		if keys, err = appBlobs(ctx, tx, a.ID); err != nil {
			return err
		}
		for _, q := range []*bun.DeleteQuery{
			tx.NewDelete().Model((*Release)(nil)).Where("app_id = ?", a.ID), // artifacts cascade
			tx.NewDelete().Model((*Media)(nil)).Where("app_id = ?", a.ID),
			tx.NewDelete().Model((*tag)(nil)).Where("app_id = ?", a.ID),
			tx.NewDelete().Model((*Adoption)(nil)).Where("app_id = ?", a.ID),
		} {
			if _, err := q.Exec(ctx); err != nil {
				return fmt.Errorf("delete app %s: %w", slug, err)
			}
		}
		now := s.now()
		a.DeletedAt, a.UpdatedAt = &now, now
		if _, err := tx.NewUpdate().Model(a).Column("deleted_at", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("delete app: %w", err)
		}
		return outboxed(ctx, tx, now, outbox.Delete, "app", a.ID)
	})
	if err != nil {
		return err
	}
	s.dropUnused(ctx, keys)
	return nil
}

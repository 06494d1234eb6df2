package apps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// RemoteApp is an app another node's catalogue announced, once
// federation has verified it came from that catalogue.
type RemoteApp struct {
	ID            string // its ActivityPub id, on the origin node
	OriginActor   string // the origin's catalogue actor
	OriginNode    string // the origin's host
	URL           string // its page on the origin node
	PublicCodeYML string // as the origin exports it (usedBy filled)
	Deprecated    bool
	Releases      []RemoteRelease
}

// RemoteRelease is a release of a remote app; its files stay on the
// origin node (the page links to them there).
type RemoteRelease struct {
	Version   string
	Date      time.Time
	Changelog string
}

// UpsertRemote stores or updates an app announced by another node. Its
// publiccode.yml is checked as a local one is: an invalid one is
// ErrInvalid and stores nothing. An app is changed only by the catalogue
// that first announced it (ErrForbidden otherwise). Releases are added,
// never removed, as the origin announces them. No outbox event: the node
// does not announce other nodes' apps.
func (s *Service) UpsertRemote(ctx context.Context, in RemoteApp) (*App, error) {
	if in.ID == "" || in.OriginActor == "" {
		return nil, fmt.Errorf("%w: a remote app needs its id and origin", ErrInvalid)
	}
	raw, pc, _, err := read(strings.NewReader(in.PublicCodeYML))
	if err != nil {
		return nil, err
	}
	var a *App
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		now := s.now()
		existing := new(App)
		err := tx.NewSelect().Model(existing).Where("a.remote_id = ?", in.ID).Scan(ctx)
		switch {
		case errors.Is(database.Translate(err), database.ErrNotFound):
			a = &App{ID: database.NewID(), RemoteID: &in.ID, ReviewState: Submitted, CreatedAt: now}
			if a.Slug, err = freeSlug(ctx, tx, pc.Name); err != nil {
				return err
			}
		case err != nil:
			return fmt.Errorf("load remote app: %w", err)
		case existing.OriginActor != in.OriginActor:
			return fmt.Errorf("%w: %s belongs to %s", ErrForbidden, in.ID, existing.OriginActor)
		default:
			a = existing
		}
		a.PublicCodeYML, a.UpdatedAt, a.DeletedAt = raw, now, nil
		a.OriginActor, a.OriginNode, a.RemoteURL = in.OriginActor, in.OriginNode, in.URL
		a.DeprecatedAt = nil
		if in.Deprecated {
			a.DeprecatedAt = &now
		}
		fill(a, pc)
		if existing.ID == "" {
			if _, err := tx.NewInsert().Model(a).Exec(ctx); err != nil {
				return fmt.Errorf("insert remote app: %w", err)
			}
		} else if _, err := tx.NewUpdate().Model(a).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("update remote app: %w", err)
		}
		if _, err := tx.NewDelete().Model((*tag)(nil)).Where("app_id = ?", a.ID).Exec(ctx); err != nil {
			return fmt.Errorf("clear app tags: %w", err)
		}
		if err := writeTags(ctx, tx, a.ID, pc); err != nil {
			return err
		}
		for _, r := range in.Releases {
			rel := &Release{ID: database.NewID(), AppID: a.ID, Version: strings.TrimSpace(r.Version), Date: day(r.Date),
				Changelog: r.Changelog, CreatedAt: now}
			if rel.Version == "" || len(rel.Version) > maxShortField {
				continue
			}
			if _, err := tx.NewInsert().Model(rel).On("CONFLICT (app_id, version) DO NOTHING").Exec(ctx); err != nil {
				return fmt.Errorf("insert remote release: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// DeleteRemote marks a remote app deleted, when its origin says so; an
// app this node does not have is not an error.
func (s *Service) DeleteRemote(ctx context.Context, id, originActor string) error {
	now := s.now()
	_, err := s.db.NewUpdate().Model((*App)(nil)).Set("deleted_at = ?", now).Set("updated_at = ?", now).
		Where("remote_id = ? AND origin_actor = ? AND deleted_at IS NULL", id, originActor).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete remote app: %w", err)
	}
	return nil
}

// ByID returns an app by its id, deleted or not.
func (s *Service) ByID(ctx context.Context, id string) (*App, error) {
	a := new(App)
	err := s.db.NewSelect().Model(a).Where("a.id = ?", id).Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load app: %w", err)
	}
	return a, nil
}

// ReleaseByID returns a release, for federation to announce it.
func (s *Service) ReleaseByID(ctx context.Context, id string) (*Release, error) {
	r := new(Release)
	err := s.db.NewSelect().Model(r).Where("r.id = ?", id).Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load release: %w", err)
	}
	return r, nil
}

// AdoptionByID returns an adoption, for federation to send it.
func (s *Service) AdoptionByID(ctx context.Context, id string) (*Adoption, error) {
	d := new(Adoption)
	err := s.db.NewSelect().Model(d).Where("d.id = ?", id).Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load adoption: %w", err)
	}
	return d, nil
}

package apps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/outbox"
	"agora/storage/database"
)

// Kinds of media.
const (
	Logo       = "logo"
	Screenshot = "screenshot"
)

// ImageTypes are the types a logo or screenshot may have, detected from
// the content, never taken from the uploader. SVG, which the standard
// prefers for logos, is refused for now: it is a document that may carry
// scripts and links, and serving one safely needs a sanitiser.
var ImageTypes = []string{"image/png", "image/jpeg", "image/webp"}

// Media is a logo or screenshot of an app, in the blob store.
type Media struct {
	bun.BaseModel `bun:"table:app_media,alias:m"`

	ID        string    `bun:"id,pk"`
	AppID     string    `bun:"app_id"`
	Kind      string    `bun:"kind"`     // Logo or Screenshot
	Position  int       `bun:"position"` // 0 for the logo, from 1 for screenshots
	BlobKey   string    `bun:"blob_key"`
	SHA256    string    `bun:"sha256"`
	Size      int64     `bun:"size"`
	MediaType string    `bun:"media_type"`
	CreatedAt time.Time `bun:"created_at"`
}

// SetLogo stores an image as an app's logo, replacing the previous one.
func (s *Service) SetLogo(ctx context.Context, actor accounts.Actor, slug string, body io.Reader) (*Media, error) {
	return s.addMedia(ctx, actor, slug, Logo, body)
}

// AddScreenshot stores an image after an app's screenshots (at most
// MaxScreenshots).
func (s *Service) AddScreenshot(ctx context.Context, actor accounts.Actor, slug string, body io.Reader) (*Media, error) {
	return s.addMedia(ctx, actor, slug, Screenshot, body)
}

func (s *Service) addMedia(ctx context.Context, actor accounts.Actor, slug, kind string, body io.Reader) (*Media, error) {
	if _, err := s.curator(actor); err != nil {
		return nil, err
	}
	a, err := s.local(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	if kind == Screenshot {
		if err := s.screenshotRoom(ctx, s.db, a.ID); err != nil {
			return nil, err
		}
	}
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read image: %w", err)
	}
	head = head[:n]
	mt := http.DetectContentType(head)
	if !slices.Contains(ImageTypes, mt) {
		return nil, ErrMediaType
	}
	info, err := s.put(ctx, io.MultiReader(bytes.NewReader(head), body), s.opts.MaxImageSize)
	if err != nil {
		return nil, fmt.Errorf("store image: %w", err)
	}
	m := &Media{ID: database.NewID(), AppID: a.ID, Kind: kind, BlobKey: info.Key, SHA256: info.Key,
		Size: info.Size, MediaType: mt, CreatedAt: s.now()}
	var replaced []string
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.local(ctx, tx, slug); err != nil {
			return err
		}
		if kind == Logo {
			if err := tx.NewDelete().Model((*Media)(nil)).Where("app_id = ? AND kind = ?", a.ID, Logo).
				Returning("blob_key").Scan(ctx, &replaced); err != nil && !errors.Is(database.Translate(err), database.ErrNotFound) {
				return fmt.Errorf("replace logo: %w", err)
			}
		} else {
			if err := s.screenshotRoom(ctx, tx, a.ID); err != nil {
				return err
			}
			var last int
			if err := tx.NewSelect().Model((*Media)(nil)).ColumnExpr("COALESCE(MAX(position), 0)").
				Where("app_id = ? AND kind = ?", a.ID, Screenshot).Scan(ctx, &last); err != nil {
				return fmt.Errorf("place screenshot: %w", err)
			}
			m.Position = last + 1
		}
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return fmt.Errorf("insert %s: %w", kind, err)
		}
		return s.touch(ctx, tx, a.ID, m.CreatedAt)
	})
	if err != nil {
		s.dropUnused(context.WithoutCancel(ctx), []string{info.Key})
		return nil, err
	}
	s.dropUnused(ctx, replaced)
	return m, nil
}

func (s *Service) screenshotRoom(ctx context.Context, db bun.IDB, appID string) error {
	n, err := db.NewSelect().Model((*Media)(nil)).Where("app_id = ? AND kind = ?", appID, Screenshot).Count(ctx)
	if err != nil {
		return fmt.Errorf("count screenshots: %w", err)
	}
	if n >= MaxScreenshots {
		return invalid([]FieldError{{Path: "screenshots", Code: "length", Detail: Detail{Problem: TooMany, Max: MaxScreenshots}, Message: fmt.Sprintf("at most %d screenshots", MaxScreenshots)}})
	}
	return nil
}

// touch marks an app changed and records it for federation.
func (s *Service) touch(ctx context.Context, tx bun.IDB, appID string, at time.Time) error {
	if _, err := tx.NewUpdate().Model((*App)(nil)).Set("updated_at = ?", at).Where("id = ?", appID).Exec(ctx); err != nil {
		return fmt.Errorf("touch app: %w", err)
	}
	return outboxed(ctx, tx, at, outbox.Update, "app", appID)
}

// RemoveMedia removes a logo or screenshot of an app.
func (s *Service) RemoveMedia(ctx context.Context, actor accounts.Actor, slug, id string) error {
	if _, err := s.curator(actor); err != nil {
		return err
	}
	var key string
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.local(ctx, tx, slug)
		if err != nil {
			return err
		}
		err = tx.NewDelete().Model((*Media)(nil)).Where("id = ? AND app_id = ?", id, a.ID).Returning("blob_key").Scan(ctx, &key)
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("remove media: %w", err)
		}
		return s.touch(ctx, tx, a.ID, s.now())
	})
	if err != nil {
		return err
	}
	s.dropUnused(ctx, []string{key})
	return nil
}

// Media returns an app's logo (if any) then its screenshots in order.
func (s *Service) Media(ctx context.Context, slug string) ([]Media, error) {
	a, err := s.BySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	var out []Media
	if err := s.db.NewSelect().Model(&out).Where("app_id = ?", a.ID).OrderExpr("position, id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load media: %w", err)
	}
	return out, nil
}

// MediaByID returns a logo or screenshot, for download; ErrNotFound if it
// is not there or its app was deleted.
func (s *Service) MediaByID(ctx context.Context, id string) (*Media, error) {
	m := new(Media)
	err := s.db.NewSelect().Model(m).Join("JOIN apps AS a ON a.id = m.app_id").
		Where("m.id = ? AND a.deleted_at IS NULL", id).Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load media: %w", err)
	}
	return m, nil
}

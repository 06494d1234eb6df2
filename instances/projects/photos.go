package projects

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/blobs"
)

// Photo is an image of a project, or of one step of its follow-up. The
// caller gives it re-encoded (no EXIF, no GPS: the kit's upload pipeline
// does that); the service stores it content-addressed in the blob store
// and the row says where, with the text that describes it to those who
// do not see it.
type Photo struct {
	bun.BaseModel `bun:"table:budget_photos,alias:ph"`

	ProjectID   string    `bun:"project_id,pk"`
	Position    int       `bun:"position,pk"`  // from 1, in the project
	MilestoneID string    `bun:"milestone_id"` // "" for the project's own
	BlobKey     string    `bun:"blob_key"`
	ContentType string    `bun:"content_type"`
	Size        int64     `bun:"size"`
	Alt         string    `bun:"alt"`
	AddedBy     string    `bun:"added_by"`
	CreatedAt   time.Time `bun:"created_at"`
}

// Limits of photos: so many for the project itself, and so many for each
// step of its follow-up; the alt text's length.
const (
	MaxPhotos = 5
	AltMax    = 300
)

// PhotoTypes are the content types a photo may have.
var PhotoTypes = []string{"image/jpeg", "image/png"}

// PhotoInput is a photo to add: the image, already re-encoded, its
// content type, what it shows (required), and the step of the follow-up
// it belongs to ("" for the project's own photos).
type PhotoInput struct {
	MilestoneID string
	Alt         string
	ContentType string
	File        io.Reader
}

// Problems names each field of the photo at fault.
func (in PhotoInput) Problems() Problems {
	p := Problems{}.text("alt", in.Alt, AltMax, true)
	if in.File == nil {
		p["photo"] = ProblemEmpty
	} else if !slices.Contains(PhotoTypes, in.ContentType) {
		p["photo"] = ProblemUnknown
	}
	return p
}

// AddPhoto adds a photo to a project (or to one of its steps). Bad input
// (no alt text, not a JPEG or PNG, a step of another project, one photo
// more than MaxPhotos) is refused before anything is written; the image
// goes to the blob store, then the row.
func (s *Service) AddPhoto(ctx context.Context, actor accounts.Actor, projectID string, in PhotoInput) (*Photo, error) {
	if !manages(actor) {
		return nil, ErrForbidden
	}
	if err := in.Problems().Err(); err != nil {
		return nil, err
	}
	if _, err := s.photoRoom(ctx, s.db, projectID, in.MilestoneID); err != nil {
		return nil, err
	}
	info, err := s.blobs.Put(ctx, in.File)
	if err != nil {
		return nil, fmt.Errorf("store photo: %w", err)
	}
	now := s.now().UTC()
	ph := &Photo{ProjectID: projectID, MilestoneID: in.MilestoneID, BlobKey: info.Key, ContentType: in.ContentType,
		Size: info.Size, Alt: strings.TrimSpace(in.Alt), AddedBy: actorID(actor), CreatedAt: now}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Writing the project's row first holds it, so two photos added
		// at once are counted and numbered one after the other.
		if _, err := tx.NewUpdate().Model((*Project)(nil)).Set("updated_at = ?", now).Where("id = ?", projectID).Exec(ctx); err != nil {
			return fmt.Errorf("hold project: %w", err)
		}
		if ph.Position, err = s.photoRoom(ctx, tx, projectID, in.MilestoneID); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(ph).Exec(ctx); err != nil {
			return fmt.Errorf("insert photo: %w", err)
		}
		return accounts.Record(ctx, tx, now, actor, "budget.photo", projectID, "", "")
	})
	if err != nil {
		return nil, err
	}
	return ph, nil
}

// photoRoom checks that the project exists, that the step is one of its
// own, and that there is room for one more photo; it returns the next
// position in the project.
func (s *Service) photoRoom(ctx context.Context, db bun.IDB, projectID, milestoneID string) (int, error) {
	if _, err := projectOn(ctx, db, projectID); err != nil {
		return 0, err
	}
	if milestoneID != "" {
		ok, err := db.NewSelect().Model((*Milestone)(nil)).Where("m.id = ? AND m.project_id = ?", milestoneID, projectID).Exists(ctx)
		if err != nil {
			return 0, fmt.Errorf("find step: %w", err)
		}
		if !ok {
			return 0, Problems{"milestone": ProblemUnknown}.Err()
		}
	}
	n, err := db.NewSelect().Model((*Photo)(nil)).Where("ph.project_id = ? AND ph.milestone_id = ?", projectID, milestoneID).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count photos: %w", err)
	}
	if n >= MaxPhotos {
		return 0, Problems{"photo": ProblemCount}.Err()
	}
	var last sql.NullInt64
	if err := db.NewSelect().Model((*Photo)(nil)).ColumnExpr("MAX(ph.position)").Where("ph.project_id = ?", projectID).Scan(ctx, &last); err != nil {
		return 0, fmt.Errorf("number photo: %w", err)
	}
	return int(last.Int64) + 1, nil
}

// Photos returns a project's photos (its own and its steps'), in the
// order they were added.
func (s *Service) Photos(ctx context.Context, projectID string) ([]Photo, error) {
	var out []Photo
	if err := s.db.NewSelect().Model(&out).Where("ph.project_id = ?", projectID).OrderExpr("ph.position").Scan(ctx); err != nil {
		return nil, fmt.Errorf("read photos: %w", err)
	}
	return out, nil
}

// RemovePhoto takes a photo off a project. The image stays in the blob
// store: content-addressed, it may be another row's too.
func (s *Service) RemovePhoto(ctx context.Context, actor accounts.Actor, projectID string, position int) error {
	if !manages(actor) {
		return ErrForbidden
	}
	now := s.now().UTC()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*Photo)(nil)).Where("project_id = ? AND position = ?", projectID, position).Exec(ctx)
		if err != nil {
			return fmt.Errorf("remove photo: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return accounts.Record(ctx, tx, now, actor, "budget.photo.remove", projectID, "", "")
	})
}

// OpenPhoto opens photo n of a project, to serve it.
func (s *Service) OpenPhoto(ctx context.Context, projectID string, n int) (*Photo, blobs.Object, error) {
	ph := new(Photo)
	err := s.db.NewSelect().Model(ph).Where("ph.project_id = ? AND ph.position = ?", projectID, n).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read photo: %w", err)
	}
	obj, err := s.blobs.Open(ctx, ph.BlobKey)
	if errors.Is(err, blobs.ErrNotFound) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("open photo: %w", err)
	}
	return ph, obj, nil
}

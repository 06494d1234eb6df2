package apps

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/outbox"
	"agora/storage/blobs"
	"agora/storage/database"
)

// Release is one version of an app.
type Release struct {
	bun.BaseModel `bun:"table:app_releases,alias:r"`

	ID        string    `bun:"id,pk"`
	AppID     string    `bun:"app_id"`
	Version   string    `bun:"version"`
	Date      time.Time `bun:"released_on"` // a day, at midnight UTC
	Changelog string    `bun:"changelog"`   // Markdown
	CreatedBy string    `bun:"created_by,nullzero"`
	CreatedAt time.Time `bun:"created_at"`
	RemoteID  *string   `bun:"remote_id"`

	Artifacts []Artifact `bun:"rel:has-many,join:id=release_id"`
}

// Artifact is a file of a release, in the blob store: what a download
// handler needs to serve it (ranges, checksum, name, type).
type Artifact struct {
	bun.BaseModel `bun:"table:app_artifacts,alias:f"`

	ID        string    `bun:"id,pk"`
	ReleaseID string    `bun:"release_id"`
	Position  int       `bun:"position"` // from 1, in the order given
	Name      string    `bun:"name"`     // the file name to download as
	BlobKey   string    `bun:"blob_key"`
	SHA256    string    `bun:"sha256"` // lowercase hex
	Size      int64     `bun:"size"`
	MediaType string    `bun:"media_type"`
	CreatedAt time.Time `bun:"created_at"`
}

// ReleaseInput is a new release.
type ReleaseInput struct {
	Version   string
	Date      time.Time // the day of the release; zero: today
	Changelog string    // Markdown
	Artifacts []ArtifactInput
	// More, when set, gives further artifacts after Artifacts, one at a
	// time, until it returns nil: for a caller that learns a file's name
	// only as its stream begins (a multipart form read as it arrives).
	// Each is checked as it comes, as Artifacts are; a refused one ends
	// the release like any other failure.
	More func() (*ArtifactInput, error)
}

// ArtifactInput is a file to store with a release. Body is streamed to
// the blob store, never held whole in memory.
type ArtifactInput struct {
	Name      string
	MediaType string // "" for application/octet-stream
	Body      io.Reader
}

// AddRelease adds a release to a local app, streaming each artifact to
// the blob store (SHA-256 and size measured on the stream), then writing
// the release, its artifacts and the outbox event in one transaction.
// An artifact over Options.MaxArtifactSize is refused with ErrTooLarge.
// When anything fails, no row is written and the blobs stored for the
// release are removed, unless other rows use the same content.
func (s *Service) AddRelease(ctx context.Context, actor accounts.Actor, slug string, in ReleaseInput) (*Release, error) {
	by, err := s.curator(actor)
	if err != nil {
		return nil, err
	}
	if err := checkRelease(&in); err != nil {
		return nil, err
	}
	// Checked before the upload, so a refusal costs no transfer; checked
	// again in the transaction.
	a, err := s.local(ctx, s.db, slug)
	if err != nil {
		return nil, err
	}
	if err := versionFree(ctx, s.db, a.ID, in.Version); err != nil {
		return nil, err
	}
	now := s.now()
	date := in.Date
	if date.IsZero() {
		date = now
	}
	r := &Release{ID: database.NewID(), AppID: a.ID, Version: in.Version, Changelog: in.Changelog,
		Date: day(date), CreatedBy: by, CreatedAt: now}
	// Blobs are written outside the transaction: an upload may take
	// minutes, and a transaction open that long would hold every writer
	// back (SQLite) or a row lock (PostgreSQL).
	var stored []string
	for i, f := range in.Artifacts {
		info, err := s.put(ctx, f.Body, s.opts.MaxArtifactSize)
		if err != nil {
			s.dropUnused(context.WithoutCancel(ctx), stored)
			return nil, fmt.Errorf("artifact %q: %w", f.Name, err)
		}
		stored = append(stored, info.Key)
		r.Artifacts = append(r.Artifacts, Artifact{ID: database.NewID(), ReleaseID: r.ID, Position: i + 1,
			Name: f.Name, BlobKey: info.Key, SHA256: info.Key, Size: info.Size, MediaType: f.MediaType, CreatedAt: now})
	}
	for i := len(in.Artifacts); in.More != nil; i++ {
		f, err := in.More()
		if err == nil && f != nil {
			err = checkMore(f, i, r.Artifacts)
		}
		if err == nil && f == nil {
			break
		}
		var info blobs.Info
		if err == nil {
			if info, err = s.put(ctx, f.Body, s.opts.MaxArtifactSize); err != nil {
				err = fmt.Errorf("artifact %q: %w", f.Name, err)
			}
		}
		if err != nil {
			s.dropUnused(context.WithoutCancel(ctx), stored)
			return nil, err
		}
		stored = append(stored, info.Key)
		r.Artifacts = append(r.Artifacts, Artifact{ID: database.NewID(), ReleaseID: r.ID, Position: i + 1,
			Name: f.Name, BlobKey: info.Key, SHA256: info.Key, Size: info.Size, MediaType: f.MediaType, CreatedAt: now})
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.local(ctx, tx, slug); err != nil {
			return err
		}
		if err := versionFree(ctx, tx, a.ID, in.Version); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			if errors.Is(database.Translate(err), database.ErrConflict) {
				return ErrConflict
			}
			return fmt.Errorf("insert release: %w", err)
		}
		if len(r.Artifacts) > 0 {
			if _, err := tx.NewInsert().Model(&r.Artifacts).Exec(ctx); err != nil {
				return fmt.Errorf("insert artifacts: %w", err)
			}
		}
		return outboxed(ctx, tx, now, outbox.Create, "release", r.ID)
	})
	if err != nil {
		s.dropUnused(context.WithoutCancel(ctx), stored)
		return nil, err
	}
	return r, nil
}

// checkRelease checks a release's fields, trimming them, and reports
// every problem at once.
func checkRelease(in *ReleaseInput) error {
	var fes []FieldError
	bad := func(path, code string, d Detail, msg string) {
		fes = append(fes, FieldError{Path: path, Code: code, Detail: d, Message: msg})
	}
	in.Version = strings.TrimSpace(in.Version)
	switch n := utf8.RuneCountInString(in.Version); {
	case n == 0:
		bad("version", "required", Detail{Problem: Required}, "required")
	case n > maxShortField || strings.ContainsFunc(in.Version, unicode.IsControl):
		bad("version", "value", Detail{Problem: OneLine, N: n, Max: maxShortField}, "a version is one line of at most 300 characters")
	}
	in.Changelog = strings.TrimSpace(in.Changelog)
	if n := utf8.RuneCountInString(in.Changelog); n > maxChangelog {
		bad("changelog", "length", Detail{Problem: TooLong, N: n, Max: maxChangelog}, "a changelog is at most 20,000 characters")
	}
	if len(in.Artifacts) > MaxArtifactsPerRelease {
		bad("artifacts", "length", Detail{Problem: TooMany, N: len(in.Artifacts), Max: MaxArtifactsPerRelease}, "at most 20 files per release")
	}
	var names []string
	for i := range in.Artifacts {
		fes = append(fes, checkArtifact(&in.Artifacts[i], i, names)...)
		names = append(names, in.Artifacts[i].Name)
	}
	if len(fes) > 0 {
		return invalid(fes)
	}
	return nil
}

// checkArtifact checks the i-th file of a release, trimming its name and
// normalising its type; names are those of the files before it.
func checkArtifact(f *ArtifactInput, i int, names []string) []FieldError {
	var fes []FieldError
	bad := func(path, code string, d Detail, msg string) {
		fes = append(fes, FieldError{Path: path, Code: code, Detail: d, Message: msg})
	}
	path := fmt.Sprintf("artifacts[%d]", i)
	f.Name = strings.TrimSpace(f.Name)
	if !fileName(f.Name) {
		bad(path+".name", "value", Detail{Problem: BadFileName, Max: 200}, "a file name is 1 to 200 characters, without / or \\")
	} else if slices.Contains(names, f.Name) {
		bad(path+".name", "duplicate", Detail{Problem: DuplicateName, Value: f.Name}, "two files of the release have this name")
	}
	mt, err := mediaType(f.MediaType)
	if err != nil {
		bad(path+".mediaType", "value", Detail{Problem: BadMediaType, Value: f.MediaType}, "not a media type (type/subtype)")
	}
	f.MediaType = mt
	if f.Body == nil {
		bad(path, "required", Detail{Problem: NoContent}, "the file has no content")
	}
	return fes
}

// checkMore checks the i-th file of a release that ReleaseInput.More
// gave, after the files stored already.
func checkMore(f *ArtifactInput, i int, before []Artifact) error {
	if i >= MaxArtifactsPerRelease {
		return invalid([]FieldError{{Path: "artifacts", Code: "length", Detail: Detail{Problem: TooMany, Max: MaxArtifactsPerRelease},
			Message: "at most 20 files per release"}})
	}
	names := make([]string, 0, len(before))
	for _, a := range before {
		names = append(names, a.Name)
	}
	if fes := checkArtifact(f, i, names); len(fes) > 0 {
		return invalid(fes)
	}
	return nil
}

// fileName reports whether s can name a downloaded file.
func fileName(s string) bool {
	return s != "" && s != "." && s != ".." && utf8.RuneCountInString(s) <= maxNameLen &&
		!strings.ContainsAny(s, `/\`) && !strings.ContainsFunc(s, unicode.IsControl)
}

// mediaType checks and normalises a media type ("" is
// application/octet-stream).
func mediaType(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return "application/octet-stream", nil
	}
	mt, params, err := mime.ParseMediaType(s)
	if err != nil || !strings.Contains(mt, "/") {
		return "", errors.New("bad media type")
	}
	return mime.FormatMediaType(mt, params), nil
}

func versionFree(ctx context.Context, db bun.IDB, appID, version string) error {
	n, err := db.NewSelect().Model((*Release)(nil)).Where("app_id = ? AND version = ?", appID, version).Count(ctx)
	if err != nil {
		return fmt.Errorf("check release version: %w", err)
	}
	if n > 0 {
		return ErrConflict
	}
	return nil
}

// day is the UTC day of t, at midnight.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// put streams r into the blob store, refusing it with ErrTooLarge past
// limit bytes. The store keeps nothing of a stream that fails.
func (s *Service) put(ctx context.Context, r io.Reader, limit int64) (blobs.Info, error) {
	info, err := s.blobs.Put(ctx, &limited{r: r, left: limit})
	if err != nil {
		return blobs.Info{}, err
	}
	return info, nil
}

// limited reads r, failing with ErrTooLarge once more than left bytes
// came: unlike io.LimitReader, which would end the stream quietly and
// store a truncated file.
type limited struct {
	r    io.Reader
	left int64
}

func (l *limited) Read(p []byte) (int, error) {
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, ErrTooLarge
	}
	return n, err
}

// Releases returns an app's releases with their artifacts, newest first.
func (s *Service) Releases(ctx context.Context, slug string) ([]Release, error) {
	a, err := s.BySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	var out []Release
	err = s.db.NewSelect().Model(&out).Relation("Artifacts", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Order("f.position")
	}).Where("r.app_id = ?", a.ID).OrderExpr("r.released_on DESC, r.created_at DESC, r.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load releases: %w", err)
	}
	return out, nil
}

// Artifact returns a file of a release, for download; ErrNotFound if it
// is not there or its app was deleted.
func (s *Service) Artifact(ctx context.Context, id string) (*Artifact, error) {
	f := new(Artifact)
	err := s.db.NewSelect().Model(f).
		Join("JOIN app_releases AS r ON r.id = f.release_id").
		Join("JOIN apps AS a ON a.id = r.app_id").
		Where("f.id = ? AND a.deleted_at IS NULL", id).Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("load artifact: %w", err)
	}
	return f, nil
}

// appBlobs lists the blobs an app's rows point at.
func appBlobs(ctx context.Context, tx bun.IDB, appID string) ([]string, error) {
	var keys []string
	err := tx.NewRaw(`SELECT f.blob_key FROM app_artifacts AS f JOIN app_releases AS r ON r.id = f.release_id WHERE r.app_id = ?
		UNION SELECT m.blob_key FROM app_media AS m WHERE m.app_id = ?`, appID, appID).Scan(ctx, &keys)
	if err != nil {
		return nil, fmt.Errorf("list app blobs: %w", err)
	}
	return keys, nil
}

// dropUnused removes from the store the blobs of keys that no row uses
// any more. Blobs are content-addressed, so the same file may belong to
// another release or app. Failures are logged: a leftover blob costs only
// space. (A concurrent upload of the same content between the check and
// the removal would lose its blob: uploads of identical files in the
// same instant are not worth a lock.)
func (s *Service) dropUnused(ctx context.Context, keys []string) {
	for _, key := range dedupe(keys) {
		var n int
		err := s.db.NewRaw(`SELECT (SELECT COUNT(*) FROM app_artifacts WHERE blob_key = ?) + (SELECT COUNT(*) FROM app_media WHERE blob_key = ?)`, key, key).Scan(ctx, &n)
		if err != nil || n > 0 {
			if err != nil {
				slog.WarnContext(ctx, "apps: keep blob, cannot count its users", "blob", key, "err", err)
			}
			continue
		}
		if err := s.blobs.Delete(ctx, key); err != nil {
			slog.WarnContext(ctx, "apps: remove unused blob", "blob", key, "err", err)
		}
	}
}

package proposals

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/outbox"
)

// Attachment is a file joined to a proposal: a photo (JPEG, PNG) or a PDF.
// The caller checks the content and strips its metadata before storing it
// in the blob store; the row records where it is and how to serve it.
type Attachment struct {
	bun.BaseModel `bun:"table:proposal_attachments"`

	ProposalID  string `bun:"proposal_id,pk"`
	Position    int    `bun:"position,pk"` // from 1: the n of /proposals/{id}/attachments/{n}
	BlobKey     string `bun:"blob_key"`
	Name        string `bun:"name"`
	ContentType string `bun:"content_type"`
	Size        int64  `bun:"size"`
}

// MaxAttachments is how many files a proposal may have.
const MaxAttachments = 5

// AttachmentTypes are the content types a proposal's files may have.
var AttachmentTypes = []string{"image/jpeg", "image/png", "application/pdf"}

// ErrAttachments is a file that is not one of AttachmentTypes, has no
// name or blob, or one too many.
var ErrAttachments = errors.New("at most 5 files per proposal, each a JPEG or PNG image or a PDF")

// Attach joins files to a proposal, after those it has. Its author may,
// under the rules of an author's edit: until the first support and
// within EditWindow of publication.
func (s *Service) Attach(ctx context.Context, actor accounts.Actor, id string, files []Attachment) error {
	author, err := s.person(ctx, actor)
	if err != nil {
		return err
	}
	if err := checkAttachments(files); err != nil || len(files) == 0 {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := lock(ctx, tx, id)
		if err != nil {
			return err
		}
		now := s.now()
		switch {
		case p.AuthorID != author.ID:
			return ErrForbidden
		case !p.AuthorMayEdit(now):
			return ErrEditWindow
		}
		if err := s.insertAttachments(ctx, tx, p.AuthorID, id, files); err != nil {
			return err
		}
		return outboxed(ctx, tx, now, outbox.Update, id, actor.Account.ID)
	})
}

// checkAttachments checks what files say they are, before any write.
func checkAttachments(files []Attachment) error {
	if len(files) > MaxAttachments {
		return ErrAttachments
	}
	for _, f := range files {
		if f.BlobKey == "" || f.Size <= 0 || !slices.Contains(AttachmentTypes, f.ContentType) ||
			strings.TrimSpace(f.Name) == "" || utf8.RuneCountInString(f.Name) > 200 {
			return ErrAttachments
		}
	}
	return nil
}

// insertAttachments adds the rows of files after a proposal's own, in
// the caller's transaction, within its author's quota (a *QuotaError
// otherwise).
func (s *Service) insertAttachments(ctx context.Context, tx bun.Tx, authorID, id string, files []Attachment) error {
	n, err := tx.NewSelect().Model((*Attachment)(nil)).Where("proposal_id = ?", id).Count(ctx)
	if err != nil {
		return fmt.Errorf("count attachments: %w", err)
	}
	if int(n)+len(files) > MaxAttachments {
		return ErrAttachments
	}
	if err := s.withinQuota(ctx, tx, authorID, files); err != nil {
		return err
	}
	rows := make([]Attachment, len(files))
	for i, f := range files {
		rows[i] = Attachment{ProposalID: id, Position: int(n) + i + 1, BlobKey: f.BlobKey,
			Name: strings.TrimSpace(f.Name), ContentType: f.ContentType, Size: f.Size}
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("insert attachments: %w", err)
	}
	return nil
}

// Attachments returns a proposal's files in order.
func (s *Service) Attachments(ctx context.Context, id string) ([]Attachment, error) {
	var out []Attachment
	if err := s.db.NewSelect().Model(&out).Where("proposal_id = ?", id).Order("position").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load attachments: %w", err)
	}
	return out, nil
}

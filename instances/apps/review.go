package apps

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/outbox"
)

// Review records a steward's checklist for a local app and moves it to
// Reviewed. Two items follow from the publiccode.yml and cannot be
// checked against it: the OSI licence (when the licence is not
// OSI-approved) and declared maintenance (when maintenance.type is
// none). A certified app whose new checklist is incomplete loses its
// certification.
func (s *Service) Review(ctx context.Context, actor accounts.Actor, slug string, checklist Checklist) (*App, error) {
	by, err := s.curator(actor)
	if err != nil {
		return nil, err
	}
	var a *App
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if a, err = s.local(ctx, tx, slug); err != nil {
			return err
		}
		pc, err := a.PublicCode()
		if err != nil {
			return fmt.Errorf("read stored publiccode.yml of %s: %w", slug, err)
		}
		var fes []FieldError
		if checklist.OSILicence && !a.OSIApproved {
			fes = append(fes, FieldError{Path: "checklist.osiLicence", Code: "value", Detail: Detail{Problem: NotOSI, Value: a.License},
				Message: fmt.Sprintf("the licence %s is not OSI-approved", a.License)})
		}
		if checklist.MaintenanceDeclared && pc.Maintenance.Type == MaintenanceNone {
			fes = append(fes, FieldError{Path: "checklist.maintenanceDeclared", Code: "value", Detail: Detail{Problem: NoMaintenance},
				Message: "the publiccode.yml declares no maintenance (maintenance.type: none)"})
		}
		if len(fes) > 0 {
			return invalid(fes)
		}
		now := s.now()
		a.Checklist, a.ReviewedBy, a.ReviewedAt, a.UpdatedAt = checklist, by, &now, now
		if a.ReviewState != Certified || !checklist.Complete() {
			a.ReviewState, a.CertifiedBy, a.CertifiedAt = Reviewed, "", nil
		}
		if _, err := tx.NewUpdate().Model(a).WherePK().
			Column("check_osi_licence", "check_source_reachable", "check_maintenance_declared", "check_accessibility",
				"check_french_documentation", "reviewed_by", "reviewed_at", "review_state", "certified_by", "certified_at", "updated_at").
			Exec(ctx); err != nil {
			return fmt.Errorf("record review: %w", err)
		}
		return outboxed(ctx, tx, now, outbox.Update, "app", a.ID)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// MayCertify says whether actor may certify a: ErrForbidden unless they
// curate the catalogue, ErrOwnSubmission when they published it, since a
// certification is a second pair of eyes. The node itself (the command
// line) may certify what a steward published. Pages ask it before they
// offer the button.
func (s *Service) MayCertify(actor accounts.Actor, a *App) error {
	by, err := s.curator(actor)
	if err != nil {
		return err
	}
	if by != "" && by == a.CreatedBy {
		return ErrOwnSubmission
	}
	return nil
}

// Certify certifies a reviewed local app, recording who and when; it is
// refused with ErrOwnSubmission when actor published it (MayCertify), and
// with ErrChecklist unless every item of its checklist is checked.
// Certifying a certified app changes nothing.
func (s *Service) Certify(ctx context.Context, actor accounts.Actor, slug string) (*App, error) {
	by, err := s.curator(actor)
	if err != nil {
		return nil, err
	}
	var a *App
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if a, err = s.local(ctx, tx, slug); err != nil {
			return err
		}
		if err := s.MayCertify(actor, a); err != nil {
			return err
		}
		if a.ReviewState == Certified {
			return nil
		}
		if a.ReviewState != Reviewed || !a.Checklist.Complete() {
			return ErrChecklist
		}
		now := s.now()
		a.ReviewState, a.CertifiedBy, a.CertifiedAt, a.UpdatedAt = Certified, by, &now, now
		if _, err := tx.NewUpdate().Model(a).WherePK().Column("review_state", "certified_by", "certified_at", "updated_at").
			Exec(ctx); err != nil {
			return fmt.Errorf("certify app: %w", err)
		}
		return outboxed(ctx, tx, now, outbox.Update, "app", a.ID)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

package apps_test

import (
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/apps"
)

var complete = apps.Checklist{OSILicence: true, SourceReachable: true, MaintenanceDeclared: true, Accessibility: true, FrenchDocumentation: true}

// certify reviews an app with the whole checklist and certifies it, as
// the node (the admin published it, and may not certify it).
func certify(t testing.TB, f *fixture, slug string) *apps.App {
	t.Helper()
	if _, err := f.svc.Review(f.ctx, f.admin, slug, complete); err != nil {
		t.Fatalf("review %s: %v", slug, err)
	}
	a, err := f.svc.Certify(f.ctx, accounts.System, slug)
	if err != nil {
		t.Fatalf("certify %s: %v", slug, err)
	}
	return a
}

// Submitted → reviewed → certified: certification only with every item
// of the checklist, recording who and when.
func TestReviewAndCertify(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		a := f.publish(t, testdata(t, "valid.yml"))
		steward := f.account(t, "certificatrice", accounts.Admin)

		before := f.state(t)
		_, err := f.svc.Certify(f.ctx, accounts.As(steward), a.Slug)
		f.refused(t, before, err, apps.ErrChecklist, "certify before any review")

		partial := complete
		partial.Accessibility = false
		f.clock.Advance(time.Minute)
		r, err := f.svc.Review(f.ctx, accounts.As(steward), a.Slug, partial)
		if err != nil || r.ReviewState != apps.Reviewed || r.Checklist != partial || r.ReviewedBy != steward.ID ||
			r.ReviewedAt == nil || !r.ReviewedAt.Equal(start.Add(time.Minute)) {
			t.Fatalf("Review = %+v, %v", r, err)
		}
		before = f.state(t)
		_, err = f.svc.Certify(f.ctx, accounts.As(steward), a.Slug)
		f.refused(t, before, err, apps.ErrChecklist, "certify with an item unchecked")
		camille := accounts.As(f.account(t, "camille"))
		before = f.state(t)
		_, err = f.svc.Certify(f.ctx, camille, a.Slug)
		f.refused(t, before, err, apps.ErrForbidden, "a resident certifies")
		_, err = f.svc.Review(f.ctx, camille, a.Slug, complete)
		f.refused(t, before, err, apps.ErrForbidden, "a resident reviews")

		if _, err := f.svc.Review(f.ctx, f.admin, a.Slug, complete); err != nil {
			t.Fatal(err)
		}
		// Whoever published it may review it, but not certify it alone.
		before = f.state(t)
		_, err = f.svc.Certify(f.ctx, f.admin, a.Slug)
		f.refused(t, before, err, apps.ErrOwnSubmission, "the publisher certifies")
		if err := f.svc.MayCertify(f.admin, a); err != apps.ErrOwnSubmission {
			t.Errorf("MayCertify(publisher) = %v", err)
		}
		if err := f.svc.MayCertify(accounts.As(steward), a); err != nil {
			t.Errorf("MayCertify(another steward) = %v", err)
		}
		f.clock.Advance(time.Hour)
		c, err := f.svc.Certify(f.ctx, accounts.As(steward), a.Slug)
		if err != nil || c.ReviewState != apps.Certified || c.CertifiedBy != steward.ID || c.CertifiedAt == nil ||
			!c.CertifiedAt.Equal(start.Add(time.Minute+time.Hour)) {
			t.Fatalf("Certify = %+v, %v", c, err)
		}
		got, _ := f.svc.BySlug(f.ctx, a.Slug)
		if got.ReviewState != apps.Certified || got.CertifiedBy != steward.ID || !got.Checklist.Complete() {
			t.Errorf("stored %+v", got)
		}
		// Again: nothing changes.
		before = f.state(t)
		if _, err := f.svc.Certify(f.ctx, accounts.As(steward), a.Slug); err != nil {
			t.Fatal(err)
		}
		before.Unchanged(t, f.db, "certify twice")

		// Unchecking an item withdraws the certification.
		r, err = f.svc.Review(f.ctx, f.admin, a.Slug, partial)
		if err != nil || r.ReviewState != apps.Reviewed || r.CertifiedAt != nil || r.CertifiedBy != "" {
			t.Fatalf("Review after certification = %+v, %v", r, err)
		}
	})
}

// Two items follow from the publiccode.yml: a licence that is not
// OSI-approved, or no maintenance, cannot be checked.
func TestReviewFacts(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		a := f.app(t, "Docs", "license: AGPL-3.0-or-later", "license: CC-BY-4.0",
			"  type: internal\n  contacts:\n    - name: Camille Martin\n", "  type: none\n")
		if a.OSIApproved {
			t.Fatal("CC-BY-4.0 is OSI-approved?")
		}
		before := f.state(t)
		_, err := f.svc.Review(f.ctx, f.admin, a.Slug, complete)
		f.refused(t, before, err, apps.ErrInvalid, "check what the file contradicts")
		ie := err.(*apps.InvalidError)
		if len(ie.Errors) != 2 || ie.Errors[0].Path != "checklist.osiLicence" || ie.Errors[1].Path != "checklist.maintenanceDeclared" {
			t.Errorf("errors %v", ie.Errors)
		}
		remote := f.app(t, "Lyon")
		makeRemote(t, f, remote.ID)
		before = f.state(t)
		_, err = f.svc.Review(f.ctx, f.admin, remote.Slug, apps.Checklist{})
		f.refused(t, before, err, apps.ErrRemote, "review a remote app")
		_, err = f.svc.Certify(f.ctx, f.admin, "nope")
		f.refused(t, before, err, apps.ErrNotFound, "certify no app")
	})
}

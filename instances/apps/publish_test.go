package apps_test

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/apps"
)

// A steward publishes Agora's own publiccode.yml: the file is kept as
// sent, the values the catalogue filters on are read from it, and the
// creation is in the outbox.
func TestPublish(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		doc := testdata(t, "valid.yml")
		a, fes, err := f.svc.Publish(f.ctx, f.admin, strings.NewReader(doc))
		if err != nil || fes != nil {
			t.Fatalf("Publish: %v %v", err, fes)
		}
		got, err := f.svc.BySlug(f.ctx, "agora")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.Name != "Agora" || got.URL != "https://git.example.org/agora/agora.git" ||
			got.PublicCodeYML != doc || got.PublicCodeVersion != "0.4" || got.SoftwareVersion != "1.2.0" ||
			got.ReleaseDate != "2026-11-02" || got.LandingURL != "https://agora.example.org" ||
			got.DevelopmentStatus != "stable" || got.SoftwareType != "standalone/web" ||
			got.License != "AGPL-3.0-or-later" || !got.OSIApproved || got.ReviewState != apps.Submitted ||
			got.CreatedBy != f.admin.Account.ID || !got.CreatedAt.Equal(start) || got.Remote() {
			t.Errorf("stored app %+v", got)
		}
		if !slices.Equal(got.Categories, []string{"digital-citizenship", "survey", "online-community"}) ||
			!slices.Equal(got.Platforms, []string{"web", "android"}) || !slices.Equal(got.Languages, []string{"fr", "en", "fr-BE"}) ||
			got.ShortDescriptions["en"] != "Civic participation platform for municipalities." {
			t.Errorf("lists %q %q %q %q", got.Categories, got.Platforms, got.Languages, got.ShortDescriptions)
		}
		if n := f.count(t, "app_tags", "app_id = ?", a.ID); n != 3+2+1+3 { // categories, platforms, licence, fr en fr-be
			t.Errorf("%d tags", n)
		}
		pc, err := got.PublicCode()
		if err != nil || pc.Description["fr"].LocalisedName != "Agora" {
			t.Errorf("PublicCode() = %v, %v", pc, err)
		}
		if ev := f.events(t); !slices.Equal(ev, []string{"create app"}) {
			t.Errorf("outbox %q", ev)
		}

		// The node itself (the command line) may publish; the same name
		// gets the next slug, accents and signs are folded.
		b, _, err := f.svc.Publish(f.ctx, accounts.System, strings.NewReader(variant(t,
			"https://git.example.org/agora/agora.git", "https://git.example.org/fork/agora.git")))
		if err != nil || b.Slug != "agora-2" || b.CreatedBy != "" {
			t.Errorf("second Agora: %+v, %v", b, err)
		}
		c := f.app(t, "Démarches & Guichet (Mairie)")
		if c.Slug != "demarches-guichet-mairie" {
			t.Errorf("slug %q", c.Slug)
		}
	})
}

// Nothing is stored when the actor may not publish or the file does not
// pass; each refusal says why.
func TestPublishRefused(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		resident := f.account(t, "camille")
		agent := f.account(t, "agent_mairie", accounts.Agent, accounts.Admin)
		official := f.account(t, "voirie")
		f.publish(t, testdata(t, "minimal.yml"))
		before := f.state(t)

		for _, tc := range []struct {
			name  string
			actor accounts.Actor
			doc   io.Reader
			want  error
		}{
			{"a resident", accounts.As(resident), strings.NewReader(testdata(t, "valid.yml")), apps.ErrForbidden},
			{"an admin at a desk for a resident", accounts.Actor{Account: agent, OnBehalfOf: resident, Desk: "Mairie"},
				strings.NewReader(testdata(t, "valid.yml")), apps.ErrForbidden},
			{"a repository already published", f.admin, strings.NewReader(testdata(t, "valid.yml")), apps.ErrConflict},
			{"an unknown licence", f.admin, strings.NewReader(testdata(t, "unknown-licence.yml")), apps.ErrInvalid},
			{"malformed YAML", f.admin, strings.NewReader(testdata(t, "malformed.yml")), apps.ErrInvalid},
			{"an alias bomb", f.admin, strings.NewReader(testdata(t, "alias-bomb.yml")), apps.ErrInvalid},
			{"no name", f.admin, strings.NewReader(testdata(t, "missing-name.yml")), apps.ErrInvalid},
			{"50 MB", f.admin, io.LimitReader(&repeat{line: []byte("#\n")}, 50<<20), apps.ErrTooLarge},
		} {
			a, fes, err := f.svc.Publish(f.ctx, tc.actor, tc.doc)
			if a != nil {
				t.Errorf("%s: published %+v", tc.name, a)
			}
			if errors.Is(err, apps.ErrInvalid) && len(fes) == 0 {
				t.Errorf("%s: no field errors", tc.name)
			}
			f.refused(t, before, err, tc.want, tc.name)
		}
		if n := f.count(t, "apps", ""); n != 1 {
			t.Errorf("%d apps", n)
		}

		// Who may curate is the wiring's choice (a steward role, later).
		svc := apps.NewService(f.db, f.store, f.clock.Now, apps.Options{MayCurate: func(a accounts.Actor) bool {
			return a.Account != nil && a.Account.Handle == "voirie"
		}})
		if _, _, err := svc.Publish(f.ctx, f.admin, strings.NewReader(testdata(t, "valid.yml"))); !errors.Is(err, apps.ErrForbidden) {
			t.Errorf("admin with another rule: %v", err)
		}
		if _, _, err := svc.Publish(f.ctx, accounts.As(official), strings.NewReader(strings.Replace(testdata(t, "valid.yml"),
			"https://git.example.org/agora/agora.git", "https://git.example.org/voirie/agora.git", 1))); err != nil {
			t.Errorf("the account the rule allows: %v", err)
		}
	})
}

// An update replaces the file; the review starts again only when what
// it attested changed.
func TestUpdate(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		a := f.publish(t, testdata(t, "valid.yml"))
		other := f.app(t, "Guichet")
		certify(t, f, a.Slug)
		f.clock.Advance(60e9)

		// A new version: certification kept.
		doc := strings.Replace(testdata(t, "valid.yml"), "softwareVersion: 1.2.0", "softwareVersion: 1.3.0", 1)
		u, fes, err := f.svc.Update(f.ctx, f.admin, a.Slug, strings.NewReader(doc))
		if err != nil || fes != nil || u.SoftwareVersion != "1.3.0" || u.ReviewState != apps.Certified || u.Slug != "agora" ||
			u.PublicCodeYML != doc || !u.UpdatedAt.After(u.CreatedAt) {
			t.Fatalf("Update = %+v, %v, %v", u, fes, err)
		}

		// Refusals change nothing.
		before := f.state(t)
		for _, tc := range []struct {
			name, slug, doc string
			actor           accounts.Actor
			want            error
		}{
			{"a resident", a.Slug, doc, accounts.As(f.account(t, "camille")), apps.ErrForbidden},
			{"an invalid file", a.Slug, testdata(t, "bad-spdx.yml"), f.admin, apps.ErrInvalid},
			{"another app's repository", a.Slug, strings.Replace(doc, "https://git.example.org/agora/agora.git", "https://git.example.org/guichet.git", 1), f.admin, apps.ErrConflict},
			{"no such app", "nope", doc, f.admin, apps.ErrNotFound},
		} {
			_, _, err := f.svc.Update(f.ctx, tc.actor, tc.slug, strings.NewReader(tc.doc))
			f.refused(t, before, err, tc.want, tc.name)
		}

		// A new licence: back to submitted, checklist cleared.
		doc = strings.Replace(doc, "license: AGPL-3.0-or-later", "license: EUPL-1.2", 1)
		u, _, err = f.svc.Update(f.ctx, f.admin, a.Slug, strings.NewReader(doc))
		if err != nil || u.ReviewState != apps.Submitted || u.Checklist != (apps.Checklist{}) || u.CertifiedAt != nil ||
			u.CertifiedBy != "" || u.ReviewedAt != nil || u.License != "EUPL-1.2" {
			t.Fatalf("Update with a new licence = %+v, %v", u, err)
		}
		if n := f.count(t, "app_tags", "app_id = ? AND kind = 'license' AND value = 'eupl-1.2'", a.ID); n != 1 {
			t.Errorf("licence tag not replaced")
		}
		if ev := f.events(t); ev[len(ev)-1] != "update app" {
			t.Errorf("outbox %q", ev)
		}

		// An app from another node changes only through federation.
		makeRemote(t, f, other.ID)
		before = f.state(t)
		_, _, err = f.svc.Update(f.ctx, f.admin, other.Slug, strings.NewReader(variant(t, "name: Agora", "name: Guichet",
			"https://git.example.org/agora/agora.git", "https://git.example.org/guichet.git")))
		f.refused(t, before, err, apps.ErrRemote, "a remote app")
	})
}

// makeRemote turns an app into one federation brought from another node.
func makeRemote(t testing.TB, f *fixture, id string) {
	t.Helper()
	if _, err := f.db.NewRaw("UPDATE apps SET remote_id = ?, origin_actor = ?, origin_node = ? WHERE id = ?",
		"https://lyon.example/apps/"+id, "https://lyon.example/apps", "lyon.example", id).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
}

// A deprecated app stays; a deleted one answers "gone", loses its
// releases, files and adoptions, and frees its repository.
func TestDeprecateDelete(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		a := f.publish(t, testdata(t, "valid.yml"))
		keep := f.app(t, "Guichet")
		payload := strings.Repeat("agora ", 1000)
		r, err := f.svc.AddRelease(f.ctx, f.admin, a.Slug, apps.ReleaseInput{Version: "1.2.0",
			Artifacts: []apps.ArtifactInput{{Name: "agora.tar.gz", Body: strings.NewReader(payload)}, {Name: "LISEZMOI.txt", Body: strings.NewReader("lisez-moi")}}})
		if err != nil {
			t.Fatal(err)
		}
		// The same file in another app's release: its blob must stay.
		if _, err := f.svc.AddRelease(f.ctx, f.admin, keep.Slug, apps.ReleaseInput{Version: "1",
			Artifacts: []apps.ArtifactInput{{Name: "readme.txt", Body: strings.NewReader("lisez-moi")}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Adopt(f.ctx, f.admin, a.Slug, apps.AdoptionInput{Name: "Mairie du 11e"}); err != nil {
			t.Fatal(err)
		}

		d, err := f.svc.Deprecate(f.ctx, f.admin, a.Slug)
		if err != nil || !d.Deprecated() {
			t.Fatalf("Deprecate = %+v, %v", d, err)
		}
		if p, _ := f.svc.List(f.ctx, apps.Filter{}); p.Total != 2 {
			t.Errorf("a deprecated app is not listed")
		}
		before := f.state(t)
		f.refused(t, before, f.svc.Delete(f.ctx, accounts.As(f.account(t, "camille")), a.Slug), apps.ErrForbidden, "a resident deletes")

		wantErr(t, f.svc.Delete(f.ctx, f.admin, a.Slug), nil, "delete")
		if _, err := f.svc.BySlug(f.ctx, a.Slug); !errors.Is(err, apps.ErrGone) {
			t.Errorf("BySlug after delete: %v", err)
		}
		if _, err := f.svc.Artifact(f.ctx, r.Artifacts[0].ID); !errors.Is(err, apps.ErrNotFound) {
			t.Errorf("artifact after delete: %v", err)
		}
		for _, table := range []string{"app_releases", "app_media", "app_tags", "app_adoptions"} {
			if n := f.count(t, table, "app_id = ?", a.ID); n != 0 {
				t.Errorf("%d rows left in %s", n, table)
			}
		}
		if n := f.count(t, "apps", "id = ? AND deleted_at IS NOT NULL", a.ID); n != 1 {
			t.Errorf("the deleted app's row is gone")
		}
		if _, err := f.store.Stat(f.ctx, r.Artifacts[0].BlobKey); err == nil {
			t.Errorf("the deleted release's file is still stored")
		}
		if got := f.read(t, r.Artifacts[1].BlobKey); string(got) != "lisez-moi" {
			t.Errorf("a file another app uses was removed")
		}
		if p, _ := f.svc.List(f.ctx, apps.Filter{}); p.Total != 1 || p.Items[0].ID != keep.ID {
			t.Errorf("list after delete: %+v", p)
		}
		ev := f.events(t)
		if ev[len(ev)-1] != "delete app" {
			t.Errorf("outbox %q", ev)
		}
		wantErr(t, f.svc.Delete(f.ctx, f.admin, a.Slug), apps.ErrGone, "delete twice")
		if _, err := f.svc.Deprecate(f.ctx, f.admin, a.Slug); !errors.Is(err, apps.ErrGone) {
			t.Errorf("deprecate a deleted app: %v", err)
		}

		// The repository may be published again, under a new address.
		b := f.publish(t, testdata(t, "valid.yml"))
		if b.Slug != "agora-2" {
			t.Errorf("slug %q", b.Slug)
		}
	})
}

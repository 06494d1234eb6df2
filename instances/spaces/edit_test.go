package spaces_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/instancestest"
	"agora/instances/spaces"
)

// fields lists the fields of an *InvalidError as "field:rule" lines,
// the rule named by the first sentinel it is.
func fields(t testing.TB, err error) []string {
	t.Helper()
	var inv *spaces.InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("error %v is not an *InvalidError", err)
	}
	rules := map[error]string{spaces.ErrSlug: "slug", spaces.ErrSlugTaken: "taken", spaces.ErrTitle: "title",
		spaces.ErrDescription: "description", spaces.ErrKind: "kind", spaces.ErrLimits: "limits",
		spaces.ErrPhaseKind: "phase-kind", spaces.ErrPhaseName: "phase-name", spaces.ErrPhaseDates: "dates",
		spaces.ErrPhaseOverlap: "overlap", spaces.ErrCategorySlug: "category-slug", spaces.ErrCategoryTwice: "twice",
		spaces.ErrCategoryName: "category-name", spaces.ErrCategoryInUse: "in-use", spaces.ErrPhases: "phases"}
	var out []string
	for _, fe := range inv.Errors {
		out = append(out, fe.Field+":"+rules[fe.Err])
	}
	return out
}

// Every problem of a new space comes at once, each on its field: a bad
// slug is not kept for after the dates are fixed.
func TestCreateGathersEveryProblem(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		if _, err := f.svc.Create(f.ctx, accounts.System, valid()); err != nil {
			t.Fatal(err)
		}
		in := valid()
		in.Title = ""
		in.TitleMax = 5
		in.Phases[0].Kind = "ballot"
		in.Phases[1].EndsAt = in.Phases[1].StartsAt.Add(-day)
		in.Phases[2].StartsAt = time.Time{}
		in.Categories = append(in.Categories, spaces.CategoryInput{Slug: "mobilite", NameFR: ""})
		want := []string{"slug:taken", "title:title", "title_max:limits", "phases.0.kind:phase-kind",
			"phases.1.end:dates", "phases.2.start:dates", "categories.2.slug:twice", "categories.2.name_fr:category-name"}

		before := f.State(t)
		if got := fields(t, f.svc.Validate(f.ctx, in)); !slices.Equal(got, want) {
			t.Errorf("Validate: %q, want %q", got, want)
		}
		sp, err := f.svc.Create(f.ctx, accounts.System, in)
		if got := fields(t, err); !slices.Equal(got, want) || sp != nil {
			t.Errorf("Create: %q, want %q", got, want)
		}
		if !errors.Is(err, spaces.ErrSlugTaken) || !errors.Is(err, spaces.ErrPhases) || !errors.Is(err, spaces.ErrCategories) {
			t.Errorf("errors.Is does not see each rule in %v", err)
		}
		in.Slug = "Bad slug"
		if got := fields(t, f.svc.Validate(f.ctx, in)); got[0] != "slug:slug" {
			t.Errorf("a bad slug: %q", got)
		}
		f.Unchanged(t, before, "a refused Create")
		if err := f.svc.Validate(f.ctx, spaces.NewSpace{Slug: "autre", Title: "Autre"}); err != nil {
			t.Errorf("Validate of a good space: %v", err)
		}
	})
}

func TestUpdate(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		admin := accounts.As(f.account(t, "admin_1", accounts.Admin))
		resident := accounts.As(f.account(t, "camille"))
		sp, err := f.svc.Create(f.ctx, admin, valid())
		wantErr(t, err, nil, "Create")
		edit := func(change func(*spaces.EditSpace)) spaces.EditSpace {
			in := spaces.EditSpace{Title: sp.Title, Description: sp.Description, Kind: sp.Kind, TitleMax: sp.TitleMax,
				BodyMax: sp.BodyMax, SupportThreshold: sp.SupportThreshold, UnverifiedMayPropose: sp.UnverifiedMayPropose}
			for _, p := range sp.Phases {
				in.Phases = append(in.Phases, spaces.PhaseInput{Kind: p.Kind, Name: p.Name, StartsAt: p.StartsAt, EndsAt: p.EndsAt})
			}
			for _, c := range sp.Categories {
				in.Categories = append(in.Categories, spaces.CategoryInput{Slug: c.Slug, NameFR: c.NameFR, NameEN: c.NameEN})
			}
			if change != nil {
				change(&in)
			}
			return in
		}
		audits := func() []string {
			t.Helper()
			entries, err := f.acc.AuditLog(f.ctx, accounts.System, accounts.AuditFilter{Action: "space."})
			wantErr(t, err, nil, "Audit")
			var out []string
			for _, e := range entries {
				out = append(out, e.Action+" "+e.Details)
			}
			slices.Reverse(out)
			return out
		}

		// Refused: nothing changes.
		before := f.State(t)
		_, err = f.svc.Update(f.ctx, resident, sp.ID, edit(nil))
		wantErr(t, err, spaces.ErrForbidden, "Update by a resident")
		_, err = f.svc.Update(f.ctx, admin, "nope", edit(nil))
		wantErr(t, err, spaces.ErrNotFound, "Update of nothing")
		_, err = f.svc.Update(f.ctx, admin, sp.ID, edit(func(in *spaces.EditSpace) {
			in.Title = strings.Repeat("t", 151)
			in.Phases[1].StartsAt = in.Phases[0].StartsAt
			in.Categories[0].NameFR = ""
			in.SupportThreshold = -1
		}))
		if got, want := fields(t, err), []string{"title:title", "support_threshold:limits", "phases.1.start:overlap",
			"categories.0.name_fr:category-name"}; !slices.Equal(got, want) {
			t.Errorf("bad edit: %q, want %q", got, want)
		}
		_, err = f.svc.Update(f.ctx, admin, sp.ID, edit(func(in *spaces.EditSpace) { in.Phases = nil }))
		wantErr(t, err, spaces.ErrPhases, "Update without phases")
		// A category proposals are filed under stays.
		pid := instancestest.Proposal(t, f.db, start, sp.ID, resident.Account.ID)
		if _, err := f.db.NewRaw("UPDATE proposals SET category = 'mobilite' WHERE id = ?", pid).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		before = f.State(t)
		_, err = f.svc.Update(f.ctx, admin, sp.ID, edit(func(in *spaces.EditSpace) { in.Categories = in.Categories[1:] }))
		wantErr(t, err, spaces.ErrCategoryInUse, "remove a category in use")
		f.Unchanged(t, before, "refused updates")

		// Nothing to change: nothing recorded.
		_, err = f.svc.Update(f.ctx, admin, sp.ID, edit(nil))
		wantErr(t, err, nil, "Update with no change")
		f.Unchanged(t, before, "an update that changes nothing")

		// A new title and a renamed category: no dates moved.
		f.clock.Advance(time.Hour)
		got, err := f.svc.Update(f.ctx, admin, sp.ID, edit(func(in *spaces.EditSpace) {
			in.Title = "Budget 2027"
			in.Categories[0].NameFR = "Déplacements"
		}))
		wantErr(t, err, nil, "Update")
		if got.Title != "Budget 2027" || got.DatesChangedAt != nil || got.Slug != sp.Slug || !got.UpdatedAt.Equal(f.clock.Now()) {
			t.Errorf("updated %+v", got)
		}
		// Dates moved, and a phase added: residents are told.
		f.clock.Advance(time.Hour)
		got, err = f.svc.Update(f.ctx, admin, sp.ID, edit(func(in *spaces.EditSpace) {
			in.Title = "Budget 2027"
			in.Categories[0].NameFR = "Déplacements"
			in.Phases[2].EndsAt = in.Phases[2].EndsAt.Add(7 * day)
			in.Phases = append(in.Phases, spaces.PhaseInput{Kind: spaces.Implementation, StartsAt: start.Add(100 * day), EndsAt: start.Add(400 * day)})
		}))
		wantErr(t, err, nil, "Update of the dates")
		if got.DatesChangedAt == nil || !got.DatesChangedAt.Equal(f.clock.Now()) || !got.DatesChanged(f.clock.Now()) {
			t.Errorf("dates changed at %v", got.DatesChangedAt)
		}
		stored, err := f.svc.BySlug(f.ctx, sp.Slug)
		wantErr(t, err, nil, "BySlug")
		if stored.Title != "Budget 2027" || len(stored.Phases) != 4 || !stored.Phases[2].EndsAt.Equal(start.Add(77*day)) ||
			stored.Categories[0].NameFR != "Déplacements" || stored.DatesChangedAt == nil {
			t.Errorf("stored %+v", stored)
		}
		if want := []string{"space.create space=budget-2027", "space.edit space=budget-2027 changed=title,categories",
			"space.edit space=budget-2027 changed=phases,dates"}; !slices.Equal(audits(), want) {
			t.Errorf("audit %q, want %q", audits(), want)
		}
		if n := f.Count(t, "outbox_events", "kind = 'update' AND object_type = 'space' AND object_id = ?", sp.ID); n != 2 {
			t.Errorf("%d outbox updates of the space, want 2", n)
		}
	})
}

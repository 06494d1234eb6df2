package spaces_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/spaces"
)

// valid is a space every validation case starts from and breaks in one way.
func valid() spaces.NewSpace {
	return spaces.NewSpace{
		Slug: "budget-2027", Title: "Budget participatif 2027", Description: "Proposez, soutenez.", Kind: spaces.Process,
		Phases: []spaces.PhaseInput{
			{Kind: spaces.Information, StartsAt: start, EndsAt: start.Add(7 * day)},
			{Kind: spaces.Proposals, Name: "Dépôt", StartsAt: start.Add(7 * day), EndsAt: start.Add(37 * day)},
			{Kind: spaces.Evaluation, StartsAt: start.Add(40 * day), EndsAt: start.Add(70 * day)},
		},
		Categories: []spaces.CategoryInput{
			{Slug: "mobilite", NameFR: "Mobilité", NameEN: "Mobility"},
			{Slug: "espaces-verts", NameFR: "Espaces verts"},
		},
		TitleMax: 120, BodyMax: 1500, SupportThreshold: 30,
	}
}

func TestCreateValidates(t *testing.T) {
	long := func(n int) string { return strings.Repeat("é", n) }
	phases := func(p ...spaces.PhaseInput) func(*spaces.NewSpace) {
		return func(in *spaces.NewSpace) { in.Phases = p }
	}
	categories := func(c ...spaces.CategoryInput) func(*spaces.NewSpace) {
		return func(in *spaces.NewSpace) { in.Categories = c }
	}
	ph := func(k spaces.PhaseKind, from, to time.Duration) spaces.PhaseInput {
		return spaces.PhaseInput{Kind: k, StartsAt: start.Add(from), EndsAt: start.Add(to)}
	}
	tests := []struct {
		name   string
		change func(*spaces.NewSpace)
		want   error
		check  func(t *testing.T, sp *spaces.Space) // of the stored space, when accepted
	}{
		{name: "valid", change: func(*spaces.NewSpace) {}},
		{name: "slug lowered and trimmed", change: func(in *spaces.NewSpace) { in.Slug = "  Budget-2027 " },
			check: func(t *testing.T, sp *spaces.Space) {
				if sp.Slug != "budget-2027" {
					t.Errorf("slug %q", sp.Slug)
				}
			}},
		{name: "60-character slug", change: func(in *spaces.NewSpace) { in.Slug = strings.Repeat("a", 60) }},
		{name: "150-rune title", change: func(in *spaces.NewSpace) { in.Title = long(150) }},
		{name: "20,000-rune description", change: func(in *spaces.NewSpace) { in.Description = long(20000) }},
		{name: "empty kind is a process", change: func(in *spaces.NewSpace) { in.Kind = "" },
			check: func(t *testing.T, sp *spaces.Space) {
				if sp.Kind != spaces.Process {
					t.Errorf("kind %q", sp.Kind)
				}
			}},
		{name: "council", change: func(in *spaces.NewSpace) { in.Kind = spaces.Council }},
		{name: "assembly", change: func(in *spaces.NewSpace) { in.Kind = spaces.Assembly }},
		{name: "lowest limits", change: func(in *spaces.NewSpace) { in.TitleMax, in.BodyMax, in.SupportThreshold = 10, 100, 0 }},
		{name: "highest limits", change: func(in *spaces.NewSpace) { in.TitleMax, in.BodyMax, in.SupportThreshold = 300, 20000, 1_000_000 }},
		{name: "adjacent phases", change: phases(ph(spaces.Proposals, 0, day), ph(spaces.Supports, day, 2*day))},
		{name: "80-rune phase name", change: func(in *spaces.NewSpace) { in.Phases[0].Name = long(80) }},
		{name: "no categories", change: categories()},
		{name: "category names trimmed, slug lowered", change: categories(spaces.CategoryInput{Slug: " Parcs ", NameFR: " Parcs ", NameEN: " Parks "}),
			check: func(t *testing.T, sp *spaces.Space) {
				if c := sp.Category("parcs"); c == nil || c.NameFR != "Parcs" || c.NameEN != "Parks" {
					t.Errorf("category %+v", sp.Categories)
				}
			}},

		{name: "empty slug", change: func(in *spaces.NewSpace) { in.Slug = "" }, want: spaces.ErrSlug},
		{name: "blank slug", change: func(in *spaces.NewSpace) { in.Slug = "   " }, want: spaces.ErrSlug},
		{name: "61-character slug", change: func(in *spaces.NewSpace) { in.Slug = strings.Repeat("a", 61) }, want: spaces.ErrSlug},
		{name: "slug with a space", change: func(in *spaces.NewSpace) { in.Slug = "budget 2027" }, want: spaces.ErrSlug},
		{name: "slug with underscore", change: func(in *spaces.NewSpace) { in.Slug = "budget_2027" }, want: spaces.ErrSlug},
		{name: "slug with accent", change: func(in *spaces.NewSpace) { in.Slug = "quartier-été" }, want: spaces.ErrSlug},
		{name: "slug leading hyphen", change: func(in *spaces.NewSpace) { in.Slug = "-budget" }, want: spaces.ErrSlug},
		{name: "slug trailing hyphen", change: func(in *spaces.NewSpace) { in.Slug = "budget-" }, want: spaces.ErrSlug},
		{name: "slug double hyphen", change: func(in *spaces.NewSpace) { in.Slug = "budget--2027" }, want: spaces.ErrSlug},
		{name: "slug with slash", change: func(in *spaces.NewSpace) { in.Slug = "budget/2027" }, want: spaces.ErrSlug},
		{name: "empty title", change: func(in *spaces.NewSpace) { in.Title = "" }, want: spaces.ErrTitle},
		{name: "blank title", change: func(in *spaces.NewSpace) { in.Title = " \t\n" }, want: spaces.ErrTitle},
		{name: "151-rune title", change: func(in *spaces.NewSpace) { in.Title = long(151) }, want: spaces.ErrTitle},
		{name: "20,001-rune description", change: func(in *spaces.NewSpace) { in.Description = long(20001) }, want: spaces.ErrDescription},
		{name: "unknown kind", change: func(in *spaces.NewSpace) { in.Kind = "referendum" }, want: spaces.ErrKind},
		{name: "kind is case-sensitive", change: func(in *spaces.NewSpace) { in.Kind = "Process" }, want: spaces.ErrKind},
		{name: "title limit 9", change: func(in *spaces.NewSpace) { in.TitleMax = 9 }, want: spaces.ErrLimits},
		{name: "title limit 301", change: func(in *spaces.NewSpace) { in.TitleMax = 301 }, want: spaces.ErrLimits},
		{name: "negative title limit", change: func(in *spaces.NewSpace) { in.TitleMax = -100 }, want: spaces.ErrLimits},
		{name: "body limit 99", change: func(in *spaces.NewSpace) { in.BodyMax = 99 }, want: spaces.ErrLimits},
		{name: "body limit 20,001", change: func(in *spaces.NewSpace) { in.BodyMax = 20001 }, want: spaces.ErrLimits},
		{name: "negative threshold", change: func(in *spaces.NewSpace) { in.SupportThreshold = -1 }, want: spaces.ErrLimits},
		{name: "threshold 1,000,001", change: func(in *spaces.NewSpace) { in.SupportThreshold = 1_000_001 }, want: spaces.ErrLimits},
		{name: "unknown phase kind", change: phases(ph("ballot", 0, day)), want: spaces.ErrPhases},
		{name: "empty phase kind", change: phases(ph("", 0, day)), want: spaces.ErrPhases},
		{name: "phase ends before it starts", change: phases(ph(spaces.Proposals, day, 0)), want: spaces.ErrPhases},
		{name: "phase ends as it starts", change: phases(ph(spaces.Proposals, day, day)), want: spaces.ErrPhases},
		{name: "phases overlap", change: phases(ph(spaces.Proposals, 0, 2*day), ph(spaces.Supports, day, 3*day)), want: spaces.ErrPhases},
		{name: "phases out of order", change: phases(ph(spaces.Supports, 2*day, 3*day), ph(spaces.Proposals, 0, day)), want: spaces.ErrPhases},
		{name: "phase without dates", change: phases(spaces.PhaseInput{Kind: spaces.Proposals}), want: spaces.ErrPhases},
		{name: "81-rune phase name", change: func(in *spaces.NewSpace) { in.Phases[1].Name = long(81) }, want: spaces.ErrPhases},
		{name: "category slug with accent", change: categories(spaces.CategoryInput{Slug: "mobilité", NameFR: "Mobilité"}), want: spaces.ErrCategories},
		{name: "category slug with space", change: categories(spaces.CategoryInput{Slug: "espaces verts", NameFR: "Espaces verts"}), want: spaces.ErrCategories},
		{name: "empty category slug", change: categories(spaces.CategoryInput{Slug: "", NameFR: "Sans"}), want: spaces.ErrCategories},
		{name: "61-character category slug", change: categories(spaces.CategoryInput{Slug: strings.Repeat("c", 61), NameFR: "Long"}), want: spaces.ErrCategories},
		{name: "duplicate category", change: categories(spaces.CategoryInput{Slug: "parcs", NameFR: "Parcs"}, spaces.CategoryInput{Slug: "parcs", NameFR: "Jardins"}), want: spaces.ErrCategories},
		{name: "duplicate category after lowering", change: categories(spaces.CategoryInput{Slug: "parcs", NameFR: "Parcs"}, spaces.CategoryInput{Slug: " PARCS", NameFR: "Jardins"}), want: spaces.ErrCategories},
		{name: "category without French name", change: categories(spaces.CategoryInput{Slug: "parks", NameEN: "Parks"}), want: spaces.ErrCategories},
		{name: "category with blank French name", change: categories(spaces.CategoryInput{Slug: "parks", NameFR: "  ", NameEN: "Parks"}), want: spaces.ErrCategories},
		{name: "81-rune French name", change: categories(spaces.CategoryInput{Slug: "parks", NameFR: long(81)}), want: spaces.ErrCategories},
		{name: "81-rune English name", change: categories(spaces.CategoryInput{Slug: "parks", NameFR: "Parcs", NameEN: long(81)}), want: spaces.ErrCategories},
	}
	run(t, func(t *testing.T, f *fixture) {
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				in := valid()
				in.Slug = fmt.Sprintf("case-%d", i)
				tt.change(&in)
				before := f.State(t)
				sp, err := f.svc.Create(f.ctx, accounts.System, in)
				if tt.want != nil {
					wantErr(t, err, tt.want, "Create")
					if sp != nil {
						t.Errorf("a refused Create returned %+v", sp)
					}
					f.Unchanged(t, before, "a refused Create")
					return
				}
				wantErr(t, err, nil, "Create")
				got, err := f.svc.BySlug(f.ctx, sp.Slug)
				wantErr(t, err, nil, "BySlug")
				if got.ID != sp.ID || len(got.Phases) != len(in.Phases) || len(got.Categories) != len(in.Categories) {
					t.Fatalf("stored %+v, created %+v", got, sp)
				}
				if tt.check != nil {
					tt.check(t, got)
				}
			})
		}
	})
}

func TestCreateSlugTaken(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		first, err := f.svc.Create(f.ctx, accounts.System, valid())
		wantErr(t, err, nil, "Create")
		for _, slug := range []string{"budget-2027", "BUDGET-2027", " Budget-2027 "} {
			in := valid()
			in.Slug, in.Title = slug, "Another budget"
			before := f.State(t)
			_, err := f.svc.Create(f.ctx, accounts.System, in)
			wantErr(t, err, spaces.ErrSlugTaken, "Create "+slug)
			f.Unchanged(t, before, "a taken slug")
		}
		got, err := f.svc.BySlug(f.ctx, "budget-2027")
		wantErr(t, err, nil, "BySlug")
		if got.ID != first.ID || got.Title != "Budget participatif 2027" {
			t.Fatalf("the first space became %+v", got)
		}
	})
}

func TestCreateDefaults(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp, err := f.svc.Create(f.ctx, accounts.System, spaces.NewSpace{Slug: "quartier-nord", Title: "  Conseil du quartier nord  "})
		wantErr(t, err, nil, "Create")
		got, err := f.svc.ByID(f.ctx, sp.ID)
		wantErr(t, err, nil, "ByID")
		if got.Title != "Conseil du quartier nord" || got.Kind != spaces.Process || got.Description != "" {
			t.Errorf("stored %q %q %q", got.Title, got.Kind, got.Description)
		}
		if spaces.DefaultTitleMax != 100 || spaces.DefaultBodyMax != 700 || got.TitleMax != 100 || got.BodyMax != 700 {
			t.Errorf("limits %d/%d, want 100/700", got.TitleMax, got.BodyMax)
		}
		if got.SupportThreshold != 0 || got.UnverifiedMayPropose {
			t.Errorf("threshold %d, unverified may propose %v", got.SupportThreshold, got.UnverifiedMayPropose)
		}
		if !got.CreatedAt.Equal(start) || !got.UpdatedAt.Equal(start) || got.CreatedBy != "" {
			t.Errorf("created %v %v by %q", got.CreatedAt, got.UpdatedAt, got.CreatedBy)
		}
		want := spaces.DefaultPhases(start)
		if len(got.Phases) != 3 || len(want) != 3 {
			t.Fatalf("phases %+v", got.Phases)
		}
		kinds := []spaces.PhaseKind{spaces.Proposals, spaces.Evaluation, spaces.Implementation}
		ends := []time.Duration{30 * day, 60 * day, 425 * day}
		from := start
		for i, p := range got.Phases {
			if p.Position != i || p.Kind != kinds[i] || !p.StartsAt.Equal(from) || !p.EndsAt.Equal(start.Add(ends[i])) || p.SpaceID != sp.ID {
				t.Errorf("phase %d = %+v", i, p)
			}
			if p.Kind != want[i].Kind || !p.StartsAt.Equal(want[i].StartsAt) || !p.EndsAt.Equal(want[i].EndsAt) {
				t.Errorf("phase %d = %+v, DefaultPhases says %+v", i, p, want[i])
			}
			from = p.EndsAt
		}
		if !got.AllowsProposals(start) || got.AllowsProposals(start.Add(30*day)) {
			t.Error("a default space takes proposals from now for 30 days")
		}

		// Phases default from the time of creation, not from a fixed date.
		f.clock.Advance(90 * day)
		later, err := f.svc.Create(f.ctx, accounts.System, spaces.NewSpace{Slug: "quartier-sud", Title: "Sud"})
		wantErr(t, err, nil, "Create")
		if p := later.Phases[0]; !p.StartsAt.Equal(start.Add(90*day)) || !later.AllowsProposals(start.Add(90*day)) {
			t.Errorf("later space's first phase %+v", p)
		}
	})
}

func TestCreateWhoMay(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		admin := f.account(t, "admin_ville", accounts.Admin)
		others := map[string]*accounts.Account{
			"resident":  f.account(t, "alice"),
			"agent":     f.account(t, "agent_nord", accounts.Agent),
			"moderator": f.account(t, "moderatrice", accounts.Moderator),
			"official":  f.account(t, "voirie", accounts.Official),
		}
		for name, acc := range others {
			in := valid()
			in.Slug = "by-" + name
			before := f.State(t)
			_, err := f.svc.Create(f.ctx, accounts.As(acc), in)
			wantErr(t, err, spaces.ErrForbidden, "Create by "+name)
			f.Unchanged(t, before, "Create by a "+name)
		}
		// An agent at a desk for an administrator is still an agent.
		in := valid()
		in.Slug = "at-desk"
		before := f.State(t)
		_, err := f.svc.Create(f.ctx, accounts.Actor{Account: others["agent"], OnBehalfOf: admin, Desk: "mairie"}, in)
		wantErr(t, err, spaces.ErrForbidden, "Create at a desk for an admin")
		f.Unchanged(t, before, "Create at a desk")

		// Validation comes after the permission: a forbidden actor learns nothing.
		in = valid()
		in.Slug = "Not a slug!"
		_, err = f.svc.Create(f.ctx, accounts.As(others["resident"]), in)
		wantErr(t, err, spaces.ErrForbidden, "Create with a bad slug by a resident")

		in = valid()
		in.Slug = "by-admin"
		sp, err := f.svc.Create(f.ctx, accounts.As(admin), in)
		wantErr(t, err, nil, "Create by an admin")
		if got, _ := f.svc.ByID(f.ctx, sp.ID); got == nil || got.CreatedBy != admin.ID {
			t.Errorf("created by %+v, want %s", got, admin.ID)
		}
		in.Slug = "by-system"
		sp, err = f.svc.Create(f.ctx, accounts.System, in)
		wantErr(t, err, nil, "Create by the node")
		if got, _ := f.svc.ByID(f.ctx, sp.ID); got == nil || got.CreatedBy != "" {
			t.Errorf("created by %+v, want nobody", got)
		}
	})
}

// TestPhaseAt checks the boundaries on a space read back from each
// database: a phase starts at its first instant and ends just before its
// end, so adjacent phases never both run.
func TestPhaseAt(t *testing.T) {
	µs := time.Microsecond
	run(t, func(t *testing.T, f *fixture) {
		in := valid()
		in.Phases = []spaces.PhaseInput{
			{Kind: spaces.Information, StartsAt: start, EndsAt: start.Add(day)},
			{Kind: spaces.Proposals, StartsAt: start.Add(day), EndsAt: start.Add(2 * day)},
			{Kind: spaces.Supports, StartsAt: start.Add(2 * day), EndsAt: start.Add(3 * day)},
			// a gap of a day
			{Kind: spaces.Evaluation, StartsAt: start.Add(4 * day), EndsAt: start.Add(5 * day)},
		}
		created, err := f.svc.Create(f.ctx, accounts.System, in)
		wantErr(t, err, nil, "Create")
		stored, err := f.svc.ByID(f.ctx, created.ID)
		wantErr(t, err, nil, "ByID")
		tests := []struct {
			at                  time.Time
			phase               spaces.PhaseKind // "" for none
			proposals, supports bool
		}{
			{at: start.Add(-µs)},
			{at: start, phase: spaces.Information},
			{at: start.Add(day - µs), phase: spaces.Information},
			{at: start.Add(day), phase: spaces.Proposals, proposals: true, supports: true},
			{at: start.Add(2*day - µs), phase: spaces.Proposals, proposals: true, supports: true},
			{at: start.Add(2 * day), phase: spaces.Supports, supports: true},
			{at: start.Add(3*day - µs), phase: spaces.Supports, supports: true},
			{at: start.Add(3 * day)},
			{at: start.Add(4*day - µs)},
			{at: start.Add(4 * day), phase: spaces.Evaluation},
			{at: start.Add(5*day - µs), phase: spaces.Evaluation},
			{at: start.Add(5 * day)},
			{at: start.Add(day).In(time.FixedZone("Paris", 3600)), phase: spaces.Proposals, proposals: true, supports: true},
		}
		for name, sp := range map[string]*spaces.Space{"created": created, "stored": stored} {
			for _, tt := range tests {
				p := sp.PhaseAt(tt.at)
				if (p == nil) != (tt.phase == "") || p != nil && p.Kind != tt.phase {
					t.Errorf("%s: PhaseAt(%v) = %+v, want %q", name, tt.at, p, tt.phase)
				}
				if got := sp.AllowsProposals(tt.at); got != tt.proposals {
					t.Errorf("%s: AllowsProposals(%v) = %v", name, tt.at, got)
				}
				if got := sp.AllowsSupports(tt.at); got != tt.supports {
					t.Errorf("%s: AllowsSupports(%v) = %v", name, tt.at, got)
				}
			}
		}
	})
}

func TestPhasesWithoutDatabase(t *testing.T) {
	var none spaces.Space
	if none.PhaseAt(start) != nil || none.AllowsProposals(start) || none.AllowsSupports(start) {
		t.Error("a space without phases allows something")
	}
	for _, k := range spaces.PhaseKinds {
		sp := spaces.Space{Phases: []spaces.Phase{{Kind: k, StartsAt: start, EndsAt: start.Add(day)}}}
		if got, want := sp.AllowsProposals(start), k == spaces.Proposals; got != want {
			t.Errorf("%s: AllowsProposals = %v", k, got)
		}
		if got, want := sp.AllowsSupports(start), k == spaces.Proposals || k == spaces.Supports; got != want {
			t.Errorf("%s: AllowsSupports = %v", k, got)
		}
	}
}

func TestCategories(t *testing.T) {
	sp := spaces.Space{Categories: []spaces.Category{{Slug: "mobilite", NameFR: "Mobilité", NameEN: "Mobility"}, {Slug: "parcs", NameFR: "Parcs"}}}
	if !sp.HasCategory("parcs") || sp.HasCategory("Parcs") || sp.HasCategory("") || sp.HasCategory("velo") {
		t.Error("HasCategory")
	}
	if c := sp.Category("mobilite"); c == nil || c.Name("en") != "Mobility" || c.Name("fr") != "Mobilité" || c.Name("de") != "Mobilité" {
		t.Errorf("Category(mobilite) = %+v", c)
	}
	if c := sp.Category("parcs"); c == nil || c.Name("en") != "Parcs" {
		t.Errorf("a category without an English name falls back to French: %+v", c)
	}
	if sp.Category("velo") != nil {
		t.Error("Category of an unknown slug")
	}
}

func TestLoad(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		if _, err := f.svc.ByID(f.ctx, "nope"); err != spaces.ErrNotFound {
			t.Errorf("ByID of nothing: %v", err)
		}
		if _, err := f.svc.BySlug(f.ctx, "nope"); err != spaces.ErrNotFound {
			t.Errorf("BySlug of nothing: %v", err)
		}
		if list, err := f.svc.List(f.ctx); err != nil || len(list) != 0 {
			t.Errorf("List of nothing = %v, %v", list, err)
		}

		// Categories and phases in an order no column but position gives.
		in := valid()
		in.Categories = []spaces.CategoryInput{
			{Slug: "zones-calmes", NameFR: "Zones calmes"}, {Slug: "arbres", NameFR: "Arbres", NameEN: "Trees"}, {Slug: "mobilite", NameFR: "Mobilité"},
		}
		in.Phases = []spaces.PhaseInput{
			{Kind: spaces.Vote, Name: "Vote", StartsAt: start, EndsAt: start.Add(day)},
			{Kind: spaces.Debate, Name: "Débat", StartsAt: start.Add(day), EndsAt: start.Add(2 * day)},
			{Kind: spaces.Proposals, Name: " Dépôt ", StartsAt: start.Add(2 * day), EndsAt: start.Add(3 * day)},
		}
		in.UnverifiedMayPropose = true
		in.Description = "Un **budget**<script>alert(1)</script>"
		first, err := f.svc.Create(f.ctx, accounts.System, in)
		wantErr(t, err, nil, "Create first")
		f.clock.Advance(time.Minute)
		second, err := f.svc.Create(f.ctx, accounts.System, spaces.NewSpace{Slug: "conseil", Title: "Conseil", Kind: spaces.Council})
		wantErr(t, err, nil, "Create second")
		f.clock.Advance(time.Minute)
		third, err := f.svc.Create(f.ctx, accounts.System, spaces.NewSpace{Slug: "assemblee", Title: "Assemblée", Kind: spaces.Assembly,
			Categories: []spaces.CategoryInput{{Slug: "b", NameFR: "B"}, {Slug: "a", NameFR: "A"}}})
		wantErr(t, err, nil, "Create third")

		check := func(what string, got *spaces.Space) {
			t.Helper()
			if got.ID != first.ID || got.Slug != "budget-2027" || got.Title != in.Title || got.Kind != spaces.Process ||
				got.Description != in.Description || got.TitleMax != 120 || got.BodyMax != 1500 || got.SupportThreshold != 30 ||
				!got.UnverifiedMayPropose || !got.CreatedAt.Equal(start) {
				t.Errorf("%s: %+v", what, got)
			}
			var slugs []string
			for i, c := range got.Categories {
				slugs = append(slugs, c.Slug)
				if c.Position != i || c.SpaceID != first.ID {
					t.Errorf("%s: category %d = %+v", what, i, c)
				}
			}
			if strings.Join(slugs, ",") != "zones-calmes,arbres,mobilite" || got.Categories[1].NameEN != "Trees" || got.Categories[2].NameEN != "" {
				t.Errorf("%s: categories %+v", what, got.Categories)
			}
			if len(got.Phases) != 3 {
				t.Fatalf("%s: phases %+v", what, got.Phases)
			}
			for i, p := range got.Phases {
				if p.Position != i || p.Kind != in.Phases[i].Kind || strings.TrimSpace(in.Phases[i].Name) != p.Name ||
					!p.StartsAt.Equal(in.Phases[i].StartsAt) || !p.EndsAt.Equal(in.Phases[i].EndsAt) {
					t.Errorf("%s: phase %d = %+v, want %+v", what, i, p, in.Phases[i])
				}
			}
		}
		check("Create", first)
		byID, err := f.svc.ByID(f.ctx, first.ID)
		wantErr(t, err, nil, "ByID")
		check("ByID", byID)
		bySlug, err := f.svc.BySlug(f.ctx, "budget-2027")
		wantErr(t, err, nil, "BySlug")
		check("BySlug", bySlug)
		if _, err := f.svc.BySlug(f.ctx, "BUDGET-2027"); err != spaces.ErrNotFound {
			t.Errorf("BySlug is exact: %v", err)
		}
		if _, err := f.svc.BySlug(f.ctx, first.ID); err != spaces.ErrNotFound {
			t.Errorf("BySlug(an id): %v", err)
		}
		if _, err := f.svc.ByID(f.ctx, "budget-2027"); err != spaces.ErrNotFound {
			t.Errorf("ByID(a slug): %v", err)
		}
		if html := f.svc.DescriptionHTML(byID); strings.Contains(html, "<script") || !strings.Contains(html, "<strong>budget</strong>") {
			t.Errorf("DescriptionHTML = %q", html)
		}

		list, err := f.svc.List(f.ctx)
		wantErr(t, err, nil, "List")
		if len(list) != 3 || list[0].ID != third.ID || list[1].ID != second.ID || list[2].ID != first.ID {
			t.Fatalf("List = %+v, want newest first", list)
		}
		check("List", &list[2])
		if len(list[1].Categories) != 0 || len(list[1].Phases) != 3 || list[1].Kind != spaces.Council {
			t.Errorf("List second = %+v", list[1])
		}
		if len(list[0].Categories) != 2 || list[0].Categories[0].Slug != "b" || list[0].Categories[1].Slug != "a" {
			t.Errorf("List third categories = %+v", list[0].Categories)
		}
		for _, sp := range list {
			for _, p := range sp.Phases {
				if p.SpaceID != sp.ID {
					t.Errorf("space %s lists a phase of %s", sp.ID, p.SpaceID)
				}
			}
		}
	})
}

package reports_test

import (
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/reports"
)

func TestCreate(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		p := inside
		r, err := f.svc.Create(f.ctx, accounts.As(f.alice), reports.Input{Category: "nid-de-poule", Point: &p,
			Address: " 12 rue Oberkampf ", Description: " Trou profond. ", NamePublic: true,
			Photos: []reports.Photo{photo("image/jpeg"), photo("image/png")}})
		wantErr(t, err, nil, "create")
		got := f.get(t, r.ID)
		at, ok := got.Point()
		if got.State != reports.New || got.Service != "Voirie" || got.Address != "12 rue Oberkampf" ||
			got.Description != "Trou profond." || !got.NamePublic || got.AuthorID != f.alice.ID || got.EnteredBy != "" ||
			!ok || at != inside || !got.CreatedAt.Equal(start) {
			t.Errorf("stored %+v", got)
		}
		photos, err := f.svc.Photos(f.ctx, r.ID)
		if err != nil || len(photos) != 2 || photos[0].Position != 1 || photos[1].ContentType != "image/png" || photos[1].After {
			t.Errorf("photos %+v %v", photos, err)
		}

		// Address only, entered by an agent at a desk for Bob.
		desk := accounts.Actor{Account: f.agent, OnBehalfOf: f.bob, Desk: "Mairie du 11e"}
		r2, err := f.svc.Create(f.ctx, desk, reports.Input{Category: "graffiti", Address: "Square Maurice-Gardette", Description: "Tag."})
		wantErr(t, err, nil, "create at a desk")
		got = f.get(t, r2.ID)
		if _, ok := got.Point(); ok || got.AuthorID != f.bob.ID || got.EnteredBy != f.agent.ID || got.Desk != "Mairie du 11e" || got.Service != "Propreté" {
			t.Errorf("desk report %+v", got)
		}
		tl, err := f.svc.Timeline(f.ctx, accounts.Actor{Account: f.alice}, r2.ID)
		if err != nil || len(tl) != 1 || tl[0].Kind != reports.KindCreated || tl[0].ActorID != f.bob.ID || tl[0].EnteredBy != f.agent.ID {
			t.Errorf("timeline %+v %v", tl, err)
		}
	})
}

func TestCreateRefused(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		staff := accounts.Actor{Account: f.agent, OnBehalfOf: f.roads, Desk: "Mairie"}
		notAgent := accounts.Actor{Account: f.bob, OnBehalfOf: f.alice}
		outside := reports.Point{Lat: 48.8584, Lon: 2.2945} // the Eiffel Tower, 7th arrondissement
		off := reports.Point{Lat: 91, Lon: 2}
		six := []reports.Photo{photo("image/jpeg"), photo("image/jpeg"), photo("image/jpeg"), photo("image/jpeg"), photo("image/jpeg"), photo("image/jpeg")}
		p := inside
		valid := reports.Input{Category: "nid-de-poule", Point: &p, Description: "Trou."}
		for _, c := range []struct {
			name   string
			who    accounts.Actor
			change func(*reports.Input)
			want   error
		}{
			{"point outside the territory", accounts.As(f.alice), func(in *reports.Input) { in.Point = &outside }, reports.ErrOutsideTerritory},
			{"point off Earth", accounts.As(f.alice), func(in *reports.Input) { in.Point = &off }, reports.ErrPoint},
			{"unknown category", accounts.As(f.alice), func(in *reports.Input) { in.Category = "licorne" }, reports.ErrUnknownCategory},
			{"retired category", accounts.As(f.alice), func(in *reports.Input) { in.Category = "ancien" }, reports.ErrUnknownCategory},
			{"no place", accounts.As(f.alice), func(in *reports.Input) { in.Point = nil }, reports.ErrLocation},
			{"no description", accounts.As(f.alice), func(in *reports.Input) { in.Description = "  " }, reports.ErrDescription},
			{"description too long", accounts.As(f.alice), func(in *reports.Input) { in.Description = strings.Repeat("é", 5001) }, reports.ErrDescription},
			{"address too long", accounts.As(f.alice), func(in *reports.Input) { in.Address = strings.Repeat("a", 301) }, reports.ErrAddress},
			{"photo not an image", accounts.As(f.alice), func(in *reports.Input) { in.Photos = []reports.Photo{photo("application/pdf")} }, reports.ErrPhotos},
			{"photo not stored", accounts.As(f.alice), func(in *reports.Input) { in.Photos = []reports.Photo{{ContentType: "image/png", Size: 3}} }, reports.ErrPhotos},
			{"six photos", accounts.As(f.alice), func(in *reports.Input) { in.Photos = six }, reports.ErrPhotos},
			{"nobody", accounts.System, nil, reports.ErrForbidden},
			{"desk act on staff", staff, nil, accounts.ErrStaffTarget},
			{"for someone, not an agent", notAgent, nil, reports.ErrForbidden},
		} {
			before := f.State(t)
			in := valid
			if c.change != nil {
				c.change(&in)
			}
			_, err := f.svc.Create(f.ctx, c.who, in)
			wantErr(t, err, c.want, c.name)
			f.Unchanged(t, before, c.name)
		}
	})
}

func TestCategoriesAndTerritory(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		cats, err := f.svc.Categories(f.ctx, false)
		if err != nil || len(cats) != 2 || cats[0].Slug != "nid-de-poule" || cats[1].Name("en") != "Graffiti" {
			t.Fatalf("categories %+v %v", cats, err)
		}
		for _, c := range []struct {
			name string
			who  accounts.Actor
			cat  reports.Category
			poly reports.Polygon
			want error
		}{
			{"not an admin", accounts.As(f.roads), reports.Category{Slug: "arbre", NameFR: "Arbre", NameEN: "Tree", Service: "Espaces verts"}, territory[:3], reports.ErrForbidden},
			{"bad slug", accounts.As(f.admin), reports.Category{Slug: "Arbre!", NameFR: "Arbre", NameEN: "Tree", Service: "Espaces verts"}, reports.Polygon{{Lat: 1, Lon: 1}, {Lat: 2, Lon: 2}}, reports.ErrCategoryInput},
			{"no service", accounts.As(f.admin), reports.Category{Slug: "arbre", NameFR: "Arbre", NameEN: "Tree"}, reports.Polygon{{Lat: 1, Lon: 1}, {Lat: 2, Lon: 2}, {Lat: 100, Lon: 2}}, reports.ErrCategoryInput},
		} {
			before := f.State(t)
			wantErr(t, f.svc.SaveCategory(f.ctx, c.who, c.cat), c.want, c.name+": category")
			err := f.svc.SetTerritory(f.ctx, c.who, c.poly)
			if c.want == reports.ErrForbidden {
				wantErr(t, err, reports.ErrForbidden, c.name+": territory")
			} else {
				wantErr(t, err, reports.ErrTerritory, c.name+": territory")
			}
			f.Unchanged(t, before, c.name)
		}
		// Remapping a category sends the next reports to the new service.
		wantErr(t, f.svc.SaveCategory(f.ctx, accounts.System, reports.Category{Slug: "graffiti", NameFR: "Tag", NameEN: "Tag", Service: "Voirie"}), nil, "remap")
		if r := f.report(t, accounts.As(f.alice), "graffiti", inside); r.Service != "Voirie" {
			t.Errorf("service %q after remapping", r.Service)
		}
		// Without a territory, any point is accepted.
		wantErr(t, f.svc.SetTerritory(f.ctx, accounts.As(f.admin), nil), nil, "remove territory")
		f.report(t, accounts.As(f.alice), "graffiti", reports.Point{Lat: 43.3, Lon: 5.4})
	})
}

func TestPolygon(t *testing.T) {
	t.Parallel()
	// An L-shaped territory: the notch is outside.
	l := reports.Polygon{{Lat: 0, Lon: 0}, {Lat: 0, Lon: 2}, {Lat: 1, Lon: 2}, {Lat: 1, Lon: 1}, {Lat: 2, Lon: 1}, {Lat: 2, Lon: 0}}
	for _, c := range []struct {
		p    reports.Point
		want bool
	}{
		{reports.Point{Lat: 0.5, Lon: 0.5}, true},
		{reports.Point{Lat: 0.5, Lon: 1.5}, true},
		{reports.Point{Lat: 1.5, Lon: 0.5}, true},
		{reports.Point{Lat: 1.5, Lon: 1.5}, false},
		{reports.Point{Lat: -0.1, Lon: 0.5}, false},
		{reports.Point{Lat: 0.5, Lon: 2.1}, false},
	} {
		if got := l.Contains(c.p); got != c.want {
			t.Errorf("Contains(%v) = %v, want %v", c.p, got, c.want)
		}
	}
	if d := reports.Distance(reports.Point{Lat: 48.8606, Lon: 2.3795}, reports.Point{Lat: 48.8616, Lon: 2.3795}); d < 110 || d > 112 {
		t.Errorf("0.001° of latitude is %v m", d)
	}
}

package reports_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"agora/instances/accounts"
	"agora/instances/reports"
)

// TestInBox checks the grid query against a plain scan of every point,
// for boxes read on the fine grid, on the coarse grid, and refused.
func TestInBox(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		wantErr(t, f.svc.SetTerritory(f.ctx, accounts.System, nil), nil, "no territory")
		rnd := rand.New(rand.NewPCG(1, 2))
		type placed struct {
			id  string
			p   reports.Point
			cat string
		}
		var all []placed
		for i := range 120 {
			// Most around the 11th, a few far away, some on cell edges.
			p := reports.Point{Lat: 48.85 + rnd.Float64()*0.03, Lon: 2.36 + rnd.Float64()*0.05}
			switch i % 10 {
			case 0:
				p = reports.Point{Lat: 43 + rnd.Float64(), Lon: 5 + rnd.Float64()}
			case 1:
				p = reports.Point{Lat: 48.86, Lon: 2.37}
			}
			cat := []string{"nid-de-poule", "graffiti"}[i%2]
			r := f.report(t, accounts.As(f.alice), cat, p)
			all = append(all, placed{r.ID, p, cat})
		}
		for _, c := range []struct {
			name string
			box  reports.Box
			cat  string
		}{
			{"a street", reports.Box{South: 48.855, West: 2.365, North: 48.858, East: 2.372}, ""},
			{"edges of cells", reports.Box{South: 48.86, West: 2.37, North: 48.87, East: 2.38}, ""},
			{"the arrondissement", reports.Box{South: 48.85, West: 2.36, North: 48.88, East: 2.41}, "graffiti"},
			{"the South of France (coarse grid)", reports.Box{South: 42.5, West: 4.5, North: 44.5, East: 6.5}, ""},
			{"Provence and more (coarse grid)", reports.Box{South: 42, West: 3, North: 46, East: 7}, "nid-de-poule"},
		} {
			got, more, err := f.svc.InBox(f.ctx, c.box, reports.Filter{Category: c.cat}, 0)
			if err != nil || more {
				t.Fatalf("%s: %v more=%v", c.name, err, more)
			}
			var want, ids []string
			for _, p := range all {
				if c.box.Contains(p.p) && (c.cat == "" || c.cat == p.cat) {
					want = append(want, p.id)
				}
			}
			for _, r := range got {
				ids = append(ids, r.ID)
			}
			slices.Sort(want)
			slices.Sort(ids)
			if len(want) == 0 || !slices.Equal(ids, want) {
				t.Errorf("%s: %d reports, want %d", c.name, len(ids), len(want))
			}
			pins, more, err := f.svc.Pins(f.ctx, c.box, reports.Filter{Category: c.cat}, 0)
			var pinIDs []string
			for _, p := range pins {
				pinIDs = append(pinIDs, p.ID)
				if !c.box.Contains(p.Point()) || p.State != reports.New {
					t.Errorf("%s: pin %+v", c.name, p)
				}
			}
			slices.Sort(pinIDs)
			if err != nil || more || !slices.Equal(pinIDs, want) {
				t.Errorf("%s: %d pins, want %d (%v)", c.name, len(pinIDs), len(want), err)
			}
		}
		got, more, err := f.svc.InBox(f.ctx, reports.Box{South: 42, West: 3, North: 46, East: 6.5}, reports.Filter{}, 5)
		if err != nil || !more || len(got) != 5 {
			t.Errorf("limited: %d reports, more=%v, %v", len(got), more, err)
		}
		_, _, err = f.svc.InBox(f.ctx, reports.Box{South: -60, West: -170, North: 70, East: 170}, reports.Filter{}, 0)
		wantErr(t, err, reports.ErrBoxTooLarge, "the world")
		_, _, err = f.svc.InBox(f.ctx, reports.Box{South: 49, West: 2, North: 48, East: 3}, reports.Filter{}, 0)
		wantErr(t, err, reports.ErrPoint, "upside down")
	})
}

func TestNearby(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		at := func(dLat float64) reports.Point { return reports.Point{Lat: inside.Lat + dLat, Lon: inside.Lon} }
		far := f.report(t, accounts.As(f.alice), "nid-de-poule", at(0.0009))   // 100 m
		near := f.report(t, accounts.As(f.alice), "nid-de-poule", at(0.0002))  // 22 m
		f.report(t, accounts.As(f.alice), "graffiti", at(0.0001))              // other category
		f.report(t, accounts.As(f.alice), "nid-de-poule", at(0.002))           // 222 m
		done := f.report(t, accounts.As(f.alice), "nid-de-poule", at(-0.0001)) // closed
		wantErr(t, f.svc.ChangeState(f.ctx, accounts.As(f.roads), done.ID, reports.Change{To: reports.Done, Message: "Fait."}), nil, "close")
		got, err := f.svc.Nearby(f.ctx, inside, 150, reports.Filter{Category: "nid-de-poule", OpenOnly: true}, 10)
		if err != nil || len(got) != 2 || got[0].ID != near.ID || got[1].ID != far.ID || got[0].Metres < 20 || got[0].Metres > 25 {
			t.Errorf("nearby: %+v %v", got, err)
		}
	})
}

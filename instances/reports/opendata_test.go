package reports_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"agora/instances/accounts"
	"agora/instances/reports"
)

func TestExport(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := accounts.As(f.alice)
		named, err := f.svc.Create(f.ctx, alice, reports.Input{Category: "graffiti", Point: &reports.Point{Lat: 48.861234, Lon: 2.379876},
			Address: "3 rue Oberkampf", Description: "Tag.", NamePublic: true})
		wantErr(t, err, nil, "named report")
		f.clock.Advance(day)
		private, err := f.svc.Create(f.ctx, alice, reports.Input{Category: "nid-de-poule", Point: &reports.Point{Lat: 48.861234, Lon: 2.379876},
			Address: "12 rue Oberkampf", Description: "Trou."})
		wantErr(t, err, nil, "private report")
		f.clock.Advance(day)
		addressOnly, err := f.svc.Create(f.ctx, alice, reports.Input{Category: "nid-de-poule", Address: "1 rue Saint-Maur", Description: "Trou.", NamePublic: true})
		wantErr(t, err, nil, "address only")

		var got []reports.OpenRecord
		wantErr(t, f.svc.Export(f.ctx, func(r reports.OpenRecord) error { got = append(got, r); return nil }), nil, "export")
		if len(got) != 3 || got[0].ID != named.ID || got[1].ID != private.ID || got[2].ID != addressOnly.ID {
			t.Fatalf("export = %+v, want the three reports oldest first", got)
		}
		tests := []struct {
			name     string
			rec      reports.OpenRecord
			lat, lon float64
			rounded  bool
			address  string
		}{
			{"name shown: exact", got[0], 48.861234, 2.379876, false, "3 rue Oberkampf"},
			{"name withheld: rounded, no address", got[1], 48.861, 2.380, true, ""},
		}
		for _, tt := range tests {
			if tt.rec.Point == nil || fmt.Sprintf("%.6f,%.6f", tt.rec.Point.Lat, tt.rec.Point.Lon) != fmt.Sprintf("%.6f,%.6f", tt.lat, tt.lon) ||
				tt.rec.Rounded != tt.rounded || tt.rec.Address != tt.address {
				t.Errorf("%s: %+v", tt.name, tt.rec)
			}
		}
		if got[2].Point != nil || got[2].Address != "1 rue Saint-Maur" {
			t.Errorf("address only: %+v", got[2])
		}
		stop := errors.New("stop")
		n := 0
		if err := f.svc.Export(f.ctx, func(reports.OpenRecord) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Errorf("export stopped by fn: %v after %d", err, n)
		}
	})
}

// TestExportChunks: more reports than one chunk, all exported once, in
// order.
func TestExportChunks(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 2,500 reports")
	}
	run(t, func(t *testing.T, f *fixture) {
		for range 2500 {
			f.report(t, accounts.As(f.alice), "graffiti", inside)
		}
		var ids []string
		wantErr(t, f.svc.Export(f.ctx, func(r reports.OpenRecord) error { ids = append(ids, r.ID); return nil }), nil, "export")
		if len(ids) != 2500 {
			t.Fatalf("%d exported, want 2500", len(ids))
		}
		slices.Sort(ids)
		if len(slices.Compact(ids)) != 2500 {
			t.Error("a report exported twice")
		}
	})
}

func TestCounts(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice := accounts.As(f.alice)
		a := f.report(t, alice, "nid-de-poule", inside)
		f.report(t, alice, "nid-de-poule", inside)
		f.report(t, alice, "graffiti", inside)
		wantErr(t, f.svc.ChangeState(f.ctx, accounts.As(f.roads), a.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}), nil, "acknowledge")
		got, err := f.svc.Counts(f.ctx)
		wantErr(t, err, nil, "counts")
		want := []reports.Count{{Service: "Propreté", State: reports.New, N: 1}, {Service: "Voirie", State: reports.Acknowledged, N: 1}, {Service: "Voirie", State: reports.New, N: 1}}
		if !slices.Equal(got, want) {
			t.Errorf("counts = %v, want %v", got, want)
		}
	})
}

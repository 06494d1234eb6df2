package reports_test

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/reports"
	"agora/storage/storagetest"
)

// TestPinsFromCells checks the pins kept per cell against the database's
// own answer (no cache) for the same boxes and filters: the same pins,
// the same "more", and for a limit the same count.
func TestPinsFromCells(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		wantErr(t, f.svc.SaveCategory(f.ctx, accounts.As(f.admin), reports.Category{Slug: "banc", NameFR: "Banc", NameEN: "Bench",
			Service: "Voirie", Kind: reports.Suggestion, Position: 3}), nil, "suggestion category")
		rnd := rand.New(rand.NewPCG(3, 4))
		for i := range 90 {
			// Three cells' worth of the 11th, some on a cell's edge.
			p := reports.Point{Lat: 48.855 + rnd.Float64()*0.01, Lon: 2.365 + rnd.Float64()*0.02}
			if i%9 == 0 {
				p = reports.Point{Lat: 48.86, Lon: 2.37}
			}
			r := f.report(t, accounts.As(f.alice), []string{"nid-de-poule", "graffiti", "banc"}[i%3], p)
			if i%4 == 0 {
				official := []*accounts.Account{f.roads, f.cleaning, f.roads}[i%3]
				wantErr(t, f.svc.ChangeState(f.ctx, accounts.As(official), r.ID, reports.Change{To: reports.Rejected, Message: "Non."}), nil, "reject")
			}
		}
		cached := reports.NewService(f.db, f.clock.Now)
		plain := reports.NewService(f.db, f.clock.Now)
		plain.SetAnswerTTL(0)
		// A node just started reads every cell before anyone asks:
		// every box is then answered from memory, the same as the
		// database.
		warmed := reports.NewService(f.db, f.clock.Now)
		cellsRead, pinsRead, err := warmed.WarmMap(f.ctx)
		if err != nil || cellsRead != 6 || pinsRead != 90 {
			t.Fatalf("WarmMap: %d cells, %d pins, %v; want 6 cells, 90 pins", cellsRead, pinsRead, err)
		}
		warmHits, asked := warmed.AnswerHits(), uint64(0)
		// While a warm-up is under way, a box over cells not read yet is
		// answered by the database, the same, and keeps no cell.
		during := reports.NewService(f.db, f.clock.Now)
		reports.SetWarming(during, true)
		boxes := []reports.Box{
			{South: 48.855, West: 2.365, North: 48.865, East: 2.385},
			{South: 48.859, West: 2.369, North: 48.861, East: 2.371},
			{South: 48.857, West: 2.37, North: 48.862, East: 2.372},
		}
		for range 20 {
			s, w := 48.855+rnd.Float64()*0.01, 2.365+rnd.Float64()*0.02
			boxes = append(boxes, reports.Box{South: s, West: w, North: s + rnd.Float64()*0.005, East: w + rnd.Float64()*0.008})
		}
		filters := []reports.Filter{{}, {Category: "graffiti"}, {Kind: reports.Problem}, {Kind: reports.Suggestion}, {OpenOnly: true},
			{Kind: reports.Problem, OpenOnly: true}}
		nonEmpty := 0
		for _, b := range boxes {
			for _, flt := range filters {
				for _, limit := range []int{0, 7} {
					got, gotMore, err := cached.Pins(f.ctx, b, flt, limit)
					if err != nil {
						t.Fatal(err)
					}
					want, wantMore, err := plain.Pins(f.ctx, b, flt, limit)
					if err != nil {
						t.Fatal(err)
					}
					fromWarm, warmMore, err := warmed.Pins(f.ctx, b, flt, limit)
					if err != nil {
						t.Fatal(err)
					}
					asked++
					fromDB, dbMore, err := during.Pins(f.ctx, b, flt, limit)
					if err != nil {
						t.Fatal(err)
					}
					if !slices.Equal(fromDB, want) || dbMore != wantMore {
						t.Fatalf("%+v %+v limit %d: during a warm-up %d pins more=%v, the database %d more=%v", b, flt, limit, len(fromDB), dbMore, len(want), wantMore)
					}
					if !slices.Equal(fromWarm, got) || warmMore != gotMore {
						t.Fatalf("%+v %+v limit %d: the warmed map answers %d pins more=%v, the other %d more=%v", b, flt, limit, len(fromWarm), warmMore, len(got), gotMore)
					}
					if len(got) != len(want) || gotMore != wantMore {
						t.Fatalf("%+v %+v limit %d: %d pins more=%v, the database %d more=%v", b, flt, limit, len(got), gotMore, len(want), wantMore)
					}
					if limit == 0 {
						byID := func(a, b reports.Pin) int { return compare(a.ID, b.ID) }
						slices.SortFunc(got, byID)
						slices.SortFunc(want, byID)
						if !slices.Equal(got, want) {
							t.Fatalf("%+v %+v: pins differ\n got %+v\nwant %+v", b, flt, got, want)
						}
					}
					for _, p := range got {
						if !b.Contains(p.Point()) {
							t.Fatalf("pin %+v outside %+v", p, b)
						}
					}
					if len(got) > 0 {
						nonEmpty++
					}
				}
			}
		}
		if hits := during.AnswerHits(); hits != 0 {
			t.Errorf("during a warm-up, %d boxes were answered from cells, want none kept", hits)
		}
		reports.SetWarming(during, false)
		if hits := warmed.AnswerHits() - warmHits; hits != asked {
			t.Errorf("the warmed map answered %d of %d boxes from memory", hits, asked)
		}
		if nonEmpty < len(boxes)*len(filters) {
			t.Errorf("only %d of %d answers had pins: the boxes miss the reports", nonEmpty, 2*len(boxes)*len(filters))
		}
	})
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestPinCellsFreshness checks what cells.go promises: a change written
// by another process (another Service on the same database) does not
// show within AnswerTTL, shows before the answer after a quiet spell and
// soon after (the look in the background) while boxes come steadily; a change that did not move
// updated_at (a hand-typed UPDATE) shows once the cell, past half its
// life, was asked for and read again in the background;
// this process's own writes show at once.
func TestPinCellsFreshness(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		reader := reports.NewService(f.db, f.clock.Now)
		cells := storagetest.NewClock(time.Now())
		reports.SetCellClock(reader, cells.Now)
		box := reports.Around(inside, 300)
		pins := func() map[string]reports.State {
			t.Helper()
			got, _, err := reader.Pins(f.ctx, box, reports.Filter{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]reports.State{}
			for _, p := range got {
				m[p.ID] = p.State
			}
			return m
		}
		// eventually waits for the background's work: the pin of id shows
		// state within 10 s.
		eventually := func(id string, state reports.State, failure string) {
			t.Helper()
			for deadline := time.Now().Add(10 * time.Second); pins()[id] != state; time.Sleep(10 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal(failure)
				}
			}
		}
		r := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		if got := pins(); got[r.ID] != reports.New || len(got) != 1 {
			t.Fatalf("first read: %v", got)
		}

		// Another process changes the state and sends a second report.
		f.clock.Advance(time.Second)
		wantErr(t, f.svc.ChangeState(f.ctx, accounts.As(f.roads), r.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}), nil, "ack")
		other := f.report(t, accounts.As(f.alice), "graffiti", reports.Point{Lat: inside.Lat + 0.001, Lon: inside.Lon})
		if got := pins(); got[r.ID] != reports.New || len(got) != 1 {
			t.Fatalf("within AnswerTTL: %v, want the cell as it was read", got)
		}
		// After a quiet spell (two lifetimes), the look for changes is
		// made before answering.
		cells.Advance(2 * reports.AnswerTTL)
		if got := pins(); got[r.ID] != reports.Acknowledged || got[other.ID] != reports.New || len(got) != 2 {
			t.Fatalf("after 2 × AnswerTTL: %v, want the other process's changes", got)
		}
		// While boxes come steadily, it is made in the background: the
		// change shows soon after, without a box waiting for it.
		f.clock.Advance(time.Second)
		wantErr(t, f.svc.ChangeState(f.ctx, accounts.As(f.cleaning), other.ID, reports.Change{To: reports.Rejected, Message: "Non."}), nil, "reject")
		cells.Advance(reports.AnswerTTL)
		eventually(other.ID, reports.Rejected, "the look for changes in the background never dropped the cell")

		// Straight into the table, updated_at untouched: not seen at the
		// next look for changes; read again in the background once the
		// cell is past half its life (served as it was meanwhile); read
		// again at once past its life.
		handTyped := func(st reports.State) {
			t.Helper()
			if _, err := f.db.NewUpdate().Model((*reports.Report)(nil)).Set("state = ?", st).Where("id = ?", r.ID).Exec(f.ctx); err != nil {
				t.Fatal(err)
			}
		}
		handTyped(reports.Done)
		cells.Advance(2 * reports.AnswerTTL)
		if got := pins(); got[r.ID] != reports.Acknowledged {
			t.Fatalf("a hand-typed update before half the cell's life: %v", got)
		}
		cells.Advance(13 * reports.AnswerTTL)
		if got := pins(); got[r.ID] != reports.Acknowledged {
			t.Fatalf("at half the cell's life: %v, want the cell served while read again", got)
		}
		eventually(r.ID, reports.Done, "the cell past half its life was not read again in the background")
		// Long past its life, the cell is still served at once (no box
		// waits for a read) and read again in the background.
		handTyped(reports.Rejected)
		cells.Advance(300 * reports.AnswerTTL)
		if got := pins(); got[r.ID] != reports.Done {
			t.Fatalf("long after the cell's life: %v, want the cell served while read again", got)
		}
		eventually(r.ID, reports.Rejected, "the cell past its life was not read again in the background")

		// This process's own write: at once, and only its cell read
		// again (a box of another cell is still answered from memory).
		elsewhere := reports.Around(reports.Point{Lat: inside.Lat + 0.02, Lon: inside.Lon + 0.03}, 100)
		if _, _, err := reader.Pins(f.ctx, elsewhere, reports.Filter{}, 0); err != nil {
			t.Fatal(err)
		}
		third, err := reader.Create(f.ctx, accounts.As(f.alice), reports.Input{Category: "graffiti", Description: "Tag",
			Point: &reports.Point{Lat: inside.Lat - 0.001, Lon: inside.Lon}})
		if err != nil {
			t.Fatal(err)
		}
		if got := pins(); got[third.ID] != reports.New {
			t.Fatalf("own new report: %v", got)
		}
		f.clock.Advance(time.Second)
		wantErr(t, reader.ChangeState(f.ctx, accounts.As(f.cleaning), third.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}), nil, "ack by the reader")
		if got := pins(); got[third.ID] != reports.Acknowledged {
			t.Fatalf("own write: %v", got)
		}
		hits := reader.AnswerHits()
		if _, _, err := reader.Pins(f.ctx, elsewhere, reports.Filter{}, 0); err != nil {
			t.Fatal(err)
		}
		if reader.AnswerHits() != hits+1 {
			t.Errorf("a box of another cell was read again after a write elsewhere")
		}
	})
}

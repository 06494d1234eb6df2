package reports_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/reports"
)

// TestRequests checks the Open311 page read in one statement against
// List, Notes and FirstPhotos, for reports in every shape the list
// shows: with and without a point, photos, an "after" photo only, a
// schedule, a transfer, several state changes and private messages.
func TestRequests(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		alice, roads, cleaning := accounts.As(f.alice), accounts.As(f.roads), accounts.As(f.cleaning)
		var ids []string
		for i := range 12 {
			f.clock.Advance(time.Hour)
			in := reports.Input{Category: []string{"nid-de-poule", "graffiti"}[i%2], Description: fmt.Sprintf("Signalement %d", i)}
			if i%3 != 0 {
				p := reports.Point{Lat: inside.Lat + float64(i)*1e-4, Lon: inside.Lon}
				in.Point = &p
			} else {
				in.Address = "12 rue Oberkampf"
			}
			if i%4 == 1 {
				in.Photos = []reports.Photo{photo("image/jpeg"), photo("image/png")}
			}
			r, err := f.svc.Create(f.ctx, alice, in)
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, r.ID)
			svc := roads
			if i%2 == 1 {
				svc = cleaning
			}
			switch i % 6 {
			case 1:
				wantErr(t, f.svc.ChangeState(f.ctx, svc, r.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}), nil, "ack")
				wantErr(t, f.svc.ChangeState(f.ctx, svc, r.ID, reports.Change{To: reports.Scheduled, Message: "Le 9.", ScheduledFor: start.Add(9 * day)}), nil, "schedule")
			case 2:
				after := photo("image/jpeg")
				wantErr(t, f.svc.ChangeState(f.ctx, svc, r.ID, reports.Change{To: reports.Done, Message: "Fait.", After: &after}), nil, "done")
			case 3:
				wantErr(t, f.svc.ChangeState(f.ctx, svc, r.ID, reports.Change{To: reports.Transferred, Message: "Au syndic.", Operator: "Syndic"}), nil, "transfer")
			case 4:
				if _, err := f.svc.Say(f.ctx, alice, r.ID, "Toujours là.", true); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, q := range []reports.Query{
			{Since: start, Limit: 100},
			{Since: start, Limit: 5, Offset: 3},
			{Categories: []string{"graffiti"}, States: []reports.State{reports.Transferred, reports.Done, reports.Rejected}},
			{Kind: reports.Problem, Until: start.Add(6 * time.Hour)},
		} {
			got, err := f.svc.Requests(f.ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			list, err := f.svc.List(f.ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			ids := make([]string, len(list))
			for i, r := range list {
				ids[i] = r.ID
			}
			notes, _ := f.svc.Notes(f.ctx, ids)
			photos, _ := f.svc.FirstPhotos(f.ctx, ids, false)
			if len(got) != len(list) || len(list) == 0 {
				t.Fatalf("%+v: %d requests, list has %d", q, len(got), len(list))
			}
			for i, r := range list {
				g := got[i]
				want := reports.Request{Report: reports.Report{ID: r.ID, Category: r.Category, Service: r.Service, State: r.State,
					LatE6: r.LatE6, LonE6: r.LonE6, Address: r.Address, Description: r.Description, Operator: r.Operator,
					ScheduledFor: r.ScheduledFor, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}, Note: notes[r.ID], Photo: photos[r.ID]}
				if want.ScheduledFor != nil {
					s := want.ScheduledFor.UTC()
					want.ScheduledFor = &s
				}
				if !reflect.DeepEqual(g, want) {
					t.Errorf("%+v: request %d\n got %+v\nwant %+v", q, i, g, want)
				}
			}
		}
		// The shapes above were all listed.
		all, _ := f.svc.Requests(f.ctx, reports.Query{Since: start, Limit: 100})
		var notes, photos, scheduled, transferred, points int
		for _, r := range all {
			notes += min(len(r.Note), 1)
			photos += min(r.Photo, 1)
			if r.ScheduledFor != nil {
				scheduled++
			}
			if r.Operator != "" {
				transferred++
			}
			if r.LatE6 != nil {
				points++
			}
		}
		if len(all) != len(ids) || notes == 0 || photos == 0 || scheduled == 0 || transferred == 0 || points == 0 || points == len(all) {
			t.Errorf("%d requests: %d notes, %d photos, %d scheduled, %d transferred, %d points", len(all), notes, photos, scheduled, transferred, points)
		}
	})
}

// TestAnswersFollowWrites checks the cached answers of the map and of
// the Open311 list show this process's writes at once: a report sent,
// a state changed, a category turned into the other kind.
func TestAnswersFollowWrites(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		box := reports.Around(inside, 200)
		q := reports.Query{Since: start.Add(-time.Hour), Limit: 100}
		pins := func() []reports.Pin {
			t.Helper()
			got, _, err := f.svc.Pins(f.ctx, box, reports.Filter{Kind: reports.Problem}, 0)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		requests := func() []reports.Request {
			t.Helper()
			got, err := f.svc.Requests(f.ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if len(pins()) != 0 || len(requests()) != 0 {
			t.Fatal("not empty at first")
		}
		r := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		if got := pins(); len(got) != 1 || got[0].ID != r.ID || got[0].State != reports.New {
			t.Fatalf("pins after the report: %+v", got)
		}
		if got := requests(); len(got) != 1 || got[0].ID != r.ID {
			t.Fatalf("requests after the report: %+v", got)
		}
		wantErr(t, f.svc.ChangeState(f.ctx, accounts.As(f.roads), r.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}), nil, "ack")
		if got := pins(); len(got) != 1 || got[0].State != reports.Acknowledged {
			t.Fatalf("pins after the state change: %+v", got)
		}
		if got := requests(); len(got) != 1 || got[0].State != reports.Acknowledged || got[0].Note != "Vu." {
			t.Fatalf("requests after the state change: %+v", got)
		}
		// The category becomes a suggestion: off the map of problems.
		wantErr(t, f.svc.SaveCategory(f.ctx, accounts.As(f.admin), reports.Category{Slug: "nid-de-poule", NameFR: "Nid-de-poule",
			NameEN: "Pothole", Service: "Voirie", Kind: reports.Suggestion}), nil, "recategorise")
		if got := pins(); len(got) != 0 {
			t.Fatalf("pins of problems after the category became a suggestion: %+v", got)
		}
	})
}

// TestAnswersStale checks what docs/BENCHMARKS.md says of the cache: a
// row written by another process (here straight into the table) shows
// once the answer is older than its lifetime, not before; and with no
// lifetime, at once.
func TestAnswersStale(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		// Long enough that a loaded machine never reaches it by chance.
		f.svc.SetAnswerTTL(time.Minute)
		box := reports.Around(inside, 200)
		r := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		state := func() reports.State {
			t.Helper()
			got, _, err := f.svc.Pins(f.ctx, box, reports.Filter{}, 0)
			if err != nil || len(got) != 1 {
				t.Fatalf("%v %+v", err, got)
			}
			return got[0].State
		}
		if got := state(); got != reports.New {
			t.Fatalf("state %s", got)
		}
		if _, err := f.db.NewUpdate().Model((*reports.Report)(nil)).Set("state = ?", reports.Done).Where("id = ?", r.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if got := state(); got != reports.New {
			t.Errorf("within the lifetime: state %s, want the answer kept (new)", got)
		}
		f.svc.SetAnswerTTL(0)
		if got := state(); got != reports.Done {
			t.Errorf("without cache: state %s, want done", got)
		}
		// A lifetime shorter than the time between two questions.
		f.svc.SetAnswerTTL(time.Nanosecond)
		if _, err := f.db.NewUpdate().Model((*reports.Report)(nil)).Set("state = ?", reports.Rejected).Where("id = ?", r.ID).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		state()
		time.Sleep(time.Millisecond)
		if got := state(); got != reports.Rejected {
			t.Errorf("after the lifetime: state %s, want rejected", got)
		}
	})
}

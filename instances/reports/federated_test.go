package reports_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"agora/instances/accounts"
	"agora/instances/reports"
)

// outbox is the outbox as "kind type id" lines, oldest first.
func (f *fixture) outbox(t testing.TB) []string {
	t.Helper()
	var rows []struct {
		Kind       string `bun:"kind"`
		ObjectType string `bun:"object_type"`
		ObjectID   string `bun:"object_id"`
	}
	if err := f.db.NewSelect().Table("outbox_events").Column("kind", "object_type", "object_id").Order("id").Scan(f.ctx, &rows); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Kind + " " + r.ObjectType + " " + r.ObjectID
	}
	return out
}

// A report and each change of its state are recorded for federation in
// their own transaction; messages, public or private, never are.
func TestFederatedEvents(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		roads := accounts.As(f.roads)
		r := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		if _, err := f.svc.Say(f.ctx, roads, r.ID, "Pouvez-vous préciser ?", true); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Say(f.ctx, accounts.As(f.alice), r.ID, "Devant le 12.", false); err != nil {
			t.Fatal(err)
		}
		wantErr(t, f.svc.ChangeState(f.ctx, roads, r.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}), nil, "acknowledge")
		events, err := f.svc.Timeline(f.ctx, accounts.System, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var stateID int64
		for _, e := range events {
			switch e.Kind {
			case reports.KindState:
				stateID = e.ID
			case reports.KindMessage:
				if _, err := f.svc.StateChange(f.ctx, e.ID); !errors.Is(err, reports.ErrNotPublic) {
					t.Errorf("message %d as a state change: %v", e.ID, err)
				}
			}
		}
		want := []string{"create report " + r.ID, "create report_state " + strconv.FormatInt(stateID, 10)}
		if got := f.outbox(t); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("outbox %q, want %q", got, want)
		}
		e, err := f.svc.StateChange(f.ctx, stateID)
		if err != nil || e.State != reports.Acknowledged || e.Message != "Vu." {
			t.Errorf("state change: %+v, %v", e, err)
		}
		if _, err := f.svc.StateChange(f.ctx, stateID+100); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("no such event: %v", err)
		}

		// A refused change records nothing.
		before := f.State(t)
		wantErr(t, f.svc.ChangeState(f.ctx, accounts.As(f.cleaning), r.ID, reports.Change{To: reports.Done, Message: "x"}), reports.ErrForbidden, "other service")
		f.Unchanged(t, before, "refused change")
	})
}

// What federation shows of a report is its open-data record: the point
// rounded and no address unless the reporter chose to be named, and then
// the reporter; the category it was first sent in stays its origin after
// a requalification, and lists it in its outbox.
func TestPublishedReport(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		p := reports.Point{Lat: 48.860649, Lon: 2.379512}
		private, err := f.svc.Create(f.ctx, accounts.As(f.alice), reports.Input{Category: "nid-de-poule", Point: &p,
			Address: "12 rue Oberkampf", Description: "Alice a vu un trou."})
		if err != nil {
			t.Fatal(err)
		}
		named, err := f.svc.Create(f.ctx, accounts.As(f.bob), reports.Input{Category: "nid-de-poule", Point: &p,
			Address: "12 rue Oberkampf", Description: "Un trou.", NamePublic: true})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.PublishedReport(f.ctx, private.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.AuthorID != "" || got.Address != "" || !got.Rounded || got.Point.Lat != 48.861 || got.Point.Lon != 2.38 {
			t.Errorf("private reporter: %+v", got)
		}
		got, err = f.svc.PublishedReport(f.ctx, named.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.AuthorID != f.bob.ID || got.Address != "12 rue Oberkampf" || got.Rounded || *got.Point != p {
			t.Errorf("named reporter: %+v", got)
		}

		wantErr(t, f.svc.ChangeState(f.ctx, accounts.As(f.roads), named.ID,
			reports.Change{To: reports.Requalified, Category: "graffiti", Message: "Un tag, pas un trou."}), nil, "requalify")
		got, _ = f.svc.PublishedReport(f.ctx, named.ID)
		if got.Origin != "nid-de-poule" || got.Category != "graffiti" {
			t.Errorf("requalified: origin %q, category %q", got.Origin, got.Category)
		}
		ids, total, err := f.svc.CategoryReports(f.ctx, "nid-de-poule", 0, 1)
		if err != nil || total != 2 || fmt.Sprint(ids) != fmt.Sprint([]string{named.ID}) {
			t.Errorf("outbox of the category: %v of %d, %v", ids, total, err)
		}
		if _, total, _ := f.svc.CategoryReports(f.ctx, "graffiti", 0, 10); total != 0 {
			t.Errorf("graffiti lists %d reports, want those first sent in it (0)", total)
		}
		if _, err := f.svc.PublishedReport(f.ctx, "nope"); !errors.Is(err, reports.ErrNotFound) {
			t.Errorf("unknown report: %v", err)
		}
	})
}

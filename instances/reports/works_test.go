package reports_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/reports"
)

func TestPublishWork(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		good := reports.WorkInput{Service: "Voirie", Title: "Réfection de la chaussée", Description: "Rue fermée.",
			Address: "rue Oberkampf", Point: inside, StartsOn: start.Add(2 * day), EndsOn: start.Add(9 * day)}
		bad := []struct {
			name  string
			actor accounts.Actor
			edit  func(*reports.WorkInput)
			want  error
		}{
			{"a resident", accounts.As(f.alice), nil, reports.ErrWorkNotOfficial},
			{"another service", accounts.As(f.cleaning), nil, reports.ErrWorkNotOfficial},
			{"an agent for a resident", accounts.Actor{Account: f.agent, OnBehalfOf: f.roads, Desk: "Mairie"}, nil, reports.ErrWorkNotOfficial},
			{"no title", accounts.As(f.roads), func(in *reports.WorkInput) { in.Title = " " }, reports.ErrWorkTitle},
			{"ends before it starts", accounts.As(f.roads), func(in *reports.WorkInput) { in.EndsOn = start }, reports.ErrWorkDates},
			{"over", accounts.As(f.roads), func(in *reports.WorkInput) { in.StartsOn, in.EndsOn = start.Add(-9*day), start.Add(-2*day) }, reports.ErrWorkDates},
			{"outside", accounts.As(f.roads), func(in *reports.WorkInput) { in.Point = reports.Point{Lat: 45.76, Lon: 4.83} }, reports.ErrOutsideTerritory},
		}
		before := f.State(t)
		for _, tt := range bad {
			in := good
			if tt.edit != nil {
				tt.edit(&in)
			}
			_, err := f.svc.PublishWork(f.ctx, tt.actor, in)
			wantErr(t, err, tt.want, tt.name)
		}
		f.Unchanged(t, before, "refused works")

		w, err := f.svc.PublishWork(f.ctx, accounts.As(f.roads), good)
		wantErr(t, err, nil, "publish")
		got, err := f.svc.WorkByID(f.ctx, w.ID)
		wantErr(t, err, nil, "load")
		if got.Title != good.Title || got.Service != "Voirie" || !got.StartsOn.Equal(start.Add(2*day).Truncate(day)) {
			t.Errorf("work = %+v", got)
		}
		in, err := f.svc.WorksInBox(f.ctx, reports.Around(inside, 200))
		wantErr(t, err, nil, "in box")
		far, err := f.svc.WorksInBox(f.ctx, reports.Around(reports.Point{Lat: 48.852, Lon: 2.362}, 100))
		wantErr(t, err, nil, "far box")
		if len(in) != 1 || len(far) != 0 {
			t.Errorf("works in box: %d near, %d far; want 1, 0", len(in), len(far))
		}
		f.clock.Advance(10 * day)
		current, err := f.svc.CurrentWorks(f.ctx, 0)
		wantErr(t, err, nil, "current")
		if len(current) != 0 {
			t.Errorf("a work over is still current: %+v", current)
		}
	})
}

// TestEditAndWithdrawWork: an official of the work's service or an admin
// edits a work with the checks of publishing (every refusal at once,
// nothing changed) and withdraws it with a reason; a withdrawn work
// leaves the lists and the map and can no longer change.
func TestEditAndWithdrawWork(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		good := reports.WorkInput{Service: "Voirie", Title: "Réfection de la chaussée", Address: "rue Oberkampf",
			Point: inside, StartsOn: start.Add(2 * day), EndsOn: start.Add(9 * day)}
		w, err := f.svc.PublishWork(f.ctx, accounts.As(f.roads), good)
		wantErr(t, err, nil, "publish")

		before := f.State(t)
		refused := []struct {
			name  string
			actor accounts.Actor
			edit  func(*reports.WorkInput)
			want  []error
		}{
			{"a resident", accounts.As(f.alice), nil, []error{reports.ErrWorkNotOfficial}},
			{"another service", accounts.As(f.cleaning), nil, []error{reports.ErrWorkNotOfficial}},
			{"an agent for the official", accounts.Actor{Account: f.agent, OnBehalfOf: f.roads, Desk: "Mairie"}, nil, []error{reports.ErrWorkNotOfficial}},
			{"moved to a service not held", accounts.As(f.roads), func(in *reports.WorkInput) { in.Service = "Propreté" }, []error{reports.ErrWorkNotOfficial}},
			{"everything wrong", accounts.As(f.roads), func(in *reports.WorkInput) {
				in.Title, in.Description = "", strings.Repeat("x", 2001)
				in.StartsOn, in.EndsOn = start.Add(-9*day), start.Add(-2*day)
				in.Point = reports.Point{Lat: 45.76, Lon: 4.83}
			}, []error{reports.ErrWorkTitle, reports.ErrWorkDescription, reports.ErrWorkDates, reports.ErrOutsideTerritory}},
			{"no point", accounts.As(f.admin), func(in *reports.WorkInput) { in.Point = reports.Point{Lat: 91} }, []error{reports.ErrPoint}},
		}
		for _, tt := range refused {
			in := good
			if tt.edit != nil {
				tt.edit(&in)
			}
			_, err := f.svc.EditWork(f.ctx, tt.actor, w.ID, in)
			for _, want := range tt.want {
				if !errors.Is(err, want) {
					t.Errorf("%s: %v, want %v among the errors", tt.name, err, want)
				}
			}
		}
		_, err = f.svc.EditWork(f.ctx, accounts.As(f.roads), "nope", good)
		wantErr(t, err, reports.ErrWorkNotFound, "unknown work")
		f.Unchanged(t, before, "refused edits")

		moved := reports.Point{Lat: 48.8535, Lon: 2.3635}
		in := good
		in.Title, in.Point, in.EndsOn = "Réfection du trottoir", moved, start.Add(12*day)
		f.clock.Advance(time.Hour)
		edited, err := f.svc.EditWork(f.ctx, accounts.As(f.roads), w.ID, in)
		wantErr(t, err, nil, "edit")
		got, err := f.svc.WorkByID(f.ctx, w.ID)
		wantErr(t, err, nil, "load")
		if got.Title != "Réfection du trottoir" || !got.EndsOn.Equal(start.Add(12*day).Truncate(day)) || got.UpdatedAt == nil ||
			got.UpdatedBy != f.roads.ID || got.AuthorID != f.roads.ID || edited.Point() != got.Point() {
			t.Errorf("edited work = %+v", got)
		}
		near, err := f.svc.WorksInBox(f.ctx, reports.Around(inside, 200))
		wantErr(t, err, nil, "old box")
		there, err := f.svc.WorksInBox(f.ctx, reports.Around(moved, 200))
		wantErr(t, err, nil, "new box")
		if len(near) != 0 || len(there) != 1 {
			t.Errorf("after the move: %d at the old point, %d at the new one; want 0, 1", len(near), len(there))
		}
		in.Title = "Réfection du trottoir (admin)"
		if _, err := f.svc.EditWork(f.ctx, accounts.As(f.admin), w.ID, in); err != nil {
			t.Errorf("admin edit: %v", err)
		}

		before = f.State(t)
		for _, tt := range []struct {
			name   string
			actor  accounts.Actor
			reason string
			want   error
		}{
			{"a resident", accounts.As(f.alice), "Annulé.", reports.ErrWorkNotOfficial},
			{"another service", accounts.As(f.cleaning), "Annulé.", reports.ErrWorkNotOfficial},
			{"no reason", accounts.As(f.roads), "  ", reports.ErrWorkReason},
			{"a long reason", accounts.As(f.roads), strings.Repeat("x", 1001), reports.ErrWorkReason},
		} {
			_, err := f.svc.WithdrawWork(f.ctx, tt.actor, w.ID, tt.reason)
			wantErr(t, err, tt.want, tt.name)
		}
		f.Unchanged(t, before, "refused withdrawals")

		_, err = f.svc.WithdrawWork(f.ctx, accounts.As(f.roads), w.ID, " Chantier reporté au printemps. ")
		wantErr(t, err, nil, "withdraw")
		got, err = f.svc.WorkByID(f.ctx, w.ID)
		wantErr(t, err, nil, "load withdrawn")
		if !got.Withdrawn() || got.CancelReason != "Chantier reporté au printemps." || got.CancelledBy != f.roads.ID {
			t.Errorf("withdrawn work = %+v", got)
		}
		current, err := f.svc.CurrentWorks(f.ctx, 0)
		wantErr(t, err, nil, "current")
		there, err = f.svc.WorksInBox(f.ctx, reports.Around(moved, 200))
		wantErr(t, err, nil, "box")
		if len(current) != 0 || len(there) != 0 {
			t.Errorf("a withdrawn work is still listed: %d current, %d in the box", len(current), len(there))
		}
		before = f.State(t)
		_, err = f.svc.WithdrawWork(f.ctx, accounts.As(f.admin), w.ID, "Encore.")
		wantErr(t, err, reports.ErrWorkWithdrawn, "withdraw twice")
		_, err = f.svc.EditWork(f.ctx, accounts.As(f.roads), w.ID, good)
		wantErr(t, err, reports.ErrWorkWithdrawn, "edit withdrawn")
		f.Unchanged(t, before, "a withdrawn work")
	})
}

package reports_test

import (
	"testing"

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

package reports_test

import (
	"fmt"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/reports"
)

const day = 24 * time.Hour

// states returns a report's timeline as "kind:state" lines, as viewer
// sees it.
func (f *fixture) states(t testing.TB, viewer accounts.Actor, id string) []string {
	t.Helper()
	events, err := f.svc.Timeline(f.ctx, viewer, id)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = fmt.Sprintf("%s:%s", e.Kind, e.State)
		if e.Message != "" {
			out[i] += ":" + e.Message
		}
	}
	return out
}

func TestStateChanges(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		roads := accounts.As(f.roads)
		r := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		f.clock.Advance(day)
		wantErr(t, f.svc.ChangeState(f.ctx, roads, r.ID, reports.Change{To: reports.Acknowledged, Message: "Pris en compte."}), nil, "acknowledge")
		wantErr(t, f.svc.ChangeState(f.ctx, roads, r.ID, reports.Change{To: reports.Scheduled, Message: "Le 3.", ScheduledFor: start.Add(9 * day)}), nil, "schedule")
		got := f.get(t, r.ID)
		if got.State != reports.Scheduled || got.ScheduledFor == nil || !got.ScheduledFor.Equal(start.Add(9*day).Truncate(day)) {
			t.Errorf("scheduled: %+v", got)
		}
		after := photo("image/jpeg")
		wantErr(t, f.svc.ChangeState(f.ctx, roads, r.ID, reports.Change{To: reports.Done, Message: "Rebouché.", After: &after}), nil, "done")
		photos, _ := f.svc.Photos(f.ctx, r.ID)
		if len(photos) != 1 || !photos[0].After {
			t.Errorf("after photo: %+v", photos)
		}
		want := []string{"created:new", "state:acknowledged:Pris en compte.", "state:scheduled:Le 3.", "state:done:Rebouché."}
		if got := f.states(t, accounts.Actor{Account: f.bob}, r.ID); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("timeline %q, want %q", got, want)
		}

		// Requalified: the report goes to the other service, which alone acts on it now.
		r2 := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		wantErr(t, f.svc.ChangeState(f.ctx, roads, r2.ID, reports.Change{To: reports.Requalified, Message: "C'est un tag.", Category: "graffiti"}), nil, "requalify")
		if got := f.get(t, r2.ID); got.Category != "graffiti" || got.Service != "Propreté" || got.State != reports.Requalified {
			t.Errorf("requalified: %+v", got)
		}
		wantErr(t, f.svc.ChangeState(f.ctx, roads, r2.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}), reports.ErrForbidden, "old service")
		wantErr(t, f.svc.ChangeState(f.ctx, accounts.As(f.cleaning), r2.ID, reports.Change{To: reports.Transferred, Message: "Mur privé.", Operator: "Syndic Oberkampf"}), nil, "transfer")
		if got := f.get(t, r2.ID); got.Operator != "Syndic Oberkampf" || got.State.Open() {
			t.Errorf("transferred: %+v", got)
		}

		r3 := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		wantErr(t, f.svc.ChangeState(f.ctx, roads, r3.ID, reports.Change{To: reports.Rejected, Message: "Voie privée."}), nil, "reject")
	})
}

func TestStateChangesRefused(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		roads := accounts.As(f.roads)
		open := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		closed := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		wantErr(t, f.svc.ChangeState(f.ctx, roads, closed.ID, reports.Change{To: reports.Done, Message: "Fait."}), nil, "close")
		acked := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		wantErr(t, f.svc.ChangeState(f.ctx, roads, acked.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}), nil, "acknowledge")
		f.clock.Advance(3 * day)
		pdf := photo("application/pdf")
		img := photo("image/png")
		for _, c := range []struct {
			name string
			who  accounts.Actor
			id   string
			c    reports.Change
			want error
		}{
			{"official of another service", accounts.As(f.cleaning), open.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}, reports.ErrForbidden},
			{"the reporter", accounts.As(f.alice), open.ID, reports.Change{To: reports.Done, Message: "Fait."}, reports.ErrForbidden},
			{"an agent", accounts.As(f.agent), open.ID, reports.Change{To: reports.Done, Message: "Fait."}, reports.ErrForbidden},
			{"an admin", accounts.As(f.admin), open.ID, reports.Change{To: reports.Done, Message: "Fait."}, reports.ErrForbidden},
			{"no message", roads, open.ID, reports.Change{To: reports.Acknowledged, Message: " "}, reports.ErrMessage},
			{"closed report", roads, closed.ID, reports.Change{To: reports.Rejected, Message: "Non."}, reports.ErrClosed},
			{"back to new", roads, open.ID, reports.Change{To: reports.New, Message: "Hop."}, reports.ErrTransition},
			{"acknowledged twice", roads, acked.ID, reports.Change{To: reports.Acknowledged, Message: "Vu."}, reports.ErrTransition},
			{"unknown state", roads, open.ID, reports.Change{To: "lost", Message: "Vu."}, reports.ErrTransition},
			{"scheduled without a date", roads, open.ID, reports.Change{To: reports.Scheduled, Message: "Bientôt."}, reports.ErrSchedule},
			{"scheduled before the report", roads, open.ID, reports.Change{To: reports.Scheduled, Message: "Hier.", ScheduledFor: start.Add(-2 * day)}, reports.ErrSchedule},
			{"transferred to nobody", roads, open.ID, reports.Change{To: reports.Transferred, Message: "Pas nous."}, reports.ErrOperator},
			{"requalified to an unknown category", roads, open.ID, reports.Change{To: reports.Requalified, Message: "Autre.", Category: "licorne"}, reports.ErrUnknownCategory},
			{"requalified to the same category", roads, open.ID, reports.Change{To: reports.Requalified, Message: "Même.", Category: "nid-de-poule"}, reports.ErrRequalify},
			{"after photo not an image", roads, open.ID, reports.Change{To: reports.Done, Message: "Fait.", After: &pdf}, reports.ErrPhotos},
			{"after photo before done", roads, open.ID, reports.Change{To: reports.Acknowledged, Message: "Vu.", After: &img}, reports.ErrPhotos},
			{"unknown report", roads, "nope", reports.Change{To: reports.Acknowledged, Message: "Vu."}, reports.ErrNotFound},
		} {
			before := f.State(t)
			wantErr(t, f.svc.ChangeState(f.ctx, c.who, c.id, c.c), c.want, c.name)
			f.Unchanged(t, before, c.name)
		}
	})
}

func TestDialogue(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		r := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		wantErr(t, said(f.svc.Say(f.ctx, accounts.As(f.roads), r.ID, "Quelle taille ?", false)), nil, "service asks")
		wantErr(t, said(f.svc.Say(f.ctx, accounts.As(f.alice), r.ID, "Mon numéro : 06…", true)), nil, "reporter answers privately")
		desk := accounts.Actor{Account: f.agent, OnBehalfOf: f.alice, Desk: "Mairie"}
		wantErr(t, said(f.svc.Say(f.ctx, desk, r.ID, "Un mètre.", false)), nil, "reporter answers at a desk")
		public := []string{"created:new", "message:new:Quelle taille ?", "message:new:Un mètre."}
		all := []string{"created:new", "message:new:Quelle taille ?", "message:new:Mon numéro : 06…", "message:new:Un mètre."}
		for _, c := range []struct {
			name string
			who  accounts.Actor
			want []string
		}{
			{"anonymous", accounts.Actor{Account: &accounts.Account{ID: "x"}}, public},
			{"another resident", accounts.As(f.bob), public},
			{"another service", accounts.As(f.cleaning), public},
			{"the reporter", accounts.As(f.alice), all},
			{"the service", accounts.As(f.roads), all},
		} {
			if got := f.states(t, c.who, r.ID); fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s sees %q, want %q", c.name, got, c.want)
			}
		}
		for _, c := range []struct {
			name string
			who  accounts.Actor
			msg  string
			want error
		}{
			{"another resident", accounts.As(f.bob), "Moi aussi", reports.ErrForbidden},
			{"another service", accounts.As(f.cleaning), "Pas nous", reports.ErrForbidden},
			{"agent for someone else", accounts.Actor{Account: f.agent, OnBehalfOf: f.bob}, "Hop", reports.ErrForbidden},
			{"empty", accounts.As(f.alice), "  ", reports.ErrMessage},
		} {
			before := f.State(t)
			wantErr(t, said(f.svc.Say(f.ctx, c.who, r.ID, c.msg, false)), c.want, c.name)
			f.Unchanged(t, before, c.name)
		}
	})
}

func TestConfirm(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		r := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		wantErr(t, f.svc.Confirm(f.ctx, accounts.As(f.bob), r.ID), nil, "bob confirms")
		wantErr(t, f.svc.Confirm(f.ctx, accounts.As(f.roads), r.ID), nil, "an official confirms as a resident")
		if got := f.get(t, r.ID).ConfirmCount; got != 2 {
			t.Errorf("confirm_count %d, want 2", got)
		}
		if ok, err := f.svc.Confirmed(f.ctx, f.bob.ID, r.ID); !ok || err != nil {
			t.Errorf("Confirmed = %v, %v", ok, err)
		}
		closed := f.report(t, accounts.As(f.alice), "nid-de-poule", inside)
		wantErr(t, f.svc.ChangeState(f.ctx, accounts.As(f.roads), closed.ID, reports.Change{To: reports.Done, Message: "Fait."}), nil, "close")
		for _, c := range []struct {
			name string
			who  accounts.Actor
			id   string
			want error
		}{
			{"twice", accounts.As(f.bob), r.ID, reports.ErrAlreadyConfirmed},
			{"twice at a desk", accounts.Actor{Account: f.agent, OnBehalfOf: f.bob}, r.ID, reports.ErrAlreadyConfirmed},
			{"own report", accounts.As(f.alice), r.ID, reports.ErrOwnReport},
			{"closed report", accounts.As(f.bob), closed.ID, reports.ErrClosed},
			{"nobody", accounts.System, r.ID, reports.ErrForbidden},
			{"unknown report", accounts.As(f.bob), "nope", reports.ErrNotFound},
		} {
			before := f.State(t)
			wantErr(t, f.svc.Confirm(f.ctx, c.who, c.id), c.want, c.name)
			f.Unchanged(t, before, c.name)
		}
	})
}

// said is Say's error alone, for wantErr.
func said(_ *reports.Event, err error) error { return err }

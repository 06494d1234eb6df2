package apps_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/apps"
)

// A city adopts an app once: adopting again updates its record. Other
// nodes' adoptions arrive by federation, one per node.
func TestAdopt(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		a := f.publish(t, testdata(t, "valid.yml"))
		d, err := f.svc.Adopt(f.ctx, f.admin, a.Slug, apps.AdoptionInput{Name: "Mairie du 11e", Version: "1.1.0",
			Contact: "dsi@mairie11.example", Since: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)})
		if err != nil || !d.Local() || d.Version != "1.1.0" || !d.Since.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("Adopt = %+v, %v", d, err)
		}
		f.clock.Advance(time.Hour)
		again, err := f.svc.Adopt(f.ctx, f.admin, a.Slug, apps.AdoptionInput{Name: "  mairie du  11E ", Version: "1.2.0"})
		if err != nil || again.ID != d.ID || again.Version != "1.2.0" || again.Name != "mairie du  11E" ||
			!again.CreatedAt.Equal(d.CreatedAt) || !again.UpdatedAt.Equal(start.Add(time.Hour)) ||
			!again.Since.Equal(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("Adopt again = %+v, %v", again, err)
		}
		if n := f.count(t, "app_adoptions", ""); n != 1 {
			t.Fatalf("%d adoptions, want 1", n)
		}

		in := apps.RemoteAdoption{Slug: a.Slug, Actor: "https://lyon.example/actor", Name: "Ville de Lyon", Version: "1.2.0", ActivityID: "https://lyon.example/activities/1"}
		if _, err := f.svc.AdoptRemote(f.ctx, in); err != nil {
			t.Fatal(err)
		}
		in.ActivityID, in.Version = "", "1.3.0" // a redelivery without id keeps the first
		r, err := f.svc.AdoptRemote(f.ctx, in)
		if err != nil || r.Local() || r.Actor != in.Actor || r.Version != "1.3.0" || r.RemoteID == nil || *r.RemoteID != "https://lyon.example/activities/1" {
			t.Fatalf("AdoptRemote again = %+v, %v", r, err)
		}
		list, err := f.svc.Adoptions(f.ctx, a.Slug)
		if err != nil || len(list) != 2 || list[0].Name != "mairie du  11E" || list[1].Name != "Ville de Lyon" {
			t.Fatalf("Adoptions = %+v, %v", list, err)
		}
		want := []string{"create app", "create adoption", "update app", "update adoption", "update app", "update app", "update app"}
		if ev := f.events(t); !slices.Equal(ev, want) {
			t.Errorf("outbox %q, want %q", ev, want)
		}

		// Refusals change nothing.
		remote := f.app(t, "Lyon")
		makeRemote(t, f, remote.ID)
		before := f.state(t)
		for _, tc := range []struct {
			name string
			err  error
			want error
		}{
			{"a resident", second(f.svc.Adopt(f.ctx, accounts.As(f.account(t, "camille")), a.Slug, apps.AdoptionInput{Name: "X"})), apps.ErrForbidden},
			{"no name", second(f.svc.Adopt(f.ctx, f.admin, a.Slug, apps.AdoptionInput{Name: " "})), apps.ErrInvalid},
			{"a name on two lines", second(f.svc.Adopt(f.ctx, f.admin, a.Slug, apps.AdoptionInput{Name: "a\nb"})), apps.ErrInvalid},
			{"no such app", second(f.svc.Adopt(f.ctx, f.admin, "nope", apps.AdoptionInput{Name: "X"})), apps.ErrNotFound},
			{"a remote adoption of a remote app", second(f.svc.AdoptRemote(f.ctx, apps.RemoteAdoption{Slug: remote.Slug, Actor: "https://paris.example/actor", Name: "Paris"})), apps.ErrRemote},
			{"an actor that is no URL", second(f.svc.AdoptRemote(f.ctx, apps.RemoteAdoption{Slug: a.Slug, Actor: "lyon", Name: "Lyon"})), apps.ErrInvalid},
			{"an activity id of another adoption", second(f.svc.AdoptRemote(f.ctx, apps.RemoteAdoption{Slug: a.Slug, Actor: "https://paris.example/actor", Name: "Paris", ActivityID: "https://lyon.example/activities/1"})), apps.ErrConflict},
			{"unadopt what was not adopted", f.svc.Unadopt(f.ctx, f.admin, a.Slug, "Marseille"), apps.ErrNotAdopted},
			{"unadopt for another", f.svc.Unadopt(f.ctx, accounts.As(f.account(t, "bruno")), a.Slug, "Mairie du 11e"), apps.ErrForbidden},
		} {
			f.refused(t, before, tc.err, tc.want, tc.name)
		}

		// This node may adopt another node's app (federation tells it).
		if _, err := f.svc.Adopt(f.ctx, f.admin, remote.Slug, apps.AdoptionInput{Name: "Mairie du 11e"}); err != nil {
			t.Fatal(err)
		}
		wantErr(t, f.svc.Unadopt(f.ctx, f.admin, a.Slug, "MAIRIE DU 11E"), nil, "unadopt")
		wantErr(t, f.svc.UnadoptRemote(f.ctx, a.Slug, "https://lyon.example/actor"), nil, "unadopt remote")
		if n := f.count(t, "app_adoptions", "app_id = ?", a.ID); n != 0 {
			t.Errorf("%d adoptions left", n)
		}
	})
}

func second[T any](_ T, err error) error { return err }

// The exported publiccode.yml lists the cities that use the app now, in
// place of what the file said, and stays a valid publiccode.yml.
func TestPublicCodeWithUsedBy(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		a := f.publish(t, testdata(t, "valid.yml"))
		out, err := f.svc.PublicCodeWithUsedBy(f.ctx, a.Slug)
		if err != nil {
			t.Fatal(err)
		}
		pc, fes, err := apps.Parse(bytes.NewReader(out))
		if err != nil || len(pc.UsedBy) != 0 || pc.Name != "Agora" || pc.Description["fr"].LongDescription == "" {
			t.Fatalf("export without adopters: %v %v %+v\n%s", err, fes, pc, out)
		}
		for _, name := range []string{"Ville de Lyon", "Mairie du 11e", "Commune d’Évry"} {
			if _, err := f.svc.Adopt(f.ctx, f.admin, a.Slug, apps.AdoptionInput{Name: name}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.svc.AdoptRemote(f.ctx, apps.RemoteAdoption{Slug: a.Slug, Actor: "https://lyon.example/actor", Name: "Ville de Lyon"}); err != nil {
			t.Fatal(err)
		}
		out, err = f.svc.PublicCodeWithUsedBy(f.ctx, a.Slug)
		if err != nil {
			t.Fatal(err)
		}
		pc, fes, err = apps.Parse(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("export does not parse: %v %v\n%s", err, fes, out)
		}
		if want := []string{"Commune d’Évry", "Mairie du 11e", "Ville de Lyon"}; !slices.Equal(pc.UsedBy, want) {
			t.Errorf("usedBy %q, want %q", pc.UsedBy, want)
		}
		if !strings.Contains(string(out), "# publiccode.yml of Agora itself") || !strings.Contains(string(out), "codiceIPA: c_h501") {
			t.Errorf("the export lost comments or sections:\n%s", out)
		}
		// A file without usedBy gets one.
		b := f.app(t, "Guichet")
		if _, err := f.svc.Adopt(f.ctx, f.admin, b.Slug, apps.AdoptionInput{Name: "Ville de Lyon"}); err != nil {
			t.Fatal(err)
		}
		out, err = f.svc.PublicCodeWithUsedBy(f.ctx, b.Slug)
		if pc, _, perr := apps.Parse(bytes.NewReader(out)); err != nil || perr != nil || !slices.Equal(pc.UsedBy, []string{"Ville de Lyon"}) {
			t.Errorf("export of a file without usedBy: %v %v\n%s", err, perr, out)
		}
	})
}

package apps_test

import (
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/apps"
)

// TestUpsertRemote: an app another node announces is stored with its
// origin, beside a local app of the same repository; only its own
// catalogue changes or deletes it; an invalid publiccode.yml stores
// nothing; remote apps send no outbox events.
func TestUpsertRemote(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		local := f.publish(t, testdata(t, "minimal.yml"))
		origin := "https://lyon.example/apps"
		in := apps.RemoteApp{ID: "https://lyon.example/apps/agora", OriginActor: origin, OriginNode: "lyon.example",
			URL: "https://lyon.example/apps/agora", PublicCodeYML: testdata(t, "minimal.yml"),
			Releases: []apps.RemoteRelease{{Version: "1.0", Date: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), Changelog: "Première."}}}
		events := f.count(t, "outbox_events", "1=1")
		a, err := f.svc.UpsertRemote(f.ctx, in)
		wantErr(t, err, nil, "upsert")
		if !a.Remote() || a.OriginActor != origin || a.Slug == local.Slug || a.Name != local.Name {
			t.Errorf("remote app = %+v", a)
		}
		if n := f.count(t, "app_releases", "app_id = ?", a.ID); n != 1 {
			t.Errorf("%d releases, want 1", n)
		}

		// Again, deprecated and with a second release: same app, updated.
		in.Deprecated = true
		in.Releases = append(in.Releases, apps.RemoteRelease{Version: "1.1", Date: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
		b, err := f.svc.UpsertRemote(f.ctx, in)
		wantErr(t, err, nil, "upsert again")
		if b.ID != a.ID || !b.Deprecated() || f.count(t, "app_releases", "app_id = ?", a.ID) != 2 {
			t.Errorf("after update: %+v, %d releases", b, f.count(t, "app_releases", "app_id = ?", a.ID))
		}
		if n := f.count(t, "outbox_events", "1=1"); n != events {
			t.Errorf("remote apps wrote %d outbox events", n-events)
		}

		before := f.state(t)
		other := in
		other.OriginActor = "https://lille.example/apps"
		_, err = f.svc.UpsertRemote(f.ctx, other)
		f.refused(t, before, err, apps.ErrForbidden, "another catalogue")
		bad := in
		bad.ID, bad.PublicCodeYML = "https://lyon.example/apps/other", testdata(t, "bad-spdx.yml")
		_, err = f.svc.UpsertRemote(f.ctx, bad)
		f.refused(t, before, err, apps.ErrInvalid, "invalid publiccode.yml")

		wantErr(t, f.svc.DeleteRemote(f.ctx, in.ID, "https://lille.example/apps"), nil, "delete by another")
		if _, err := f.svc.BySlug(f.ctx, a.Slug); err != nil {
			t.Errorf("another catalogue deleted the app: %v", err)
		}
		wantErr(t, f.svc.DeleteRemote(f.ctx, in.ID, origin), nil, "delete")
		if _, err := f.svc.BySlug(f.ctx, a.Slug); err != apps.ErrGone {
			t.Errorf("after delete: %v, want ErrGone", err)
		}
	})
}

// TestReservedSlugs: an app named like one of the catalogue's own
// addresses gets another slug.
func TestReservedSlugs(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		for _, name := range []string{"New", "Inbox", "Followers"} {
			if a := f.app(t, name); a.Slug == slug(name) {
				t.Errorf("%s took the slug %q", name, a.Slug)
			}
		}
	})
}

// TestWhoMayCurate: catalogue stewards and admins publish; other staff
// and residents do not.
func TestWhoMayCurate(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		for _, tc := range []struct {
			role accounts.Role
			may  bool
		}{{accounts.Steward, true}, {accounts.Admin, true}, {accounts.Moderator, false}, {accounts.Resident, false}} {
			acc := f.account(t, "c_"+string(tc.role), tc.role)
			_, _, err := f.svc.Publish(f.ctx, accounts.As(acc), strings.NewReader(variant(t, "name: Agora", "name: App "+string(tc.role),
				"https://git.example.org/agora/agora.git", "https://git.example.org/"+string(tc.role)+".git")))
			if (err == nil) != tc.may {
				t.Errorf("%s publishing: %v", tc.role, err)
			}
		}
	})
}

package federation

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"agora/instances/apps"
	"agora/instances/debates"
	"agora/instances/moderation"
	"agora/storage/database"
)

// sanitiseMigration is the migration that sanitises peers' texts stored
// before federation did it on the way in.
const sanitiseMigration = "20261207110002"

// Rows stored raw by older versions (as they were: the domain took peers'
// names and reasons as given) are sanitised by the migration exactly as
// federation now sanitises what arrives, so old and new rows agree; and
// the migration is safe to run again.
func TestMigrationSanitisesStoredPeerText(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := buildNode(t, dialect, nil)
		s, ctx := n.fed, n.ctx
		short := `<img src=x onerror=alert(1)><meta http-equiv=refresh content="0;url=https://evil.example">Nom`
		long := hostileText("<p>Texte</p>")
		peer := "https://remote.example"
		now := time.Now().UTC()

		// As an older version stored them.
		actor := &RemoteActor{ID: peer + "/c/g", Type: "Group", Host: "remote.example", Inbox: peer + "/inbox", KeyID: peer + "/c/g#k",
			PublicKeyPEM: "x", PreferredUsername: short, Name: short, URL: "javascript:alert(1)", Summary: long, FetchedAt: now}
		object := &RemoteObject{ID: peer + "/p/1", Type: "Page", Group: actor.ID, AttributedTo: peer + "/u/a", AuthorName: short,
			Name: short, ContentHTML: long, URL: "javascript:alert(1)", State: short, Published: now, Updated: now, ReceivedAt: now}
		for _, m := range []any{actor, object} {
			if _, err := n.db.NewInsert().Model(m).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		c, err := n.debates.AddRemote(ctx, debates.RemoteComment{APID: peer + "/n/1", Actor: peer + "/u/a", Name: short,
			Target: debates.Target{Kind: debates.TargetProposal, ID: n.proposal.ID}, Content: "<p>Bonjour</p>"})
		if err != nil {
			t.Fatal(err)
		}
		report, err := n.moderation.ReportRemote(ctx, peer+"/u/a", moderation.Target{Kind: moderation.TargetProposal, ID: n.proposal.ID}, short)
		if err != nil {
			t.Fatal(err)
		}
		local := n.publishApp(t, "Locale")
		adoption, err := n.apps.AdoptRemote(ctx, apps.RemoteAdoption{Slug: local.Slug, Actor: peer + "/actor", Name: short,
			Version: short, Contact: short, Since: now})
		if err != nil {
			t.Fatal(err)
		}
		remoteApp, err := n.apps.UpsertRemote(ctx, apps.RemoteApp{ID: peer + "/apps/x", OriginActor: peer + "/apps", OriginNode: "remote.example",
			URL: peer + "/apps/x", PublicCodeYML: strings.Replace(appYML(t, "Agora", "https://git.example.org/x.git"), "name: Agora", "name: "+strconv.Quote(short), 1),
			Releases: []apps.RemoteRelease{{Version: "1.0" + short, Date: now, Changelog: long}}})
		if err != nil {
			t.Fatal(err)
		}
		if remoteApp.Name != short {
			t.Fatalf("the domain kept the app's name as %q: nothing to test", remoteApp.Name)
		}

		// The migration runs again on them (it ran on the empty tables when
		// the node was set up).
		for range 2 {
			if _, err := n.db.NewDelete().Table("agora_migrations").Where("name = ?", sanitiseMigration).Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := database.NewMigrator(n.db).Up(ctx); err != nil {
				t.Fatal(err)
			}
		}

		var got []string
		read := func(table, col, where string, args ...any) string {
			t.Helper()
			var v string
			if err := n.db.NewSelect().Table(table).ColumnExpr(col).Where(where, args...).Scan(ctx, &v); err != nil {
				t.Fatalf("%s.%s: %v", table, col, err)
			}
			got = append(got, v)
			return v
		}
		for _, tc := range []struct{ what, got, want string }{
			{"actor name", read("ap_remote_actors", "name", "id = ?", actor.ID), s.plain(short, maxPeerName)},
			{"actor username", read("ap_remote_actors", "preferred_username", "id = ?", actor.ID), "Nom"},
			{"actor url", read("ap_remote_actors", "url", "id = ?", actor.ID), ""},
			{"actor summary", read("ap_remote_actors", "summary", "id = ?", actor.ID), s.rich(long)},
			{"object name", read("ap_remote_objects", "name", "id = ?", object.ID), s.plain(short, maxPeerName)},
			{"object author", read("ap_remote_objects", "author_name", "id = ?", object.ID), s.plain(short, maxPeerName)},
			{"object state", read("ap_remote_objects", "state", "id = ?", object.ID), s.plain(short, 40)},
			{"object content", read("ap_remote_objects", "content_html", "id = ?", object.ID), s.rich(long)},
			{"object url", read("ap_remote_objects", "url", "id = ?", object.ID), ""},
			{"comment author", read("comments", "remote_name", "id = ?", c.ID), "Nom"},
			{"report reason", read("reports", "reason", "id = ?", report.ID), s.plainLines(short, maxPeerText)},
			{"adoption name", read("app_adoptions", "name", "id = ?", adoption.ID), "Nom"},
			{"adoption version", read("app_adoptions", "version", "id = ?", adoption.ID), "Nom"},
			{"app name", read("apps", "name", "id = ?", remoteApp.ID), "Nom"},
			{"release version", read("app_releases", "version", "app_id = ?", remoteApp.ID), "1.0Nom"},
			{"release changelog", read("app_releases", "changelog", "app_id = ?", remoteApp.ID), s.plainLines(long, maxPeerText)},
		} {
			if tc.got != tc.want {
				t.Errorf("%s: %q, want %q (as federation stores it now)", tc.what, tc.got, tc.want)
			}
		}
		for _, v := range got {
			if m := unsafeMarkup.FindString(v); m != "" {
				t.Errorf("%q still stored in %q", m, v)
			}
		}
		// Local rows are left alone.
		if p, err := n.proposals.ByID(ctx, n.proposal.ID); err != nil || !strings.Contains(p.BodyHTML, "<strong>") {
			t.Errorf("local proposal: %v %v", p, err)
		}
	})
}

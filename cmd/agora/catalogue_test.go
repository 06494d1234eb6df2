package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCatalogueBetweenNodes: node A publishes an app, then node B follows
// A's catalogue and catches up on it from A's outbox (backfill); an app A
// publishes afterwards is announced to B. A city of B records that it
// uses A's app, and A lists it among the app's users (publiccode.yml's
// usedBy); when B withdraws it, A no longer does. Node A runs on
// PostgreSQL when it is available.
func TestCatalogueBetweenNodes(t *testing.T) {
	dialectA := "sqlite"
	if os.Getenv("AGORA_TEST_POSTGRES_URL") != "" || os.Getenv("AGORA_TEST_REQUIRE") != "" {
		dialectA = "postgres"
	}
	a, b := newFedNode(t, "Paris 15e", dialectA), newFedNode(t, "Lyon 3e", "sqlite")
	for _, n := range []*fedNode{a, b} {
		n.start(t)
	}
	ctx := context.Background()

	// A publishes an app before B follows its catalogue.
	out := a.admin(t, "apps", "import", "../../instances/apps/testdata/valid.yml")
	var slug string
	if err := a.db.NewSelect().Table("apps").Column("slug").Where("remote_id IS NULL").Scan(ctx, &slug); err != nil {
		t.Fatalf("A has no app after import: %v\n%s", err, out)
	}
	appA := a.base + "/apps/" + slug
	eventually(t, 20*time.Second, "A is done with the new app (no follower to tell)", func() bool {
		return a.count(t, "outbox_events", "1 = 1") == 0 &&
			a.count(t, "river_job", "kind = 'ap_event' AND state NOT IN ('completed', 'cancelled', 'discarded')") == 0
	})

	adminB := b.user(t, "claire", false, "--role", "admin")
	b.post(t, adminB, "/admin/federation/follow", url.Values{"target": {"@catalogue@" + host(a)}}, http.StatusOK)
	eventually(t, 20*time.Second, "A accepts B's follow of its catalogue", func() bool {
		return b.count(t, "ap_following", "remote = ? AND state = 'accepted'", a.base+"/apps") == 1
	})

	// B catches up: the app published before the follow reaches it.
	var remoteSlug string
	eventually(t, 30*time.Second, "B receives A's app published before the follow", func() bool {
		b.db.NewSelect().Table("apps").Column("slug").Where("remote_id = ?", appA).Scan(ctx, &remoteSlug)
		return remoteSlug != ""
	})
	if n := b.count(t, "ap_received", "actor = ? AND type = 'Announce'", a.base+"/apps"); n != 0 {
		t.Errorf("B received %d announces from A's catalogue: the app did not come by backfill", n)
	}
	if body := b.get(t, adminB, "/apps/"+remoteSlug); !strings.Contains(body, host(a)) {
		t.Errorf("B's page of A's app does not say where it comes from")
	}

	// A publishes another app: it is announced to B.
	yml, err := os.ReadFile("../../instances/apps/testdata/minimal.yml")
	if err != nil {
		t.Fatal(err)
	}
	second := filepath.Join(t.TempDir(), "publiccode.yml")
	yml = []byte(strings.NewReplacer("name: Agora", "name: Portail", "agora/agora.git", "ville/portail.git").Replace(string(yml)))
	if err := os.WriteFile(second, yml, 0o644); err != nil {
		t.Fatal(err)
	}
	out = a.admin(t, "apps", "import", second)
	var slug2 string
	if err := a.db.NewSelect().Table("apps").Column("slug").Where("remote_id IS NULL AND slug <> ?", slug).Scan(ctx, &slug2); err != nil {
		t.Fatalf("A has no second app after import: %v\n%s", err, out)
	}
	eventually(t, 30*time.Second, "B receives A's app published after the follow", func() bool {
		return b.count(t, "apps", "remote_id = ?", a.base+"/apps/"+slug2) == 1
	})

	// A city of B uses the first app: A learns of it.
	const city = "Mairie du 3e arrondissement de Lyon"
	b.post(t, adminB, "/apps/"+remoteSlug+"/adopt", url.Values{"name": {city},
		"version": {"1.0"}, "contact": {"numerique@lyon3.example"}}, http.StatusOK)
	eventually(t, 30*time.Second, "A lists B's city among the app's users", func() bool {
		return a.count(t, "app_adoptions", "actor = ? AND name = ?", b.base+"/actor", city) == 1
	})
	if yml := a.get(t, http.DefaultClient, "/apps/"+slug+"/publiccode.yml"); !strings.Contains(yml, city) {
		t.Errorf("A's publiccode.yml usedBy lacks B's city:\n%s", yml)
	}

	// The city stops using it: A forgets it.
	b.post(t, adminB, "/apps/"+remoteSlug+"/unadopt", url.Values{"name": {city}}, http.StatusOK)
	eventually(t, 30*time.Second, "A no longer lists B's city among the app's users", func() bool {
		return a.count(t, "app_adoptions", "actor = ?", b.base+"/actor") == 0
	})
	if yml := a.get(t, http.DefaultClient, "/apps/"+slug+"/publiccode.yml"); strings.Contains(yml, city) {
		t.Errorf("A's publiccode.yml usedBy still lists B's city:\n%s", yml)
	}
}

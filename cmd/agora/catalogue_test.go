package main

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestCatalogueBetweenNodes: node A publishes an app, node B follows A's
// catalogue and receives it, a city of B records that it uses it, and A
// then lists B's city among the app's users (publiccode.yml's usedBy).
func TestCatalogueBetweenNodes(t *testing.T) {
	a, b := newFedNode(t, "Paris 15e", "sqlite"), newFedNode(t, "Lyon 3e", "sqlite")
	for _, n := range []*fedNode{a, b} {
		n.start(t)
	}
	adminB := b.user(t, "claire", false, "--role", "admin")
	b.post(t, adminB, "/admin/federation/follow", url.Values{"target": {"@catalogue@" + host(a)}}, http.StatusOK)
	eventually(t, 20*time.Second, "A accepts B's follow of its catalogue", func() bool {
		return b.count(t, "ap_following", "remote = ? AND state = 'accepted'", a.base+"/apps") == 1
	})

	// A publishes an app: it reaches B.
	out := a.admin(t, "apps", "import", "../../instances/apps/testdata/valid.yml")
	var slug string
	if err := a.db.NewSelect().Table("apps").Column("slug").Where("remote_id IS NULL").Scan(context.Background(), &slug); err != nil {
		t.Fatalf("A has no app after import: %v\n%s", err, out)
	}
	appA := a.base + "/apps/" + slug
	var remoteSlug string
	eventually(t, 30*time.Second, "B receives A's app", func() bool {
		b.db.NewSelect().Table("apps").Column("slug").Where("remote_id = ?", appA).Scan(context.Background(), &remoteSlug)
		return remoteSlug != ""
	})
	if body := b.get(t, adminB, "/apps/"+remoteSlug); !strings.Contains(body, host(a)) {
		t.Errorf("B's page of A's app does not say where it comes from")
	}

	// A city of B uses it: A learns of it.
	b.post(t, adminB, "/apps/"+remoteSlug+"/adopt", url.Values{"name": {"Mairie du 3e arrondissement de Lyon"},
		"version": {"1.0"}, "contact": {"numerique@lyon3.example"}}, http.StatusOK)
	eventually(t, 30*time.Second, "A lists B's city among the app's users", func() bool {
		return a.count(t, "app_adoptions", "actor = ? AND name = ?", b.base+"/actor", "Mairie du 3e arrondissement de Lyon") == 1
	})
	if yml := a.get(t, http.DefaultClient, "/apps/"+slug+"/publiccode.yml"); !strings.Contains(yml, "Mairie du 3e arrondissement de Lyon") {
		t.Errorf("A's publiccode.yml usedBy lacks B's city:\n%s", yml)
	}
}

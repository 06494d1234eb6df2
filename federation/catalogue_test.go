package federation

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/apps"
)

// appYML is a valid publiccode.yml for an app of that name and
// repository.
func appYML(t *testing.T, name, repo string) string {
	t.Helper()
	yml, err := os.ReadFile("../instances/apps/testdata/minimal.yml")
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReplacer("name: Agora", "name: "+name, "https://git.example.org/agora/agora.git", repo).Replace(string(yml))
}

// publishApp publishes an app of this node.
func (n *node) publishApp(t *testing.T, name string) *apps.App {
	t.Helper()
	a, fes, err := n.apps.Publish(n.ctx, accounts.System, strings.NewReader(appYML(t, name, "https://git.example.org/"+strings.ToLower(name)+".git")))
	if err != nil {
		t.Fatalf("publish %s: %v %v", name, err, fes)
	}
	return a
}

// users are the names of the cities that use an app.
func (n *node) users(t *testing.T, slug string) []string {
	t.Helper()
	list, err := n.apps.Adoptions(n.ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range list {
		names = append(names, d.Name)
	}
	return names
}

// TestAdoptionWithdrawn: a node that added an adoption of one of our apps
// withdraws it with Remove{Adoption}; only that node can, a Remove of
// nothing is ignored (not retried), and the node may adopt again after.
func TestAdoptionWithdrawn(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r, other := newRemote(t, "127.0.0.2"), newRemote(t, "127.0.0.3")
		a := n.publishApp(t, "Agora")
		app := n.base + "/apps/" + a.Slug
		lille := r.actor("actor")
		add := func(id string) map[string]any {
			m := activity("Add", r.base+"/activities/add/"+id, lille, map[string]any{"type": "agora:Adoption",
				"id": r.base + "/adoptions/" + id, "name": "Mairie de Lille", "agora:version": "1.0"})
			m["target"] = app
			return m
		}
		remove := func(from *remote, actor, id, object, target string) map[string]any {
			m := activity("Remove", from.base+"/activities/remove/"+id, actor, object)
			m["target"] = target
			return m
		}
		if got := n.accepted(t, r, add("1")); got != "adoption by Mairie de Lille" {
			t.Fatalf("Add: outcome %q", got)
		}

		for _, tc := range []struct {
			name     string
			from     *remote
			activity map[string]any
			outcome  string
			users    []string
		}{
			{"by another actor of the same host", r, remove(r, r.actor("mallory"), "1", r.base+"/adoptions/1", app),
				"ignored: " + r.actor("mallory") + " has no adoption of " + a.Slug, []string{"Mairie de Lille"}},
			{"by another node", other, remove(other, other.actor("actor"), "2", r.base+"/adoptions/1", app),
				"refused: invalid: adoption " + r.base + "/adoptions/1 is not on its sender's host", []string{"Mairie de Lille"}},
			{"by another node, of its own", other, remove(other, other.actor("actor"), "3", other.base+"/adoptions/1", app),
				"ignored: " + other.actor("actor") + " has no adoption of " + a.Slug, []string{"Mairie de Lille"}},
			{"of something else", r, remove(r, lille, "4", r.base+"/adoptions/1", n.proposalIRI()),
				"ignored: Remove of something else", []string{"Mairie de Lille"}},
			{"of an app that is not here", r, remove(r, lille, "5", r.base+"/adoptions/1", n.base+"/apps/nope"),
				"ignored: no app nope", []string{"Mairie de Lille"}},
			{"by the node that added it", r, remove(r, lille, "6", r.base+"/adoptions/1", app),
				"adoption of " + a.Slug + " withdrawn", nil},
			{"again: nothing left to withdraw", r, remove(r, lille, "7", r.base+"/adoptions/1", app),
				"ignored: " + lille + " has no adoption of " + a.Slug, nil},
			{"adopted again after", r, add("8"), "adoption by Mairie de Lille", []string{"Mairie de Lille"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := n.accepted(t, tc.from, tc.activity); got != tc.outcome {
					t.Errorf("outcome %q, want %q", got, tc.outcome)
				}
				if got := n.users(t, a.Slug); !slices.Equal(got, tc.users) {
					t.Errorf("users %q, want %q", got, tc.users)
				}
			})
		}
		yml, err := n.apps.PublicCodeWithUsedBy(n.ctx, a.Slug)
		if err != nil || !bytes.Contains(yml, []byte("Mairie de Lille")) {
			t.Errorf("usedBy after adopting again: %s, %v", yml, err)
		}

		// The Remove that withdrew it, delivered again, is not applied
		// twice: the adoption made since stays.
		if got := n.accepted(t, r, remove(r, lille, "6", r.base+"/adoptions/1", app)); got != "adoption of "+a.Slug+" withdrawn" {
			t.Errorf("replayed Remove: outcome %q", got)
		}
		if got := n.users(t, a.Slug); len(got) != 1 {
			t.Errorf("a replayed Remove withdrew the new adoption: users %q", got)
		}

		// A silenced host may still withdraw what it added.
		if err := n.fed.SetBlock(n.ctx, "127.0.0.2", Silence, "test", ""); err != nil {
			t.Fatal(err)
		}
		if got := n.accepted(t, r, remove(r, lille, "9", r.base+"/adoptions/8", app)); got != "adoption of "+a.Slug+" withdrawn" {
			t.Errorf("Remove from a silenced host: outcome %q", got)
		}
		yml, err = n.apps.PublicCodeWithUsedBy(n.ctx, a.Slug)
		if err != nil || bytes.Contains(yml, []byte("Mairie de Lille")) {
			t.Errorf("usedBy after the Remove: %s, %v", yml, err)
		}
	})
}

// TestOutboundAdoptionWithdrawn: a city here that stops using another
// node's app makes the instance actor send Remove{Adoption} where the Add
// went, signed; while another city of this node still uses the app, that
// city's Add goes instead. Adoptions of local apps send nothing.
func TestOutboundAdoptionWithdrawn(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		appID := r.base + "/apps/demo"
		remoteApp, err := n.apps.UpsertRemote(n.ctx, apps.RemoteApp{ID: appID, OriginActor: r.base + "/apps", OriginNode: r.host,
			URL: appID, PublicCodeYML: appYML(t, "Demo", "https://git.example.org/demo.git")})
		if err != nil {
			t.Fatal(err)
		}
		adopt := func(name string) *apps.Adoption {
			d, err := n.apps.Adopt(n.ctx, accounts.System, remoteApp.Slug, apps.AdoptionInput{Name: name, Version: "1.0"})
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		unadopt := func(name string) {
			if err := n.apps.Unadopt(n.ctx, accounts.System, remoteApp.Slug, name); err != nil {
				t.Fatal(err)
			}
		}
		adds := func(d *apps.Adoption) int {
			c := 0
			for _, got := range r.received() {
				if o, _ := got.doc["object"].(map[string]any); got.typ() == "Add/agora:Adoption" && o["id"] == n.base+"/adoptions/"+d.ID {
					c++
				}
			}
			return c
		}
		sent := func() int {
			c, err := n.db.NewSelect().Model((*sentAdoption)(nil)).Count(n.ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(c)
		}

		x := adopt("Mairie du 3e")
		eventually(t, "the Add of the 3e", func() bool { return adds(x) == 1 })
		y := adopt("Mairie du 7e")
		eventually(t, "the Add of the 7e", func() bool { return adds(y) == 1 })
		n.idle(t)
		if got := sent(); got != 2 {
			t.Errorf("%d sent adoptions recorded, want 2", got)
		}

		// The 3e stops: the 7e still uses it, so the peer gets its Add
		// again, not a Remove.
		unadopt("Mairie du 3e")
		eventually(t, "the Add of the 7e again", func() bool { return adds(y) == 2 })
		n.idle(t)
		for _, d := range r.received() {
			if d.typ() == "Remove" {
				t.Fatalf("a Remove while another city uses the app: %s", d.body)
			}
		}

		// The 7e stops: Remove{Adoption}, the app as target, from the
		// instance actor, to the inbox the Add went to.
		unadopt("Mairie du 7e")
		rm := r.waitFor(t, "Remove")
		if signer := n.verify(t, rm); signer != n.base+"/actor" {
			t.Errorf("Remove signed by %s, want the instance actor", signer)
		}
		to, _ := rm.doc["to"].([]any)
		if rm.doc["object"] != n.base+"/adoptions/"+y.ID || rm.doc["target"] != appID || rm.doc["actor"] != n.base+"/actor" ||
			len(to) != 1 || to[0] != appID || rm.req.URL.Path != "/inbox" {
			t.Errorf("Remove to %s: %s", rm.req.URL.Path, rm.body)
		}
		n.idle(t)
		removes := 0
		for _, d := range r.received() {
			if d.typ() == "Remove" {
				removes++
			}
		}
		if removes != 1 || sent() != 0 {
			t.Errorf("%d Removes sent, %d sent adoptions left; want 1 and 0", removes, sent())
		}

		// Adopting again is a new adoption, sent again.
		z := adopt("Mairie du 7e")
		eventually(t, "the Add of the new adoption", func() bool { return adds(z) == 1 })

		// A local app's users go out with the app itself: no Add or Remove.
		local := n.publishApp(t, "Locale")
		n.idle(t)
		before := len(r.received())
		if _, err := n.apps.Adopt(n.ctx, accounts.System, local.Slug, apps.AdoptionInput{Name: "Mairie du 3e"}); err != nil {
			t.Fatal(err)
		}
		if err := n.apps.Unadopt(n.ctx, accounts.System, local.Slug, "Mairie du 3e"); err != nil {
			t.Fatal(err)
		}
		n.idle(t)
		if got := r.received()[before:]; len(got) != 0 {
			t.Errorf("adopting a local app sent %d activities to the peer, first %s", len(got), got[0].typ())
		}
	})
}

// TestCatalogueOutbox: /apps/outbox lists this node's apps, newest
// first, paged; neither deleted apps nor other nodes' are in it.
func TestCatalogueOutbox(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := buildNode(t, dialect, nil)
		outbox := n.base + "/apps/outbox"
		empty := decode(t, n.getOK(t, outbox))
		if empty["type"] != "OrderedCollection" || empty["totalItems"] != 0.0 || empty["first"] != nil {
			t.Errorf("empty outbox: %v", empty)
		}

		start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		var published []string // IRIs, oldest first
		for i := range 22 {
			a := n.publishApp(t, fmt.Sprintf("App%02d", i))
			if _, err := n.db.NewUpdate().Model((*apps.App)(nil)).Set("created_at = ?", start.Add(time.Duration(i)*time.Hour)).
				Where("id = ?", a.ID).Exec(n.ctx); err != nil {
				t.Fatal(err)
			}
			published = append(published, n.base+"/apps/"+a.Slug)
		}
		deleted := published[20]
		if err := n.apps.Delete(n.ctx, accounts.System, strings.TrimPrefix(deleted, n.base+"/apps/")); err != nil {
			t.Fatal(err)
		}
		if _, err := n.apps.UpsertRemote(n.ctx, apps.RemoteApp{ID: "https://lyon.example/apps/x", OriginActor: "https://lyon.example/apps",
			OriginNode: "lyon.example", URL: "https://lyon.example/apps/x", PublicCodeYML: appYML(t, "Lyon", "https://git.example.org/lyon.git")}); err != nil {
			t.Fatal(err)
		}
		var want []string // newest first, without the deleted one
		for i := len(published) - 1; i >= 0; i-- {
			if published[i] != deleted {
				want = append(want, published[i])
			}
		}

		c := decode(t, n.getOK(t, outbox))
		if c["id"] != outbox || c["totalItems"] != 21.0 || c["first"] != outbox+"?page=1" {
			t.Fatalf("outbox: %v", c)
		}
		var got []string
		for i, tc := range []struct{ next, prev any }{{outbox + "?page=2", nil}, {nil, outbox + "?page=1"}} {
			p := decode(t, n.getOK(t, fmt.Sprintf("%s?page=%d", outbox, i+1)))
			if p["type"] != "OrderedCollectionPage" || p["partOf"] != outbox || p["next"] != tc.next || p["prev"] != tc.prev {
				t.Errorf("page %d: %v", i+1, p)
			}
			items, _ := p["orderedItems"].([]any)
			for _, it := range items {
				s, _ := it.(string)
				got = append(got, s)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("outbox items\n%q\nwant\n%q", got, want)
		}
	})
}

// getOK GETs a document of the node as ActivityStreams JSON.
func (n *node) getOK(t *testing.T, iri string) []byte {
	t.Helper()
	body, err := n.getAS2(n.ctx, iri)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// group makes r serve a Group at path, named username, with an
// outbox at path/outbox; it returns the Group's id.
func (r *remote) group(path, username string) string {
	id := r.base + path
	r.put(path, map[string]any{
		"@context":          []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                id,
		"type":              "Group",
		"preferredUsername": username,
		"name":              "Remote " + username,
		"inbox":             id + "/inbox",
		"outbox":            id + "/outbox",
		"endpoints":         map[string]any{"sharedInbox": r.base + "/inbox"},
		"publicKey":         map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": publicPEM(&r.key.PublicKey)},
	})
	return id
}

// appPage is an app of r's catalogue as its node serves it.
func (r *remote) appPage(t *testing.T, id, name string) map[string]any {
	return map[string]any{"id": id, "type": "Page", "name": name, "attributedTo": r.base + "/apps", "url": id,
		"agora:publiccodeYml": appYML(t, name, "https://git.example.org/"+strings.ToLower(name)+".git")}
}

// TestBackfillCatalogue: when a catalogue accepts the node's follow, the
// node reads its outbox and keeps the apps it lists, even when the peer
// is down at first; objects of other hosts are not fetched, and an
// object that is not what its id says is not kept.
func TestBackfillCatalogue(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r, other := newRemote(t, "127.0.0.2"), newRemote(t, "127.0.0.3")
		group := r.group("/apps", "catalogue")
		app := func(slug string) string { return group + "/" + slug }
		r.put("/apps/outbox", map[string]any{"id": group + "/outbox", "type": "OrderedCollection", "totalItems": 5,
			"first": group + "/outbox?page=1"})
		r.put("/apps/outbox?page=1", map[string]any{"id": group + "/outbox?page=1", "type": "OrderedCollectionPage",
			"orderedItems": []any{app("alpha"), other.base + "/apps/beta", app("liar"), app("alpha")},
			"next":         group + "/outbox?page=2"})
		r.put("/apps/outbox?page=2", map[string]any{"id": group + "/outbox?page=2", "type": "OrderedCollectionPage",
			"orderedItems": []any{map[string]any{"type": "Create", "id": r.base + "/activities/1", "actor": group,
				"object": map[string]any{"id": app("gamma"), "type": "Page"}}}})
		r.put("/apps/alpha", r.appPage(t, app("alpha"), "Alpha"))
		r.put("/apps/gamma", r.appPage(t, app("gamma"), "Gamma"))
		r.put("/apps/liar", r.appPage(t, app("delta"), "Delta")) // says it is another
		other.put("/apps/beta", other.appPage(t, other.base+"/apps/beta", "Beta"))
		r.failFirst("/apps/outbox", 2) // down at first

		n.followRemote(t, r, group)
		eventually(t, "the backfill", func() bool {
			c, err := n.db.NewSelect().Model((*apps.App)(nil)).Where("remote_id IN (?, ?)", app("alpha"), app("gamma")).Count(n.ctx)
			return err == nil && c == 2
		})
		n.idle(t)
		var got []string
		if err := n.db.NewSelect().Model((*apps.App)(nil)).Column("remote_id").Where("remote_id IS NOT NULL").
			Order("remote_id").Scan(n.ctx, &got); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, []string{app("alpha"), app("gamma")}) {
			t.Errorf("remote apps %q, want alpha and gamma only", got)
		}
		a, err := n.apps.ByID(n.ctx, n.remoteAppID(t, app("alpha")))
		if err != nil || a.OriginActor != group || a.Name != "Alpha" {
			t.Errorf("alpha = %+v, %v", a, err)
		}
		if other.getCount() != 0 {
			t.Errorf("the node fetched %d documents from another host", other.getCount())
		}
		if r.gotten("/apps/alpha") != 1 {
			t.Errorf("alpha, listed twice, fetched %d times", r.gotten("/apps/alpha"))
		}
		var attempt int
		if err := n.db.NewSelect().Table("river_job").Column("attempt").Where("kind = 'ap_backfill' AND state = 'completed'").
			Scan(n.ctx, &attempt); err != nil || attempt != 3 {
			t.Errorf("backfill job: attempt %d (%v), want done on the 3rd, after the peer came back", attempt, err)
		}
	})
}

func (n *node) remoteAppID(t *testing.T, remoteID string) string {
	t.Helper()
	var id string
	if err := n.db.NewSelect().Model((*apps.App)(nil)).Column("id").Where("remote_id = ?", remoteID).Scan(n.ctx, &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestBackfillSpace: a space's Group gives its newest proposals only, up
// to the bound, read from an outbox that lists activities (as Lemmy's).
func TestBackfillSpace(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		group := r.group("/c/urbanisme", "urbanisme")
		var items []any
		for i := range backfillSpace + 5 {
			id := fmt.Sprintf("%s/post/%d", r.base, i)
			page := map[string]any{"id": id, "type": "Page", "name": fmt.Sprintf("Post %d", i), "attributedTo": r.base + "/u/camille",
				"content": "<p>Des bancs</p>", "audience": group, "published": "2026-11-20T10:00:00Z"}
			r.put(fmt.Sprintf("/post/%d", i), page)
			create := map[string]any{"type": "Create", "id": id + "/create", "actor": r.base + "/u/camille", "object": page}
			items = append(items, map[string]any{"type": "Announce", "id": id + "/announce", "actor": group, "object": create})
		}
		r.put("/c/urbanisme/outbox", map[string]any{"id": group + "/outbox", "type": "OrderedCollection",
			"totalItems": len(items), "orderedItems": items})

		n.followRemote(t, r, group)
		eventually(t, "the backfill", func() bool {
			objs, err := n.fed.RemoteObjects(n.ctx, group, "", 100)
			return err == nil && len(objs) == backfillSpace
		})
		n.idle(t)
		objs, err := n.fed.RemoteObjects(n.ctx, group, "", 100)
		if err != nil || len(objs) != backfillSpace {
			t.Fatalf("%d remote objects (%v), want %d", len(objs), err, backfillSpace)
		}
		for _, o := range objs {
			if o.Group != group || o.AuthorName != "Remote camille" {
				t.Errorf("remote object %+v", o)
			}
		}
		if got := r.gotten(fmt.Sprintf("/post/%d", backfillSpace)); got != 0 {
			t.Errorf("a post past the bound was fetched %d times", got)
		}
	})
}

package main

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
	"agora/storage/storagetest"
)

// fedNode is a real agora process on loopback, with its own database,
// federating with the others (AGORA_FEDERATION_ALLOW_PRIVATE).
type fedNode struct {
	name    string
	base    string // http://127.0.0.1:PORT
	env     map[string]string
	proc    *helperProcess
	db      *bun.DB // the node's database, for checks
	clients map[string]*http.Client
}

func newFedNode(t *testing.T, name, dialect string) *fedNode {
	t.Helper()
	return newNode(t, name, map[string]string{"AGORA_DATABASE_URL": storagetest.DatabaseURL(t, dialect)})
}

// newNode makes a node's settings (env over the defaults), migrates its
// database and opens it for checks; start runs it.
func newNode(t *testing.T, name string, env map[string]string) *fedNode {
	t.Helper()
	addr := freeAddr(t)
	// localhost, not the IP: passkeys need a domain (WebAuthn RP id).
	base := "http://localhost:" + addr[strings.LastIndex(addr, ":")+1:]
	n := &fedNode{name: name, base: base, clients: map[string]*http.Client{}, env: map[string]string{
		"AGORA_ADDR": addr, "AGORA_BASE_URL": base, "AGORA_DATA_DIR": t.TempDir(), "AGORA_NODE_NAME": name,
		"AGORA_FEDERATION_ALLOW_PRIVATE": "true", "AGORA_PAGE_CACHE": "0s", "AGORA_LOG_LEVEL": "info",
	}}
	maps.Copy(n.env, env)
	if code, _, stderr := runCmd(t, n.env, "migrate", "up"); code != 0 {
		t.Fatalf("%s: migrate: %s", name, stderr)
	}
	n.openDB(t)
	return n
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// openDB opens the node's database for the test's checks, and dumps what
// the node did if the test fails.
func (n *fedNode) openDB(t *testing.T) {
	t.Helper()
	db, err := database.Open(context.Background(), n.env["AGORA_DATABASE_URL"], n.env["AGORA_DATA_DIR"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			n.dump(t)
		}
		db.Close()
	})
	n.db = db
}

func (n *fedNode) start(t *testing.T) {
	t.Helper()
	var env []string
	for k, v := range n.env {
		env = append(env, k+"="+v)
	}
	n.proc = startHelper(t, env...)
}

// kill stops the node as a crash would: no shutdown, no finishing.
func (n *fedNode) kill(t *testing.T) {
	t.Helper()
	n.proc.cmd.Process.Kill()
	n.proc.cmd.Wait()
}

func (n *fedNode) admin(t *testing.T, args ...string) string {
	t.Helper()
	code, stdout, stderr := runCmd(t, n.env, append([]string{"admin"}, args...)...)
	if code != 0 {
		t.Fatalf("%s: agora admin %v: %s", n.name, args, stderr)
	}
	return stdout
}

// user creates an account, signs it in through a login link and returns
// its browser; public accounts are fediverse actors.
func (n *fedNode) user(t *testing.T, handle string, public bool, flags ...string) *http.Client {
	t.Helper()
	n.admin(t, append([]string{"create-user", "--handle", handle, "--display-name", strings.ToUpper(handle[:1]) + handle[1:]}, flags...)...)
	c := n.signIn(t, handle)
	if public {
		n.post(t, c, "/account/profile", url.Values{"display_name": {strings.ToUpper(handle[:1]) + handle[1:]}, "language": {"fr"}, "public": {"on"}}, http.StatusOK)
	}
	n.clients[handle] = c
	return c
}

// signIn signs an account in through a login link and returns its
// browser.
func (n *fedNode) signIn(t *testing.T, handle string) *http.Client {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(n.admin(t, "login-link", "--handle", handle)), "\n")
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := c.Get(lines[len(lines)-1])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/account" {
		t.Fatalf("%s: sign-in link of %s: %d on %s", n.name, handle, resp.StatusCode, resp.Request.URL)
	}
	n.clients[handle] = c
	return c
}

// post sends a form and checks the status after redirects.
func (n *fedNode) post(t *testing.T, c *http.Client, path string, form url.Values, want int) string {
	t.Helper()
	resp, err := c.PostForm(n.base+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s: POST %s: %d, want %d\n%s", n.name, path, resp.StatusCode, want, body)
	}
	return string(body)
}

func (n *fedNode) get(t *testing.T, c *http.Client, path string) string {
	t.Helper()
	resp, err := c.Get(n.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: GET %s: %d\n%s", n.name, path, resp.StatusCode, body)
	}
	return string(body)
}

// count counts rows on the node.
func (n *fedNode) count(t *testing.T, table, where string, args ...any) int {
	t.Helper()
	c, err := n.db.NewSelect().Table(table).Where(where, args...).Count(context.Background())
	if err != nil {
		t.Fatalf("%s: count %s: %v", n.name, table, err)
	}
	return int(c)
}

// eventually polls cond until it holds, failing after d.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); ; time.Sleep(100 * time.Millisecond) {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", d, what)
		}
	}
}

// proposalID reads the id the redirect after a new proposal points to.
func proposeOn(t *testing.T, n *fedNode, c *http.Client, slug, title string) string {
	t.Helper()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	defer func() { c.CheckRedirect = nil }()
	resp, err := c.PostForm(n.base+"/proposals/new?space="+slug, url.Values{"title": {title},
		"body": {"Des bancs et des arbres le long de la **rue**."}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	id, ok := strings.CutPrefix(strings.SplitN(loc, "?", 2)[0], "/proposals/")
	if resp.StatusCode != http.StatusSeeOther || !ok {
		t.Fatalf("%s: new proposal: %d %q\n%s", n.name, resp.StatusCode, loc, body)
	}
	return id
}

// TestFederationBetweenNodes runs three real nodes on loopback, each with
// its own database (node A on PostgreSQL when it is available): B and C
// follow a space of A; A's proposals reach both, and so do their edits;
// B's resident comments back and A shows it with its origin; a deleted
// comment becomes a tombstone on the other side; an
// unfollow stops the flow; and with B down and A killed mid-delivery,
// everything arrives once both are back.
func TestFederationBetweenNodes(t *testing.T) {
	dialectA := "sqlite"
	if os.Getenv("AGORA_TEST_POSTGRES_URL") != "" || os.Getenv("AGORA_TEST_REQUIRE") != "" {
		dialectA = "postgres"
	}
	a, b, c := newFedNode(t, "Paris 15e", dialectA), newFedNode(t, "Lyon 3e", "sqlite"), newFedNode(t, "Lille", "sqlite")
	a.admin(t, "create-space", "--slug", "budget", "--title", "Budget participatif 2027")
	for _, n := range []*fedNode{a, b, c} {
		n.start(t)
	}
	alice := a.user(t, "alice", true, "--verified")
	adminB := b.user(t, "claire", false, "--role", "admin")
	bob := b.user(t, "bob", true)
	adminC := c.user(t, "karim", false, "--role", "admin")
	groupA := a.base + "/spaces/budget"
	handle := "@budget@" + host(a)

	// Discovery: WebFinger names the Group, NodeInfo the software.
	var jrd struct {
		Links []struct{ Rel, Type, Href string }
	}
	if err := json.Unmarshal([]byte(a.get(t, http.DefaultClient, "/.well-known/webfinger?resource=acct:budget@"+host(a))), &jrd); err != nil {
		t.Fatal(err)
	}
	if len(jrd.Links) == 0 || jrd.Links[0].Href != groupA {
		t.Fatalf("webfinger links = %+v", jrd.Links)
	}

	// B follows by handle, C by URL, from their admin pages; A accepts.
	b.post(t, adminB, "/admin/federation/follow", url.Values{"target": {handle}}, http.StatusOK)
	c.post(t, adminC, "/admin/federation/follow", url.Values{"target": {groupA}}, http.StatusOK)
	eventually(t, 20*time.Second, "A accepts B's and C's follows", func() bool {
		return b.count(t, "ap_following", "state = 'accepted'") == 1 && c.count(t, "ap_following", "state = 'accepted'") == 1
	})
	if n := a.count(t, "ap_followers", "actor = ?", groupA); n != 2 {
		t.Fatalf("A's space has %d followers, want 2", n)
	}

	// A proposal on A reaches B and C.
	p1 := proposeOn(t, a, alice, "budget", "Des bancs rue du Commerce")
	page1 := a.base + "/proposals/" + p1
	for _, n := range []*fedNode{b, c} {
		eventually(t, 20*time.Second, n.name+" receives the proposal", func() bool {
			return n.count(t, "ap_remote_objects", "id = ? AND name = ?", page1, "Des bancs rue du Commerce") == 1
		})
	}
	if body := b.get(t, bob, "/cities"); !strings.Contains(body, "Des bancs rue du Commerce") {
		t.Errorf("B's Other cities page does not show the proposal")
	}

	// Alice edits it (within her 15 minutes): the new title follows.
	a.post(t, alice, "/proposals/"+p1+"/edit", url.Values{"title": {"Des bancs et des arbres rue du Commerce"},
		"body": {"Des bancs et des arbres le long de la **rue**."}}, http.StatusOK)
	eventually(t, 30*time.Second, "C receives the edit", func() bool {
		return c.count(t, "ap_remote_objects", "id = ? AND name = ?", page1, "Des bancs et des arbres rue du Commerce") == 1
	})

	// Bob, a public resident of B, comments; A shows it with its origin.
	b.post(t, bob, "/cities/comment", url.Values{"id": {page1}, "comment": {"Oui, **et** des fontaines."}}, http.StatusOK)
	eventually(t, 20*time.Second, "A receives Bob's comment", func() bool {
		return a.count(t, "comments", "target_id = ? AND remote_actor = ?", p1, b.base+"/people/bob") == 1
	})
	if body := a.get(t, http.DefaultClient, "/proposals/"+p1); !strings.Contains(body, "<strong>et</strong> des fontaines") ||
		!strings.Contains(body, host(b)) {
		t.Errorf("A's proposal page does not show Bob's comment with its origin")
	}
	// Supports stay on A: a remote comment is no support.
	if n := a.count(t, "proposal_supports", "proposal_id = ?", p1); n != 0 {
		t.Errorf("%d supports on A after a remote comment", n)
	}

	// Alice comments on A, then deletes it: C gets the comment, then its
	// tombstone.
	a.post(t, alice, "/comments", url.Values{"target_kind": {"proposal"}, "target_id": {p1}, "comment": {"Merci Bob !"}, "alignment": {"none"}}, http.StatusOK)
	var noteID string
	eventually(t, 20*time.Second, "C receives Alice's comment", func() bool {
		var ids []string
		c.db.NewSelect().Table("ap_remote_objects").Column("id").Where("type = 'Note' AND context = ? AND content_html LIKE ?", page1, "%Merci Bob%").
			Scan(context.Background(), &ids)
		if len(ids) == 1 {
			noteID = ids[0]
		}
		return noteID != ""
	})
	commentID := strings.TrimPrefix(noteID, a.base+"/comments/")
	a.post(t, alice, "/comments/"+commentID+"/delete", url.Values{"confirm": {"on"}}, http.StatusOK)
	eventually(t, 20*time.Second, "C marks Alice's comment deleted", func() bool {
		return c.count(t, "ap_remote_objects", "id = ? AND deleted_at IS NOT NULL", noteID) == 1
	})

	// C unfollows: A forgets it, and the next proposal reaches B only.
	c.post(t, adminC, "/admin/federation/unfollow", url.Values{"actor": {groupA}}, http.StatusOK)
	eventually(t, 20*time.Second, "A drops C as a follower", func() bool {
		return a.count(t, "ap_followers", "actor = ?", groupA) == 1
	})

	// B goes down; A publishes; A crashes with the delivery pending; both
	// come back and B receives it.
	b.kill(t)
	p2 := proposeOn(t, a, alice, "budget", "Un composteur square Violet")
	eventually(t, 20*time.Second, "A fails to deliver to B and keeps the delivery", func() bool {
		return a.count(t, "river_job", "kind = 'ap_deliver' AND state = 'retryable'") > 0
	})
	a.kill(t)
	b.start(t)
	a.start(t)
	eventually(t, 60*time.Second, "B receives the proposal made while it was down", func() bool {
		return b.count(t, "ap_remote_objects", "id = ?", a.base+"/proposals/"+p2) == 1
	})
	if n := c.count(t, "ap_remote_objects", "id = ?", a.base+"/proposals/"+p2); n != 0 {
		t.Errorf("C received a proposal after unfollowing")
	}
}

func host(n *fedNode) string { return strings.TrimPrefix(n.base, "http://") }

// dump logs what the node's federation did, to explain a failure.
func (n *fedNode) dump(t *testing.T) {
	ctx := context.Background()
	var jobs []struct {
		Kind, State string
		Attempt     int
		Errors      string
	}
	if err := n.db.NewSelect().Table("river_job").Column("kind", "state", "attempt").ColumnExpr("CAST(errors AS TEXT) AS errors").
		OrderExpr("id").Scan(ctx, &jobs); err != nil {
		t.Logf("%s: read jobs: %v", n.name, err)
	}
	for _, j := range jobs {
		t.Logf("%s job %s %s attempt %d %.300s", n.name, j.Kind, j.State, j.Attempt, j.Errors)
	}
	var got []struct{ Type, Outcome, Actor string }
	n.db.NewSelect().Table("ap_received").Column("type", "outcome", "actor").Scan(ctx, &got)
	for _, r := range got {
		t.Logf("%s received %s from %s: %s", n.name, r.Type, r.Actor, r.Outcome)
	}
	if n.proc != nil {
		t.Logf("%s log:\n%s", n.name, n.proc.log())
	}
}

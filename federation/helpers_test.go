package federation

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/federation/signature"
	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/instances/debates"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/notifications"
	"agora/instances/projects"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// The keys of the fake fediverse, made once: RSA-2048 takes a while.
var (
	remoteKey = sync.OnceValue(func() *rsa.PrivateKey { return newKey() })
	otherKey  = sync.OnceValue(func() *rsa.PrivateKey { return newKey() })
)

func newKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

// forEachDialect runs test on a fresh node of each database, in parallel
// with the other tests of the package.
func forEachDialect(t *testing.T, test func(t *testing.T, dialect string)) {
	t.Helper()
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		test(t, dialect)
	})
}

// node is one Agora node under test: its services on a migrated
// database, its federation running (River workers and the dispatcher),
// served by an httptest server whose URL is its base URL, and the local
// things most tests act on.
type node struct {
	ctx  context.Context
	db   *bun.DB
	fed  *Service
	srv  *httptest.Server
	base string

	accounts   *accounts.Service
	spaces     *spaces.Service
	proposals  *proposals.Service
	debates    *debates.Service
	moderation *moderation.Service
	apps       *apps.Service
	projects   *projects.Service
	notes      *notifications.Service

	space    *spaces.Space       // budget-2027
	jeanne   *accounts.Account   // public, verified: the proposal's author
	marc     *accounts.Account   // private
	proposal *proposals.Proposal // jeanne's, in budget-2027
	comment  *debates.Comment    // jeanne's, on the proposal
	comment2 *debates.Comment    // another of jeanne's
}

// syncBuffer is a log the node writes to, shown when a test fails.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newNode starts a node on dialect; change tunes its configuration.
func newNode(t *testing.T, dialect string, change func(*Config)) *node {
	t.Helper()
	n := buildNode(t, dialect, change)
	if err := n.fed.Start(context.WithoutCancel(n.ctx)); err != nil {
		t.Fatal(err)
	}
	return n
}

// buildNode is a node whose workers and dispatcher do not run: tests
// call them.
func buildNode(t *testing.T, dialect string, change func(*Config)) *node {
	t.Helper()
	ctx := t.Context()
	db := storagetest.MigratedDB(t, dialect)
	md := markup.New()
	n := &node{ctx: ctx, db: db}
	n.accounts = accounts.NewService(db, nil)
	n.spaces = spaces.NewService(db, md, nil)
	n.proposals = proposals.NewService(db, md, n.accounts, n.spaces, nil)
	n.debates = debates.NewService(db, md, nil)
	n.moderation = moderation.NewService(db, nil)
	n.apps = apps.NewService(db, storagetest.NewBlobStore(t, "local"), nil, apps.Options{})
	n.projects = projects.NewService(db, storagetest.NewBlobStore(t, "local"), nil)
	n.notes = notifications.NewService(db, nil)

	var handler atomic.Pointer[http.Handler]
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		(*handler.Load()).ServeHTTP(w, r)
	}))
	n.base = n.srv.URL
	base, _ := url.Parse(n.base)
	cfg := Config{BaseURL: base, NodeName: "Paris 15", Version: "test", AllowPrivate: true,
		CoalesceUpdates: 300 * time.Millisecond, RetryBase: 100 * time.Millisecond}
	if change != nil {
		change(&cfg)
	}
	logs := &syncBuffer{}
	fed, err := New(cfg, Deps{DB: db, Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo})),
		Accounts: n.accounts, Spaces: n.spaces, Proposals: n.proposals, Debates: n.debates,
		Moderation: n.moderation, Markup: md, Apps: n.apps, Projects: n.projects,
		Notifications: n.notes, Message: testMessage})
	if err != nil {
		t.Fatal(err)
	}
	n.fed = fed
	h := fed.Handler(http.NotFoundHandler())
	handler.Store(&h)
	// Cleanups run last first: the HTTP server closes, then the workers
	// stop, then (registered by MigratedDB) the database closes.
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := fed.Stop(stopCtx); err != nil {
			t.Errorf("stop federation: %v", err)
		}
		if t.Failed() {
			t.Logf("node log:\n%s", logs.String())
		}
	})
	t.Cleanup(n.srv.Close)

	n.space, err = n.spaces.Create(ctx, accounts.System, spaces.NewSpace{Slug: "budget-2027", Title: "Budget participatif 2027",
		Description: "Des idées pour **le 15e**.", Kind: spaces.Process})
	if err != nil {
		t.Fatal(err)
	}
	n.jeanne = n.resident(t, "jeanne", true)
	n.marc = n.resident(t, "marc", false)
	n.proposal = n.newProposal(t, "Des bancs à l’ombre au square Violet")
	n.comment = n.localComment(t, "Oui, et des arbres.")
	n.comment2 = n.localComment(t, "Et une fontaine.")
	return n
}

// resident opens a verified account, public or not.
func (n *node) resident(t *testing.T, handle string, public bool) *accounts.Account {
	t.Helper()
	a, err := n.accounts.Create(n.ctx, accounts.System, accounts.NewAccount{Handle: handle, DisplayName: "Name of " + handle})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.accounts.VerifyByOperator(n.ctx, a.ID, accounts.Electoral{}); err != nil {
		t.Fatal(err)
	}
	if public {
		if err := n.accounts.UpdateProfile(n.ctx, accounts.System, a.ID,
			accounts.Profile{DisplayName: a.DisplayName, Language: "fr", Public: true}); err != nil {
			t.Fatal(err)
		}
		a.Public = true
	}
	return a
}

// newProposal publishes one of jeanne's proposals in budget-2027.
func (n *node) newProposal(t *testing.T, title string) *proposals.Proposal {
	t.Helper()
	p, err := n.proposals.Create(n.ctx, accounts.As(n.jeanne), n.space.ID,
		proposals.Input{Title: title, Body: "Des bancs **à l’ombre**, près des jeux."})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (n *node) localComment(t *testing.T, body string) *debates.Comment {
	t.Helper()
	c, err := n.debates.Add(n.ctx, accounts.As(n.jeanne), debates.NewComment{
		Target: debates.Target{Kind: debates.TargetProposal, ID: n.proposal.ID}, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ids of the node's things.
func (n *node) groupIRI() string            { return n.base + "/spaces/" + n.space.Slug }
func (n *node) proposalIRI() string         { return n.base + "/proposals/" + n.proposal.ID }
func (n *node) commentIRI(id string) string { return n.base + "/comments/" + id }

// tables whose rows an inbox request may add: a refused request adds
// none.
var inboxTables = []string{"ap_received", "comments", "ap_followers", "ap_reactions", "reports"}

// counts counts the rows of inboxTables.
func (n *node) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range inboxTables {
		c, err := n.db.NewSelect().Table(table).Count(n.ctx)
		if err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = int(c)
	}
	c, err := n.db.NewSelect().Table("river_job").Where("kind = 'ap_inbox'").Count(n.ctx)
	if err != nil {
		t.Fatal(err)
	}
	out["ap_inbox jobs"] = int(c)
	return out
}

func (n *node) sameCounts(t *testing.T, before map[string]int) {
	t.Helper()
	after := n.counts(t)
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %d rows, want %d (nothing stored)", k, after[k], v)
		}
	}
}

// send is one request to the node's inbox.
type send struct {
	path  string          // default /inbox
	keyID string          // "" sends it unsigned
	key   *rsa.PrivateKey // signs it
	date  time.Time       // Date signed; zero for now
	body  []byte          // what is signed
	sent  []byte          // what is sent, when not body (a tampered body)
}

// post sends s and returns the status and the short reason the node gave.
func (n *node) post(t *testing.T, s send) (int, string) {
	t.Helper()
	sent := s.body
	if s.sent != nil {
		sent = s.sent
	}
	path := s.path
	if path == "" {
		path = "/inbox"
	}
	req, err := http.NewRequestWithContext(n.ctx, http.MethodPost, n.base+path, bytes.NewReader(sent))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if s.keyID != "" {
		if !s.date.IsZero() {
			req.Header.Set("Date", s.date.UTC().Format(http.TimeFormat))
		}
		if err := (&signature.Signer{KeyID: s.keyID, Private: s.key}).Sign(req, s.body); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	reason, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(reason))
}

// deliver posts an activity signed by its actor's key on r.
func (n *node) deliver(t *testing.T, r *remote, activity map[string]any) (int, string) {
	t.Helper()
	body, err := json.Marshal(activity)
	if err != nil {
		t.Fatal(err)
	}
	actor, _ := activity["actor"].(string)
	return n.post(t, send{keyID: actor + "#main-key", key: r.key, body: body})
}

// accepted delivers an activity, checks the node took it (202) and waits
// for the inbox worker to apply it; it returns the recorded outcome.
func (n *node) accepted(t *testing.T, r *remote, activity map[string]any) string {
	t.Helper()
	if status, reason := n.deliver(t, r, activity); status != http.StatusAccepted {
		t.Fatalf("%s %s: status %d (%s), want 202", activity["type"], activity["id"], status, reason)
	}
	return n.outcome(t, activity["id"].(string))
}

// outcome waits for the received activity id to be applied and returns
// what the worker recorded.
func (n *node) outcome(t *testing.T, id string) string {
	t.Helper()
	var rec received
	eventually(t, fmt.Sprintf("activity %s applied", id), func() bool {
		err := n.db.NewSelect().Model(&rec).Where("activity_id = ?", id).Scan(n.ctx)
		return err == nil && rec.ProcessedAt != nil
	})
	return rec.Outcome
}

// eventually polls cond until it holds or 20 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// idle waits until the node has nothing left to do: no outbox event and
// no job waiting, scheduled or running.
func (n *node) idle(t *testing.T) {
	t.Helper()
	eventually(t, "the node to be idle", func() bool {
		events, err := n.db.NewSelect().Table("outbox_events").Count(n.ctx)
		if err != nil {
			return false
		}
		jobs, err := n.db.NewSelect().Table("river_job").
			Where("state IN ('available', 'scheduled', 'retryable', 'running', 'pending')").Count(n.ctx)
		return err == nil && events == 0 && jobs == 0
	})
}

// thread is the proposal's thread, flattened.
func (n *node) thread(t *testing.T) []*debates.Comment {
	t.Helper()
	nodes, err := n.debates.Thread(n.ctx, debates.Target{Kind: debates.TargetProposal, ID: n.proposal.ID}, debates.ThreadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []*debates.Comment
	var walk func([]*debates.Node)
	walk = func(ns []*debates.Node) {
		for _, x := range ns {
			out = append(out, x.Comment)
			walk(x.Replies)
		}
	}
	walk(nodes)
	return out
}

// remoteComment is the comment stored for a remote object, nil if none.
func (n *node) remoteComment(t *testing.T, apID string) *debates.Comment {
	t.Helper()
	for _, c := range n.thread(t) {
		if c.APID != nil && *c.APID == apID {
			return c
		}
	}
	return nil
}

// remote is a fake fediverse server: every path it is asked for is an
// actor (a Group under /c/ and /m/, else a Person) with the key it
// holds, unless a document was put there (put); and every POST to a path
// ending in /inbox is recorded and answered with status.
type remote struct {
	srv    *httptest.Server
	base   string
	host   string // host:port
	key    *rsa.PrivateKey
	status atomic.Int32

	mu    sync.Mutex
	gets  []string
	posts []*delivery
	docs  map[string]any // by path and query
	fails map[string]int // by path and query: how many GETs get 503 first
}

// put serves doc (as JSON) at uri, a path with its query.
func (r *remote) put(uri string, doc any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.docs == nil {
		r.docs = map[string]any{}
	}
	r.docs[uri] = doc
}

// failFirst answers the next n GETs of uri with 503, as a peer that is
// down.
func (r *remote) failFirst(uri string, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fails == nil {
		r.fails = map[string]int{}
	}
	r.fails[uri] = n
}

// gotten counts the GETs of path.
func (r *remote) gotten(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, p := range r.gets {
		if p == path {
			n++
		}
	}
	return n
}

// delivery is a POST a remote received.
type delivery struct {
	req  *http.Request
	body []byte
	doc  map[string]any
}

// typ is the activity's type, with the inner one for an Announce:
// "Announce/Create/Page".
func (d *delivery) typ() string {
	var parts []string
	m := d.doc
	for m != nil {
		s, _ := m["type"].(string)
		parts = append(parts, s)
		m, _ = m["object"].(map[string]any)
	}
	return strings.Join(parts, "/")
}

// newRemote starts a remote on a loopback address of its own
// (127.0.0.2, 127.0.0.3…), so that it is another host than the node,
// for blocks too (which name hosts without their port).
func newRemote(t *testing.T, ip string) *remote {
	t.Helper()
	r := &remote{key: remoteKey()}
	r.status.Store(http.StatusAccepted)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	r.srv, r.base, r.host = srv, srv.URL, ln.Addr().String()
	return r
}

func (r *remote) actor(name string) string { return r.base + "/users/" + name }

func (r *remote) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/inbox") {
		status := int(r.status.Load()) // chosen before the POST is seen
		d := &delivery{req: req.Clone(context.Background()), body: body}
		json.Unmarshal(body, &d.doc)
		r.mu.Lock()
		r.posts = append(r.posts, d)
		r.mu.Unlock()
		w.WriteHeader(status)
		return
	}
	if req.Method != http.MethodGet {
		http.Error(w, "no", http.StatusMethodNotAllowed)
		return
	}
	r.mu.Lock()
	r.gets = append(r.gets, req.URL.Path)
	doc, fails := r.docs[req.URL.RequestURI()], r.fails[req.URL.RequestURI()]
	if fails > 0 {
		r.fails[req.URL.RequestURI()] = fails - 1
	}
	r.mu.Unlock()
	if fails > 0 {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	if doc != nil {
		w.Header().Set("Content-Type", "application/activity+json")
		json.NewEncoder(w).Encode(doc)
		return
	}
	id := r.base + req.URL.Path
	typ := "Person"
	if strings.HasPrefix(req.URL.Path, "/c/") || strings.HasPrefix(req.URL.Path, "/m/") {
		typ = "Group"
	}
	name := req.URL.Path[strings.LastIndex(req.URL.Path, "/")+1:]
	w.Header().Set("Content-Type", "application/activity+json")
	json.NewEncoder(w).Encode(map[string]any{
		"@context":          []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                id,
		"type":              typ,
		"preferredUsername": name,
		"name":              "Remote " + name,
		"inbox":             id + "/inbox",
		"endpoints":         map[string]any{"sharedInbox": r.base + "/inbox"},
		"publicKey":         map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": publicPEM(&r.key.PublicKey)},
	})
}

func publicPEM(k *rsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		panic(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

func (r *remote) getCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.gets)
}

// received returns the POSTs so far.
func (r *remote) received() []*delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*delivery(nil), r.posts...)
}

// waitFor waits for a POST of the type (as delivery.typ names it) and
// returns it.
func (r *remote) waitFor(t *testing.T, typ string) *delivery {
	t.Helper()
	return r.waitMatch(t, typ, func(*delivery) bool { return true })
}

// waitMatch waits for a POST of the type that match accepts.
func (r *remote) waitMatch(t *testing.T, typ string, match func(*delivery) bool) *delivery {
	t.Helper()
	var got *delivery
	eventually(t, "a delivery of "+typ, func() bool {
		for _, d := range r.received() {
			if d.typ() == typ && match(d) {
				got = d
				return true
			}
		}
		return false
	})
	return got
}

// verify checks a delivery's signature against the key of its signer
// as the node serves it (GET of the actor, as ActivityStreams JSON), and
// returns the signer.
func (n *node) verify(t *testing.T, d *delivery) string {
	t.Helper()
	v := &signature.Verifier{Scheme: "http", Keys: func(ctx context.Context, keyID string, _ bool) (*signature.Key, error) {
		actor, _, _ := strings.Cut(keyID, "#")
		doc, err := n.getAS2(ctx, actor)
		if err != nil {
			return nil, err
		}
		var a struct {
			ID        string `json:"id"`
			PublicKey struct {
				ID, Owner, PublicKeyPem string
			} `json:"publicKey"`
		}
		if err := json.Unmarshal(doc, &a); err != nil {
			return nil, err
		}
		if a.PublicKey.ID != keyID || a.PublicKey.Owner != a.ID {
			return nil, fmt.Errorf("actor %s serves key %s of %s", a.ID, a.PublicKey.ID, a.PublicKey.Owner)
		}
		block, _ := pem.Decode([]byte(a.PublicKey.PublicKeyPem))
		if block == nil {
			return nil, errors.New("no PEM")
		}
		pub, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return nil, err
		}
		return &signature.Key{ID: keyID, Owner: a.ID, Public: pub}, nil
	}}
	key, err := v.Verify(n.ctx, d.req, d.body)
	if err != nil {
		t.Fatalf("delivery of %s: %v", d.typ(), err)
	}
	if actor, _ := d.doc["actor"].(string); actor != key.Owner {
		t.Errorf("delivery of %s by %s signed by %s", d.typ(), actor, key.Owner)
	}
	return key.Owner
}

// getAS2 GETs a document of the node as ActivityStreams JSON.
func (n *node) getAS2(ctx context.Context, iri string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, iri, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", iri, resp.Status)
	}
	return body, err
}

// Activities a remote sends.

func createNote(actor, id, inReplyTo, content string) map[string]any {
	return map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams",
		"id":       id + "/activity", "type": "Create", "actor": actor,
		"to": []string{"https://www.w3.org/ns/activitystreams#Public"},
		"object": map[string]any{
			"id": id, "type": "Note", "attributedTo": actor, "inReplyTo": inReplyTo, "content": content,
			"url": id, "published": "2026-11-25T09:12:44Z",
			"to": []string{"https://www.w3.org/ns/activitystreams#Public"},
		},
	}
}

func activity(typ, id, actor string, object any) map[string]any {
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": typ, "actor": actor, "object": object}
}

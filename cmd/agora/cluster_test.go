package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"agora/frontend/browsertest"
	"agora/frontend/web"
	"agora/storage/storagetest"
)

// balancer is the load balancer in front of the processes of one node, as
// a city would run one: a reverse proxy on loopback that keeps the Host
// header and adds X-Forwarded-For. It sends each request to the process
// the test chooses (route), or else to the next live one in turn, and
// tells which process answered in the X-Test-Process header.
type balancer struct {
	url string // http://localhost:PORT: the node's base URL

	mu       sync.Mutex
	backends []string // each process's address; "" while it is down
	next     int
	route    func(r *http.Request) int // a process, or -1 for the next in turn
	served   []served
}

// served is which process a request was sent to.
type served struct {
	request string // "POST /path"
	process int
}

type processKey struct{}

func newBalancer(t *testing.T, processes int) *balancer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(l.Addr().String())
	// localhost, not the IP: passkeys need a domain (WebAuthn RP id).
	lb := &balancer{url: "http://localhost:" + port, backends: make([]string, processes)}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			i := pr.In.Context().Value(processKey{}).(int)
			lb.mu.Lock()
			target := lb.backends[i]
			lb.mu.Unlock()
			pr.SetURL(&url.URL{Scheme: "http", Host: target})
			pr.Out.Host = pr.In.Host
			pr.SetXForwarded()
		},
		ModifyResponse: func(resp *http.Response) error {
			resp.Header.Set("X-Test-Process", strconv.Itoa(resp.Request.Context().Value(processKey{}).(int)))
			return nil
		},
		// A process killed mid-request: the client gets a 502, as from a
		// real balancer, and the write is not acknowledged.
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			w.Header().Set("X-Test-Process", strconv.Itoa(r.Context().Value(processKey{}).(int)))
			http.Error(w, "balancer: "+err.Error(), http.StatusBadGateway)
		},
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := lb.choose(r)
		if i < 0 {
			http.Error(w, "balancer: no process up", http.StatusBadGateway)
			return
		}
		proxy.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), processKey{}, i)))
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return lb
}

// choose picks the process for r and records it.
func (lb *balancer) choose(r *http.Request) int {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	i := -1
	if lb.route != nil {
		i = lb.route(r)
	}
	if i < 0 || lb.backends[i] == "" {
		i = -1
		for range lb.backends {
			k := lb.next % len(lb.backends)
			lb.next++
			if lb.backends[k] != "" {
				i = k
				break
			}
		}
	}
	if i >= 0 {
		lb.served = append(lb.served, served{r.Method + " " + r.URL.Path, i})
	}
	return i
}

// set puts process i at addr ("" takes it out).
func (lb *balancer) set(i int, addr string) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	lb.backends[i] = addr
}

// routeBy sets how requests are routed (nil: every process in turn).
func (lb *balancer) routeBy(route func(r *http.Request) int) {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	lb.route = route
}

// pin sends every request to process i.
func (lb *balancer) pin(i int) { lb.routeBy(func(*http.Request) int { return i }) }

// servedBy returns the processes the requests named "METHOD /path" went to,
// in order.
func (lb *balancer) servedBy(request string) []int {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	var out []int
	for _, s := range lb.served {
		if s.request == request {
			out = append(out, s.process)
		}
	}
	return out
}

// cluster is one node run as several `agora serve` processes behind a
// balancer, sharing one database and one blob store; each process has a
// data directory of its own, so nothing is shared through local disk.
// The embedded fedNode's base URL is the balancer's.
type cluster struct {
	*fedNode
	lb    *balancer
	procs []*helperProcess
}

// newCluster starts processes serve processes at once, on a database
// nobody migrated yet: they take turns at the migrations and agree on the
// node's secret and keys. SQLite runs one process; PostgreSQL shares an S3
// prefix, SQLite a blob directory.
func newCluster(t *testing.T, name, dialect string, processes int, pageCache time.Duration) *cluster {
	t.Helper()
	lb := newBalancer(t, processes)
	blobURL := t.TempDir()
	if dialect == "postgres" {
		blobURL = storagetest.S3URL(t)
	}
	n := &fedNode{name: name, base: lb.url, clients: map[string]*http.Client{}, env: map[string]string{
		"AGORA_BASE_URL": lb.url, "AGORA_DATA_DIR": t.TempDir(), "AGORA_DATABASE_URL": storagetest.DatabaseURL(t, dialect),
		"AGORA_BLOB_URL": blobURL, "AGORA_NODE_NAME": name, "AGORA_FEDERATION_ALLOW_PRIVATE": "true",
		"AGORA_PAGE_CACHE": pageCache.String(), "AGORA_TRUSTED_PROXIES": "127.0.0.1/32", "AGORA_LOG_LEVEL": "info",
	}}
	n.openDB(t)
	c := &cluster{fedNode: n, lb: lb, procs: make([]*helperProcess, processes)}
	t.Cleanup(func() {
		if t.Failed() {
			for i, p := range c.procs {
				if p != nil {
					t.Logf("%s process %d log:\n%s", name, i, p.log())
				}
			}
		}
	})
	for i := range c.procs {
		c.procs[i] = launchHelper(t, c.processEnv(t)...)
	}
	for i, p := range c.procs {
		lb.set(i, p.listening(t))
	}
	return c
}

func (c *cluster) processEnv(t *testing.T) []string {
	env := []string{"AGORA_DATA_DIR=" + t.TempDir()}
	for k, v := range c.env {
		if k != "AGORA_DATA_DIR" {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// kill ends process i as a crash would (SIGKILL) and takes it out of the
// balancer.
func (c *cluster) kill(t *testing.T, i int) {
	t.Helper()
	c.lb.set(i, "")
	c.procs[i].cmd.Process.Kill()
	c.procs[i].cmd.Wait()
}

// restart starts a new process in place of process i.
func (c *cluster) restart(t *testing.T, i int) {
	t.Helper()
	c.procs[i] = startHelper(t, c.processEnv(t)...)
	c.lb.set(i, c.procs[i].addr)
}

// TestSeveralProcessesOneNode runs one node as two `agora serve` processes
// on one PostgreSQL schema and one S3 prefix behind a load balancer (on
// SQLite, one process: SQLite is for one machine), with requests sent to
// one process then the other on purpose, and a third, real node following
// it. Whichever process answers: a sign-in link works; a passkey ceremony
// begun on one process finishes on the other; the sign-in limits count
// across processes; a change made through one process shows through the
// other within the page cache's time; a file uploaded through one is
// downloaded through the other; what either writes is delivered to the
// follower. Then a process is killed with SIGKILL in the middle of a
// stream of writes, with the follower down: every acknowledged write is
// there, and the surviving process delivers everything queued, the
// killed process's writes included.
func TestSeveralProcessesOneNode(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		processes := 2
		if dialect == "sqlite" {
			processes = 1
		}
		const pageCache = 3 * time.Second
		n := newCluster(t, "Paris 15e", dialect, processes, pageCache)
		follower := newFedNode(t, "Lille", "sqlite")
		follower.start(t)
		n.admin(t, "create-space", "--slug", "budget", "--title", "Budget participatif 2027")

		clusterLoginLink(t, n)
		clusterPasskeys(t, n)
		clusterRateLimit(t, n)
		clusterPageCache(t, n, pageCache)
		clusterFiles(t, n)
		clusterFederation(t, n, follower)
		clusterKill(t, n, follower)
	})
}

// last is the other process than the first, or the only one.
func (c *cluster) last() int { return len(c.procs) - 1 }

// clusterLoginLink: a sign-in link opened on one process gives a session
// the other knows, and cannot be used again on the other.
func clusterLoginLink(t *testing.T, n *cluster) {
	n.lb.routeBy(nil)
	n.admin(t, "create-user", "--handle", "alice", "--display-name", "Alice", "--verified")
	link := lastLine(n.admin(t, "login-link", "--handle", "alice"))
	jar, _ := cookiejar.New(nil)
	alice := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp := do(t, alice, http.MethodGet, link, nil, "")
	if resp.status != http.StatusOK || !strings.Contains(resp.body, "alice") {
		t.Fatalf("sign-in link: %d, page without the handle\n%s", resp.status, resp.body)
	}
	linkPath := strings.TrimPrefix(link, n.base)
	opened, account := n.lb.servedBy("GET "+linkPath), n.lb.servedBy("GET /account")
	if len(opened) != 1 || len(account) != 1 || len(n.procs) > 1 && opened[0] == account[0] {
		t.Errorf("sign-in link opened on process %v, account page on %v: want one each, on two processes", opened, account)
	}
	n.clients["alice"] = alice
	// The link is spent, whichever process is asked.
	for range n.procs {
		jar, _ := cookiejar.New(nil)
		other := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: noRedirect}
		if resp := do(t, other, http.MethodGet, link, nil, ""); resp.status == http.StatusSeeOther {
			t.Errorf("the sign-in link worked twice (second time on process %s)", resp.process)
		}
	}
}

// clusterPasskeys: sign up with a passkey, begun on one process and
// finished on the other; sign out, and sign in the other way round.
func clusterPasskeys(t *testing.T, n *cluster) {
	b := browsertest.New(t, browsertest.Timeout(2*time.Minute))
	b.VirtualAuthenticator()
	ceremonies := func(begin, finish int) {
		n.lb.routeBy(func(r *http.Request) int {
			switch {
			case strings.HasPrefix(r.URL.Path, "/webauthn/") && strings.HasSuffix(r.URL.Path, "/begin"):
				return begin
			case strings.HasPrefix(r.URL.Path, "/webauthn/") && strings.HasSuffix(r.URL.Path, "/finish"):
				return finish
			}
			return -1
		})
	}
	ceremonies(0, n.last())
	b.Open(n.base + "/signup")
	b.Fill("#f-handle", "sacha")
	b.Fill("#f-display_name", "Sacha L.")
	passkeyCeremony(t, b, "main form[data-passkey=signup]", "/account/recovery-codes")
	wantProcesses(t, n.lb, "POST /webauthn/signup/begin", 0)
	wantProcesses(t, n.lb, "POST /webauthn/signup/finish", n.last())
	if k := n.count(t, "passkeys", "account_id = (SELECT id FROM accounts WHERE handle = 'sacha')"); k != 1 {
		t.Fatalf("%d passkeys after signing up across processes, want 1", k)
	}

	if status := b.Submit(`header form[action="/logout"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("sign out: %d", status)
	}
	ceremonies(n.last(), 0)
	b.Open(n.base + "/login")
	passkeyCeremony(t, b, "main form[data-passkey=login]:not(:has(#f-handle))", "/account")
	wantProcesses(t, n.lb, "POST /webauthn/login/begin", n.last())
	wantProcesses(t, n.lb, "POST /webauthn/login/finish", 0)
	if k := n.count(t, "passkeys", "account_id = (SELECT id FROM accounts WHERE handle = 'sacha') AND last_used_at IS NOT NULL"); k != 1 {
		t.Errorf("the passkey is not marked used after signing in across processes")
	}
	if k := n.count(t, "webauthn_challenges", "1 = 1"); k != 0 {
		t.Errorf("%d ceremonies left in the database after both finished", k)
	}
	n.lb.routeBy(nil)
}

// passkeyCeremony clicks the button of the passkey form, lets passkey.js
// and the virtual authenticator run the ceremony, and fails unless the tab
// lands on a page under path.
func passkeyCeremony(t *testing.T, b *browsertest.Browser, form, path string) {
	t.Helper()
	b.Click(form + " button[type=submit]")
	sel, _ := json.Marshal(form)
	js := `(() => { const f = document.querySelector(` + string(sel) + `);
		return location.pathname + "|" + (f ? f.querySelector(".passkey-status").textContent : ""); })()`
	var last string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.Context(), 2*time.Second)
		st, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		cancel()
		if err != nil {
			continue // between two pages
		}
		last = st
		if strings.HasPrefix(st, path) {
			return
		}
	}
	t.Fatalf("passkey ceremony of %s: never reached %s; last seen (path|message): %q", form, path, last)
}

func wantProcesses(t *testing.T, lb *balancer, request string, want int) {
	t.Helper()
	if got := lb.servedBy(request); len(got) == 0 || got[len(got)-1] != want {
		t.Errorf("%s went to processes %v, want the last on %d", request, got, want)
	}
}

// clusterRateLimit: the sign-in limit per account holds across processes.
// Were counts kept per process, each would still allow some.
func clusterRateLimit(t *testing.T, n *cluster) {
	n.lb.routeBy(nil)
	body := `{"handle":"nobody_at_all"}`
	var spread []string
	for i := 1; i <= web.LimitPerAccount.Max+1; i++ {
		resp := do(t, http.DefaultClient, http.MethodPost, n.base+"/webauthn/login/begin", strings.NewReader(body), "application/json")
		spread = append(spread, resp.process)
		want := http.StatusOK
		if i > web.LimitPerAccount.Max {
			want = http.StatusTooManyRequests
		}
		if resp.status != want {
			t.Fatalf("sign-in attempt %d for one handle (process %s): %d, want %d\n%s", i, resp.process, resp.status, want, resp.body)
		}
	}
	t.Logf("sign-in attempts went to processes %v", spread)
}

// clusterPageCache: an anonymous page cached by each process shows a
// change made through another once the cache's time has passed; before,
// it may be stale (and is, which proves the cache is on in this test).
func clusterPageCache(t *testing.T, n *cluster, ttl time.Duration) {
	alice := n.clients["alice"]
	n.lb.pin(0)
	id := proposeOn(t, n.fedNode, alice, "budget", "Des bancs rue du Commerce")
	jar, _ := cookiejar.New(nil)
	visitor := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	filled := make([]time.Time, len(n.procs))
	for i := range n.procs {
		n.lb.pin(i)
		filled[i] = time.Now()
		for range 2 { // the first visit may set a cookie, which is never cached
			if resp := do(t, visitor, http.MethodGet, n.base+"/proposals/"+id, nil, ""); !strings.Contains(resp.body, "Des bancs rue du Commerce") {
				t.Fatalf("proposal page on process %d: %d\n%s", i, resp.status, resp.body)
			}
		}
	}
	n.lb.pin(0)
	n.post(t, alice, "/proposals/"+id+"/edit", url.Values{"title": {"Des bancs et des arbres rue du Commerce"},
		"body": {"Des bancs et des arbres le long de la **rue**."}}, http.StatusOK)
	edited := time.Now()

	n.lb.pin(n.last())
	resp := do(t, visitor, http.MethodGet, n.base+"/proposals/"+id, nil, "")
	if time.Now().Before(filled[n.last()].Add(ttl)) && strings.Contains(resp.body, "Des bancs et des arbres rue du Commerce") {
		t.Errorf("process %d did not serve its cached page within %s: the test does not exercise the page cache", n.last(), ttl)
	}
	time.Sleep(time.Until(edited.Add(ttl + 100*time.Millisecond)))
	for i := range n.procs {
		n.lb.pin(i)
		if resp := do(t, visitor, http.MethodGet, n.base+"/proposals/"+id, nil, ""); !strings.Contains(resp.body, "Des bancs et des arbres rue du Commerce") {
			t.Errorf("process %d still shows the old title %s after the change", i, ttl)
		}
	}
	n.lb.routeBy(nil)
}

// clusterFiles: a file uploaded through one process is downloaded through
// the other (one blob store).
func clusterFiles(t *testing.T, n *cluster) {
	n.lb.pin(0)
	pdf := []byte("%PDF-1.4\n% plan du square, deux processus\n%%EOF\n")
	id := proposeWithFile(t, n.fedNode, n.clients["alice"], "budget", "", "Un composteur square Violet", "plan.pdf", pdf)
	n.lb.pin(n.last())
	resp := do(t, http.DefaultClient, http.MethodGet, n.base+"/proposals/"+id+"/attachments/1", nil, "")
	if resp.status != http.StatusOK || resp.body != string(pdf) || resp.process != strconv.Itoa(n.last()) {
		t.Errorf("attachment through process %s: %d, %q", resp.process, resp.status, resp.body)
	}
	n.lb.routeBy(nil)
}

// clusterFederation: a node follows a space of the cluster; what either
// process writes reaches it.
func clusterFederation(t *testing.T, n *cluster, follower *fedNode) {
	n.lb.routeBy(nil)
	admin := follower.user(t, "karim", false, "--role", "admin")
	follower.post(t, admin, "/admin/federation/follow", url.Values{"target": {"@budget@" + host(n.fedNode)}}, http.StatusOK)
	eventually(t, 30*time.Second, "the cluster accepts the follow", func() bool {
		return follower.count(t, "ap_following", "state = 'accepted'") == 1
	})
	var ids []string
	for i := range n.procs {
		n.lb.pin(i)
		ids = append(ids, proposeOn(t, n.fedNode, n.clients["alice"], "budget", fmt.Sprintf("Une fontaine (processus %d)", i)))
	}
	n.lb.routeBy(nil)
	for _, id := range ids {
		eventually(t, 30*time.Second, "the follower receives "+id, func() bool {
			return follower.count(t, "ap_remote_objects", "id = ?", n.base+"/proposals/"+id) == 1
		})
	}
}

// clusterKill: with the follower down, residents post proposals through
// the balancer while the first process is killed with SIGKILL. Every
// acknowledged proposal is stored, and once the follower is back the
// deliveries queued meanwhile arrive, sent by the survivor (on SQLite,
// by the process started in place of the killed one).
func clusterKill(t *testing.T, n *cluster, follower *fedNode) {
	follower.kill(t)
	n.lb.routeBy(nil)
	var residents []*http.Client
	for _, h := range []string{"bruno", "chloe", "dalila"} {
		residents = append(residents, n.user(t, h, false, "--verified"))
	}
	// The residents post all at once, so that requests are in flight on
	// the process when it dies, and go on until three more proposals are
	// acknowledged after it died.
	type ack struct{ id, process string }
	acks := make(chan ack, 100)
	failed := make(chan error, len(residents))
	stop := make(chan struct{})
	var once sync.Once
	halt := func() { once.Do(func() { close(stop) }) }
	defer halt()
	deadline := time.Now().Add(time.Minute)
	var wg sync.WaitGroup
	var posted atomic.Int64
	for r, c := range residents {
		wg.Go(func() {
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				if time.Now().After(deadline) {
					return
				}
				posted.Add(1)
				resp, err := postProposal(c, n.base, "budget", fmt.Sprintf("Proposition %d-%d pendant la panne", r, k))
				if err != nil {
					failed <- err
					return
				}
				if resp.status != http.StatusSeeOther {
					time.Sleep(50 * time.Millisecond) // the balancer has nowhere to send it yet
					continue
				}
				id, _ := strings.CutPrefix(strings.SplitN(resp.location, "?", 2)[0], "/proposals/")
				acks <- ack{id, resp.process}
			}
		})
	}
	go func() { wg.Wait(); close(acks); close(failed) }()
	var acked []ack
	for a := range acks {
		acked = append(acked, a)
		switch len(acked) {
		case 3:
			n.kill(t, 0)
			if len(n.procs) == 1 {
				n.restart(t, 0)
			}
		case 6:
			halt()
		}
	}
	for err := range failed {
		t.Fatal(err)
	}
	byKilled := 0
	for i, a := range acked {
		if n.count(t, "proposals", "id = ?", a.id) != 1 {
			t.Errorf("acknowledged proposal %s (process %s) is missing", a.id, a.process)
		}
		if i < 3 && a.process == "0" {
			byKilled++
		}
	}
	if byKilled == 0 || len(acked) < 6 {
		t.Fatalf("acknowledged: %v; want some by the killed process and three after it died", acked)
	}
	if stored := n.count(t, "proposals", "title LIKE 'Proposition %'"); stored > int(posted.Load()) {
		t.Errorf("%d proposals stored, more than the %d posted", stored, posted.Load())
	}
	t.Logf("%d proposals posted during the crash, %d acknowledged, %d of them by the killed process before it died",
		posted.Load(), len(acked), byKilled)

	// On PostgreSQL the killed process stays dead: the survivor delivers.
	follower.start(t)
	for _, a := range acked {
		eventually(t, 90*time.Second, "the follower receives proposal "+a.id+" written while it was down", func() bool {
			return follower.count(t, "ap_remote_objects", "id = ?", n.base+"/proposals/"+a.id) == 1
		})
	}
}

// response is what the tests read of an answer through the balancer.
type response struct {
	status   int
	body     string
	location string
	process  string // X-Test-Process: which process answered
}

func do(t *testing.T, c *http.Client, method, u string, body io.Reader, contentType string) response {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, string(b), resp.Header.Get("Location"), resp.Header.Get("X-Test-Process")}
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// postProposal posts a new proposal without following the redirect; an
// error is a failure of the client, not of the node (a 502 is a status).
func postProposal(c *http.Client, base, space, title string) (response, error) {
	form := url.Values{"title": {title}, "body": {"Des bancs et des arbres le long de la **rue**."}}
	req, err := http.NewRequest(http.MethodPost, base+"/proposals/new?space="+space, strings.NewReader(form.Encode()))
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	nc := *c
	nc.CheckRedirect = noRedirect
	resp, err := nc.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, string(b), resp.Header.Get("Location"), resp.Header.Get("X-Test-Process")}, nil
}

// proposeWithFile posts a new proposal with one file and returns its id;
// category is "" in a space without categories.
func proposeWithFile(t *testing.T, n *fedNode, c *http.Client, space, category, title, name string, data []byte) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("title", title)
	mw.WriteField("body", "Le plan est joint.")
	if category != "" {
		mw.WriteField("category", category)
	}
	fw, _ := mw.CreateFormFile("attachments", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, n.base+"/proposals/new?space="+space, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	nc := *c
	nc.CheckRedirect = noRedirect
	resp, err := nc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id, ok := strings.CutPrefix(strings.SplitN(resp.Header.Get("Location"), "?", 2)[0], "/proposals/")
	if resp.StatusCode != http.StatusSeeOther || !ok {
		t.Fatalf("%s: new proposal with a file: %d\n%s", n.name, resp.StatusCode, body)
	}
	return id
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

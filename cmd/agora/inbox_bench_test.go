package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/federation/signature"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// BenchmarkInbox floods a real node's shared inbox, as a busy fediverse
// server would: the real binary on loopback, a peer on loopback serving
// 100 remote actors, and 32 clients posting 3,000 activities signed
// beforehand (draft-cavage rsa-sha256 with Digest, as Mastodon signs):
// replies to a proposal, follows of its space and likes of it, in turn.
// The actors are unknown to the node at first: each one's first activity
// is sent first (first contact: the node fetches 100 keys from the peer,
// reported apart as first-contact-p99-ms), then the 2,900 others. It
// reports accepted activities per second, p50 and p99 of the answers of
// those, and the time from the end of the flood until every accepted
// activity is applied; it fails if one is lost or refused.
//
//	AGORA_BENCH_INBOX  number of activities (default 3000)
//
//	AGORA_BENCH_PROFILE  a folder: the node's CPU, block and mutex
//	                     profiles of the flood are written there
//
// Run it with -benchtime 1x (one flood per database); -short sends 600.
func BenchmarkInbox(b *testing.B) {
	total := 3000
	if testing.Short() { // CI's run: the code path, not the figure
		total = 600
	}
	if v, err := strconv.Atoi(os.Getenv("AGORA_BENCH_INBOX")); err == nil && v > 0 {
		total = v
	}
	const actors, clients = 100, 32
	bin := buildAgora(b)
	peer := newBenchPeer(b)
	for _, dialect := range storagetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				t0 := time.Now()
				n := startBenchNode(b, bin, dialect)
				flood := peer.activities(b, n, actors, total)
				b.Logf("node seeded and started, %d activities signed in %s", total, time.Since(t0).Round(time.Millisecond))
				profiled := n.profile(b, "inbox-"+dialect)
				b.StartTimer()
				cpu0 := cpuTimeOf(n.cmd.Process.Pid)
				first := n.flood(b, flood[:min(actors, len(flood))], clients)
				start := time.Now()
				r := n.flood(b, flood[min(actors, len(flood)):], clients)
				elapsed := time.Since(start)
				r.accepted = append(first.accepted, r.accepted...)
				r.refused += first.refused
				cpuFlood := cpuTimeOf(n.cmd.Process.Pid) - cpu0
				applied := n.waitApplied(b, r.accepted, time.Minute)
				cpuAll := cpuTimeOf(n.cmd.Process.Pid) - cpu0
				b.StopTimer()
				<-profiled
				n.checkApplied(b, flood, r)
				b.ReportMetric(float64(len(r.accepted)-len(first.accepted))/elapsed.Seconds(), "accepted/s")
				b.ReportMetric(ms(first.p99), "first-contact-p99-ms")
				b.ReportMetric(ms(r.p50), "p50-ms")
				b.ReportMetric(ms(r.p99), "p99-ms")
				b.ReportMetric(ms(applied), "applied-after-ms")
				b.ReportMetric(float64(r.refused), "refused")
				// The node's CPU time (every thread) per activity: during
				// the flood (verify, store, and what the workers applied
				// meanwhile), and until all are applied. On a shared
				// machine this is the figure that holds: 1000 / it is the
				// rate one free core would sustain.
				b.ReportMetric(ms(cpuFlood)/float64(len(r.accepted)), "cpu-ms/accepted-in-flood")
				b.ReportMetric(ms(cpuAll)/float64(len(r.accepted)), "cpu-ms/applied")
				n.stop(b)
			}
		})
		b.Run(dialect+"-killed", func(b *testing.B) {
			for range b.N {
				n := startBenchNode(b, bin, dialect)
				n.killedMidFlood(b, peer.activities(b, n, actors, max(total/5, 300)), clients)
				n.stop(b)
			}
		})
	}
}

// killedMidFlood kills the node (SIGKILL) once a third of the activities
// are accepted, and checks that every one it accepted is stored and
// queued, or already applied: a 202 is a promise kept through a crash.
// Then the node restarts, the peers send again what was not accepted
// (as they retry), and every activity is applied once.
func (n *benchNode) killedMidFlood(b *testing.B, acts []signedActivity, clients int) {
	b.Helper()
	r := n.floodKilled(b, acts, clients, len(acts)/3)
	ctx := context.Background()
	stored, err := n.db.NewSelect().Table("ap_received").Where("activity_id IN (?)", bun.In(r.accepted)).Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	unprocessed, err := n.db.NewSelect().Table("ap_received").Where("processed_at IS NULL").Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	queued, err := n.db.NewSelect().Table("river_job").
		Where("kind = 'ap_inbox' AND state IN ('available', 'running', 'retryable', 'scheduled', 'pending')").Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if int(stored) != len(r.accepted) || queued < unprocessed {
		b.Fatalf("killed after %d accepted: %d of them stored, %d not applied and %d queued", len(r.accepted), stored, unprocessed, queued)
	}
	b.Logf("killed after %d accepted: all stored, %d not yet applied, all queued", len(r.accepted), unprocessed)
	b.ReportMetric(float64(len(r.accepted)), "accepted-before-kill")
	b.ReportMetric(float64(unprocessed), "queued-at-kill")

	n.cmd = exec.Command(n.cmd.Path, n.cmd.Args[1:]...)
	n.cmd.Env = n.env
	startAndWait(b, n.cmd)
	accepted := map[string]bool{}
	for _, id := range r.accepted {
		accepted[id] = true
	}
	var again []signedActivity
	for _, a := range acts {
		if !accepted[a.id] {
			again = append(again, a)
		}
	}
	r2 := n.flood(b, again, clients)
	if got := len(r.accepted) + len(r2.accepted); got != len(acts) {
		b.Errorf("%d activities accepted in all, want %d", got, len(acts))
	}
	// Jobs that were running when the node died are taken up again once
	// River deems them stuck (RescueStuckJobsAfter, 2 min): not waited for.
	done, err := n.db.NewSelect().Table("ap_received").Count(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if int(done) != len(acts) {
		b.Errorf("%d activities stored, want %d", done, len(acts))
	}
}

func ms(d time.Duration) float64 { return d.Seconds() * 1000 }

// benchPeer is a fediverse server on loopback: every /users/NAME is a
// Person with a shared inbox, all with one key (a key per actor would
// only cost the benchmark seconds of key generation: the node still
// fetches and verifies each actor's key on its own); POSTs are answered
// 202 and counted.
type benchPeer struct {
	base  string
	key   *rsa.PrivateKey
	posts atomic.Int64
}

func newBenchPeer(b *testing.B) *benchPeer {
	b.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	p := &benchPeer{key: key}
	pem := peerPEM(&key.PublicKey)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			io.Copy(io.Discard, r.Body)
			p.posts.Add(1)
			w.WriteHeader(http.StatusAccepted)
			return
		}
		id := p.base + r.URL.Path
		w.Header().Set("Content-Type", "application/activity+json")
		json.NewEncoder(w).Encode(map[string]any{
			"@context": []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
			"id":       id, "type": "Person", "preferredUsername": r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:],
			"inbox": id + "/inbox", "endpoints": map[string]any{"sharedInbox": p.base + "/inbox"},
			"publicKey": map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": pem},
		})
	}))
	b.Cleanup(srv.Close)
	p.base = srv.URL
	return p
}

// signedActivity is a POST ready to send: its body and signed headers.
type signedActivity struct {
	id, typ string
	body    []byte
	header  http.Header
}

// activities makes and signs total activities from actors distinct
// actors, on the node's hot proposal and its space, in turn: a reply, a
// follow, a like.
func (p *benchPeer) activities(b *testing.B, n *benchNode, actors, total int) []signedActivity {
	b.Helper()
	proposal, space := n.base+"/proposals/"+n.proposal, n.base+"/spaces/"+n.space
	out := make([]signedActivity, total)
	var wg sync.WaitGroup
	errs := make(chan error, runtime.NumCPU())
	for w := range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < total; i += runtime.NumCPU() {
				actor := fmt.Sprintf("%s/users/u%d", p.base, i%actors)
				id := fmt.Sprintf("%s/activities/%d", actor, i)
				doc := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "actor": actor}
				switch i % 3 {
				case 0:
					doc["type"] = "Create"
					doc["to"] = []string{"https://www.w3.org/ns/activitystreams#Public"}
					doc["object"] = map[string]any{"id": id + "/note", "type": "Note", "attributedTo": actor,
						"inReplyTo": proposal, "content": fmt.Sprintf("<p>Réponse numéro %d à la proposition.</p>", i),
						"to": []string{"https://www.w3.org/ns/activitystreams#Public"}}
				case 1:
					doc["type"], doc["object"] = "Follow", space
				case 2:
					doc["type"], doc["object"] = "Like", proposal
				}
				body, _ := json.Marshal(doc)
				req, _ := http.NewRequest(http.MethodPost, n.base+"/inbox", bytes.NewReader(body))
				req.Host = strings.TrimPrefix(n.base, "http://")
				req.Header.Set("Content-Type", "application/activity+json")
				if err := (&signature.Signer{KeyID: actor + "#main-key", Private: p.key}).Sign(req, body); err != nil {
					errs <- err
					return
				}
				out[i] = signedActivity{id: id, typ: doc["type"].(string), body: body, header: req.Header}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	return out
}

// benchNode is a real node (the built binary) with a seeded space.
type benchNode struct {
	cmd             *exec.Cmd
	base, addr      string
	env             []string
	db              *bun.DB
	proposal, space string
	debug           string // AGORA_DEBUG_ADDR, when profiling
}

// profile, when AGORA_BENCH_PROFILE names a folder, takes the node's CPU
// profile for the next 10 s, then its block and mutex profiles, into
// that folder as name.cpu, name.block and name.mutex (go tool pprof reads
// them). The channel is closed when they are written.
func (n *benchNode) profile(b *testing.B, name string) <-chan struct{} {
	done := make(chan struct{})
	dir := os.Getenv("AGORA_BENCH_PROFILE")
	if dir == "" {
		close(done)
		return done
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	go func() {
		defer close(done)
		for _, p := range []struct{ path, ext string }{{"profile?seconds=10", "cpu"}, {"block", "block"}, {"mutex", "mutex"}} {
			resp, err := http.Get("http://" + n.debug + "/debug/pprof/" + p.path)
			if err != nil {
				b.Errorf("profile: %v", err)
				return
			}
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err := os.WriteFile(filepath.Join(dir, name+"."+p.ext), data, 0o644); err != nil {
				b.Errorf("profile: %v", err)
			}
		}
	}()
	return done
}

func startBenchNode(b *testing.B, bin, dialect string) *benchNode {
	b.Helper()
	addr := freeAddr(b)
	// localhost, not the IP: passkeys need a domain. Requests go to the
	// IP (dial) with the base URL's host (signed).
	n := &benchNode{base: "http://localhost" + addr[strings.LastIndex(addr, ":"):], addr: addr, space: "grand-budget"}
	n.env = append(os.Environ(), "AGORA_DATA_DIR="+b.TempDir(), "AGORA_DATABASE_URL="+storagetest.DatabaseURL(b, dialect),
		"AGORA_BASE_URL="+n.base, "AGORA_FEDERATION_ALLOW_PRIVATE=true", "AGORA_LOG_LEVEL=warn")
	migrate := exec.Command(bin, "migrate", "up") // admin commands never create a database
	migrate.Env = n.env
	if out, err := migrate.CombinedOutput(); err != nil {
		b.Fatalf("migrate up: %v\n%s", err, out)
	}
	seed := exec.Command(bin, "admin", "seed", "--scale", "0.001")
	seed.Env = n.env
	out, err := seed.CombinedOutput()
	if err != nil {
		b.Fatalf("seed: %v\n%s", err, out)
	}
	hot := regexp.MustCompile(`/proposals/(\S+)`).FindSubmatch(out)
	if hot == nil {
		b.Fatalf("no hot proposal in:\n%s", out)
	}
	n.proposal = string(hot[1])
	if os.Getenv("AGORA_BENCH_PROFILE") != "" {
		n.debug = freeAddr(b)
		n.env = append(n.env, "AGORA_DEBUG_ADDR="+n.debug)
	}
	n.cmd = exec.Command(bin, "serve", "--addr", addr)
	n.cmd.Env = n.env
	startAndWait(b, n.cmd)
	// The node's own keys (the instance actor signs its fetches, the
	// space's Group its Accepts) are made once in a node's life, on first
	// use: here, as on a node that has federated before, not during the
	// flood.
	for _, actor := range []string{"/actor", "/spaces/" + n.space} {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+actor, nil)
		req.Host = strings.TrimPrefix(n.base, "http://")
		req.Header.Set("Accept", "application/activity+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d", actor, resp.StatusCode)
		}
	}
	db, err := database.Open(context.Background(), envOf(n.env, "AGORA_DATABASE_URL"), envOf(n.env, "AGORA_DATA_DIR"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	n.db = db
	return n
}

func (n *benchNode) stop(b *testing.B) {
	b.Helper()
	stopAgora(b, n.cmd)
}

// envOf is the last value of key in env.
func envOf(env []string, key string) string {
	v := ""
	for _, kv := range env {
		if k, val, ok := strings.Cut(kv, "="); ok && k == key {
			v = val
		}
	}
	return v
}

type floodResult struct {
	accepted []string // activity ids answered 202
	refused  int      // other answers, errors
	p50, p99 time.Duration
}

// flood posts every activity once, from clients clients in parallel,
// each waiting for its answer before the next.
func (n *benchNode) flood(b *testing.B, acts []signedActivity, clients int) floodResult {
	b.Helper()
	return n.floodKilled(b, acts, clients, 0)
}

// floodKilled is flood, but the node is killed (SIGKILL, as a crash) once
// killAfter activities are accepted, when killAfter > 0; the activities
// not sent or not answered then count as refused.
func (n *benchNode) floodKilled(b *testing.B, acts []signedActivity, clients, killAfter int) floodResult {
	b.Helper()
	var killed atomic.Bool
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var next atomic.Int64
	var mu sync.Mutex
	var r floodResult
	var lat []time.Duration
	var firstErr string
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(acts) || killed.Load() {
					return
				}
				a := acts[i]
				req, _ := http.NewRequest(http.MethodPost, "http://"+n.addr+"/inbox", bytes.NewReader(a.body))
				req.Header = a.header.Clone()
				req.Host = strings.TrimPrefix(n.base, "http://")
				t0 := time.Now()
				resp, err := client.Do(req)
				d := time.Since(t0)
				status := 0
				var msg []byte
				if err == nil {
					msg, _ = io.ReadAll(resp.Body)
					resp.Body.Close()
					status = resp.StatusCode
				}
				mu.Lock()
				lat = append(lat, d)
				if status == http.StatusAccepted {
					r.accepted = append(r.accepted, a.id)
					if killAfter > 0 && len(r.accepted) == killAfter {
						killed.Store(true)
						n.cmd.Process.Kill()
					}
				} else {
					r.refused++
					if firstErr == "" {
						firstErr = fmt.Sprintf("%s: %d %v %s", a.id, status, err, msg)
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if killAfter > 0 {
		n.cmd.Wait()
	} else if r.refused > 0 {
		b.Errorf("%d activities not accepted, first: %s", r.refused, firstErr)
	}
	slices.Sort(lat)
	r.p50, r.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	return r
}

// waitApplied waits until every accepted activity is applied and returns
// how long that took.
func (n *benchNode) waitApplied(b *testing.B, accepted []string, limit time.Duration) time.Duration {
	b.Helper()
	start := time.Now()
	for {
		done, err := n.db.NewSelect().Table("ap_received").Where("processed_at IS NOT NULL").Count(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if done >= int64(len(accepted)) {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			b.Fatalf("%d of %d accepted activities applied after %s", done, len(accepted), limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkApplied checks that each accepted activity did what it says: one
// remote comment per reply, a follower per actor that followed, a
// reaction per like, and that the replies show on the proposal's page.
func (n *benchNode) checkApplied(b *testing.B, acts []signedActivity, r floodResult) {
	b.Helper()
	ctx := context.Background()
	var refused []string
	if err := n.db.NewSelect().Table("ap_received").Column("outcome").Where("outcome LIKE 'refused%'").Limit(3).Scan(ctx, &refused); err != nil {
		b.Fatal(err)
	}
	if len(refused) > 0 {
		b.Errorf("activities refused when applied, e.g. %q", refused)
	}
	accepted := map[string]bool{}
	for _, id := range r.accepted {
		accepted[id] = true
	}
	want := map[string]int{}
	followers := map[string]bool{}
	for _, a := range acts {
		if accepted[a.id] {
			want[a.typ]++
			if a.typ == "Follow" {
				followers[a.id[:strings.Index(a.id, "/activities/")]] = true
			}
		}
	}
	count := func(table, where string, args ...any) int {
		c64, err := n.db.NewSelect().Table(table).Where(where, args...).Count(ctx)
		c := int(c64)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	if got := count("comments", "target_id = ? AND remote_actor IS NOT NULL", n.proposal); got != want["Create"] {
		b.Errorf("%d remote comments on the proposal, want %d", got, want["Create"])
	}
	if got := count("ap_reactions", "kind = 'like'"); got != want["Like"] {
		b.Errorf("%d likes, want %d", got, want["Like"])
	}
	if got := count("ap_followers", "actor = ?", n.base+"/spaces/"+n.space); got != len(followers) {
		b.Errorf("%d followers of the space, want %d", got, len(followers))
	}
	resp, err := http.Get("http://" + n.addr + "/proposals/" + n.proposal)
	if err != nil {
		b.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(page, []byte("Réponse numéro 0 à la proposition.")) {
		b.Errorf("the first reply is not on the proposal's page")
	}
}

// cpuTimeOf is the CPU time pid has used so far, user and system, all
// threads (0 if it cannot be read).
func cpuTimeOf(pid int) time.Duration {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces), from 3 on.
	f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

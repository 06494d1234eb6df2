package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/federation/signature"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// BenchmarkFanout measures one new proposal reaching the followers of
// its space: 10,000 remote followers on 500 hosts (each host a loopback
// listener of one sink that verifies every signature, with the node's
// key fetched once, and counts). Followers of one host share its inbox,
// so the node owes one delivery of the space's Announce per host. It
// reports the time from the proposal's post until every host has its
// Announce, the deliveries per second and the node's peak RSS.
//
//	AGORA_BENCH_FOLLOWERS  followers (default 10000)
//	AGORA_BENCH_HOSTS      hosts they live on (default 500)
//
// Run it with -benchtime 1x (one proposal per database); -short runs
// 1,000 followers on 50 hosts.
func BenchmarkFanout(b *testing.B) {
	followers, hosts := 10000, 500
	if testing.Short() { // CI's run: the code path, not the figure
		followers, hosts = 1000, 50
	}
	if v, err := strconv.Atoi(os.Getenv("AGORA_BENCH_FOLLOWERS")); err == nil && v > 0 {
		followers = v
	}
	if v, err := strconv.Atoi(os.Getenv("AGORA_BENCH_HOSTS")); err == nil && v > 0 {
		hosts = v
	}
	bin := buildAgora(b)
	for _, dialect := range storagetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				sink := newFanoutSink(b, hosts)
				n := startFanoutNode(b, bin, dialect, sink, followers)
				b.StartTimer()
				n.propose(b)
				took := sink.wait(b, time.Minute)
				b.StopTimer()
				time.Sleep(200 * time.Millisecond) // anything more than owed
				got, bad := sink.totals()
				b.ReportMetric(took.Seconds(), "s-all-delivered")
				b.ReportMetric(float64(hosts)/took.Seconds(), "deliveries/s")
				b.ReportMetric(float64(got), "deliveries")
				b.ReportMetric(peakRSSOf(n.cmd.Process.Pid), "MB-RSS-peak")
				if bad > 0 {
					b.Errorf("%d deliveries did not verify", bad)
				}
				stopAgora(b, n.cmd)
			}
		})
	}
}

// fanoutSink is hosts listeners on loopback, each a fediverse server's
// shared inbox at /inbox: every POST's signature is verified (draft-cavage
// with its digest) and counted by host and activity type.
type fanoutSink struct {
	hosts    []string // 127.0.0.1:PORT
	verifier *signature.Verifier

	mu     sync.Mutex
	got    map[string]map[string]int // host → type → count
	bad    int
	keys   map[string]*signature.Key
	owedBy map[string]bool // hosts that have the Announce
	all    chan struct{}   // closed when every host has it
}

func newFanoutSink(b *testing.B, hosts int) *fanoutSink {
	b.Helper()
	s := &fanoutSink{got: map[string]map[string]int{}, keys: map[string]*signature.Key{}, owedBy: map[string]bool{},
		all: make(chan struct{})}
	s.verifier = &signature.Verifier{Scheme: "http", Keys: s.key}
	srv := &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second}
	for range hosts {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		s.hosts = append(s.hosts, ln.Addr().String())
		go srv.Serve(ln)
	}
	b.Cleanup(func() { srv.Close() })
	return s
}

// key fetches a key of the node once (its owner's actor document).
func (s *fanoutSink) key(ctx context.Context, keyID string, _ bool) (*signature.Key, error) {
	s.mu.Lock()
	k := s.keys[keyID]
	s.mu.Unlock()
	if k != nil {
		return k, nil
	}
	owner, _, _ := strings.Cut(keyID, "#")
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, owner, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var doc struct {
		PublicKey struct {
			PEM string `json:"publicKeyPem"`
		} `json:"publicKey"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, err
	}
	block, _ := pem.Decode([]byte(doc.PublicKey.PEM))
	if block == nil {
		return nil, fmt.Errorf("no key in %s", owner)
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	k = &signature.Key{ID: keyID, Owner: owner, Public: pub}
	s.mu.Lock()
	s.keys[keyID] = k
	s.mu.Unlock()
	return k, nil
}

func (s *fanoutSink) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/inbox" {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		_, err = s.verifier.Verify(r.Context(), r, body)
	}
	var doc struct {
		Type string `json:"type"`
	}
	json.Unmarshal(body, &doc)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.bad++
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	if s.got[r.Host] == nil {
		s.got[r.Host] = map[string]int{}
	}
	s.got[r.Host][doc.Type]++
	if doc.Type == "Announce" && !s.owedBy[r.Host] {
		s.owedBy[r.Host] = true
		if len(s.owedBy) == len(s.hosts) {
			close(s.all)
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

// wait waits until every host has the Announce, and says how long.
func (s *fanoutSink) wait(b *testing.B, limit time.Duration) time.Duration {
	b.Helper()
	start := time.Now()
	select {
	case <-s.all:
		return time.Since(start)
	case <-time.After(limit):
		s.mu.Lock()
		defer s.mu.Unlock()
		b.Fatalf("%d of %d hosts have the Announce after %s (%d refused signatures)", len(s.owedBy), len(s.hosts), limit, s.bad)
		return 0
	}
}

// totals are the deliveries verified and refused.
func (s *fanoutSink) totals() (got, bad int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, types := range s.got {
		for _, c := range types {
			got += c
		}
	}
	return got, s.bad
}

// fanoutNode is a real node whose space "budget" has remote followers.
type fanoutNode struct {
	cmd    *exec.Cmd
	base   string
	addr   string
	author *http.Client
}

func startFanoutNode(b *testing.B, bin, dialect string, sink *fanoutSink, followers int) *fanoutNode {
	b.Helper()
	addr := freeAddr(b)
	n := &fanoutNode{base: "http://localhost" + addr[strings.LastIndex(addr, ":"):], addr: addr}
	env := append(os.Environ(), "AGORA_DATA_DIR="+b.TempDir(), "AGORA_DATABASE_URL="+storagetest.DatabaseURL(b, dialect),
		"AGORA_BASE_URL="+n.base, "AGORA_FEDERATION_ALLOW_PRIVATE=true", "AGORA_LOG_LEVEL=warn")
	for _, args := range [][]string{
		{"migrate", "up"},
		{"admin", "create-space", "--slug", "budget", "--title", "Budget participatif"},
		{"admin", "create-user", "--handle", "alice", "--display-name", "Alice", "--verified"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("agora %v: %v\n%s", args, err, out)
		}
	}
	// The followers, as Follows accepted earlier would have left them.
	db, err := database.Open(context.Background(), envOf(env, "AGORA_DATABASE_URL"), envOf(env, "AGORA_DATA_DIR"))
	if err != nil {
		b.Fatal(err)
	}
	type followerRow struct {
		bun.BaseModel `bun:"table:ap_followers"`
		Actor         string    `bun:"actor,pk"`
		Follower      string    `bun:"follower,pk"`
		Inbox         string    `bun:"inbox"`
		FollowID      string    `bun:"follow_id"`
		CreatedAt     time.Time `bun:"created_at"`
	}
	rows := make([]followerRow, 0, 1000)
	for i := range followers {
		host := sink.hosts[i%len(sink.hosts)]
		who := fmt.Sprintf("http://%s/users/f%d", host, i)
		rows = append(rows, followerRow{Actor: n.base + "/spaces/budget", Follower: who, Inbox: "http://" + host + "/inbox",
			FollowID: who + "/follows/1", CreatedAt: time.Now()})
		if len(rows) == cap(rows) || i == followers-1 {
			if _, err := db.NewInsert().Model(&rows).Exec(context.Background()); err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	db.Close()
	login := exec.Command(bin, "admin", "login-link", "--handle", "alice")
	login.Env = env
	out, err := login.Output()
	if err != nil {
		b.Fatalf("login-link: %v", err)
	}
	n.cmd = exec.Command(bin, "serve", "--addr", addr)
	n.cmd.Env = env
	startAndWait(b, n.cmd)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	jar, _ := cookiejar.New(nil)
	n.author = &http.Client{Jar: jar, Timeout: 30 * time.Second}
	resp, err := n.author.Get(lines[len(lines)-1])
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("sign-in link: %d", resp.StatusCode)
	}
	// The Group's key is made on first use, once in a node's life: here,
	// not during the measure.
	req, _ := http.NewRequest(http.MethodGet, n.base+"/spaces/budget", nil)
	req.Header.Set("Accept", "application/activity+json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
	}
	return n
}

// propose posts a proposal in the space as its author.
func (n *fanoutNode) propose(b *testing.B) {
	b.Helper()
	n.author.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := n.author.PostForm(n.base+"/proposals/new?space=budget", url.Values{"title": {"Des bancs rue du Commerce"},
		"body": {"Des bancs et des arbres le long de la rue."}})
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("new proposal: %d\n%s", resp.StatusCode, body)
	}
}

package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/demo"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// BenchmarkLoad measures a node under load, as residents would hit it:
// 64 concurrent clients on loopback on a space's proposal list and on a
// proposal page, on SQLite and PostgreSQL, on two data sets: the
// generated seed (its proposal has 300 comments at scale 1) and the demo
// arrondissement (admin demo). Each page is read by anonymous visitors
// (each with its own cookies, served by the page cache) and by signed-in
// residents (64 verified residents, one session cookie each, as many
// browsers), in the same run; the signed-in figure reports its ratio to
// the anonymous one. It reports requests per second, p50 and p99
// latency, and the server's peak RSS.
//
//	AGORA_BENCH_SCALE    size of the seeded node, 1 for the full target (default 0.01)
//	AGORA_BENCH_SECONDS  load duration per page (default 5)
//	AGORA_BENCH_DATA     data sets, comma-separated (default "seed,demo")
//
// Run it with -benchtime 1x: one measurement per page and dialect.
func BenchmarkLoad(b *testing.B) {
	scale, seconds, sets := "0.01", 5, "seed,demo"
	if v := os.Getenv("AGORA_BENCH_SCALE"); v != "" {
		scale = v
	}
	if v, err := strconv.Atoi(os.Getenv("AGORA_BENCH_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	if v := os.Getenv("AGORA_BENCH_DATA"); v != "" {
		sets = v
	}
	const clients = 64
	bin := buildAgora(b)
	for _, dialect := range storagetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			for _, set := range strings.Split(sets, ",") {
				b.Run(set, func(b *testing.B) {
					dataDir := b.TempDir()
					dbURL := storagetest.DatabaseURL(b, dialect)
					env := append(os.Environ(), "AGORA_DATA_DIR="+dataDir, "AGORA_DATABASE_URL="+dbURL, "AGORA_LOG_LEVEL=warn")
					list, proposal := loadData(b, bin, env, set, scale, dbURL, dataDir)
					tokens := residentSessions(b, dbURL, dataDir, clients)
					// With the page cache anonymous visitors get, and without
					// it, as every visitor was served before it existed.
					for _, cache := range []string{"2s", "0s"} {
						name := "cache"
						if cache == "0s" {
							name = "nocache"
						}
						b.Run(name, func(b *testing.B) {
							srv := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--page-cache", cache)
							srv.Env = env
							addr := startAndWait(b, srv)
							defer stopAgora(b, srv)
							for _, page := range []struct{ name, path string }{{"list", list}, {"proposal", proposal}} {
								url := "http://" + addr + page.path
								var anonymous float64
								for _, reader := range []string{"anonymous", "signedin"} {
									if reader == "signedin" && cache == "0s" {
										continue // signed-in readers never use the cache
									}
									b.Run(page.name+"/"+reader, func(b *testing.B) {
										var r loadResult
										if reader == "anonymous" {
											r = load(b, url, srv.Process.Pid, clients, time.Duration(seconds)*time.Second)
											anonymous = r.rps
										} else {
											r = loadSignedIn(b, url, srv.Process.Pid, tokens, time.Duration(seconds)*time.Second)
											if anonymous > 0 {
												b.ReportMetric(r.rps/anonymous, "of-anonymous")
											}
										}
										b.ReportMetric(r.rps, "req/s")
										b.ReportMetric(r.p50.Seconds()*1000, "p50-ms")
										b.ReportMetric(r.p99.Seconds()*1000, "p99-ms")
										b.ReportMetric(r.rssMB, "MB-RSS-peak")
										b.ReportMetric(float64(r.errors), "errors")
									})
								}
							}
						})
					}
				})
			}
		})
	}
}

// loadData fills a migrated node with the data set ("seed" at scale, or
// "demo") and returns the paths of its proposal list and of its proposal
// page under load: the seed's proposal with the most comments, the
// demo's first proposal of its participatory budget.
func loadData(b *testing.B, bin string, env []string, set, scale, dbURL, dataDir string) (list, proposal string) {
	b.Helper()
	// Admin commands never create the database: migrate creates it.
	migrate := exec.Command(bin, "migrate", "up")
	migrate.Env = env
	if out, err := migrate.CombinedOutput(); err != nil {
		b.Fatalf("migrate: %v\n%s", err, out)
	}
	switch set {
	case "seed":
		seed := exec.Command(bin, "admin", "seed", "--scale", scale)
		seed.Env = env
		out, err := seed.CombinedOutput()
		if err != nil {
			b.Fatalf("seed: %v\n%s", err, out)
		}
		hot := regexp.MustCompile(`/proposals/(\S+)`).FindSubmatch(out)
		if hot == nil {
			b.Fatalf("no hot proposal in:\n%s", out)
		}
		return "/spaces/grand-budget/proposals", "/proposals/" + string(hot[1])
	case "demo":
		cmd := exec.Command(bin, "admin", "demo")
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("demo: %v\n%s", err, out)
		}
		ctx := context.Background()
		db, err := database.Open(ctx, dbURL, dataDir)
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		var id string
		if err := db.NewRaw("SELECT p.id FROM proposals p JOIN spaces s ON s.id = p.space_id WHERE s.slug = ? ORDER BY p.created_at, p.id LIMIT 1", demo.BudgetSlug).
			Scan(ctx, &id); err != nil {
			b.Fatal(err)
		}
		return "/spaces/" + demo.BudgetSlug + "/proposals", "/proposals/" + id
	}
	b.Fatalf("unknown data set %q (want seed or demo)", set)
	return "", ""
}

// residentSessions creates n verified residents in the node's database,
// each signed in once, and returns their session tokens.
func residentSessions(b *testing.B, dbURL, dataDir string, n int) []string {
	b.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, dbURL, dataDir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	acc := accounts.NewService(db, nil)
	var tokens []string
	for i := range n {
		a, err := acc.Create(ctx, accounts.System, accounts.NewAccount{Handle: fmt.Sprintf("reader%d", i), DisplayName: fmt.Sprintf("Reader %d", i)})
		if err != nil {
			b.Fatal(err)
		}
		if err := acc.VerifyByOperator(ctx, a.ID, accounts.Electoral{}); err != nil {
			b.Fatal(err)
		}
		tok, err := acc.StartSession(ctx, a.ID, "bench", "bench")
		if err != nil {
			b.Fatal(err)
		}
		tokens = append(tokens, tok)
	}
	return tokens
}

// loadSignedIn is load for signed-in residents: client i sends the
// session cookie tokens[i] (and keeps whatever else the node sets, as a
// browser does).
func loadSignedIn(b *testing.B, url string, pid int, tokens []string, d time.Duration) loadResult {
	b.Helper()
	return loadWith(b, pid, len(tokens), d, func(i int) func(*http.Client) (*http.Response, error) {
		jar, _ := cookiejar.New(nil)
		return func(c *http.Client) (*http.Response, error) {
			c.Jar = jar
			req, err := http.NewRequest(http.MethodGet, url, nil)
			if err != nil {
				return nil, err
			}
			req.AddCookie(&http.Cookie{Name: "agora_session", Value: tokens[i]})
			resp, err := c.Do(req)
			if err == nil && resp.Request.URL.Path != req.URL.Path {
				resp.StatusCode = http.StatusTeapot // sent elsewhere: not the page
			}
			return resp, err
		}
	})
}

// startAndWait starts a serve command and returns its address once ready.
func startAndWait(b *testing.B, cmd *exec.Cmd) string {
	b.Helper()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Env = append(cmd.Env, "AGORA_LOG_LEVEL=info")
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	re := regexp.MustCompile(`msg=listening addr=(\S+)`)
	buf := make([]byte, 64<<10)
	var seen []byte
	for {
		n, err := stderr.Read(buf)
		seen = append(seen, buf[:n]...)
		if m := re.FindSubmatch(seen); m != nil {
			go io.Copy(io.Discard, stderr)
			waitReady(b, string(m[1]))
			return string(m[1])
		}
		if err != nil {
			cmd.Process.Kill()
			b.Fatalf("agora exited before listening:\n%s", seen)
		}
	}
}

type loadResult struct {
	rps      float64
	p50, p99 time.Duration
	rssMB    float64
	errors   int // requests that failed or timed out (10 s)
}

// load sends GETs to url from clients goroutines for d, each waiting for
// its answer before the next (closed loop), and samples the server's RSS.
// The clients are anonymous visitors, each with its own cookies (its
// shuffle seed, as a browser keeps it).
func load(b *testing.B, url string, pid, clients int, d time.Duration) loadResult {
	b.Helper()
	return loadWith(b, pid, clients, d, func(int) func(*http.Client) (*http.Response, error) {
		jar, _ := cookiejar.New(nil)
		return func(c *http.Client) (*http.Response, error) {
			c.Jar = jar
			return c.Get(url)
		}
	})
}

// loadWith runs clients closed-loop clients for d: client(i) makes the
// i-th client's request function, called again as soon as its previous
// answer was read. An answer other than 200 counts as an error.
func loadWith(b *testing.B, pid, clients int, d time.Duration, client func(i int) func(*http.Client) (*http.Response, error)) loadResult {
	b.Helper()
	// The clients ask for gzip as browsers do but do not inflate what
	// they get: a browser inflates on its own machine, and here the load
	// generator shares the node's two cores (inflating the proposal of
	// 300 comments, 340 KB a page, took about a core's worth of them).
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	rt := acceptGzip{tr}
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()

	var mu sync.Mutex
	var lat []time.Duration
	var failures int
	var peak float64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if mb := rssOf(pid); mb > peak {
					mu.Lock()
					peak = mb
					mu.Unlock()
				}
			}
		}
	}()
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < clients; i++ {
		do := client(i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Transport: rt, Timeout: 10 * time.Second}
			var mine []time.Duration
			bad := 0
			for ctx.Err() == nil {
				t0 := time.Now()
				resp, err := do(c)
				if err != nil {
					if ctx.Err() == nil {
						bad++
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					bad++
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			failures += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(done)
	if len(lat) == 0 {
		b.Fatalf("no request succeeded (%d failed)", failures)
	}
	slices.Sort(lat)
	return loadResult{
		rps: float64(len(lat)) / elapsed.Seconds(),
		p50: lat[len(lat)/2], p99: lat[len(lat)*99/100],
		rssMB: peak, errors: failures,
	}
}

// rssOf is the resident memory of pid now, in MB.
func rssOf(pid int) float64 { return statusMB(pid, "VmRSS") }

// peakRSSOf is the most resident memory pid had, in MB.
func peakRSSOf(pid int) float64 { return statusMB(pid, "VmHWM") }

// statusMB reads a memory figure of /proc/PID/status, in MB (0 if it
// cannot).
func statusMB(pid int, field string) float64 {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	m := regexp.MustCompile(field + `:\s+(\d+) kB`).FindSubmatch(status)
	if m == nil {
		return 0
	}
	kb, _ := strconv.Atoi(string(m[1]))
	return float64(kb) / 1024
}

// acceptGzip asks for gzip on every request it sends, unless the request
// says otherwise, and leaves the body as it comes.
type acceptGzip struct{ next http.RoundTripper }

func (a acceptGzip) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Header.Get("Accept-Encoding") == "" {
		r = r.Clone(r.Context())
		r.Header.Set("Accept-Encoding", "gzip")
	}
	return a.next.RoundTrip(r)
}

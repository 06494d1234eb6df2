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
	"sync"
	"testing"
	"time"

	"agora/storage/storagetest"
)

// BenchmarkLoad measures a seeded node under load, as residents would hit
// it: 64 concurrent clients on loopback on the proposal list and on the
// proposal with 300 comments, on SQLite and PostgreSQL. It reports
// requests per second, p50 and p99 latency, and the server's peak RSS.
//
//	AGORA_BENCH_SCALE    size of the seeded node, 1 for the full target (default 0.01)
//	AGORA_BENCH_SECONDS  load duration per page (default 5)
//
// Run it with -benchtime 1x: one measurement per page and dialect.
func BenchmarkLoad(b *testing.B) {
	scale, seconds := "0.01", 5
	if v := os.Getenv("AGORA_BENCH_SCALE"); v != "" {
		scale = v
	}
	if v, err := strconv.Atoi(os.Getenv("AGORA_BENCH_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	bin := buildAgora(b)
	for _, dialect := range storagetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			dataDir := b.TempDir()
			env := append(os.Environ(), "AGORA_DATA_DIR="+dataDir, "AGORA_DATABASE_URL="+storagetest.DatabaseURL(b, dialect), "AGORA_LOG_LEVEL=warn")
			// Admin commands never create the database: migrate creates it.
			migrate := exec.Command(bin, "migrate", "up")
			migrate.Env = env
			if out, err := migrate.CombinedOutput(); err != nil {
				b.Fatalf("migrate: %v\n%s", err, out)
			}
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
			// With the page cache anonymous visitors get, and without it, as
			// signed-in residents are served.
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
					for _, page := range []struct{ name, path string }{
						{"list", "/spaces/grand-budget/proposals"},
						{"proposal-300-comments", "/proposals/" + string(hot[1])},
					} {
						b.Run(page.name, func(b *testing.B) {
							r := load(b, "http://"+addr+page.path, srv.Process.Pid, 64, time.Duration(seconds)*time.Second)
							b.ReportMetric(r.rps, "req/s")
							b.ReportMetric(r.p50.Seconds()*1000, "p50-ms")
							b.ReportMetric(r.p99.Seconds()*1000, "p99-ms")
							b.ReportMetric(r.rssMB, "MB-RSS-peak")
							b.ReportMetric(float64(r.errors), "errors")
						})
					}
				})
			}
		})
	}
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
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
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
			c := &http.Client{Transport: tr, Timeout: 10 * time.Second}
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

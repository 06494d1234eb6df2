package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"agora/storage/database"
	"agora/storage/storagetest"
)

// searchQueries are what the clients of BenchmarkSearch ask, in turn:
// words every seeded comment or proposal holds, rare ones, accents and
// none, two words, a kind, and words that find nothing.
var searchQueries = []string{
	"q=quartier",
	"q=fontaine+vaugirard",
	"q=entretien&kind=comment",
	"q=%C3%A2g%C3%A9es", // âgées
	"q=agees",
	"q=jardin&kind=proposal",
	"q=riverains+budget",
	"q=introuvable",
	"q=velos&kind=debate",
	"q=grand+budget&kind=space",
}

// BenchmarkSearch measures the search page of the real binary over the
// seeded node (as BenchmarkLoad seeds it), 64 concurrent clients on
// loopback cycling through searchQueries, page cache off (every search
// runs), on SQLite and PostgreSQL. It reports requests per second, p50
// and p99 latency and the server's peak RSS.
//
//	AGORA_BENCH_SCALE    size of the seeded node, 1 for the target (default 0.01)
//	AGORA_BENCH_SECONDS  load duration (default 5)
//
// Run it with -benchtime 1x.
func BenchmarkSearch(b *testing.B) {
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
			dbURL := storagetest.DatabaseURL(b, dialect)
			env := append(os.Environ(), "AGORA_DATA_DIR="+b.TempDir(), "AGORA_DATABASE_URL="+dbURL, "AGORA_LOG_LEVEL=warn")
			for _, args := range [][]string{{"migrate", "up"}, {"admin", "seed", "--scale", scale}} {
				cmd := exec.Command(bin, args...)
				cmd.Env = env
				start := time.Now()
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %v\n%s", args, err, out)
				}
				b.Logf("%v: %s", args, time.Since(start).Round(time.Second))
			}
			// A node that has run a while has its planner statistics;
			// one seeded a second ago has none until autovacuum passes.
			if dialect == "postgres" {
				db, err := database.Open(context.Background(), dbURL, "")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := db.ExecContext(context.Background(), "ANALYZE"); err != nil {
					b.Fatal(err)
				}
				db.Close()
			}
			srv := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--page-cache", "0s")
			srv.Env = env
			addr := startAndWait(b, srv)
			defer stopAgora(b, srv)
			base := "http://" + addr + "/search?"
			for _, q := range searchQueries { // each answers, and finds something or says it found nothing
				resp, err := http.Get(base + q)
				if err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("%s: %s", q, resp.Status)
				}
			}
			b.ResetTimer()
			r := loadWith(b, srv.Process.Pid, 64, time.Duration(seconds)*time.Second, func(i int) func(*http.Client) (*http.Response, error) {
				n := i
				return func(c *http.Client) (*http.Response, error) {
					n++
					return c.Get(base + searchQueries[n%len(searchQueries)])
				}
			})
			b.ReportMetric(r.rps, "req/s")
			b.ReportMetric(r.p50.Seconds()*1000, "p50-ms")
			b.ReportMetric(r.p99.Seconds()*1000, "p99-ms")
			b.ReportMetric(r.rssMB, "MB-RSS-peak")
			b.ReportMetric(float64(r.errors), "errors")
		})
	}
}

package reports_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/reports"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// benchReports is how many reports the benchmark's node holds: the
// issue's 1,000,000 with AGORA_BENCH_REPORTS=full (or a number), else
// 20,000 (2,000 with -short) so CI's one pass stays quick.
func benchReports(b *testing.B) int {
	switch v := os.Getenv("AGORA_BENCH_REPORTS"); v {
	case "full":
		return 1_000_000
	case "":
		if testing.Short() {
			return 2_000
		}
		return 20_000
	default:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("AGORA_BENCH_REPORTS=%q", v)
		}
		return n
	}
}

// paris is the box the benchmark's reports fall in.
var paris = reports.Box{South: 48.815, West: 2.224, North: 48.902, East: 2.470}

// benchClients are how many clients query at once: one (a query's own
// cost), then 64, unless AGORA_BENCH_CLIENTS names one number.
func benchClients(b *testing.B) []int {
	if v := os.Getenv("AGORA_BENCH_CLIENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("AGORA_BENCH_CLIENTS=%q", v)
		}
		return []int{n}
	}
	return []int{1, 64}
}

// benchCache are the lifetimes of the service's answers the queries
// run with: reports.AnswerTTL (as served), or 0 (every query reaches
// the database) with AGORA_BENCH_CACHE=off, or both with
// AGORA_BENCH_CACHE=both.
func benchCache(b *testing.B) []time.Duration {
	switch v := os.Getenv("AGORA_BENCH_CACHE"); v {
	case "", "on":
		return []time.Duration{reports.AnswerTTL}
	case "off":
		return []time.Duration{0}
	case "both":
		return []time.Duration{0, reports.AnswerTTL}
	default:
		b.Fatalf("AGORA_BENCH_CACHE=%q (on, off or both)", v)
		return nil
	}
}

// BenchmarkReports fills a node with a million reports over Paris, sent
// over two years, then has 64 clients (AGORA_BENCH_CLIENTS) at once ask
// for the reports in a map's box (about 700 m square at a random place,
// up to 500 returned) and for the Open311 list as clients poll it (the
// last 90 days, pages of 100, any of 27 combinations of service, status
// and page, with their latest state notes and first photos). It reports
// the 50th and 99th percentiles of one query's time, the CPU per query,
// and the share answered from the service's cache (AGORA_BENCH_CACHE).
//
//	AGORA_BENCH_REPORTS=full go test ./instances/reports/ -run '^$' -bench Reports -benchtime 1x -timeout 90m
func BenchmarkReports(b *testing.B) {
	for _, dialect := range storagetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			f := newFixture(b, dialect)
			wantErr(b, f.svc.SetTerritory(f.ctx, accounts.System, nil), nil, "no territory")
			n := benchReports(b)
			began := time.Now()
			seed(b, f, n)
			b.Logf("%s: %d reports seeded in %v", dialect, n, time.Since(began).Round(time.Second))
			f.clock.Set(start)
			for _, ttl := range benchCache(b) {
				b.Run(fmt.Sprintf("cache=%v", ttl), func(b *testing.B) {
					f.svc.SetAnswerTTL(ttl)
					// The requests list needs a full page within 90 days.
					page := min(100, n/80)
					box := func(rng *rand.Rand) reports.Box {
						lat := paris.South + rng.Float64()*(paris.North-paris.South-0.0063)
						lon := paris.West + rng.Float64()*(paris.East-paris.West-0.0095)
						return reports.Box{South: lat, West: lon, North: lat + 0.0063, East: lon + 0.0095}
					}
					// The map's clients ask for their view widened to a grid
					// (map.js's snap, reports.SnapBox), at random places.
					pins := func(flt reports.Filter) func(*rand.Rand) error {
						return func(rng *rand.Rand) error {
							got, _, err := f.svc.Pins(f.ctx, reports.SnapBox(box(rng)), flt, reports.MaxBoxResults)
							if err == nil && len(got) == 0 && n >= 20_000 {
								err = errors.New("empty box")
							}
							return err
						}
					}
					// The map as serve answers it: its cells read into
					// memory at start (WarmMap), then 64 clients. warm-s
					// is how long the reading took, map-MB the heap it
					// keeps.
					b.Run("pins", func(b *testing.B) {
						for _, clients := range benchClients(b) {
							b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
								f.svc.SetAnswerTTL(ttl) // nothing kept: a node just started
								heap0 := heapInUse()
								began := time.Now()
								cells, pinsRead, err := f.svc.WarmMap(f.ctx)
								if err != nil {
									b.Fatal(err)
								}
								took := time.Since(began)
								b.Logf("map warmed: %d cells, %d pins in %v", cells, pinsRead, took.Round(time.Millisecond))
								kept := (float64(heapInUse()) - float64(heap0)) / (1 << 20)
								measureWith(b, f, clients, pins(reports.Filter{}))
								// After b.Loop, which drops metrics reported before.
								b.ReportMetric(took.Seconds(), "warm-s")
								b.ReportMetric(kept, "map-MB")
							})
						}
					})
					// The same from the instant the node starts: the
					// clients ask while WarmMap reads, so a box over a cell
					// not read yet asks the database for its own pins. What
					// the first second after a start looks like; every
					// query counts, the first too.
					b.Run("pins-start", func(b *testing.B) {
						for _, clients := range benchClients(b) {
							b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
								f.svc.SetAnswerTTL(ttl)
								warmed := make(chan error, 1)
								go func() { _, _, err := f.svc.WarmMap(f.ctx); warmed <- err }()
								measureNow(b, f, clients, pins(reports.Filter{}))
								if err := <-warmed; err != nil {
									b.Fatal(err)
								}
							})
						}
					})
					// The map of problems: the same query narrowed to the
					// categories of a kind (suggestions.go's subquery).
					b.Run("pins-problems", func(b *testing.B) {
						measure(b, f, pins(reports.Filter{Kind: reports.Problem}))
					})
					b.Run("box", func(b *testing.B) {
						measure(b, f, func(rng *rand.Rand) error {
							got, _, err := f.svc.InBox(f.ctx, box(rng), reports.Filter{}, reports.MaxBoxResults)
							if err == nil && len(got) == 0 && n >= 20_000 {
								err = errors.New("empty box")
							}
							return err
						})
					})
					// The Open311 list as clients poll it: the default
					// window and page size, all services or one, any status
					// or open or closed, one of the first three pages (27
					// different queries).
					b.Run("requests", func(b *testing.B) {
						open := []reports.State{reports.New, reports.Acknowledged, reports.Scheduled, reports.Requalified}
						closed := []reports.State{reports.Done, reports.Rejected, reports.Transferred}
						measure(b, f, func(rng *rand.Rand) error {
							q := reports.Query{Since: start.Add(-90 * day), Limit: page, Offset: page * rng.IntN(3)}
							if c := rng.IntN(3); c > 0 {
								q.Categories = []string{[]string{"nid-de-poule", "graffiti"}[c-1]}
							}
							q.States = [][]reports.State{nil, open, closed}[rng.IntN(3)]
							// What the Open311 list runs (frontend/reports/open311.go).
							list, err := f.svc.Requests(f.ctx, q)
							if err == nil && (len(list) > page || q.Categories == nil && q.States == nil && q.Offset == 0 && len(list) != page) {
								err = fmt.Errorf("%d requests", len(list))
							}
							return err
						})
					})
				})
			}
		})
	}
}

// measure runs query from each number of clients of benchClients at
// once, each client 10 times per iteration, and reports the percentiles
// of one query's time.
func measure(b *testing.B, f *fixture, query func(*rand.Rand) error) {
	for _, clients := range benchClients(b) {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) { measureWith(b, f, clients, query) })
	}
}

func measureWith(b *testing.B, f *fixture, clients int, query func(*rand.Rand) error) {
	// One round first, not counted: a running node's pool holds its
	// connections already.
	var warm sync.WaitGroup
	for c := range clients {
		warm.Go(func() { _ = query(rand.New(rand.NewPCG(0, uint64(c)))) })
	}
	warm.Wait()
	measureNow(b, f, clients, query)
}

// measureNow is measureWith without the round not counted.
func measureNow(b *testing.B, f *fixture, clients int, query func(*rand.Rand) error) {
	var mu sync.Mutex
	var times []time.Duration
	round := 0
	cpu0, hits0 := cpuTime(b), f.svc.AnswerHits()
	for b.Loop() {
		round++
		var wg sync.WaitGroup
		errs := make(chan error, clients)
		for c := range clients {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(round), uint64(c)))
				local := make([]time.Duration, 0, 10)
				for range 10 {
					t0 := time.Now()
					if err := query(rng); err != nil {
						errs <- err
						return
					}
					local = append(local, time.Since(t0))
				}
				mu.Lock()
				times = append(times, local...)
				mu.Unlock()
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			b.Fatal(err)
		}
	}
	slices.Sort(times)
	pct := func(p float64) float64 {
		return float64(times[min(len(times)-1, int(p*float64(len(times))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	// The process's CPU time (every thread, the database's too on SQLite)
	// per query: what holds when the machine is shared.
	b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/1000/float64(len(times)), "cpu-ms/query")
	// The share of queries answered from the service's cache (answers.go).
	b.ReportMetric(float64(f.svc.AnswerHits()-hits0)/float64(len(times)), "cached")
	b.ReportMetric(0, "ns/op")
}

// seed inserts n reports directly, in batches, as a city that has used
// its node for two years would hold them: spread over Paris, in the two
// categories, a third closed, one in five with a photo.
func seed(b testing.TB, f *fixture, n int) {
	b.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	const batch = 1000
	states := []reports.State{reports.New, reports.Acknowledged, reports.Scheduled, reports.Done, reports.Rejected, reports.Done}
	for done := 0; done < n; done += batch {
		rows := make([]reports.Report, 0, batch)
		var photos []reports.Photo
		for i := done; i < min(n, done+batch); i++ {
			lat := e6(paris.South + rng.Float64()*(paris.North-paris.South))
			lon := e6(paris.West + rng.Float64()*(paris.East-paris.West))
			fine, coarse := reports.Cells(lat, lon)
			at := start.Add(-time.Duration(rng.Int64N(int64(730 * day))))
			cat, svc := "nid-de-poule", "Voirie"
			if i%2 == 1 {
				cat, svc = "graffiti", "Propreté"
			}
			r := reports.Report{ID: database.NewID(), Category: cat, Service: svc, State: states[i%len(states)],
				LatE6: &lat, LonE6: &lon, Cell: &fine, Coarse: &coarse, Description: "Signalement " + strconv.Itoa(i),
				AuthorID: f.alice.ID, CreatedAt: at, UpdatedAt: at}
			rows = append(rows, r)
			if i%5 == 0 {
				photos = append(photos, reports.Photo{ReportID: r.ID, Position: 1, BlobKey: "k", ContentType: "image/jpeg", Size: 1})
			}
		}
		err := f.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
				return err
			}
			if len(photos) > 0 {
				_, err := tx.NewInsert().Model(&photos).Exec(ctx)
				return err
			}
			return nil
		})
		if err != nil {
			b.Fatalf("seed: %v", err)
		}
	}
	// PostgreSQL's index-only scans need the visibility map, which a
	// VACUUM writes (autovacuum would, later).
	analyze := "ANALYZE"
	if database.IsPostgres(f.db) {
		analyze = "VACUUM ANALYZE street_reports, report_photos"
	}
	if _, err := f.db.ExecContext(ctx, analyze); err != nil {
		b.Fatal(err)
	}
}

// heapInUse is the heap in use after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// cpuTime is the CPU time the process has used, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func e6(deg float64) int64 { return int64(deg*1e6 + 0.5) }

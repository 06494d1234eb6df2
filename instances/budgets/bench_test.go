package budgets_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"syscall"
	"testing"
	"time"

	"agora/instances/budgets"
)

// cityEdition draws a city-size edition shaped like Paris's: 19 district
// headings and one city-wide heading, 30 projects each (600), 200,000
// ballots. Each voter lives in a district (districts differ in size),
// supports 1 to 10 projects there, and 60% of them 1 to 5 city-wide
// projects too. Voters lean to one of four themes, so the rules differ.
// Costs are log-uniform (20 k€ to 1.5 M€ in districts, 200 k€ to 5 M€
// city-wide); each heading's budget is a third of its projects' cost.
func cityEdition(seed uint64) budgets.Election {
	rng := rand.New(rand.NewPCG(seed, 42))
	const (
		headings    = 20
		perHeading  = 30
		ballots     = 200_000
		themes      = 4
		cityHeading = headings - 1
	)
	var e budgets.Election
	type proj struct {
		id         string
		theme      int
		popularity float64
	}
	projs := make([][]proj, headings)
	logUniform := func(lo, hi float64) int64 {
		return int64(math.Exp(math.Log(lo) + rng.Float64()*(math.Log(hi)-math.Log(lo))))
	}
	for h := range headings {
		hid := fmt.Sprintf("arr-%02d", h+1)
		lo, hi := 20_000.0, 1_500_000.0
		if h == cityHeading {
			hid, lo, hi = "tout-paris", 200_000, 5_000_000
		}
		var total int64
		for i := range perHeading {
			p := proj{id: fmt.Sprintf("%s-p%02d", hid, i), theme: rng.IntN(themes), popularity: math.Exp(rng.NormFloat64())}
			cost := logUniform(lo, hi)
			total += cost
			projs[h] = append(projs[h], p)
			e.Projects = append(e.Projects, budgets.Project{ID: p.id, Heading: hid, Cost: cost})
		}
		e.Headings = append(e.Headings, budgets.Heading{ID: hid, Budget: total / 3})
	}
	// District sizes: between 1× and 4× the smallest.
	sizes := make([]float64, cityHeading)
	var sum float64
	for i := range sizes {
		sizes[i] = 1 + 3*rng.Float64()
		sum += sizes[i]
	}
	pick := func(ps []proj, theme, k int) []string {
		// k distinct projects, drawn by popularity, four times as likely
		// in the voter's theme.
		var ids []string
		taken := make([]bool, len(ps))
		for len(ids) < k {
			var total float64
			for i, p := range ps {
				if !taken[i] {
					total += weight(p.popularity, p.theme == theme)
				}
			}
			x := rng.Float64() * total
			for i, p := range ps {
				if taken[i] {
					continue
				}
				if x -= weight(p.popularity, p.theme == theme); x <= 0 {
					taken[i] = true
					ids = append(ids, p.id)
					break
				}
			}
		}
		return ids
	}
	for range ballots {
		x := rng.Float64() * sum
		d := 0
		for d < len(sizes)-1 && x > sizes[d] {
			x -= sizes[d]
			d++
		}
		theme := rng.IntN(themes)
		b := budgets.Ballot{Weight: 1, Projects: pick(projs[d], theme, 1+rng.IntN(10))}
		if rng.Float64() < 0.6 {
			b.Projects = append(b.Projects, pick(projs[cityHeading], theme, 1+rng.IntN(5))...)
		}
		e.Ballots = append(e.Ballots, b)
	}
	return e
}

func weight(popularity float64, ownTheme bool) float64 {
	if ownTheme {
		return 4 * popularity
	}
	return popularity
}

// BenchmarkRules computes a city-size edition (200,000 ballots, 600
// projects, 20 headings) in memory: both rules side by side (what the
// results page shows), and each rule alone. cpu-ms/op is the process's
// CPU time (all threads) per operation, a figure that holds on a
// machine shared with other work, where ns/op does not.
func BenchmarkRules(b *testing.B) {
	e := cityEdition(1)
	b.Run("Compare", func(b *testing.B) {
		var c budgets.Comparison
		cpu := cpuTimer(b)
		for b.Loop() {
			var err error
			if c, err = budgets.Compare(e, budgets.EqualShares, budgets.Options{}); err != nil {
				b.Fatal(err)
			}
		}
		cpu()
		steps := 0
		for _, h := range c.Headings {
			steps += h.Chosen.Steps
		}
		b.ReportMetric(float64(steps), "runs")
	})
	for _, r := range []budgets.Rule{budgets.Greedy, budgets.EqualShares} {
		b.Run(string(r), func(b *testing.B) {
			cpu := cpuTimer(b)
			for b.Loop() {
				if _, err := budgets.Compute(e, r, budgets.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			cpu()
		})
	}
}

// BenchmarkRulesExact is BenchmarkRules/equalshares with the exact
// computation throughout (Options.Exact), for comparison. It takes tens
// of seconds an operation, so it runs only with AGORA_BENCH_EXACT=1.
func BenchmarkRulesExact(b *testing.B) {
	if os.Getenv("AGORA_BENCH_EXACT") == "" {
		b.Skip("set AGORA_BENCH_EXACT=1 to run it (tens of seconds an operation)")
	}
	e := cityEdition(1)
	cpu := cpuTimer(b)
	for b.Loop() {
		if _, err := budgets.Compute(e, budgets.EqualShares, budgets.Options{Exact: true}); err != nil {
			b.Fatal(err)
		}
	}
	cpu()
}

// cpuTimer starts counting the process's CPU time; the function it
// returns reports it per operation.
func cpuTimer(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestCityEditionShape checks what the benchmark computes: every
// heading funds something under both rules, within its budget, and the
// rules differ somewhere (else the benchmark would measure a corner).
func TestCityEditionShape(t *testing.T) {
	if testing.Short() {
		t.Skip("city-size edition")
	}
	c, err := budgets.Compare(cityEdition(1), budgets.EqualShares, budgets.Options{})
	if err != nil {
		t.Fatal(err)
	}
	differ, runs := 0, 0
	for _, h := range c.Headings {
		for _, r := range []budgets.HeadingResult{h.Chosen, h.Other} {
			if len(r.Funded) == 0 || r.Used > r.Budget {
				t.Fatalf("%s: funded %v, used %d of %d", h.Heading, r.Funded, r.Used, r.Budget)
			}
		}
		if len(h.OnlyChosen)+len(h.OnlyOther) > 0 {
			differ++
		}
		runs += h.Chosen.Steps
		t.Logf("%s: %d voters, share %v → %v in %d runs, equal shares %d projects (%d filled), greedy %d; differ by %d/%d",
			h.Heading, h.Chosen.Voters, h.Chosen.StartShare, h.Chosen.Share, h.Chosen.Steps,
			len(h.Chosen.Funded), h.Chosen.Filled, len(h.Other.Funded), len(h.OnlyChosen), len(h.OnlyOther))
	}
	if differ == 0 {
		t.Fatal("the rules agree on every heading")
	}
	t.Logf("%d headings differ, %d runs of Equal Shares", differ, runs)
}

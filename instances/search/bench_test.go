package search_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/instancestest"
	"agora/instances/reports"
	"agora/instances/search"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// BenchmarkSearchReports measures a search of street reports (through
// the full-text index of migration 20261208240001) over seeded reports
// whose descriptions draw on a small vocabulary: a word in every other
// report, a word in one report of a thousand, a word in none, and two
// words. It reports the mean time of each.
//
//	AGORA_BENCH_REPORTS  how many reports (default 20,000)
//
// Run it with -benchtime 1x.
func BenchmarkSearchReports(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("AGORA_BENCH_REPORTS")); err == nil && v > 0 {
		n = v
	}
	for _, dialect := range storagetest.Dialects {
		b.Run(dialect, func(b *testing.B) { benchSearchReports(b, dialect, n) })
	}
}

func benchSearchReports(b *testing.B, dialect string, n int) {
	ctx := context.Background()
	db := storagetest.MigratedDB(b, dialect)
	c := storagetest.NewClock(instancestest.Start)
	acc := accounts.NewService(db, c.Now)
	alice := instancestest.Account(b, acc, "alice")
	rp := reports.NewService(db, c.Now)
	if err := rp.SaveCategory(ctx, accounts.System, reports.Category{Slug: "voirie", NameFR: "Voirie", NameEN: "Roads", Service: "Voirie"}); err != nil {
		b.Fatal(err)
	}
	started := time.Now()
	const batch = 1000
	for done := 0; done < n; done += batch {
		rows := make([]reports.Report, 0, batch)
		for i := done; i < min(n, done+batch); i++ {
			desc := "Un trottoir abîmé rue " + strconv.Itoa(i%500)
			if i%2 == 0 {
				desc += ", vélos garés devant"
			}
			if i%1000 == 7 {
				desc += ", une fontaine fuit"
			}
			at := instancestest.Start.Add(time.Duration(i) * time.Minute)
			rows = append(rows, reports.Report{ID: database.NewID(), Category: "voirie", Service: "Voirie", State: reports.New,
				Address: "rue", Description: desc, AuthorID: alice.ID, CreatedAt: at, UpdatedAt: at})
		}
		if _, err := db.NewInsert().Model(&rows).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	analyze := "ANALYZE"
	if database.IsPostgres(db) {
		analyze = "VACUUM ANALYZE street_reports"
	}
	if _, err := db.ExecContext(ctx, analyze); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: %d reports seeded in %v", dialect, n, time.Since(started).Round(time.Millisecond))
	svc := search.NewService(db)
	for _, q := range []string{"velo", "fontaine", "introuvable", "trottoir fontaine"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.Search(ctx, search.Query{Text: q, Kind: search.Report}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

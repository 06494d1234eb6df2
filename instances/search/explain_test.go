//go:build explain

package search_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/search"
	"agora/storage/database"
)

// statementLog records each statement a search runs and its time.
type statementLog struct {
	t     testing.TB
	count int
}

func (l *statementLog) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (l *statementLog) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	l.count++
	q := strings.Join(strings.Fields(e.Query), " ")
	if f := os.Getenv("AGORA_SEARCH_EXPLAIN_SQL"); f != "" { // every statement in full, for psql
		if out, err := os.OpenFile(f, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintf(out, "%s;\n", q)
			out.Close()
		}
	}
	if len(q) > 160 {
		q = q[:160] + "..."
	}
	l.t.Logf("  %7.2f ms  %s", float64(time.Since(e.StartTime).Microseconds())/1000, q)
}

// TestExplainSearches runs the searches of BenchmarkSearch (cmd/agora)
// once each over an existing, seeded node's database and logs every
// statement with its time, to find the slow ones (then EXPLAIN ANALYZE
// them in psql). A tool, not a check: it is built only with the tag
// explain (so the suite skips nothing), and AGORA_SEARCH_EXPLAIN_URL names
// the database (a PostgreSQL URL or sqlite:/path/agora.db), after
// applying this code's migrations to it:
//
//	AGORA_SEARCH_EXPLAIN_URL=sqlite:/tmp/node/agora.db go test -tags explain -run ExplainSearches -v ./instances/search/
func TestExplainSearches(t *testing.T) {
	dbURL := os.Getenv("AGORA_SEARCH_EXPLAIN_URL")
	if dbURL == "" {
		t.Fatal("AGORA_SEARCH_EXPLAIN_URL not set: the database to explain the searches on")
	}
	ctx := context.Background()
	db, err := database.Open(ctx, dbURL, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The node's database is brought to this code's migrations first.
	if _, err := database.NewMigrator(db).Up(ctx); err != nil {
		t.Fatal(err)
	}
	l := &statementLog{t: t}
	db.AddQueryHook(l)
	svc := search.NewService(db)
	for _, raw := range benchQueries {
		v, err := url.ParseQuery(raw)
		if err != nil {
			t.Fatal(err)
		}
		for round := range 2 { // the second round has warm caches
			l.count = 0
			start := time.Now()
			res, err := svc.Search(ctx, search.Query{Text: v.Get("q"), Kind: search.Kind(v.Get("kind"))})
			if err != nil {
				t.Fatalf("%s: %v", raw, err)
			}
			n := 0
			for _, h := range res.Hits {
				n += len(h)
			}
			t.Logf("%s (round %d): %d hits, %d statements, %.2f ms", raw, round+1, n, l.count, float64(time.Since(start).Microseconds())/1000)
		}
	}
}

// benchQueries are BenchmarkSearch's ten searches (cmd/agora's searchQueries).
var benchQueries = []string{
	"q=quartier",
	"q=fontaine+vaugirard",
	"q=entretien&kind=comment",
	"q=%C3%A2g%C3%A9es",
	"q=agees",
	"q=jardin&kind=proposal",
	"q=riverains+budget",
	"q=introuvable",
	"q=velos&kind=debate",
	"q=grand+budget&kind=space",
}

package proposals_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"agora/instances/proposals"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// benchProposals is how many proposals the listed space holds.
const benchProposals = 10_000

// BenchmarkList reads the first page of a space of 10,000 proposals in
// each order, and a search, on SQLite and (when configured) PostgreSQL.
func BenchmarkList(b *testing.B) {
	for _, dialect := range storagetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			f := newFixture(b, dialect)
			spaceID := seedSpace(b, f, benchProposals)
			queries := []struct {
				name string
				q    func(i int) proposals.Query
			}{
				{"random", func(i int) proposals.Query {
					return proposals.Query{SpaceID: spaceID, Sort: proposals.Random, Seed: int64(i) * 7_919_317}
				}},
				{"random-page-400", func(i int) proposals.Query {
					return proposals.Query{SpaceID: spaceID, Sort: proposals.Random, Seed: int64(i) * 7_919_317, Page: 400, PerPage: 20}
				}},
				{"newest", func(int) proposals.Query { return proposals.Query{SpaceID: spaceID, Sort: proposals.Newest} }},
				{"supported", func(int) proposals.Query { return proposals.Query{SpaceID: spaceID, Sort: proposals.Supported} }},
				{"search", func(i int) proposals.Query {
					return proposals.Query{SpaceID: spaceID, Search: benchSearches[i%len(benchSearches)], Seed: int64(i)}
				}},
			}
			for _, bq := range queries {
				b.Run(bq.name, func(b *testing.B) {
					i := 0
					for b.Loop() {
						page, err := f.svc.List(f.ctx, bq.q(i))
						if err != nil {
							b.Fatal(err)
						}
						if page.Total == 0 || len(page.Items) == 0 {
							b.Fatalf("%s: empty page of %d", bq.name, page.Total)
						}
						i++
					}
				})
			}
		})
	}
}

var benchSearches = []string{"arbres", "école gare", "piste cyclable", "trees", "fontaine"}

var benchTitles = []string{
	"Planter des arbres rue %d", "Rénover l'école numéro %d", "Piste cyclable avenue %d", "Une fontaine place %d",
	"Plant trees on street %d", "Des bancs au parc %d", "Éclairage du passage %d", "Jardin partagé îlot %d",
}

var benchBodies = []string{
	"La cour est trop petite, il faut des arbres pour l'ombre en été.",
	"Relier la gare au lycée à vélo, en sécurité, par une piste cyclable.",
	"Une fontaine d'eau potable près des jeux pour les enfants.",
	"More trees would cool the street and give shade to the walkers.",
}

// seedSpace opens a space and inserts n proposals directly, as a node
// that has run for years would hold them.
func seedSpace(b *testing.B, f *fixture, n int) string {
	b.Helper()
	author := f.account(b, "auteur")
	sp := f.space(b, "grand-budget", nil)
	rng := rand.New(rand.NewPCG(1, 2))
	batch := make([]proposals.Proposal, 0, 500)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if _, err := f.db.NewInsert().Model(&batch).Exec(f.ctx); err != nil {
			b.Fatalf("seed proposals: %v", err)
		}
		batch = batch[:0]
	}
	for i := range n {
		at := start.Add(time.Duration(i) * time.Minute)
		body := benchBodies[i%len(benchBodies)]
		batch = append(batch, proposals.Proposal{
			ID: database.NewID(), SpaceID: sp.ID, AuthorID: author.ID, Title: fmt.Sprintf(benchTitles[i%len(benchTitles)], i),
			Body: body, BodyHTML: "<p>" + body + "</p>", State: proposals.Published, SupportCount: rng.IntN(500),
			RandKey: rng.Int64N(1 << 31), CreatedAt: at, UpdatedAt: at,
		})
		if len(batch) == cap(batch) {
			flush()
		}
	}
	flush()
	if _, err := f.db.ExecContext(f.ctx, "ANALYZE"); err != nil {
		b.Fatalf("analyze: %v", err)
	}
	// Sanity: the benchmark lists what it seeded.
	if page, err := f.svc.List(f.ctx, proposals.Query{SpaceID: sp.ID}); err != nil || page.Total != n {
		b.Fatalf("seeded %d proposals, list says %d (%v)", n, page.Total, err)
	}
	return sp.ID
}

package frontend_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"
	"time"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/storage/storagetest"
)

// BenchmarkPages serves, in process, the two heaviest pages to a
// signed-in resident (no page cache): a proposal with 300 comments
// (a third at the top, the rest replies at random depths) and a list
// page of a space with 500 proposals. It shows where a request's time
// goes (-cpuprofile); cmd/agora's BenchmarkLoad measures the node over
// the network.
func BenchmarkPages(b *testing.B) {
	for _, dialect := range storagetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			n := frontendtest.NewNode(b, dialect)
			sp := n.Space(b, "bench", 0)
			author, _ := n.Resident(b, "author", true)
			reader, token := n.Resident(b, "reader", true)
			hot := n.Propose(b, author, sp, "Une proposition très commentée")
			for i := range 499 {
				n.Propose(b, author, sp, fmt.Sprintf("Proposition %d", i))
			}
			// Five writers, a comment every 7 s (moved on the node's
			// clock): well inside debates.CommentLimits, as a lively
			// thread would be.
			writers := []*accounts.Account{author, reader}
			for _, h := range []string{"w3", "w4", "w5"} {
				w, _ := n.Resident(b, h, true)
				writers = append(writers, w)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			var ids []string
			for i := range 300 {
				parent := ""
				if i >= 100 {
					parent = ids[rng.IntN(len(ids))]
				}
				who := writers[i%len(writers)]
				n.Clock.Advance(7 * time.Second)
				c, err := n.Debates.Add(b.Context(), accounts.As(who), debates.NewComment{
					Target: debates.Target{Kind: debates.TargetProposal, ID: hot.ID}, ParentID: parent,
					Body: fmt.Sprintf("Commentaire %d, avec du *Markdown* et un [lien](https://example.org/%d).", i, i)})
				if err != nil {
					b.Fatal(err)
				}
				ids = append(ids, c.ID)
				if i%7 == 0 && who.ID != reader.ID {
					if err := n.Debates.Support(b.Context(), accounts.As(reader), c.ID); err != nil {
						b.Fatal(err)
					}
				}
			}
			for _, page := range []struct{ name, path string }{
				{"proposal-300-comments", "/proposals/" + hot.ID},
				{"list", "/spaces/bench/proposals"},
			} {
				b.Run(page.name, func(b *testing.B) {
					size := 0
					for b.Loop() {
						w := n.Request("GET", page.path, token, nil)
						if w.Code != http.StatusOK {
							b.Fatalf("%s: %d", page.path, w.Code)
						}
						size = w.Body.Len()
					}
					b.ReportMetric(float64(size), "page-bytes")
				})
			}
		})
	}
}

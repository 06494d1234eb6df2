package debates_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/storage/storagetest"
)

// BenchmarkThread300 loads and assembles a thread of 300 comments (a
// third at the top, the rest replies at random depths, some supported)
// sorted by support with three levels shown.
func BenchmarkThread300(b *testing.B) {
	for _, dialect := range storagetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			f := newFixture(b, dialect)
			bob := f.account(b, "bob")
			// Seven authors taking turns, a second apart: each writes
			// every seven seconds, within CommentLimits.
			authors := []*accounts.Account{f.alice}
			for i := range 6 {
				authors = append(authors, f.account(b, fmt.Sprintf("author_%d", i)))
			}
			rng := rand.New(rand.NewPCG(1, 2))
			var ids []string
			for i := range 300 {
				parent := ""
				if i >= 100 {
					parent = ids[rng.IntN(len(ids))]
				}
				f.clock.Advance(time.Second)
				c, err := f.svc.Add(f.ctx, accounts.As(authors[i%len(authors)]), debates.NewComment{Target: f.proposal, ParentID: parent,
					Body: fmt.Sprintf("Comment %d, with *some* Markdown and a [link](https://example.org/%d).", i, i)})
				if err != nil {
					b.Fatal(err)
				}
				ids = append(ids, c.ID)
				if i%7 == 0 {
					if err := f.svc.Support(f.ctx, accounts.As(bob), c.ID); err != nil {
						b.Fatal(err)
					}
				}
			}
			opts := debates.ThreadOptions{Sort: debates.SortSupported, MaxDepth: 3}
			b.ResetTimer()
			for b.Loop() {
				nodes, err := f.svc.Thread(f.ctx, f.proposal, opts)
				if err != nil || len(nodes) != 100 {
					b.Fatalf("thread: %d top-level comments, %v", len(nodes), err)
				}
			}
		})
	}
}

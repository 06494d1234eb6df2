package demo_test

import (
	"context"
	"testing"

	"agora/instances/demo"
	"agora/storage/storagetest"
)

// Seed writes what it says, with counts that match the rows, on both
// databases.
func TestSeed(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storagetest.MigratedDB(t, dialect)
		z := demo.Sizes{Accounts: 200, Proposals: 300, Supports: 2000, Comments: 1500, HotComments: 300}
		got, err := demo.Seed(ctx, db, z, 1)
		if err != nil {
			t.Fatal(err)
		}
		count := func(q string, args ...any) int {
			var n int
			if err := db.NewRaw(q, args...).Scan(ctx, &n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for _, c := range []struct {
			what string
			got  int
			want int
		}{
			{"accounts", count("SELECT count(*) FROM accounts"), z.Accounts},
			{"verified residents", count("SELECT count(*) FROM residencies"), z.Accounts},
			{"proposals", count("SELECT count(*) FROM proposals"), z.Proposals},
			{"supports", count("SELECT count(*) FROM proposal_supports"), z.Supports},
			{"comments", count("SELECT count(*) FROM comments"), z.Comments},
			{"hot comments", count("SELECT count(*) FROM comments WHERE target_id = ?", got.HotID), z.HotComments},
			{"support counts match rows", count("SELECT count(*) FROM proposals p WHERE support_count <> (SELECT count(*) FROM proposal_supports s WHERE s.proposal_id = p.id)"), 0},
			{"comment counts match rows", count("SELECT count(*) FROM proposals p WHERE comment_count <> (SELECT count(*) FROM comments c WHERE c.target_id = p.id)"), 0},
		} {
			if c.got != c.want {
				t.Errorf("%s: %d, want %d", c.what, c.got, c.want)
			}
		}
	})
}

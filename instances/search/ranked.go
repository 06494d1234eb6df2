package search

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// Relevance. Every hit gets a score from 0 to 1, on both databases
// s/(1+s) of the database's own rank s:
//
//   - PostgreSQL: ts_rank of the tsvector with normalisation 1|32 (the
//     rank divided by 1 + the log of the document's length, then
//     mapped to 0..1); a proposal's title weighs A, ten times its body.
//   - SQLite: -bm25() of the FTS5 table (FTS5 gives it negative, lower
//     is better), the title or question weighing 10 and the body 1.
//   - Spaces, apps and profiles, matched by folded LIKE: 0.5 when every
//     word is in the name, 0.25 otherwise (a word only in the
//     description or the handle).
//
// Within a kind, hits come by score, then newest first, then by id, so
// that pages never overlap nor skip. A relevance order must score every
// match before the first page; to keep a word found in half the node's
// rows bounded, only the newest Ranked matches of a kind are scored and
// ordered: that is every page a search may show (MaxPage pages of
// PerKind), and all matches when there are fewer, which is most
// searches. Older matches of a very common word are left out, as they
// were past the last page before. When kinds are mixed, they come in
// the order of their best hit's score (Result.Order): the scores of the
// full-text kinds are on one scale; a name matched by LIKE ranks with a
// middling full-text match.

// Ranked is how many of a kind's newest matches are scored.
const Ranked = MaxPage * PerKind

// pgScore is the score of a row of alias on PostgreSQL; its query takes
// the words twice (French, English) before the WHERE clause's.
func pgScore(alias string) string {
	return "ts_rank(" + alias + ".search, plainto_tsquery('french', ?) || plainto_tsquery('english', ?), 33)"
}

// ftsScore is the score of a match of an FTS5 table on SQLite, weights
// being bm25's weights of its columns.
func ftsScore(table, weights string) string {
	bm := "bm25(" + table + ", " + weights + ")"
	return "(-" + bm + ") / (1.0 - " + bm + ")"
}

// nameScore is the score of a row matched by folded LIKE: 0.5 when
// every word is in col, 0.25 otherwise, and its arguments.
func nameScore(f filter, col string) (string, []any) {
	conds := make([]string, len(f.words))
	args := make([]any, len(f.words))
	for i, w := range f.words {
		conds[i] = foldExpr(col, f.pg) + " LIKE ?"
		args[i] = "%" + w + "%"
	}
	return "(CASE WHEN " + strings.Join(conds, " AND ") + " THEN 0.5 ELSE 0.25 END)", args
}

// cmpScore orders scores, treating differences below a millionth as
// ties (the databases' floating point may differ in the last digits).
func cmpScore(a, b float64) int {
	if d := a - b; d < 1e-6 && d > -1e-6 {
		return 0
	}
	return cmp.Compare(a, b)
}

// Few is how many matches PostgreSQL counts through the GIN index before
// it chooses how to read the newest Ranked of them.
const Few = Ranked

// ranked reads a page of base's matches, most relevant first among the
// newest Ranked (see above). base selects id, title, target, target_id,
// created_at and score.
//
// On SQLite the FTS5 index is read backwards (its rowids follow the
// order rows were written) and stops after Ranked matches; bm25 is
// computed for those only, and the outer query sorts them (EXPLAIN
// QUERY PLAN: SCAN f VIRTUAL TABLE INDEX 0:M... ORDER BY rowid DESC,
// then a temporary B-tree for the score).
//
// On PostgreSQL the planner cannot tell a word found in half the rows
// from a rare one well enough: left to itself it fetched and sorted
// 250,000 comments for a common word. So the matches are counted up to
// Few+1 through the GIN index first: Few or fewer are read by a bitmap
// scan of the index and sorted by score (a top-N heapsort); more, and
// the rows are walked by date from the newest (created_at index, bitmap
// scans off for this statement), which stops after Ranked matches since
// matches are then dense, and those are sorted by score. Either way
// ts_rank is computed for at most Ranked+1 rows.
//
// alias is the table whose score base selects (pgScore).
func (s *Service) ranked(ctx context.Context, f filter, base, alias string, args []any) ([]row, error) {
	order := " ORDER BY x.score DESC, x.created_at DESC, x.id" + f.page()
	if !f.pg {
		return s.scan(ctx, "SELECT * FROM ("+base+fmt.Sprintf(" ORDER BY f.rowid DESC LIMIT %d) AS x", Ranked)+order, args)
	}
	// The count reads no score: its two arguments come first.
	countBase := strings.Replace(base, pgScore(alias), "0", 1)
	var n int
	if err := s.db.NewRaw("SELECT count(*) FROM ("+countBase+fmt.Sprintf(" LIMIT %d) AS x", Few+1), args[2:]...).Scan(ctx, &n); err != nil {
		return nil, err
	}
	if n <= Few {
		return s.scan(ctx, "SELECT * FROM ("+base+fmt.Sprintf(" LIMIT %d) AS x", Few+1)+order, args)
	}
	var rows []row
	err := s.db.RunInTx(ctx, &sql.TxOptions{ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SET LOCAL enable_bitmapscan = off"); err != nil {
			return err
		}
		return tx.NewRaw("SELECT * FROM (SELECT * FROM ("+base+") AS y ORDER BY y.created_at DESC, y.id"+
			fmt.Sprintf(" LIMIT %d) AS x", Ranked)+order, args...).Scan(ctx, &rows)
	})
	return rows, err
}

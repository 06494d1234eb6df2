package search

import (
	"cmp"
	"context"
	"fmt"
	"strings"
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
// rows bounded, only the newest Ranked (200) matches of a kind are
// scored and ordered, on the first RankedPages (10) pages: all matches
// when there are fewer, which is most searches. Older matches of a
// common word follow them, newest first, on the later pages (1,000
// ranked matches cost SQLite 31 ms a search for a word in half of
// 20,000 reports, against 0.6 ms newest first). When kinds are mixed, they come in
// the order of their best hit's score (Result.Order): the scores of the
// full-text kinds are on one scale; a name matched by LIKE ranks with a
// middling full-text match.

// Ranked is how many of a kind's newest matches are scored and ordered
// by relevance: the first RankedPages pages. Matches older than those
// follow, newest first, as all did before relevance.
const Ranked = RankedPages * PerKind

// RankedPages is how many pages of a kind are ordered by relevance.
const RankedPages = 10

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
		conds[i] = col + " LIKE ?"
		if !f.folded {
			conds[i] = foldExpr(col, f.pg) + " LIKE ?"
		}
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
// it chooses how to read the newest of them.
const Few = 1000

// ranked reads a page of base's matches: the newest Ranked of them by
// score (then newest, then id), and after them the older ones newest
// first (see above). base selects id, title, target, target_id,
// created_at and score; alias is the table whose score it selects
// (pgScore).
//
// The newest Ranked+1 matches are read (the one more says whether
// older matches follow), numbered by date (rn), and ordered by
// (rn > Ranked, score, created_at, id). A page past the ranked ones
// reads newest first from its offset, without scores.
//
// On SQLite the FTS5 index is read backwards (its rowids follow the
// order rows were written) and stops after Ranked+1 matches; bm25 is
// computed for those only (EXPLAIN QUERY PLAN: SCAN f VIRTUAL TABLE
// INDEX 192:M1, 192 being rowid order descending, then a temporary
// B-tree for the order).
//
// On PostgreSQL the planner cannot tell a word found in half the rows
// from a rare one well enough: left to itself it fetched and sorted
// 250,000 comments for a common word. So runPG decides from the data:
// f.n[f.kind] is Few+1 when the newest Probe rows of table hold Dense
// matches or more, else the matches counted up to Few+1 through the GIN
// index. Few or fewer are read by a bitmap scan of the index and sorted;
// more, and the rows are walked by date from the newest (created_at
// index, bitmap scans off), which stops after a few pages since matches
// are dense. While f.counting is set, ranked only adds the probe or the
// count of table (its mode) to it and reads nothing.
func (s *Service) ranked(ctx context.Context, f filter, base, table, alias string, args []any) ([]row, error) {
	const cols = "z.id, z.title, z.target, z.target_id, z.created_at, z.score"
	tier := fmt.Sprintf(" ORDER BY z.rn > %d, z.score DESC, z.created_at DESC, z.id", Ranked)
	past := f.offset >= Ranked
	if !f.pg {
		if past {
			return f.scan(ctx, base+" ORDER BY f.rowid DESC"+f.page(), args)
		}
		numbered := strings.Replace(base, "SELECT ", "SELECT f.rowid AS n, ", 1)
		return f.scan(ctx, "SELECT "+cols+" FROM (SELECT x.*, row_number() OVER (ORDER BY x.n DESC) AS rn FROM ("+
			numbered+fmt.Sprintf(" ORDER BY f.rowid DESC LIMIT %d) AS x) AS z", Ranked+1)+tier+f.page(), args)
	}
	if f.counting != nil && f.counting.mode == probing { // the newest Probe rows, whatever they hold
		f.counting.queries = append(f.counting.queries, "(SELECT count(*) FROM (SELECT w.search FROM "+table+
			fmt.Sprintf(" AS w ORDER BY w.created_at DESC LIMIT %d) AS w", Probe)+
			" WHERE w.search @@ (plainto_tsquery('french', ?) || plainto_tsquery('english', ?)))")
		f.counting.args = append(f.counting.args, args[:2]...)
		return nil, nil
	}
	if f.counting != nil { // the count reads no score: its two arguments come first
		countBase := strings.Replace(base, pgScore(alias), "0", 1)
		f.counting.queries = append(f.counting.queries, "(SELECT count(*) FROM ("+countBase+fmt.Sprintf(" LIMIT %d) AS x)", Few+1))
		f.counting.args = append(f.counting.args, args[2:]...)
		return nil, nil
	}
	newest := "SELECT * FROM (" + base + ") AS y ORDER BY y.created_at DESC, y.id"
	if f.n[f.kind] <= Few {
		newest = "SELECT * FROM (" + base + fmt.Sprintf(" LIMIT %d) AS y ORDER BY y.created_at DESC, y.id", Few+1)
	}
	q := "SELECT " + cols + " FROM (SELECT x.*, row_number() OVER (ORDER BY x.created_at DESC, x.id) AS rn FROM (" +
		newest + fmt.Sprintf(" LIMIT %d) AS x) AS z", Ranked+1) + tier + f.page()
	if past {
		q = "SELECT * FROM (" + newest + ") AS z" + f.page()
	}
	return f.scan(ctx, q, args)
}

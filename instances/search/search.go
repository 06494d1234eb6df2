// Package search finds what anyone may read on the node: proposals,
// debates, comments, budget projects, street reports, apps of the
// catalogue, spaces and public profiles, by words, whatever their accents
// and case. Hidden items, deleted comments, comments on hidden items,
// removed apps and accounts that are not public or are deleted are never
// found (a search would otherwise tell what words they hold, or that
// they exist). A street report is found by its public description only,
// never by its reporter's name nor its messages with the city.
//
// Proposals, debates, comments, budget projects and street reports are
// read through full-text indexes (PostgreSQL tsvector, SQLite FTS5;
// migrations 20261124000003, 20261208170001 and 20261208240001) and
// ranked by relevance (ranked.go): the newest Ranked matches of a kind,
// at most, are scored, so that a word found in half the node's comments
// (or its million street reports) costs a bounded read of the index, not
// a scan; spaces, apps and profiles, far fewer, match every word as a
// part of the folded text, those with every word in their name first. A visitor's words are only ever values, never
// query syntax. A search in a space finds only what belongs to a space
// (proposals, debates, comments, budget projects, the space itself).
package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// Kind is what a hit is.
type Kind string

const (
	Proposal Kind = "proposal"
	Debate   Kind = "debate"
	Comment  Kind = "comment"
	Space    Kind = "space"
	Project  Kind = "project" // a participatory budget's project
	Report   Kind = "report"  // a street report, by its public description
	App      Kind = "app"     // an app of the catalogue
	Profile  Kind = "profile" // a public account, by name and handle
)

// Kinds lists them in the order pages show them.
var Kinds = []Kind{Proposal, Debate, Comment, Project, Report, App, Space, Profile}

// spaced are the kinds that belong to a space; a search in a space finds
// none of the others.
var spaced = []Kind{Proposal, Debate, Comment, Project, Space}

// Limits of a search.
const (
	MaxQuery = 200 // characters
	MaxWords = 10
	MinWord  = 2 // a search needs one word at least this long
	PerKind  = 20
	MaxPage  = 50 // pages further than this are refused: narrow the search
)

// Errors of a search; pages say them next to the search box.
var (
	ErrQuery = errors.New("a search is one word of 2 letters or more, at most 200 characters")
	ErrKind  = errors.New("unknown kind of result")
	ErrSpace = errors.New("no such space")
	ErrPage  = errors.New("a page of results is a number from 1 to 50")
)

// Query is what a visitor searches.
type Query struct {
	Text  string
	Kind  Kind   // "" for every kind
	Space string // a space's slug, "" for the whole node
	Page  int    // 1 for the first PerKind of each kind (0 is 1)
}

// Hit is one thing found.
type Hit struct {
	Kind      Kind
	ID        string // a space's or an app's slug, a profile's handle, or the item's id
	Title     string // a comment's or a street report's text, a profile's display name
	Target    string // for a comment: "proposal" or "debate"
	TargetID  string
	CreatedAt time.Time
	// Score is the hit's relevance from 0 to 1 (ranked.go): kind by
	// kind, hits come by Score, then newest first.
	Score float64
}

// Result is what a search found, kind by kind, most relevant first, at
// most PerKind of each on a page; More says which kinds have another
// page. Order lists the kinds found, the one whose best hit scored
// highest first (ties in the order of Kinds).
type Result struct {
	Words []string
	Hits  map[Kind][]Hit
	More  map[Kind]bool
	Page  int
	Order []Kind
}

// Service searches one node.
type Service struct {
	db   *bun.DB
	runs chan struct{} // a place for each search running at once
}

// Running is how many searches one process runs at once; the others
// wait their turn. Sixty-four searches at once on two cores each held a
// SQLite connection and its page cache (360 MB) and took turns on the
// CPU anyway; a few at a time answer sooner.
const Running = 4

// NewService returns the search service over db.
func NewService(db *bun.DB) *Service { return &Service{db: db, runs: make(chan struct{}, Running)} }

// ParseKind checks a kind from a form; "" is every kind.
func ParseKind(s string) (Kind, error) {
	if s == "" {
		return "", nil
	}
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrKind, s)
}

// ParsePage checks a page number from a form; "" is the first.
func ParsePage(s string) (int, error) {
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxPage {
		return 0, fmt.Errorf("%w: %q", ErrPage, s)
	}
	return n, nil
}

// Words splits a search into its words (letters and digits, lower case,
// accents folded), at most MaxWords; ErrQuery when it is too long or has
// no word of MinWord letters. Words of one letter are dropped when a
// longer one is there (an index cannot look them up by prefix cheaply).
func Words(q string) ([]string, error) {
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > MaxQuery {
		return nil, ErrQuery
	}
	var words []string
	for _, w := range strings.FieldsFunc(fold(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(w) >= MinWord && !slices.Contains(words, w) {
			words = append(words, w)
		}
	}
	if len(words) > MaxWords {
		words = words[:MaxWords]
	}
	if len(words) == 0 {
		return nil, ErrQuery
	}
	return words, nil
}

// Search finds what anyone may read that holds every word of q, most
// relevant first (ranked.go): each word as a whole word or another form of it (stemmed in
// French and English on PostgreSQL, by the Porter stemmer on SQLite).
func (s *Service) Search(ctx context.Context, q Query) (*Result, error) {
	words, err := Words(q.Text)
	if err != nil {
		return nil, err
	}
	if _, err := ParseKind(string(q.Kind)); err != nil {
		return nil, err
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Page < 1 || q.Page > MaxPage {
		return nil, fmt.Errorf("%w: %d", ErrPage, q.Page)
	}
	f := filter{words: words, pg: database.IsPostgres(s.db), offset: (q.Page - 1) * PerKind}
	if q.Space != "" {
		if err := s.db.NewSelect().Table("spaces").Column("id").Where("slug = ?", q.Space).Scan(ctx, &f.spaceID); err != nil {
			if errors.Is(database.Translate(err), database.ErrNotFound) {
				return nil, fmt.Errorf("%w: %q", ErrSpace, q.Space)
			}
			return nil, fmt.Errorf("search: space %q: %w", q.Space, err)
		}
	}
	select {
	case s.runs <- struct{}{}:
		defer func() { <-s.runs }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	res := &Result{Words: words, Hits: map[Kind][]Hit{}, More: map[Kind]bool{}, Page: q.Page}
	var kinds []Kind
	for _, k := range Kinds {
		if q.Kind != "" && q.Kind != k {
			continue
		}
		if f.spaceID != "" && !slices.Contains(spaced, k) {
			continue
		}
		kinds = append(kinds, k)
	}
	f.db = s.db
	if !f.pg {
		if err := s.run(ctx, f, kinds, res); err != nil {
			return nil, err
		}
	} else if err := s.db.RunInTx(ctx, &sql.TxOptions{ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		f.db = tx
		return s.runPG(ctx, f, kinds, res)
	}); err != nil {
		return nil, err
	}
	for _, k := range Kinds {
		if len(res.Hits[k]) > 0 {
			res.Order = append(res.Order, k)
		}
	}
	slices.SortStableFunc(res.Order, func(a, b Kind) int { return cmpScore(res.Hits[b][0].Score, res.Hits[a][0].Score) })
	return res, nil
}

// run searches each of kinds and puts what it found in res.
func (s *Service) run(ctx context.Context, f filter, kinds []Kind, res *Result) error {
	for _, k := range kinds {
		var rows []row
		var err error
		f.kind = k
		switch k {
		case Proposal:
			rows, err = s.proposals(ctx, f)
		case Debate:
			rows, err = s.debates(ctx, f)
		case Comment:
			rows, err = s.comments(ctx, f)
		case Space:
			rows, err = s.spaces(ctx, f)
		case Project:
			rows, err = s.projects(ctx, f)
		case Report:
			rows, err = s.reports(ctx, f)
		case App:
			rows, err = s.apps(ctx, f)
		case Profile:
			rows, err = s.profiles(ctx, f)
		}
		if err != nil {
			return fmt.Errorf("search %ss: %w", k, err)
		}
		if f.counting != nil {
			continue
		}
		if len(rows) > PerKind {
			rows, res.More[k] = rows[:PerKind], true
		}
		if len(rows) > 0 {
			res.Hits[k] = hits(k, rows)
		}
	}
	return nil
}

// fullText are the kinds read through a full-text index.
var fullText = []Kind{Proposal, Debate, Comment, Project, Report}

// runPG searches kinds on PostgreSQL, in one read-only transaction whose
// planner settings say how each statement reads (see ranked), JIT off
// (a disabled scan method adds 10^10 to a plan's cost, and PostgreSQL
// then compiled every statement, even the search of one space: 0.6 to
// 1.6 s of JIT for 1 ms of work). How to read the newest matches of each full-text
// kind is chosen from the data, not the planner's estimates:
//
//  1. One statement looks at the newest Probe rows of each full-text
//     kind (an index scan of created_at, Probe rows whatever the words)
//     and counts the matches among them. Dense or more, and the newest
//     matches are found by walking by date (bitmap scans off).
//  2. For the others, one statement counts the matches up to Few+1
//     through the GIN indexes (sequential and index scans off: with a
//     LIMIT the planner otherwise walked a whole table or index for two
//     common words found together nowhere, 190 ms for 150,000
//     comments). Few or fewer are read by a bitmap scan and sorted;
//     more, by walking by date.
func (s *Service) runPG(ctx context.Context, f filter, kinds []Kind, res *Result) error {
	const walk = "SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_indexscan', 'on', true)"
	const bitmap = "SELECT set_config('enable_bitmapscan', 'on', true), set_config('enable_indexscan', 'off', true)"
	if _, err := f.db.ExecContext(ctx, "SELECT set_config('jit', 'off', true), set_config('enable_seqscan', 'off', true), "+
		"set_config('enable_bitmapscan', 'off', true)"); err != nil {
		return err
	}
	var counted []Kind
	for _, k := range kinds {
		if slices.Contains(fullText, k) {
			counted = append(counted, k)
		}
	}
	f.n = map[Kind]int{}
	probe := func(counted []Kind, mode int) ([]int, error) {
		c := counts{mode: mode}
		cf := f
		cf.counting = &c
		if err := s.run(ctx, cf, counted, res); err != nil {
			return nil, err
		}
		ns := make([]int, len(counted))
		dest := make([]any, len(counted))
		for i := range ns {
			dest[i] = &ns[i]
		}
		if err := f.db.QueryRowContext(ctx, "SELECT "+strings.Join(c.queries, ", "), c.args...).Scan(dest...); err != nil {
			return nil, fmt.Errorf("search: count: %w", err)
		}
		return ns, nil
	}
	var sparse []Kind
	if len(counted) > 0 {
		ns, err := probe(counted, probing)
		if err != nil {
			return err
		}
		for i, k := range counted {
			if ns[i] >= Dense {
				f.n[k] = Few + 1
			} else {
				sparse = append(sparse, k)
			}
		}
	}
	if _, err := f.db.ExecContext(ctx, bitmap); err != nil {
		return err
	}
	if len(sparse) > 0 {
		ns, err := probe(sparse, counting)
		if err != nil {
			return err
		}
		for i, k := range sparse {
			f.n[k] = ns[i]
		}
	}
	var few, many []Kind
	for _, k := range kinds {
		if f.n[k] > Few {
			many = append(many, k)
		} else {
			few = append(few, k)
		}
	}
	if err := s.run(ctx, f, few, res); err != nil {
		return err
	}
	if len(many) == 0 {
		return nil
	}
	if _, err := f.db.ExecContext(ctx, walk); err != nil {
		return err
	}
	return s.run(ctx, f, many, res)
}

// Probe is how many of a full-text kind's newest rows PostgreSQL looks
// at first; Dense matches among them, and its newest matches are found
// by walking by date (reading about Probe rows for the first pages).
const (
	Probe = 1000
	Dense = 250
)

// What a counts gathers.
const (
	counting = iota // matches up to Few+1, through the GIN index
	probing         // matches among the newest Probe rows
)

// counts gathers the full-text kinds' counting subqueries on PostgreSQL.
type counts struct {
	mode    int
	queries []string
	args    []any
}

// filter is a search's words, dialect, space and page.
type filter struct {
	words   []string
	pg      bool
	spaceID string
	offset  int
	folded  bool // nameScore's column is folded already

	db       bun.IDB // what statements run on: the database, or a search's transaction (PostgreSQL)
	kind     Kind
	n        map[Kind]int // PostgreSQL: each full-text kind's matches, counted up to Few+1
	counting *counts      // PostgreSQL: gather counting subqueries, read nothing
}

// page is the ORDER BY's tail: one more than a page, to know of the next.
func (f filter) page() string { return fmt.Sprintf(" LIMIT %d OFFSET %d", PerKind+1, f.offset) }

type row struct {
	ID        string    `bun:"id"`
	Title     string    `bun:"title"`
	Target    string    `bun:"target"`
	TargetID  string    `bun:"target_id"`
	CreatedAt time.Time `bun:"created_at"`
	Score     float64   `bun:"score"`
}

func hits(kind Kind, rows []row) []Hit {
	out := make([]Hit, len(rows))
	for i, r := range rows {
		out[i] = Hit{Kind: kind, ID: r.ID, Title: r.Title, Target: r.Target, TargetID: r.TargetID, CreatedAt: r.CreatedAt, Score: r.Score}
	}
	return out
}

// proposals searches the proposals' full-text index (stemmed, French
// and English).
func (s *Service) proposals(ctx context.Context, f filter) ([]row, error) {
	var b strings.Builder
	var args []any
	if f.pg {
		text := strings.Join(f.words, " ")
		b.WriteString(`SELECT p.id, p.title, '' AS target, '' AS target_id, p.created_at, ` + pgScore("p") + ` AS score FROM proposals AS p
			WHERE p.hidden_at IS NULL AND p.search @@ (plainto_tsquery('french', ?) || plainto_tsquery('english', ?))`)
		args = append(args, text, text, text, text)
	} else {
		// The index read backwards: the proposals written last first,
		// stopping at Ranked (ranked.go). The id column is unindexed.
		b.WriteString(`SELECT p.id, p.title, '' AS target, '' AS target_id, p.created_at, ` + ftsScore("proposals_fts", "0, 10, 1") + ` AS score
			FROM proposals_fts AS f JOIN proposals AS p ON p.id = f.id
			WHERE proposals_fts MATCH ? AND p.hidden_at IS NULL`)
		args = append(args, ftsQuery(f.words))
	}
	if f.spaceID != "" {
		b.WriteString(" AND p.space_id = ?")
		args = append(args, f.spaceID)
	}
	return s.ranked(ctx, f, b.String(), "proposals", "p", args)
}

// debates searches the debates' questions and descriptions.
func (s *Service) debates(ctx context.Context, f filter) ([]row, error) {
	b, args := matching(f, "debates", "d", "d.id, d.question AS title, '' AS target, '' AS target_id, d.created_at", "10, 1")
	b.WriteString(" AND d.hidden_at IS NULL")
	if f.spaceID != "" {
		b.WriteString(" AND d.space_id = ?")
		args = append(args, f.spaceID)
	}
	return s.ranked(ctx, f, b.String(), "debates", "d", args)
}

// matching starts a query of the rows of table (as alias) whose
// full-text index holds f's words, selecting cols: the table's "search"
// tsvector on PostgreSQL; on SQLite its FTS5 table, TABLE_fts, whose
// rowids TABLE_search_rows maps to ids (migrations 20261208170001 and
// 20261208240001). It selects the score too (ranked.go), weights being
// bm25's weights of the FTS5 columns. The caller adds conditions with
// " AND ...".
func matching(f filter, table, alias, cols, weights string) (*strings.Builder, []any) {
	b := new(strings.Builder)
	if f.pg {
		text := strings.Join(f.words, " ")
		b.WriteString("SELECT " + cols + ", " + pgScore(alias) + " AS score FROM " + table + " AS " + alias +
			" WHERE " + alias + ".search @@ (plainto_tsquery('french', ?) || plainto_tsquery('english', ?))")
		return b, []any{text, text, text, text}
	}
	b.WriteString("SELECT " + cols + ", " + ftsScore(table+"_fts", weights) + " AS score FROM " + table + "_fts AS f JOIN " +
		table + "_search_rows AS sr ON sr.n = f.rowid JOIN " +
		table + " AS " + alias + " ON " + alias + ".id = sr.id WHERE " + table + "_fts MATCH ?")
	return b, []any{ftsQuery(f.words)}
}

// comments searches comments, never deleted or hidden ones, nor those on
// a hidden proposal or debate.
func (s *Service) comments(ctx context.Context, f filter) ([]row, error) {
	b, args := matching(f, "comments", "c", "c.id, c.body AS title, c.target_kind AS target, c.target_id, c.created_at", "1")
	b.WriteString(` AND c.hidden_at IS NULL AND c.deleted_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM proposals AS t WHERE c.target_kind = 'proposal' AND t.id = c.target_id AND t.hidden_at IS NOT NULL)
		AND NOT EXISTS (SELECT 1 FROM debates AS t WHERE c.target_kind = 'debate' AND t.id = c.target_id AND t.hidden_at IS NOT NULL)`)
	if f.spaceID != "" {
		b.WriteString(` AND (c.target_kind = 'proposal' AND c.target_id IN (SELECT id FROM proposals WHERE space_id = ?)
			OR c.target_kind = 'debate' AND c.target_id IN (SELECT id FROM debates WHERE space_id = ?))`)
		args = append(args, f.spaceID, f.spaceID)
	}
	return s.ranked(ctx, f, b.String(), "comments", "c", args)
}

// spaces matches every word as a part of the folded title or description
// (a node has a few dozen spaces: no index needed).
func (s *Service) spaces(ctx context.Context, f filter) ([]row, error) {
	var b strings.Builder
	score, args := nameScore(f, "title")
	b.WriteString(`SELECT slug AS id, title, '' AS target, '' AS target_id, created_at, ` + score + ` AS score FROM spaces WHERE 1 = 1`)
	for _, w := range f.words {
		b.WriteString(" AND (" + foldExpr("title", f.pg) + " LIKE ? OR " + foldExpr("description", f.pg) + " LIKE ?)")
		args = append(args, "%"+w+"%", "%"+w+"%")
	}
	if f.spaceID != "" {
		b.WriteString(" AND id = ?")
		args = append(args, f.spaceID)
	}
	b.WriteString(" ORDER BY score DESC, created_at DESC, id" + f.page())
	return f.scan(ctx, b.String(), args)
}

// projects searches the budget projects' titles and descriptions
// through their full-text index (migration 20261208240001). A project
// has no hidden state: every project of a budget is on its public page.
func (s *Service) projects(ctx context.Context, f filter) ([]row, error) {
	b, args := matching(f, "budget_projects", "p", "p.id, p.title, '' AS target, '' AS target_id, p.created_at", "10, 1")
	if f.spaceID != "" {
		b.WriteString(" AND p.budget_id IN (SELECT id FROM budgets WHERE space_id = ?)")
		args = append(args, f.spaceID)
	}
	return s.ranked(ctx, f, b.String(), "budget_projects", "p", args)
}

// reports searches the street reports' public descriptions through their
// full-text index (migration 20261208240001; a node may hold a million).
// Only the description is read: never the reporter,
// whatever they chose to show, nor the messages with the city.
func (s *Service) reports(ctx context.Context, f filter) ([]row, error) {
	b, args := matching(f, "street_reports", "r", "r.id, r.description AS title, '' AS target, '' AS target_id, r.created_at", "1")
	return s.ranked(ctx, f, b.String(), "street_reports", "r", args)
}

// apps matches every word as a part of the catalogue's own folded name
// and descriptions (search_text, what the catalogue's list searches; a
// catalogue holds hundreds of apps, not millions). Removed apps never.
func (s *Service) apps(ctx context.Context, f filter) ([]row, error) {
	var b strings.Builder
	score, args := nameScore(f, "name")
	b.WriteString(`SELECT slug AS id, name AS title, '' AS target, '' AS target_id, created_at, ` + score + ` AS score FROM apps WHERE deleted_at IS NULL`)
	for _, w := range f.words {
		b.WriteString(" AND search_text LIKE ?")
		args = append(args, "%"+w+"%")
	}
	b.WriteString(" ORDER BY score DESC, created_at DESC, id" + f.page())
	return f.scan(ctx, b.String(), args)
}

// profiles matches every word as a part of a public account's folded
// display name or handle. Accounts that are not public, deleted or being
// deleted are never found: a search must not tell they exist.
func (s *Service) profiles(ctx context.Context, f filter) ([]row, error) {
	var b strings.Builder
	// search_name is the display name folded once, when it is written
	// (migration 20261209140001): folding 50,000 names in SQL on every
	// search was most of a search's time.
	score, args := nameScore(filter{words: f.words, folded: true}, "search_name")
	b.WriteString(`SELECT handle AS id, display_name AS title, '' AS target, '' AS target_id, created_at, ` + score + ` AS score FROM accounts
		WHERE public AND deleted_at IS NULL AND deletion_requested_at IS NULL`)
	for _, w := range f.words {
		b.WriteString(" AND (search_name LIKE ? OR lower(handle) LIKE ?)")
		args = append(args, "%"+w+"%", "%"+w+"%")
	}
	b.WriteString(" ORDER BY score DESC, created_at DESC, id" + f.page())
	return f.scan(ctx, b.String(), args)
}

func (f filter) scan(ctx context.Context, q string, args []any) ([]row, error) {
	var rows []row
	if err := f.db.NewRaw(q, args...).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	return rows, nil
}

// ftsQuery quotes each word, so nothing a visitor types is FTS5 syntax.
// Whole words only, stemmed by the index: a prefix query ("word"*) makes
// FTS5 merge every match in memory before it can read the newest, which
// at 500,000 comments cost a second per search under load.
func ftsQuery(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = `"` + w + `"`
	}
	return strings.Join(quoted, " ")
}

// Accented letters and their plain forms, one for one.
const (
	accented = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿ"
	plain    = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyy"
)

var folder = func() *strings.Replacer {
	from, to := []rune(accented), []rune(plain)
	pairs := make([]string, 0, 2*len(from)+8)
	for i := range from {
		pairs = append(pairs, string(from[i]), string(to[i]))
	}
	pairs = append(pairs, "œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae")
	return strings.NewReplacer(pairs...)
}()

// fold lowers a text and removes its accents.
func fold(s string) string { return strings.ToLower(folder.Replace(s)) }

// foldExpr is the SQL that folds a column as fold does.
func foldExpr(col string, pg bool) string {
	if pg {
		return "lower(replace(replace(translate(" + col + ", '" + accented + "', '" + plain + "'), 'œ', 'oe'), 'æ', 'ae'))"
	}
	// SQLite has no translate(): one replace() per letter.
	e := col
	from, to := []rune(accented), []rune(plain)
	for i := range from {
		e = "replace(" + e + ", '" + string(from[i]) + "', '" + string(to[i]) + "')"
	}
	return "lower(replace(replace(" + e + ", 'œ', 'oe'), 'æ', 'ae'))"
}

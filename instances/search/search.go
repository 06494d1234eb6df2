// Package search finds what anyone may read on the node: proposals,
// debates, comments and spaces, by words, whatever their accents and case.
// Hidden items, deleted comments and comments on hidden items are never
// found (a search would otherwise tell what words they hold).
//
// Proposals use their full-text index (PostgreSQL tsvector, SQLite FTS5,
// see migration 20261124000003); the rest match every word as a part of
// the folded text. A visitor's words are only ever values, never query
// syntax.
package search

import (
	"context"
	"errors"
	"fmt"
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
)

// Kinds lists them in the order pages show them.
var Kinds = []Kind{Proposal, Debate, Comment, Space}

// Limits of a search.
const (
	MaxQuery = 200 // characters
	MaxWords = 10
	MinWord  = 2 // a search needs one word at least this long
	PerKind  = 20
)

// Errors of a search; pages say them next to the search box.
var (
	ErrQuery = errors.New("a search is one word of 2 letters or more, at most 200 characters")
	ErrKind  = errors.New("unknown kind of result")
)

// Query is what a visitor searches.
type Query struct {
	Text string
	Kind Kind // "" for every kind
}

// Hit is one thing found.
type Hit struct {
	Kind      Kind
	ID        string // a space's slug, or the item's id
	Title     string // a comment's excerpt
	Target    string // for a comment: "proposal" or "debate"
	TargetID  string
	CreatedAt time.Time
}

// Result is what a search found, kind by kind, newest first, at most
// PerKind of each.
type Result struct {
	Words []string
	Hits  map[Kind][]Hit
}

// Service searches one node.
type Service struct{ db *bun.DB }

// NewService returns the search service over db.
func NewService(db *bun.DB) *Service { return &Service{db: db} }

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

// Words splits a search into its words (letters and digits, lower case,
// accents folded), at most MaxWords; ErrQuery when it is too long or has
// no word of MinWord letters.
func Words(q string) ([]string, error) {
	if !utf8.ValidString(q) || utf8.RuneCountInString(q) > MaxQuery {
		return nil, ErrQuery
	}
	words := strings.FieldsFunc(fold(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > MaxWords {
		words = words[:MaxWords]
	}
	for _, w := range words {
		if utf8.RuneCountInString(w) >= MinWord {
			return words, nil
		}
	}
	return nil, ErrQuery
}

// Search finds what anyone may read that holds every word of q.
func (s *Service) Search(ctx context.Context, q Query) (*Result, error) {
	words, err := Words(q.Text)
	if err != nil {
		return nil, err
	}
	if _, err := ParseKind(string(q.Kind)); err != nil {
		return nil, err
	}
	res := &Result{Words: words, Hits: map[Kind][]Hit{}}
	pg := database.IsPostgres(s.db)
	for _, k := range Kinds {
		if q.Kind != "" && q.Kind != k {
			continue
		}
		var hits []Hit
		var err error
		switch k {
		case Proposal:
			hits, err = s.proposals(ctx, words, pg)
		case Debate:
			hits, err = s.like(ctx, words, pg, Debate, `SELECT id, question AS title, '' AS target, '' AS target_id, created_at
				FROM debates WHERE hidden_at IS NULL`, "question", "description")
		case Comment:
			hits, err = s.like(ctx, words, pg, Comment, `SELECT c.id, c.body AS title, c.target_kind AS target, c.target_id, c.created_at
				FROM comments AS c WHERE c.hidden_at IS NULL AND c.deleted_at IS NULL
				AND NOT EXISTS (SELECT 1 FROM proposals AS t WHERE c.target_kind = 'proposal' AND t.id = c.target_id AND t.hidden_at IS NOT NULL)
				AND NOT EXISTS (SELECT 1 FROM debates AS t WHERE c.target_kind = 'debate' AND t.id = c.target_id AND t.hidden_at IS NOT NULL)`, "c.body")
		case Space:
			hits, err = s.like(ctx, words, pg, Space, `SELECT slug AS id, title, '' AS target, '' AS target_id, created_at
				FROM spaces WHERE 1 = 1`, "title", "description")
		}
		if err != nil {
			return nil, fmt.Errorf("search %ss: %w", k, err)
		}
		if len(hits) > 0 {
			res.Hits[k] = hits
		}
	}
	return res, nil
}

type row struct {
	ID        string    `bun:"id"`
	Title     string    `bun:"title"`
	Target    string    `bun:"target"`
	TargetID  string    `bun:"target_id"`
	CreatedAt time.Time `bun:"created_at"`
}

func hits(kind Kind, rows []row) []Hit {
	out := make([]Hit, len(rows))
	for i, r := range rows {
		out[i] = Hit{Kind: kind, ID: r.ID, Title: r.Title, Target: r.Target, TargetID: r.TargetID, CreatedAt: r.CreatedAt}
	}
	return out
}

// proposals searches the proposals' full-text index.
func (s *Service) proposals(ctx context.Context, words []string, pg bool) ([]Hit, error) {
	var rows []row
	q := s.db.NewSelect().TableExpr("proposals AS p").
		ColumnExpr("p.id, p.title, '' AS target, '' AS target_id, p.created_at").
		Where("p.hidden_at IS NULL").OrderExpr("p.created_at DESC, p.id").Limit(PerKind)
	if pg {
		text := strings.Join(words, " ")
		q = q.Where("p.search @@ (plainto_tsquery('french', ?) || plainto_tsquery('english', ?))", text, text)
	} else {
		q = q.Where("p.id IN (SELECT id FROM proposals_fts WHERE proposals_fts MATCH ?)", ftsQuery(words))
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, err
	}
	return hits(Proposal, rows), nil
}

// like finds the rows of base (a SELECT with a WHERE) whose columns,
// folded, hold every word.
func (s *Service) like(ctx context.Context, words []string, pg bool, kind Kind, base string, cols ...string) ([]Hit, error) {
	var b strings.Builder
	args := []any{}
	b.WriteString(base)
	for _, w := range words {
		b.WriteString(" AND (")
		for i, c := range cols {
			if i > 0 {
				b.WriteString(" OR ")
			}
			b.WriteString(foldExpr(c, pg) + " LIKE ?")
			args = append(args, "%"+w+"%")
		}
		b.WriteString(")")
	}
	b.WriteString(fmt.Sprintf(" ORDER BY created_at DESC LIMIT %d", PerKind))
	var rows []row
	if err := s.db.NewRaw(b.String(), args...).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	return hits(kind, rows), nil
}

// ftsQuery quotes each word, so nothing a visitor types is FTS5 syntax.
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

package proposals

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/uptrace/bun"
	"golang.org/x/sync/singleflight"

	"agora/storage/database"
)

// Sort is an order of the proposal list.
type Sort string

const (
	// Random is the default: a fixed shuffle per visitor (Seed), so early
	// proposals get no position advantage and a visitor paging through
	// sees each proposal once.
	Random    Sort = "random"
	Newest    Sort = "newest"
	Supported Sort = "supported"
)

// Sorts lists the orders a visitor may choose.
var Sorts = []Sort{Random, Newest, Supported}

// Query selects a page of proposals of a space.
type Query struct {
	SpaceID  string
	State    State  // "" for any state but merged
	Category string // "" for any
	// From and Until keep proposals published in a period, e.g. a phase.
	From, Until time.Time
	Search      string // full text, French and English
	Sort        Sort
	Seed        int64 // the visitor's shuffle, for Random
	Page        int   // from 1
	PerPage     int   // default 20, at most 100
}

// Page is one page of proposals.
type Page struct {
	Items   []Proposal
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p Page) Pages() int { return (p.Total + p.PerPage - 1) / p.PerPage }

// List returns a page of proposals. Hidden proposals are listed (pages show
// the moderation notice in their place); merged ones only when asked for.
func (s *Service) List(ctx context.Context, q Query) (Page, error) {
	if q.PerPage <= 0 || q.PerPage > 100 {
		q.PerPage = 20
	}
	if q.Page < 1 {
		q.Page = 1
	}
	if q.Sort == "" {
		q.Sort = Random
	}
	page := Page{Page: q.Page, PerPage: q.PerPage}
	filter := func(sq *bun.SelectQuery) *bun.SelectQuery {
		sq = sq.Where("p.space_id = ?", q.SpaceID)
		if q.State != "" {
			sq = sq.Where("p.state = ?", q.State)
		} else {
			sq = sq.Where("p.state <> ?", Merged)
		}
		if q.Category != "" {
			sq = sq.Where("p.category = ?", q.Category)
		}
		if !q.From.IsZero() {
			sq = sq.Where("p.created_at >= ?", q.From.UTC())
		}
		if !q.Until.IsZero() {
			sq = sq.Where("p.created_at < ?", q.Until.UTC())
		}
		if terms := searchTerms(q.Search); len(terms) > 0 {
			// Hidden texts are not searchable: a search would otherwise tell
			// what words a hidden proposal holds.
			sq = sq.Where("p.hidden_at IS NULL")
			if database.IsPostgres(s.db) {
				text := foldAccents(strings.Join(terms, " "))
				sq = sq.Where("p.search @@ (plainto_tsquery('french', ?) || plainto_tsquery('english', ?))", text, text)
			} else {
				sq = sq.Where("p.id IN (SELECT id FROM proposals_fts WHERE proposals_fts MATCH ?)", ftsQuery(terms))
			}
		}
		return sq
	}
	// Without a search, the shuffle keys of the selection (cached a few
	// seconds) give the total and where a seed falls, without counting
	// the whole space on every page.
	var keys []int64
	if len(searchTerms(q.Search)) == 0 {
		var err error
		if keys, err = s.keys.get(ctx, q, func(ctx context.Context) ([]int64, error) {
			var ks []int64
			err := filter(s.db.NewSelect().Model((*Proposal)(nil)).Column("p.rand_key")).OrderExpr("p.rand_key").Scan(ctx, &ks)
			return ks, err
		}); err != nil {
			return page, fmt.Errorf("read shuffle keys: %w", err)
		}
		page.Total = len(keys)
	} else {
		total, err := filter(s.db.NewSelect().Model((*Proposal)(nil))).Count(ctx)
		if err != nil {
			return page, fmt.Errorf("count proposals: %w", err)
		}
		page.Total = int(total)
	}
	offset := (q.Page - 1) * q.PerPage
	if offset >= page.Total {
		return page, nil
	}
	list := func(sq *bun.SelectQuery) *bun.SelectQuery {
		return filter(sq.Model(&page.Items).Relation("Author"))
	}
	var err error
	switch q.Sort {
	case Newest:
		err = list(s.db.NewSelect()).OrderExpr("p.created_at DESC, p.id DESC").Limit(int64(q.PerPage)).Offset(int64(offset)).Scan(ctx)
	case Supported:
		err = list(s.db.NewSelect()).OrderExpr("p.support_count DESC, p.id DESC").Limit(int64(q.PerPage)).Offset(int64(offset)).Scan(ctx)
	default:
		err = s.shuffled(ctx, list, filter, q, offset, keys, &page)
	}
	if err != nil {
		return page, fmt.Errorf("list proposals: %w", err)
	}
	return page, nil
}

// shuffled reads the Random order: the proposals by rand_key, rotated to
// start at the visitor's seed. It is two index range scans, not a sort of
// every proposal: those from the seed up, then those below it.
func (s *Service) shuffled(ctx context.Context, list, filter func(*bun.SelectQuery) *bun.SelectQuery, q Query, offset int, keys []int64, page *Page) error {
	seed := q.Seed & 0x7fffffff
	var above int64
	if keys != nil {
		above = int64(len(keys) - sort.Search(len(keys), func(i int) bool { return keys[i] >= seed }))
	} else {
		var err error
		if above, err = filter(s.db.NewSelect().Model((*Proposal)(nil))).Where("p.rand_key >= ?", seed).Count(ctx); err != nil {
			return err
		}
	}
	if int64(offset) < above {
		if err := list(s.db.NewSelect()).Where("p.rand_key >= ?", seed).OrderExpr("p.rand_key, p.id").
			Limit(int64(q.PerPage)).Offset(int64(offset)).Scan(ctx); err != nil {
			return err
		}
	}
	if missing := q.PerPage - len(page.Items); missing > 0 {
		var rest []Proposal
		err := filter(s.db.NewSelect().Model(&rest).Relation("Author")).Where("p.rand_key < ?", seed).
			OrderExpr("p.rand_key, p.id").Limit(int64(missing)).Offset(max(0, int64(offset)-above)).Scan(ctx)
		if err != nil {
			return err
		}
		page.Items = append(page.Items, rest...)
	}
	return nil
}

// searchTerms splits a search into at most 10 words of letters and digits.
func searchTerms(q string) []string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 10 {
		words = words[:10]
	}
	return words
}

// ftsQuery quotes each word, so nothing a visitor types is FTS5 syntax;
// the last word matches as a prefix, for search as you type.
func ftsQuery(terms []string) string {
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = `"` + t + `"`
	}
	quoted[len(quoted)-1] += "*"
	return strings.Join(quoted, " ")
}

// foldAccents removes the accents the PostgreSQL search column folds (see
// migration 20261124000003), so a query and the text meet.
var foldAccents = strings.NewReplacer(func() []string {
	from := []rune("ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿŒœÆæ")
	to := []rune("AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyyOoAa")
	pairs := make([]string, 0, 2*len(from))
	for i := range from {
		pairs = append(pairs, string(from[i]), string(to[i]))
	}
	return pairs
}()...).Replace

// keyCache keeps, per selection of a space (state, category, period), the
// sorted shuffle keys of its proposals for a few seconds: their number is
// the list's total, and a binary search finds where a visitor's seed
// falls. Reading them is one index scan every keyTTL instead of two counts
// of the whole space on every page. A page may show a total a few seconds
// old when another process changed the space; a change made through this
// process's services is seen at once (forget). The proposals themselves
// are always read fresh.
type keyCache struct {
	mu    sync.Mutex
	items map[string]keyEntry
	// gens counts the changes of each space: a read of keys begun before
	// a change is neither kept nor joined by a read begun after it.
	gens map[string]uint64
	load singleflight.Group // one read of a selection's keys at a time
}

type keyEntry struct {
	keys  []int64
	until time.Time
}

const keyTTL = 10 * time.Second

func (c *keyCache) get(ctx context.Context, q Query, load func(context.Context) ([]int64, error)) ([]int64, error) {
	k := fmt.Sprintf("%s|%s|%s|%d|%d", q.SpaceID, q.State, q.Category, q.From.UnixNano(), q.Until.UnixNano())
	now := time.Now()
	c.mu.Lock()
	e, ok := c.items[k]
	gen := c.gens[q.SpaceID]
	c.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.keys, nil
	}
	v, err, _ := c.load.Do(k+"|"+strconv.FormatUint(gen, 10), func() (any, error) { return load(ctx) })
	if err != nil {
		return nil, err
	}
	keys, _ := v.([]int64)
	if keys == nil {
		keys = []int64{}
	}
	c.mu.Lock()
	if c.gens[q.SpaceID] == gen { // else the space changed while reading: keep nothing
		if c.items == nil || len(c.items) > 1000 {
			c.items = map[string]keyEntry{}
		}
		c.items[k] = keyEntry{keys: keys, until: now.Add(keyTTL)}
	}
	c.mu.Unlock()
	return keys, nil
}

// forget drops the cached keys of a space, once a change there is
// committed: the next list reads them afresh.
func (c *keyCache) forget(spaceID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gens == nil {
		c.gens = map[string]uint64{}
	}
	c.gens[spaceID]++
	for k := range c.items {
		if strings.HasPrefix(k, spaceID+"|") {
			delete(c.items, k)
		}
	}
}

// Forget drops what the service keeps in memory of a space's lists, after
// a change to which proposals they show made outside this service (a
// moderation act: merge, hide, unhide, recategorise), so the next list is
// right at once. Another process sees the change within keyTTL.
func (s *Service) Forget(spaceID string) { s.keys.forget(spaceID) }

// Choice is a proposal as a form offers it to choose from: its id and
// title.
type Choice struct {
	ID    string `bun:"id"`
	Title string `bun:"title"`
}

// Choices returns the proposals of a space, but except, that a form may
// offer to choose from (the one a duplicate is merged into): neither
// merged nor hidden, by title, at most limit of them; more reports that
// there were more.
func (s *Service) Choices(ctx context.Context, spaceID, except string, limit int) (out []Choice, more bool, err error) {
	err = s.db.NewSelect().Model((*Proposal)(nil)).Column("p.id", "p.title").
		Where("p.space_id = ? AND p.id <> ? AND p.state <> ? AND p.hidden_at IS NULL", spaceID, except, Merged).
		Order("p.title", "p.id").Limit(int64(limit)+1).Scan(ctx, &out)
	if err != nil {
		return nil, false, fmt.Errorf("list proposals to choose from: %w", err)
	}
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
}

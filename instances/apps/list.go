package apps

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/uptrace/bun"
)

// Filter selects a page of the catalogue. Empty fields select everything.
type Filter struct {
	// Query is text searched in names and descriptions (every word must
	// appear; accents and case do not matter).
	Query     string
	Category  string // a category of the vocabulary
	License   string // an SPDX identifier the app's expression names
	Platform  string
	Status    string // developmentStatus
	Language  string // a BCP 47 tag, or its primary subtag: "fr" finds "fr-BE"
	Certified bool   // only certified apps
	LocalOnly bool   // only apps published by this node
	Page      int    // from 1
	PerPage   int    // default 20, at most 100
}

// Page is one page of apps, by name.
type Page struct {
	Items   []App
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p Page) Pages() int { return (p.Total + p.PerPage - 1) / p.PerPage }

// List returns a page of the catalogue: apps not deleted, by name.
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	if f.PerPage <= 0 || f.PerPage > maxPerPage {
		f.PerPage = defaultPerPage
	}
	if f.Page < 1 {
		f.Page = 1
	}
	page := Page{Page: f.Page, PerPage: f.PerPage}
	filter := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("a.deleted_at IS NULL")
		tagged := func(kind, value string) {
			if value = strings.ToLower(strings.TrimSpace(value)); value != "" {
				q = q.Where("EXISTS (SELECT 1 FROM app_tags AS t WHERE t.app_id = a.id AND t.kind = ? AND t.value = ?)", kind, value)
			}
		}
		tagged(tagCategory, f.Category)
		tagged(tagLicence, f.License)
		tagged(tagPlatform, f.Platform)
		tagged(tagLanguage, f.Language)
		if f.Status != "" {
			q = q.Where("a.development_status = ?", f.Status)
		}
		if f.Certified {
			q = q.Where("a.review_state = ?", Certified)
		}
		if f.LocalOnly {
			q = q.Where("a.remote_id IS NULL")
		}
		for _, term := range searchTerms(f.Query) {
			q = q.Where(`a.search_text LIKE ? ESCAPE '\'`, "%"+likeEscape(term)+"%")
		}
		return q
	}
	total, err := filter(s.db.NewSelect().Model((*App)(nil))).Count(ctx)
	if err != nil {
		return page, fmt.Errorf("count apps: %w", err)
	}
	page.Total = int(total)
	offset := (f.Page - 1) * f.PerPage
	if offset >= page.Total {
		return page, nil
	}
	err = filter(s.db.NewSelect().Model(&page.Items)).OrderExpr("lower(a.name), a.id").
		Limit(int64(f.PerPage)).Offset(int64(offset)).Scan(ctx)
	if err != nil {
		return page, fmt.Errorf("list apps: %w", err)
	}
	return page, nil
}

// searchTerms folds a query and splits it into at most searchTermsMax
// words of letters and digits.
func searchTerms(q string) []string {
	words := strings.FieldsFunc(fold(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > searchTermsMax {
		words = words[:searchTermsMax]
	}
	return words
}

// likeEscape escapes LIKE's wildcards (none survive searchTerms, but the
// escape keeps it so should the split change).
var likeEscape = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace

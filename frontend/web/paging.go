package web

import (
	"net/http"
	"net/url"
	"strconv"

	"agora/frontend/i18n"
)

// PageLink is one link of a list's pagination.
type PageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// Paging is the links to the pages of a list, worded for the reader, as
// the "pagination" partial shows them.
type Paging struct {
	Links                        []PageLink
	Prev, Next                   string // URLs, "" at either end
	Label                        string // names the navigation for screen readers
	PrevText, NextText, PageText string
}

// Paginate links the pages around the current one, the first and the
// last; gaps stand for the others. label is the message key naming the
// list's pages.
func Paginate(l *i18n.Printer, label string, link func(int) string, cur, pages int) Paging {
	p := Paging{Label: l.T(label), PrevText: l.T("pages.prev"), NextText: l.T("pages.next"), PageText: l.T("pages.page")}
	if pages <= 1 {
		return p
	}
	if cur > 1 {
		p.Prev = link(min(cur-1, pages))
	}
	if cur < pages {
		p.Next = link(cur + 1)
	}
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= cur-2 && n <= cur+2) {
			p.Links = append(p.Links, PageLink{N: n, URL: link(n), Current: n == cur})
		} else if len(p.Links) > 0 && !p.Links[len(p.Links)-1].Gap {
			p.Links = append(p.Links, PageLink{Gap: true})
		}
	}
	return p
}

// Bounds of the JSON lists' paging parameters.
const (
	PerPageDefault = 20
	PerPageMax     = 100
	PageMax        = 1_000_000
	SearchMax      = 200 // characters of a search query
)

// ParsePaging reads page and per_page (1 to PerPageMax) of a JSON list.
func ParsePaging(v url.Values, perPage int) (int, int, error) {
	page := 1
	if raw := v.Get("page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > PageMax {
			return 0, 0, &Error{Status: http.StatusBadRequest, Key: "api.error.page", Args: []any{PageMax}}
		}
		page = n
	}
	if raw := v.Get("per_page"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > PerPageMax {
			return 0, 0, &Error{Status: http.StatusBadRequest, Key: "api.error.per_page", Args: []any{PerPageMax}}
		}
		perPage = n
	}
	return page, perPage, nil
}

// ParseCursor reads a positive id used as a "before" cursor; anything
// else is 0, the start.
func ParseCursor(s string) int64 {
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' || n > 1e15 {
			return 0
		}
		n = n*10 + int64(c-'0')
	}
	return n
}

// ChosenLang is the language the reader chose with ?lang=, to keep in the
// links given back, or "" when they did not choose (or chose none we have).
func ChosenLang(r *http.Request, l *i18n.Printer) string {
	if r.URL.Query().Get("lang") == l.Lang {
		return l.Lang
	}
	return ""
}

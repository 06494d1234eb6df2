// Package search is the surface of the node's search: one box in the
// header and a page of results by kind (proposals, debates, comments,
// budget projects, street reports, apps, spaces, public profiles),
// without JavaScript. A bad search gets a clear message next to
// the box and searches nothing.
package search

import (
	"embed"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"agora/frontend/web"
	"agora/instances/debates"
	"agora/instances/search"
)

//go:embed templates
var templates embed.FS

type surface struct {
	*web.Pages
	svc   *search.Service
	links web.Links
}

var errorTable = []web.DomainError{
	web.MapError(search.ErrQuery, http.StatusBadRequest, "search.error.query", "q"),
	web.MapError(search.ErrKind, http.StatusBadRequest, "search.error.kind", "kind"),
	web.MapError(search.ErrSpace, http.StatusBadRequest, "notify2.search.error.space", "space"),
	web.MapError(search.ErrPage, http.StatusBadRequest, "notify2.search.error.page", "page"),
}

// Register serves /search.
func Register(k *web.Kit, svc *search.Service) error {
	if svc == nil {
		return errors.New("search needs the search service")
	}
	pages, err := k.Pages(templates, "templates/*.html")
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	s := &surface{Pages: pages, svc: svc, links: k.Links()}
	k.MapErrors(errorTable...)
	k.Nav("search")
	k.Anyone().Get("/search", s.page)
	k.OpenData("/api/v1/search", s.api)
	return nil
}

// pageData is the search page.
type pageData struct {
	Form       *web.Form
	Kinds      []web.Option
	Groups     []group
	Searched   bool
	Prev, Next string // the pages before and after, when a kind is chosen
}

type group struct {
	Title string
	Hits  []hitView
	More  string // the kind's own results, when it has more than shown
}

type hitView struct {
	Title, URL, Meta string
}

// query reads a search from the URL: q, kind, space, page.
func query(v url.Values) (search.Query, error) {
	kind, err := search.ParseKind(v.Get("kind"))
	if err != nil {
		return search.Query{}, err
	}
	page, err := search.ParsePage(v.Get("page"))
	if err != nil {
		return search.Query{}, err
	}
	return search.Query{Text: v.Get("q"), Kind: kind, Space: v.Get("space"), Page: page}, nil
}

// link is the URL of the same search with changed parameters.
func link(path string, v url.Values, set ...string) string {
	q := url.Values{}
	for _, k := range []string{"q", "kind", "space", "page"} {
		if v.Get(k) != "" {
			q.Set(k, v.Get(k))
		}
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			q.Del(set[i])
		} else {
			q.Set(set[i], set[i+1])
		}
	}
	return path + "?" + q.Encode()
}

func (s *surface) page(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	q := r.URL.Query()
	f := &web.Form{Values: map[string]string{"q": q.Get("q"), "kind": q.Get("kind"), "space": q.Get("space")}, Errors: map[string]string{}}
	if utf8.RuneCountInString(f.Values["q"]) > search.MaxQuery {
		f.Values["q"] = string([]rune(f.Values["q"])[:search.MaxQuery]) // not shown back whole
	}
	if len(f.Values["space"]) > 100 {
		f.Values["space"] = ""
	}
	d := pageData{Form: f, Kinds: []web.Option{{Value: "", Label: l.T("search.kind.all")}}}
	for _, k := range search.Kinds {
		d.Kinds = append(d.Kinds, web.Option{Value: string(k), Label: l.T(key(k, "kind"))})
	}
	status := http.StatusOK
	if _, asked := q["q"]; asked {
		sq, err := query(q)
		var res *search.Result
		if err == nil {
			res, err = s.svc.Search(r.Context(), sq)
		}
		if err != nil {
			if s.AsError(err).Status >= 500 {
				s.Fail(w, r, err)
				return
			}
			status = s.Refuse(w, r, f, err)
		} else {
			d.Searched = true
			for _, k := range res.Order { // the kind of the best hit first
				hs := res.Hits[k]
				if len(hs) == 0 {
					continue
				}
				g := group{Title: l.T(key(k, "group"))}
				for _, h := range hs {
					v := view(l.Date(h.CreatedAt), h)
					if k == search.Profile {
						v.Meta = "@" + h.ID
					}
					g.Hits = append(g.Hits, v)
				}
				if res.More[k] && sq.Kind == "" {
					g.More = link("/search", q, "kind", string(k), "page", "")
				}
				d.Groups = append(d.Groups, g)
				if sq.Kind != "" {
					if res.More[k] {
						d.Next = link("/search", q, "page", strconv.Itoa(res.Page+1))
					}
				}
			}
			if sq.Kind != "" && res.Page > 1 {
				d.Prev = link("/search", q, "page", strconv.Itoa(res.Page-1))
			}
		}
	}
	s.HTML(w, r, status, "search", l.T("search.title"), d)
}

// hitJSON is one result of /api/v1/search.
type hitJSON struct {
	Kind      string    `json:"kind"`
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
	On        string    `json:"on,omitempty"` // a comment's proposal or debate, as a URL
	Score     float64   `json:"score"`        // relevance from 0 to 1 (instances/search/ranked.go)
}

// api answers /api/v1/search?q=&kind=&space=&page= as JSON: the results
// kind by kind, most relevant first, the kinds found in the order of
// their best hit (order), and the next page's URL of each kind that
// has more.
func (s *surface) api(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sq, err := query(q)
	var res *search.Result
	if err == nil {
		res, err = s.svc.Search(r.Context(), sq)
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	type kindJSON struct {
		Items []hitJSON `json:"items"`
		Next  string    `json:"next,omitempty"`
	}
	out := struct {
		Query   string              `json:"query"`
		Words   []string            `json:"words"`
		Page    int                 `json:"page"`
		Order   []search.Kind       `json:"order"`
		Results map[string]kindJSON `json:"results"`
	}{Query: sq.Text, Words: res.Words, Page: res.Page, Order: res.Order, Results: map[string]kindJSON{}}
	if out.Order == nil {
		out.Order = []search.Kind{}
	}
	for _, k := range search.Kinds {
		if sq.Kind != "" && sq.Kind != k {
			continue
		}
		kj := kindJSON{Items: []hitJSON{}}
		for _, h := range res.Hits[k] {
			path, frag, _ := strings.Cut(view("", h).URL, "#")
			hj := hitJSON{Kind: string(k), ID: h.ID, Title: h.Title, URL: s.links.Abs(path, nil), CreatedAt: h.CreatedAt.UTC(),
				Score: math.Round(h.Score*1e4) / 1e4}
			if frag != "" {
				hj.URL += "#" + frag
			}
			if k == search.Report {
				hj.Title = excerpt(h.Title, 300)
			}
			if k == search.Comment {
				hj.Title = excerpt(h.Title, 300)
				hj.On = s.links.Abs(path, nil)
			}
			kj.Items = append(kj.Items, hj)
		}
		if res.More[k] {
			next := link("/api/v1/search", q, "kind", string(k), "page", strconv.Itoa(res.Page+1))
			v, _ := url.ParseQuery(next[strings.IndexByte(next, '?')+1:])
			kj.Next = s.links.Abs("/api/v1/search", v)
		}
		out.Results[string(k)] = kj
	}
	s.PublicJSON(w, r, out)
}

func view(date string, h search.Hit) hitView {
	v := hitView{Title: h.Title, Meta: date}
	switch h.Kind {
	case search.Proposal:
		v.URL = "/proposals/" + h.ID
	case search.Debate:
		v.URL = "/debates/" + h.ID
	case search.Space:
		v.URL = "/spaces/" + h.ID
	case search.Project:
		v.URL = "/budgets/projects/" + h.ID
	case search.Report:
		v.URL = "/reports/" + h.ID
		v.Title = excerpt(h.Title, 160)
	case search.App:
		v.URL = "/apps/" + url.PathEscape(h.ID)
	case search.Profile:
		v.URL = "/people/" + url.PathEscape(h.ID)
	case search.Comment:
		v.URL = web.CommentURL(debates.Target{Kind: debates.TargetKind(h.Target), ID: h.TargetID}, h.ID, "")
		v.Title = excerpt(h.Title, 160)
	}
	return v
}

// key is the interface string of a kind's choice ("kind") or heading
// ("group"); the kinds added after the first four have theirs in
// searchmore.json.
func key(k search.Kind, what string) string {
	switch k {
	case search.Proposal, search.Debate, search.Comment, search.Space:
		return "search." + what + "." + string(k)
	}
	return "searchmore." + what + "." + string(k)
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n])) + "…"
}

// Package search is the surface of the node's search: one box in the
// header and a page of results by kind (proposals, debates, comments,
// spaces), without JavaScript. A bad search gets a clear message next to
// the box and searches nothing.
package search

import (
	"embed"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"agora/frontend/web"
	"agora/instances/search"
)

//go:embed templates
var templates embed.FS

type surface struct {
	*web.Pages
	svc *search.Service
}

var errorTable = []web.DomainError{
	web.MapError(search.ErrQuery, http.StatusBadRequest, "search.error.query", "q"),
	web.MapError(search.ErrKind, http.StatusBadRequest, "search.error.kind", "kind"),
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
	s := &surface{Pages: pages, svc: svc}
	k.MapErrors(errorTable...)
	k.Nav("search")
	k.Anyone().Get("/search", s.page)
	return nil
}

// pageData is the search page.
type pageData struct {
	Form     *web.Form
	Kinds    []web.Option
	Groups   []group
	Searched bool
}

type group struct {
	Title string
	Hits  []hitView
}

type hitView struct {
	Title, URL, Meta string
}

func (s *surface) page(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	q := r.URL.Query()
	f := &web.Form{Values: map[string]string{"q": q.Get("q"), "kind": q.Get("kind")}, Errors: map[string]string{}}
	if utf8.RuneCountInString(f.Values["q"]) > search.MaxQuery {
		f.Values["q"] = string([]rune(f.Values["q"])[:search.MaxQuery]) // not shown back whole
	}
	d := pageData{Form: f, Kinds: []web.Option{{Value: "", Label: l.T("search.kind.all")}}}
	for _, k := range search.Kinds {
		d.Kinds = append(d.Kinds, web.Option{Value: string(k), Label: l.T("search.kind." + string(k))})
	}
	status := http.StatusOK
	if _, asked := q["q"]; asked {
		kind, err := search.ParseKind(q.Get("kind"))
		var res *search.Result
		if err == nil {
			res, err = s.svc.Search(r.Context(), search.Query{Text: q.Get("q"), Kind: kind})
		}
		if err != nil {
			if s.AsError(err).Status >= 500 {
				s.Fail(w, r, err)
				return
			}
			status = s.Refuse(w, r, f, err)
		} else {
			d.Searched = true
			for _, k := range search.Kinds {
				hs := res.Hits[k]
				if len(hs) == 0 {
					continue
				}
				g := group{Title: l.T("search.group." + string(k))}
				for _, h := range hs {
					g.Hits = append(g.Hits, view(l.Date(h.CreatedAt), h))
				}
				d.Groups = append(d.Groups, g)
			}
		}
	}
	s.HTML(w, r, status, "search", l.T("search.title"), d)
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
	case search.Comment:
		v.URL = "/" + h.Target + "s/" + h.TargetID + "#comment-" + h.ID
		v.Title = excerpt(h.Title, 160)
	}
	return v
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n])) + "…"
}

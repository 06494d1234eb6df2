package reports

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/reports"
)

// listItem is a report as lists show it.
type listItem struct {
	ID, Category, State, StateName, Address, Excerpt, Date, Distance string
	Confirmations                                                    int
	Suggestion                                                       bool // its count is of supports
	Rank                                                             int  // a suggestion's council rank, 0 for none
}

// nearOne is a report with, when known, its distance.
type nearOne struct {
	r      reports.Report
	metres float64 // < 0: unknown
}

func nearToItems(near []reports.Near) []nearOne {
	out := make([]nearOne, len(near))
	for i, n := range near {
		out[i] = nearOne{n.Report, n.Metres}
	}
	return out
}

// items turns reports into list items in the reader's language.
func (s *surface) items(r *http.Request, list []nearOne) ([]listItem, error) {
	l := s.Printer(r)
	names, err := s.categoryNames(r)
	if err != nil {
		return nil, err
	}
	kinds, err := s.categoryKinds(r)
	if err != nil {
		return nil, err
	}
	out := make([]listItem, len(list))
	for i, n := range list {
		rep := n.r
		it := listItem{ID: rep.ID, Category: names[rep.Category], State: string(rep.State),
			StateName: l.T("street.state." + string(rep.State)), Address: rep.Address, Date: l.Date(rep.CreatedAt),
			Confirmations: rep.ConfirmCount, Excerpt: excerpt(rep.Description, 140), Suggestion: kinds[rep.Category] == reports.Suggestion}
		if rep.CouncilRank != nil {
			it.Rank = *rep.CouncilRank
		}
		if n.metres >= 0 {
			it.Distance = l.T("street.metres", int(n.metres+0.5))
		}
		out[i] = it
	}
	return out, nil
}

func (s *surface) categoryNames(r *http.Request) (map[string]string, error) {
	cats, err := s.reports.Categories(r.Context(), true)
	if err != nil {
		return nil, err
	}
	lang := s.Printer(r).Lang
	out := make(map[string]string, len(cats))
	for _, c := range cats {
		out[c.Slug] = c.Name(lang)
	}
	return out, nil
}

// categoryKinds maps each category to its kind.
func (s *surface) categoryKinds(r *http.Request) (map[string]reports.Kind, error) {
	cats, err := s.reports.Categories(r.Context(), true)
	if err != nil {
		return nil, err
	}
	out := make(map[string]reports.Kind, len(cats))
	for _, c := range cats {
		out[c.Slug] = c.Kind
	}
	return out, nil
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// listData is the list of reports.
type listData struct {
	Suggestions bool // the list of suggestions, not of problems
	MayRank     bool // the viewer may open a council's vote on them
	Sorts       []web.Option
	Form        *web.Form
	Categories  []web.Option
	ByDistance  bool
	Items       []listItem
	Next        string
	Done        string
	Map         *web.MapView // nil without tiles
}

// ListRadius is how far the list by distance looks around its point.
const ListRadius = 2000 // metres

// listPage lists reports of one kind (problems, or with
// ?kind=suggestion the suggestions of new amenities), newest first,
// nearest first around a point typed in the form
// (?sort=distance&lat=&lon=), or for suggestions by council rank
// (?sort=rank), in a category or all.
func (s *surface) listPage(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	q := r.URL.Query()
	f := web.EmptyForm()
	for _, k := range []string{"category", "lat", "lon", "sort", "kind"} {
		f.Values[k] = strings.TrimSpace(q.Get(k))
	}
	kind := reports.Problem
	if f.Values["kind"] == string(reports.Suggestion) {
		kind = reports.Suggestion
	}
	d := listData{Form: f, Done: q.Get("done"), Map: s.newMap(r, "reports-map", "pins"), Suggestions: kind == reports.Suggestion}
	d.MayRank = d.Suggestions && s.council != nil && decisions.MayRun(accounts.As(web.CurrentAccount(r))) == nil
	d.Sorts = []web.Option{{Value: "date", Label: l.T("street.list.by_date")}, {Value: "distance", Label: l.T("street.list.by_distance")}}
	if d.Suggestions {
		d.Sorts = append(d.Sorts, web.Option{Value: "rank", Label: l.T("suggestions.list.by_rank")})
		if d.Map != nil {
			d.Map.Pins = "/reports/suggestions/map.json"
		}
	}
	cats, err := s.reports.Categories(r.Context(), true)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Categories = []web.Option{{Value: "", Label: l.T("street.list.all")}}
	for _, c := range cats {
		if c.Kind == kind {
			d.Categories = append(d.Categories, web.Option{Value: c.Slug, Label: c.Name(l.Lang)})
		}
	}
	var filter []string
	if c := f.Values["category"]; c != "" {
		filter = []string{c}
	}
	var list []nearOne
	status := http.StatusOK
	if f.Values["sort"] == "distance" {
		d.ByDistance = true
		p, ok := web.ParsePoint(f.Values["lat"], f.Values["lon"])
		if !ok || p == nil {
			f.Errors["lat"] = l.T("street.error.point")
			status = http.StatusBadRequest
		} else {
			near, err := s.reports.Nearby(r.Context(), *p, ListRadius, reports.Filter{Category: f.Values["category"], Kind: kind}, 100)
			if err != nil {
				s.Fail(w, r, err)
				return
			}
			list = nearToItems(near)
		}
	} else {
		query := reports.Query{Categories: filter, Kind: kind, Limit: 50, ByRank: d.Suggestions && f.Values["sort"] == "rank"}
		if before := q.Get("before"); before != "" {
			at, id, ok := strings.Cut(before, "_")
			t, err := time.Parse(time.RFC3339Nano, at)
			if !ok || err != nil {
				s.Fail(w, r, web.HTTPError(http.StatusBadRequest, fmt.Errorf("bad cursor %q", before)))
				return
			}
			query.Before = &reports.Cursor{CreatedAt: t, ID: id}
		}
		found, err := s.reports.List(r.Context(), query)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		for _, rep := range found {
			list = append(list, nearOne{rep, -1})
		}
		if len(found) == query.Limit && !query.ByRank {
			last := found[len(found)-1]
			next := url.Values{"before": {last.CreatedAt.Format(time.RFC3339Nano) + "_" + last.ID}}
			if len(filter) > 0 {
				next.Set("category", filter[0])
			}
			if d.Suggestions {
				next.Set("kind", string(kind))
			}
			d.Next = "/reports?" + next.Encode()
		}
	}
	if d.Items, err = s.items(r, list); err != nil {
		s.Fail(w, r, err)
		return
	}
	title := l.T("street.list.title")
	if d.Suggestions {
		title = l.T("suggestions.list.title")
	}
	s.HTML(w, r, status, "street_list", title, d)
}

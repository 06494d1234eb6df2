package opendata

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/proposals"
	"agora/instances/spaces"
)

// Bounds of the proposal list's parameters.
const (
	apiSeedMax = 1<<31 - 1
)

// apiProposalPage is one page of a space's proposals, with the links to
// its neighbours.
type apiProposalPage struct {
	Items   []apiProposalJSON `json:"items"`
	Page    int               `json:"page"`
	PerPage int               `json:"per_page"`
	Total   int               `json:"total"`
	Pages   int               `json:"pages"`
	Sort    proposals.Sort    `json:"sort"`
	Seed    *int64            `json:"seed"`
	Next    *string           `json:"next"`
	Prev    *string           `json:"prev"`
}

// apiProposals lists a space's proposals, filtered, searched, sorted and
// paginated. Any parameter out of bounds is a 400 that names it; nothing
// is silently corrected.
func (s *surface) apiProposals(w http.ResponseWriter, r *http.Request) {
	slug := mux.Vars(r)["slug"]
	sp, err := s.findPublicSpace(r.Context(), slug)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	q, err := parseProposalQuery(r.URL.Query(), sp)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	page, err := s.proposals.List(r.Context(), q)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	out := apiProposalPage{Items: make([]apiProposalJSON, 0, len(page.Items)),
		Page: q.Page, PerPage: q.PerPage, Total: page.Total, Pages: page.Pages(), Sort: q.Sort}
	for i := range page.Items {
		out.Items = append(out.Items, s.proposalJSON(&page.Items[i], sp, l))
	}
	if q.Sort == proposals.Random {
		out.Seed = &q.Seed
	}
	link := func(n int) *string {
		u := s.Links().APISpaceProposals(sp.Slug, proposalQueryValues(q, n, web.ChosenLang(r, l)))
		return &u
	}
	if q.Page < out.Pages {
		out.Next = link(q.Page + 1)
	}
	if q.Page > 1 {
		out.Prev = link(min(q.Page-1, max(out.Pages, 1)))
	}
	s.PublicJSON(w, r, out)
}

// parseProposalQuery reads the list's parameters: state, category, q,
// sort (newest by default), seed, page and per_page.
func parseProposalQuery(v url.Values, sp *spaces.Space) (proposals.Query, error) {
	q := proposals.Query{SpaceID: sp.ID, Sort: proposals.Newest, Page: 1, PerPage: web.PerPageDefault}
	bad := func(key string, args ...any) error {
		return &web.Error{Status: http.StatusBadRequest, Key: key, Args: args}
	}
	var err error
	if q.Page, q.PerPage, err = web.ParsePaging(v, web.PerPageDefault); err != nil {
		return q, err
	}
	if raw := v.Get("sort"); raw != "" {
		if !slices.Contains(proposals.Sorts, proposals.Sort(raw)) {
			return q, bad("api.error.sort", joinValues(proposals.Sorts))
		}
		q.Sort = proposals.Sort(raw)
	}
	if raw := v.Get("seed"); raw != "" {
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 0 || n > apiSeedMax {
			return q, bad("api.error.seed", apiSeedMax)
		}
		q.Seed = n
	} else if q.Sort == proposals.Random {
		// A shuffle of the reader's own, given back in the answer and its
		// links, so paging through shows each proposal once.
		q.Seed = rand.Int64N(apiSeedMax + 1)
	}
	if raw := v.Get("state"); raw != "" {
		if !slices.Contains(proposals.States, proposals.State(raw)) {
			return q, bad("api.error.state", joinValues(proposals.States))
		}
		q.State = proposals.State(raw)
	}
	if raw := v.Get("category"); raw != "" {
		if !sp.HasCategory(raw) {
			slugs := make([]string, 0, len(sp.Categories))
			for _, c := range sp.Categories {
				slugs = append(slugs, c.Slug)
			}
			if len(slugs) == 0 {
				return q, bad("api.error.no_categories")
			}
			return q, bad("api.error.category", strings.Join(slugs, ", "))
		}
		q.Category = raw
	}
	if raw := strings.TrimSpace(v.Get("q")); raw != "" {
		if utf8.RuneCountInString(raw) > web.SearchMax || !utf8.ValidString(raw) {
			return q, bad("api.error.q", web.SearchMax)
		}
		q.Search = raw
	}
	return q, nil
}

// proposalQueryValues writes q back as parameters, at page n: the links
// to the next and previous pages keep every choice, the seed included.
func proposalQueryValues(q proposals.Query, n int, lang string) url.Values {
	v := url.Values{}
	v.Set("page", strconv.Itoa(n))
	v.Set("per_page", strconv.Itoa(q.PerPage))
	v.Set("sort", string(q.Sort))
	if q.Sort == proposals.Random {
		v.Set("seed", strconv.FormatInt(q.Seed, 10))
	}
	if q.State != "" {
		v.Set("state", string(q.State))
	}
	if q.Category != "" {
		v.Set("category", q.Category)
	}
	if q.Search != "" {
		v.Set("q", q.Search)
	}
	if lang != "" {
		v.Set("lang", lang)
	}
	return v
}

func joinValues[T ~string](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

package participation

import (
	"crypto/rand"
	"encoding/binary"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// proposalsPerPage is the length of a page of the proposal list.
const proposalsPerPage = 20

// seedCookie keeps the visitor's shuffle of the random order for the
// browser session, so that paging through shows each proposal once. It is
// a random number, not tied to an account.
const seedCookie = "agora_seed"

// proposalListData is a page of a space's proposals with its filters.
type proposalListData struct {
	Space                             *spaces.Space
	Filters                           *web.Form
	States, Categories, Phases, Sorts []web.Option
	Items                             []proposalItem
	Count                             string // how many match, in words
	Paging                            web.Paging
	Now                               string
	CanPropose                        bool
}

// proposalItem is one proposal of the list.
type proposalItem struct {
	ID, Title, State, StateName, Category, Author, Published string
	AuthorHandle                                             string // their public profile, or ""
	Supports, Comments                                       int
	Hidden                                                   bool
	HiddenReason                                             string
}

func (s *surface) proposalListPage(w http.ResponseWriter, r *http.Request) {
	sp := s.spaceBySlug(w, r, mux.Vars(r)["slug"])
	if sp == nil {
		return
	}
	l, now := s.Printer(r), s.Now()
	q, f := s.listQuery(r, sp)
	if q.Sort == proposals.Random {
		q.Seed = s.visitorSeed(w, r)
	}
	page, err := s.proposals.List(r.Context(), q)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := proposalListData{Space: sp, Filters: f, Now: s.whatNow(l, sp, now), CanPropose: sp.AllowsProposals(now),
		Count: l.Plural("proposal.list.count", page.Total)}
	d.States = []web.Option{{Value: "", Label: l.T("proposal.list.any_state")}}
	for _, st := range proposals.States {
		d.States = append(d.States, web.Option{Value: string(st), Label: l.T("proposal.state." + string(st))})
	}
	d.Categories = []web.Option{{Value: "", Label: l.T("proposal.list.any_category")}}
	for _, c := range sp.Categories {
		d.Categories = append(d.Categories, web.Option{Value: c.Slug, Label: c.Name(l.Lang)})
	}
	d.Phases = []web.Option{{Value: "", Label: l.T("proposal.list.any_phase")}}
	for i := range sp.Phases {
		d.Phases = append(d.Phases, web.Option{Value: strconv.Itoa(i + 1), Label: phaseName(l, &sp.Phases[i])})
	}
	for _, so := range proposals.Sorts {
		d.Sorts = append(d.Sorts, web.Option{Value: string(so), Label: l.T("proposal.sort." + string(so))})
	}
	for _, p := range page.Items {
		d.Items = append(d.Items, s.proposalItem(l, sp, &p))
	}
	d.Paging = web.Paginate(l, "proposal.list.pages", listURL(sp, f), page.Page, page.Pages())
	s.HTML(w, r, http.StatusOK, "proposal_list", l.T("proposal.list.title", sp.Title), d)
}

// listQuery reads the list's filters from the URL. A value the form
// cannot send (an unknown state, a page of letters) counts as not given.
func (s *surface) listQuery(r *http.Request, sp *spaces.Space) (proposals.Query, *web.Form) {
	v := r.URL.Query()
	f := web.EmptyForm()
	q := proposals.Query{SpaceID: sp.ID, Sort: proposals.Random, Page: 1, PerPage: proposalsPerPage}
	if st := proposals.State(v.Get("state")); slices.Contains(proposals.States, st) {
		q.State, f.Values["state"] = st, string(st)
	}
	if c := v.Get("category"); c != "" && sp.HasCategory(c) {
		q.Category, f.Values["category"] = c, c
	}
	if n, err := strconv.Atoi(v.Get("phase")); err == nil && n >= 1 && n <= len(sp.Phases) {
		q.From, q.Until, f.Values["phase"] = sp.Phases[n-1].StartsAt, sp.Phases[n-1].EndsAt, strconv.Itoa(n)
	}
	if so := proposals.Sort(v.Get("sort")); slices.Contains(proposals.Sorts, so) {
		q.Sort = so
	}
	f.Values["sort"] = string(q.Sort)
	if search := strings.TrimSpace(v.Get("q")); search != "" && utf8.RuneCountInString(search) <= 200 {
		q.Search, f.Values["q"] = search, search
	}
	if n, err := strconv.Atoi(v.Get("page")); err == nil && n > 1 {
		q.Page = n
	}
	return q, f
}

// listURL is the list with the filters of f, for page n.
func listURL(sp *spaces.Space, f *web.Form) func(n int) string {
	return func(n int) string {
		v := url.Values{}
		for _, k := range []string{"q", "state", "category", "phase", "sort"} {
			if f.Values[k] != "" && !(k == "sort" && f.Values[k] == string(proposals.Random)) {
				v.Set(k, f.Values[k])
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		u := "/spaces/" + url.PathEscape(sp.Slug) + "/proposals"
		if len(v) > 0 {
			u += "?" + v.Encode()
		}
		return u
	}
}

// proposalItem is a proposal as the list shows it.
func (s *surface) proposalItem(l *i18n.Printer, sp *spaces.Space, p *proposals.Proposal) proposalItem {
	it := proposalItem{ID: p.ID, Title: p.Title, State: string(p.State), StateName: l.T("proposal.state." + string(p.State)),
		Author: authorName(l, p), AuthorHandle: web.ProfileHandle(p.Author), Published: l.Date(p.CreatedAt), Supports: p.SupportCount, Comments: p.CommentCount,
		Hidden: p.Hidden(), HiddenReason: p.HiddenReason}
	if c := sp.Category(p.Category); c != nil {
		it.Category = c.Name(l.Lang)
	}
	return it
}

// authorName is the name a proposal is signed with: its author's, or
// "former participant" once the account is erased.
func authorName(l *i18n.Printer, p *proposals.Proposal) string {
	if p.Author == nil || p.Author.Deleted() {
		return l.T("account.former")
	}
	return p.Author.DisplayName
}

// visitorSeed is the visitor's shuffle of the random order, from its
// cookie, or a new one set on this first visit.
func (s *surface) visitorSeed(w http.ResponseWriter, r *http.Request) int64 {
	if c, err := r.Cookie(seedCookie); err == nil {
		if n, err := strconv.ParseInt(c.Value, 10, 64); err == nil && n >= 0 && n <= 0x7fffffff {
			return n
		}
	}
	var b [4]byte
	rand.Read(b[:])
	n := int64(binary.BigEndian.Uint32(b[:]) >> 1)
	http.SetCookie(w, &http.Cookie{Name: seedCookie, Value: strconv.FormatInt(n, 10), Path: "/",
		HttpOnly: true, Secure: s.HTTPS(), SameSite: http.SameSiteLaxMode})
	return n
}

package frontend

import (
	"crypto/rand"
	"encoding/binary"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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
	Filters                           *form
	States, Categories, Phases, Sorts []option
	Items                             []proposalItem
	Count                             string // how many match, in words
	Pages                             []pageLink
	Prev, Next                        string
	Now                               string
	CanPropose                        bool
}

// proposalItem is one proposal of the list.
type proposalItem struct {
	ID, Title, State, StateName, Category, Author, Published string
	Supports, Comments                                       int
	Hidden                                                   bool
	HiddenReason                                             string
}

// pageLink is one link of the pagination; Gap stands for pages left out.
type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

func (s *server) proposalListPage(w http.ResponseWriter, r *http.Request) {
	sp := s.spaceBySlug(w, r, mux.Vars(r)["slug"])
	if sp == nil {
		return
	}
	l, now := s.render.printer(r), s.now()
	q, f := s.listQuery(r, sp)
	if q.Sort == proposals.Random {
		q.Seed = s.visitorSeed(w, r)
	}
	page, err := s.proposals.List(r.Context(), q)
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	d := proposalListData{Space: sp, Filters: f, Now: s.whatNow(l, sp, now), CanPropose: sp.AllowsProposals(now),
		Count: plural(l, "proposal.list.count", page.Total)}
	d.States = []option{{Value: "", Label: l.T("proposal.list.any_state")}}
	for _, st := range proposals.States {
		d.States = append(d.States, option{Value: string(st), Label: l.T("proposal.state." + string(st))})
	}
	d.Categories = []option{{Value: "", Label: l.T("proposal.list.any_category")}}
	for _, c := range sp.Categories {
		d.Categories = append(d.Categories, option{Value: c.Slug, Label: c.Name(l.Lang)})
	}
	d.Phases = []option{{Value: "", Label: l.T("proposal.list.any_phase")}}
	for i := range sp.Phases {
		d.Phases = append(d.Phases, option{Value: strconv.Itoa(i + 1), Label: phaseName(l, &sp.Phases[i])})
	}
	for _, so := range proposals.Sorts {
		d.Sorts = append(d.Sorts, option{Value: string(so), Label: l.T("proposal.sort." + string(so))})
	}
	for _, p := range page.Items {
		d.Items = append(d.Items, s.proposalItem(l, sp, &p))
	}
	d.Pages, d.Prev, d.Next = pagination(listURL(sp, f), page.Page, page.Pages())
	s.render.html(w, r, http.StatusOK, "proposal_list", l.T("proposal.list.title", sp.Title), d)
}

// listQuery reads the list's filters from the URL. A value the form
// cannot send (an unknown state, a page of letters) counts as not given.
func (s *server) listQuery(r *http.Request, sp *spaces.Space) (proposals.Query, *form) {
	v := r.URL.Query()
	f := emptyForm()
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
func listURL(sp *spaces.Space, f *form) func(n int) string {
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

// pagination links the pages around the current one, the first and the
// last; gaps stand for the others.
func pagination(link func(int) string, cur, pages int) (out []pageLink, prev, next string) {
	if pages <= 1 {
		return nil, "", ""
	}
	if cur > 1 {
		prev = link(min(cur-1, pages))
	}
	if cur < pages {
		next = link(cur + 1)
	}
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= cur-2 && n <= cur+2) {
			out = append(out, pageLink{N: n, URL: link(n), Current: n == cur})
		} else if len(out) > 0 && !out[len(out)-1].Gap {
			out = append(out, pageLink{Gap: true})
		}
	}
	return out, prev, next
}

// proposalItem is a proposal as the list shows it.
func (s *server) proposalItem(l *i18n.Printer, sp *spaces.Space, p *proposals.Proposal) proposalItem {
	it := proposalItem{ID: p.ID, Title: p.Title, State: string(p.State), StateName: l.T("proposal.state." + string(p.State)),
		Author: authorName(l, p), Published: l.Date(p.CreatedAt), Supports: p.SupportCount, Comments: p.CommentCount,
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
func (s *server) visitorSeed(w http.ResponseWriter, r *http.Request) int64 {
	if c, err := r.Cookie(seedCookie); err == nil {
		if n, err := strconv.ParseInt(c.Value, 10, 64); err == nil && n >= 0 && n <= 0x7fffffff {
			return n
		}
	}
	var b [4]byte
	rand.Read(b[:])
	n := int64(binary.BigEndian.Uint32(b[:]) >> 1)
	http.SetCookie(w, &http.Cookie{Name: seedCookie, Value: strconv.FormatInt(n, 10), Path: "/",
		HttpOnly: true, Secure: s.https, SameSite: http.SameSiteLaxMode})
	return n
}

// plural picks the singular or plural form of a message with a count:
// key.one or key.other. French counts 0 as singular, English does not.
func plural(l *i18n.Printer, key string, n int) string {
	if n == 1 || (n == 0 && l.Lang == "fr") {
		return l.T(key+".one", n)
	}
	return l.T(key+".other", n)
}

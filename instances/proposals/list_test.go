package proposals_test

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// list returns a page, failing the test on error.
func (f *fixture) list(t testing.TB, q proposals.Query) proposals.Page {
	t.Helper()
	page, err := f.svc.List(f.ctx, q)
	if err != nil {
		t.Fatalf("List(%+v): %v", q, err)
	}
	return page
}

// ids returns the ids of a page's proposals, in order.
func ids(items []proposals.Proposal) []string {
	out := make([]string, len(items))
	for i, p := range items {
		out[i] = p.ID
	}
	return out
}

// pageThrough reads every page of q, checking each is full but the last
// and that the one after the last is empty; it returns the items in order.
func (f *fixture) pageThrough(t testing.TB, q proposals.Query) []proposals.Proposal {
	t.Helper()
	first := f.list(t, q)
	var all []proposals.Proposal
	for n := 1; n <= first.Pages(); n++ {
		q.Page = n
		page := f.list(t, q)
		if page.Total != first.Total || page.Page != n || page.PerPage != first.PerPage {
			t.Fatalf("page %d: total %d, page %d, per page %d; first said %d", n, page.Total, page.Page, page.PerPage, first.Total)
		}
		want := page.PerPage
		if n == page.Pages() {
			want = page.Total - (n-1)*page.PerPage
		}
		if len(page.Items) != want {
			t.Fatalf("page %d of %d has %d items, want %d (total %d)", n, page.Pages(), len(page.Items), want, page.Total)
		}
		all = append(all, page.Items...)
	}
	q.Page = first.Pages() + 1
	if past := f.list(t, q); len(past.Items) != 0 || past.Total != first.Total {
		t.Fatalf("the page past the end has %d items, total %d", len(past.Items), past.Total)
	}
	return all
}

// once fails unless items hold each of want exactly once.
func once(t testing.TB, items []proposals.Proposal, want []string, what string) {
	t.Helper()
	seen := map[string]int{}
	for _, p := range items {
		seen[p.ID]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s: %s listed %d times", what, id, n)
		}
		if !slices.Contains(want, id) {
			t.Errorf("%s: %s listed but not expected", what, id)
		}
	}
	for _, id := range want {
		if seen[id] == 0 {
			t.Errorf("%s: %s missing", what, id)
		}
	}
	if len(items) != len(want) {
		t.Errorf("%s: %d items, want %d", what, len(items), len(want))
	}
}

// rotation is the Random order a seed gives: by rand_key then id,
// starting at the first key not below the seed.
func rotation(items []proposals.Proposal, seed int64) []string {
	sorted := slices.Clone(items)
	sort.Slice(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if a.RandKey != b.RandKey {
			return a.RandKey < b.RandKey
		}
		return a.ID < b.ID
	})
	seed &= math.MaxInt32
	i := sort.Search(len(sorted), func(i int) bool { return sorted[i].RandKey >= seed })
	return ids(append(sorted[i:], sorted[:i]...))
}

func TestListRandom(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", func(in *spaces.NewSpace) {
			in.Categories = []spaces.CategoryInput{{Slug: "parcs", NameFR: "Parcs"}, {Slug: "voirie", NameFR: "Voirie"}}
		})
		other := f.space(t, "autre", nil)
		alice := accounts.As(f.resident(t, "alice"))
		var all, parcs []string
		for i := range 57 {
			cat := "voirie"
			if i%3 == 0 {
				cat = "parcs"
			}
			p := f.proposeIn(t, alice, sp.ID, proposals.Input{Title: fmt.Sprintf("Proposition %d", i), Body: "Texte.", Category: cat})
			all = append(all, p.ID)
			if cat == "parcs" {
				parcs = append(parcs, p.ID)
			}
			f.clock.Advance(time.Minute)
		}
		f.propose(t, alice, other.ID, "Ailleurs")

		page := f.list(t, proposals.Query{SpaceID: sp.ID, PerPage: 10})
		if page.Total != 57 || page.Pages() != 6 || page.PerPage != 10 || page.Page != 1 || len(page.Items) != 10 {
			t.Fatalf("first page: total %d, pages %d, %d items", page.Total, page.Pages(), len(page.Items))
		}
		keyed := f.pageThrough(t, proposals.Query{SpaceID: sp.ID, Sort: proposals.Newest, PerPage: 100}) // with their rand keys

		seeds := []int64{0, 1, 1 << 30, math.MaxInt32, -1, 1<<40 + 12345, keyed[17].RandKey, keyed[17].RandKey + 1}
		orders := map[int64][]string{}
		for _, seed := range seeds {
			q := proposals.Query{SpaceID: sp.ID, Sort: proposals.Random, Seed: seed, PerPage: 10}
			got := f.pageThrough(t, q)
			what := fmt.Sprintf("seed %d", seed)
			once(t, got, all, what)
			if want := rotation(keyed, seed); !slices.Equal(ids(got), want) {
				t.Errorf("%s: order %q, want the rotation %q", what, ids(got), want)
			}
			if again := f.pageThrough(t, q); !slices.Equal(ids(again), ids(got)) {
				t.Errorf("%s: the order is not stable", what)
			}
			// Another page size pages through the same order.
			q.PerPage = 7
			if seven := f.pageThrough(t, q); !slices.Equal(ids(seven), ids(got)) {
				t.Errorf("%s: pages of 7 give another order", what)
			}
			orders[seed] = ids(got)
		}
		if slices.Equal(orders[0], orders[1<<30]) || slices.Equal(orders[1<<30], orders[math.MaxInt32]) {
			t.Error("different seeds give the same order")
		}
		// The default sort is Random.
		if got := f.list(t, proposals.Query{SpaceID: sp.ID, Seed: 1 << 30, PerPage: 10}); !slices.Equal(ids(got.Items), orders[1<<30][:10]) {
			t.Error("the default sort is not Random")
		}

		// With a filter, paging still gives each match once.
		for _, seed := range seeds {
			got := f.pageThrough(t, proposals.Query{SpaceID: sp.ID, Category: "parcs", Seed: seed, PerPage: 10})
			once(t, got, parcs, fmt.Sprintf("parcs, seed %d", seed))
			for _, p := range got {
				if p.Category != "parcs" {
					t.Errorf("category %q listed", p.Category)
				}
			}
		}
		// The page that straddles the seed (from above it, then below it).
		for _, per := range []int{1, 3, 10, 56, 57, 100} {
			got := f.pageThrough(t, proposals.Query{SpaceID: sp.ID, Seed: 1 << 30, PerPage: per})
			if !slices.Equal(ids(got), orders[1<<30]) {
				t.Errorf("pages of %d give another order", per)
			}
		}

		// Ties on rand_key are ordered by id, and still listed once.
		f.exec(t, "UPDATE proposals SET rand_key = 1000 WHERE space_id = ? AND category = 'parcs'", sp.ID)
		keyed = f.pageThrough(t, proposals.Query{SpaceID: sp.ID, Sort: proposals.Newest, PerPage: 100})
		for _, seed := range []int64{0, 999, 1000, 1001, math.MaxInt32} {
			got := f.pageThrough(t, proposals.Query{SpaceID: sp.ID, Seed: seed, PerPage: 10})
			once(t, got, all, fmt.Sprintf("ties, seed %d", seed))
			if want := rotation(keyed, seed); !slices.Equal(ids(got), want) {
				t.Errorf("ties, seed %d: another order", seed)
			}
		}
	})
}

func TestListSortsAndPages(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		alice := accounts.As(f.resident(t, "alice"))
		people := f.residents(t, 4)
		var made []*proposals.Proposal
		for i := range 25 {
			made = append(made, f.propose(t, alice, sp.ID, fmt.Sprintf("Proposition %d", i)))
			if i != 10 { // two proposals at the same instant: the id breaks the tie
				f.clock.Advance(time.Second)
			}
		}
		// Supports: 4 for #3, 2 for #7 and #20, 1 for #0.
		for who, targets := range map[int][]int{0: {3, 7, 20, 0}, 1: {3, 7, 20}, 2: {3}, 3: {3}} {
			for _, i := range targets {
				wantErr(t, f.svc.Support(f.ctx, accounts.As(people[who]), made[i].ID), nil, "Support")
			}
		}

		newest := f.pageThrough(t, proposals.Query{SpaceID: sp.ID, Sort: proposals.Newest, PerPage: 10})
		if len(newest) != 25 {
			t.Fatalf("%d proposals", len(newest))
		}
		for i := 1; i < len(newest); i++ {
			a, b := newest[i-1], newest[i]
			if a.CreatedAt.Before(b.CreatedAt) || a.CreatedAt.Equal(b.CreatedAt) && a.ID < b.ID {
				t.Errorf("newest: %s (%v) before %s (%v)", a.ID, a.CreatedAt, b.ID, b.CreatedAt)
			}
		}
		if newest[0].ID != made[24].ID || newest[24].ID != made[0].ID {
			t.Error("newest is not newest first")
		}

		supported := f.pageThrough(t, proposals.Query{SpaceID: sp.ID, Sort: proposals.Supported, PerPage: 10})
		once(t, supported, ids(deref(made)), "supported")
		if supported[0].ID != made[3].ID || supported[0].SupportCount != 4 || supported[3].ID != made[0].ID || supported[3].SupportCount != 1 {
			t.Errorf("supported starts %s/%d … %s/%d", supported[0].Title, supported[0].SupportCount, supported[3].Title, supported[3].SupportCount)
		}
		if top := []string{supported[1].ID, supported[2].ID}; !slices.Contains(top, made[7].ID) || !slices.Contains(top, made[20].ID) {
			t.Error("the proposals with 2 supports are not second and third")
		}
		for i := 1; i < len(supported); i++ {
			a, b := supported[i-1], supported[i]
			if a.SupportCount < b.SupportCount || a.SupportCount == b.SupportCount && a.ID < b.ID {
				t.Errorf("supported: %s (%d) before %s (%d)", a.ID, a.SupportCount, b.ID, b.SupportCount)
			}
		}
		for _, p := range supported {
			if p.Author == nil || p.Author.ID != alice.Account.ID {
				t.Errorf("listed without its author: %+v", p)
			}
		}

		// Paging parameters.
		for _, tt := range []struct {
			page, perPage         int
			wantPage, wantPerPage int
			items                 int
		}{
			{page: 0, perPage: 0, wantPage: 1, wantPerPage: 20, items: 20},
			{page: -3, perPage: -1, wantPage: 1, wantPerPage: 20, items: 20},
			{page: 2, perPage: 0, wantPage: 2, wantPerPage: 20, items: 5},
			{page: 1, perPage: 100, wantPage: 1, wantPerPage: 100, items: 25},
			{page: 1, perPage: 101, wantPage: 1, wantPerPage: 20, items: 20},
			{page: 3, perPage: 12, wantPage: 3, wantPerPage: 12, items: 1},
			{page: 4, perPage: 12, wantPage: 4, wantPerPage: 12, items: 0},
			{page: 1000, perPage: 10, wantPage: 1000, wantPerPage: 10, items: 0},
		} {
			for _, sort := range proposals.Sorts {
				got := f.list(t, proposals.Query{SpaceID: sp.ID, Sort: sort, Page: tt.page, PerPage: tt.perPage})
				if got.Page != tt.wantPage || got.PerPage != tt.wantPerPage || len(got.Items) != tt.items || got.Total != 25 {
					t.Errorf("%s page %d per %d: page %d per %d, %d items, total %d", sort, tt.page, tt.perPage, got.Page, got.PerPage, len(got.Items), got.Total)
				}
			}
		}
		for _, tt := range []struct{ total, per, pages int }{{0, 10, 0}, {1, 10, 1}, {10, 10, 1}, {11, 10, 2}, {57, 10, 6}, {25, 20, 2}} {
			if got := (proposals.Page{Total: tt.total, PerPage: tt.per}).Pages(); got != tt.pages {
				t.Errorf("Pages of %d by %d = %d, want %d", tt.total, tt.per, got, tt.pages)
			}
		}
		empty := f.space(t, "vide", nil)
		for _, sort := range proposals.Sorts {
			if got := f.list(t, proposals.Query{SpaceID: empty.ID, Sort: sort}); got.Total != 0 || len(got.Items) != 0 || got.Pages() != 0 {
				t.Errorf("%s: empty space lists %+v", sort, got)
			}
		}
	})
}

func deref(ps []*proposals.Proposal) []proposals.Proposal {
	out := make([]proposals.Proposal, len(ps))
	for i, p := range ps {
		out[i] = *p
	}
	return out
}

func TestListFilters(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", func(in *spaces.NewSpace) {
			in.Categories = []spaces.CategoryInput{{Slug: "parcs", NameFR: "Parcs"}, {Slug: "voirie", NameFR: "Voirie"}}
		})
		alice := accounts.As(f.resident(t, "alice"))
		official := accounts.As(f.resident(t, "voirie", accounts.Official))
		mk := func(title, cat string) *proposals.Proposal {
			p := f.proposeIn(t, alice, sp.ID, proposals.Input{Title: title, Body: "Texte.", Category: cat})
			f.clock.Advance(day)
			return p
		}
		day0 := mk("Bancs", "parcs")      // published
		day1 := mk("Trottoirs", "voirie") // accepted
		day2 := mk("Fontaine", "parcs")   // rejected
		day3 := mk("Pistes", "voirie")    // withdrawn
		day4 := mk("Jeux", "parcs")       // hidden, published
		day5 := mk("Parc canin", "parcs") // merged into day0
		day6 := mk("Passages", "voirie")  // review
		wantErr(t, f.svc.Answer(f.ctx, official, day1.ID, proposals.Accepted, "Oui."), nil, "Answer")
		wantErr(t, f.svc.Answer(f.ctx, official, day2.ID, proposals.Rejected, "Non."), nil, "Answer")
		wantErr(t, f.svc.Withdraw(f.ctx, alice, day3.ID), nil, "Withdraw")
		wantErr(t, f.svc.Answer(f.ctx, official, day6.ID, proposals.Review, "Vu."), nil, "Answer")
		f.exec(t, "UPDATE proposals SET hidden_at = ?, hidden_reason = 'hors sujet' WHERE id = ?", start, day4.ID)
		f.exec(t, "UPDATE proposals SET state = 'merged', merged_into = ? WHERE id = ?", day0.ID, day5.ID)

		tests := []struct {
			name string
			q    proposals.Query
			want []*proposals.Proposal
		}{
			{name: "default: all but merged, hidden included", want: []*proposals.Proposal{day0, day1, day2, day3, day4, day6}},
			{name: "published", q: proposals.Query{State: proposals.Published}, want: []*proposals.Proposal{day0, day4}},
			{name: "accepted", q: proposals.Query{State: proposals.Accepted}, want: []*proposals.Proposal{day1}},
			{name: "withdrawn", q: proposals.Query{State: proposals.Withdrawn}, want: []*proposals.Proposal{day3}},
			{name: "review", q: proposals.Query{State: proposals.Review}, want: []*proposals.Proposal{day6}},
			{name: "merged when asked", q: proposals.Query{State: proposals.Merged}, want: []*proposals.Proposal{day5}},
			{name: "implemented: none", q: proposals.Query{State: proposals.Implemented}},
			{name: "parcs", q: proposals.Query{Category: "parcs"}, want: []*proposals.Proposal{day0, day2, day4}},
			{name: "voirie", q: proposals.Query{Category: "voirie"}, want: []*proposals.Proposal{day1, day3, day6}},
			{name: "unknown category", q: proposals.Query{Category: "sport"}},
			{name: "parcs published", q: proposals.Query{Category: "parcs", State: proposals.Published}, want: []*proposals.Proposal{day0, day4}},
			{name: "from day 2 (inclusive)", q: proposals.Query{From: start.Add(2 * day)}, want: []*proposals.Proposal{day2, day3, day4, day6}},
			{name: "until day 2 (exclusive)", q: proposals.Query{Until: start.Add(2 * day)}, want: []*proposals.Proposal{day0, day1}},
			{name: "day 2 to day 4", q: proposals.Query{From: start.Add(2 * day), Until: start.Add(4 * day)}, want: []*proposals.Proposal{day2, day3}},
			{name: "a microsecond after day 2", q: proposals.Query{From: start.Add(2*day + time.Microsecond), Until: start.Add(4*day + time.Microsecond)}, want: []*proposals.Proposal{day3, day4}},
			{name: "period in another time zone", q: proposals.Query{From: start.Add(2 * day).In(time.FixedZone("Paris", 3600))}, want: []*proposals.Proposal{day2, day3, day4, day6}},
			{name: "empty period", q: proposals.Query{From: start.Add(4 * day), Until: start.Add(4 * day)}},
			{name: "period and category", q: proposals.Query{From: start.Add(day), Category: "parcs"}, want: []*proposals.Proposal{day2, day4}},
			{name: "another space", q: proposals.Query{SpaceID: "nope"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				for _, sort := range proposals.Sorts {
					q := tt.q
					if q.SpaceID == "" {
						q.SpaceID = sp.ID
					}
					q.Sort, q.Seed, q.PerPage = sort, 42, 4
					got := f.pageThrough(t, q)
					once(t, got, ids(deref(tt.want)), string(sort))
				}
			})
		}
		// Hidden proposals are listed with what pages need to show the notice.
		for _, p := range f.list(t, proposals.Query{SpaceID: sp.ID, State: proposals.Published}).Items {
			if p.ID == day4.ID && (!p.Hidden() || p.HiddenReason != "hors sujet") {
				t.Errorf("hidden proposal listed as %+v", p)
			}
		}
	})
}

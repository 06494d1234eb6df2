package participation_test

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"agora/frontend/frontendtest"
	"agora/frontend/participation"

	"agora/instances/spaces"
)

var proposalLink = regexp.MustCompile(`<h3><a href="/proposals/([a-z0-9]+)">`)

// listed returns the ids of the proposals a list page shows, in order.
func listed(t *testing.T, n *frontendtest.Node, target string, seed string) []string {
	t.Helper()
	var cookies []*http.Cookie
	if seed != "" {
		cookies = append(cookies, &http.Cookie{Name: participation.SeedCookie, Value: seed})
	}
	w := n.Request("GET", target, "", nil, cookies...)
	frontendtest.WantStatus(t, w, http.StatusOK)
	var ids []string
	for _, m := range proposalLink.FindAllStringSubmatch(w.Body.String(), -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// The list of a space's proposals: filters by state, category, phase and
// words, three orders, the random one stable for a visitor, pages.
func TestProposalList(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		now := n.Clock.Now()
		day := 24 * time.Hour
		sp := n.Space(t, "liste", 0,
			spaces.PhaseInput{Kind: spaces.Proposals, Name: "Premier appel", StartsAt: now.Add(-time.Hour), EndsAt: now.Add(10 * day)},
			spaces.PhaseInput{Kind: spaces.Proposals, Name: "Second appel", StartsAt: now.Add(10 * day), EndsAt: now.Add(20 * day)},
			spaces.PhaseInput{Kind: spaces.Evaluation, StartsAt: now.Add(20 * day), EndsAt: now.Add(40 * day)})
		author, _ := n.Resident(t, "camille", true)
		var all []string
		byTitle := map[string]string{}
		propose := func(title, category string) {
			p := n.Propose(t, author, sp, title)
			if category != "nature" {
				if _, err := n.DB.NewUpdate().Table("proposals").Set("category = ?", category).Where("id = ?", p.ID).Exec(t.Context()); err != nil {
					t.Fatal(err)
				}
			}
			all = append(all, p.ID)
			byTitle[title] = p.ID
			n.Clock.Advance(time.Second)
		}
		for i := range 20 {
			propose(fmt.Sprintf("Proposition numéro %02d", i), "nature")
		}
		propose("Piste cyclable boulevard Garibaldi", "mobilite")
		propose("Stationnement vélo rue Lecourbe", "mobilite")
		n.Clock.Advance(11 * day)
		for i := range 3 {
			propose(fmt.Sprintf("Seconde vague %d", i), "nature")
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := n.DB.ExecContext(t.Context(), q, args...); err != nil {
				t.Fatal(err)
			}
		}
		exec("UPDATE proposals SET support_count = 40 WHERE id = ?", byTitle["Proposition numéro 07"])
		exec("UPDATE proposals SET support_count = 12 WHERE id = ?", byTitle["Seconde vague 1"])
		exec("UPDATE proposals SET support_count = 3 WHERE id = ?", byTitle["Seconde vague 0"])
		exec("UPDATE proposals SET state = 'accepted' WHERE id = ?", byTitle["Stationnement vélo rue Lecourbe"])

		base := "/spaces/liste/proposals"
		// First visit: a seed is set, the first page of 20 has links to the second.
		w := n.Request("GET", base, "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "25 propositions", `aria-current="page"`, `href="/spaces/liste/proposals?page=2"`, `rel="next"`,
			`<option value="2">Second appel</option>`, `<span class="visually-hidden">État : </span>Publiée`, "Thème : Nature en ville", "Par Test camille")
		seed := frontendtest.Cookie(w.Result(), participation.SeedCookie)
		if seed == nil || seed.Value == "" || !seed.HttpOnly {
			t.Fatalf("seed cookie %v", seed)
		}
		if again := frontendtest.Cookie(n.Request("GET", base, "", nil, seed).Result(), participation.SeedCookie); again != nil {
			t.Errorf("the seed is set again on a later visit: %v", again)
		}

		// Random: the same order for the same visitor, page after page.
		first, second := listed(t, n, base, seed.Value), listed(t, n, base+"?page=2", seed.Value)
		if len(first) != 20 || len(second) != 5 {
			t.Fatalf("pages of %d and %d, want 20 and 5", len(first), len(second))
		}
		if again := listed(t, n, base+"?sort=random", seed.Value); !slices.Equal(again, first) {
			t.Errorf("the random order changed for the same visitor:\n%v\n%v", first, again)
		}
		seen := slices.Concat(first, second)
		slices.Sort(seen)
		want := slices.Clone(all)
		slices.Sort(want)
		if !slices.Equal(seen, want) {
			t.Errorf("two pages show %v, want each proposal once: %v", seen, want)
		}
		// Half the key space away: some proposal lies between the two seeds.
		mine, _ := strconv.ParseInt(seed.Value, 10, 64)
		other := strconv.FormatInt((mine+1<<30)%(1<<31), 10)
		if o := listed(t, n, base, other); slices.Equal(o, first) {
			t.Errorf("another visitor sees the same random order")
		}

		// Other orders.
		if got := listed(t, n, base+"?sort=newest", ""); got[0] != byTitle["Seconde vague 2"] || got[1] != byTitle["Seconde vague 1"] {
			t.Errorf("newest first: %v", got[:2])
		}
		if got := listed(t, n, base+"?sort=supported", ""); got[0] != byTitle["Proposition numéro 07"] || got[1] != byTitle["Seconde vague 1"] {
			t.Errorf("most supported first: %v", got[:2])
		}

		// Filters, alone and together; values the form cannot send are ignored.
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"?state=accepted", []string{"Stationnement vélo rue Lecourbe"}},
			{"?category=mobilite&sort=newest", []string{"Stationnement vélo rue Lecourbe", "Piste cyclable boulevard Garibaldi"}},
			{"?category=mobilite&state=published", []string{"Piste cyclable boulevard Garibaldi"}},
			{"?phase=2&sort=newest", []string{"Seconde vague 2", "Seconde vague 1", "Seconde vague 0"}},
			{"?q=Garibaldi", []string{"Piste cyclable boulevard Garibaldi"}},
			{"?q=cyclable+boulevard&phase=1", []string{"Piste cyclable boulevard Garibaldi"}},
			{"?q=vague&sort=supported&phase=2", []string{"Seconde vague 1", "Seconde vague 0", "Seconde vague 2"}},
			{"?q=introuvable", nil},
		} {
			got := listed(t, n, base+tc.query, "")
			var wantIDs []string
			for _, title := range tc.want {
				wantIDs = append(wantIDs, byTitle[title])
			}
			if !slices.Equal(got, wantIDs) {
				t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
			}
		}
		w = n.Request("GET", base+"?state=nope&category=sport&phase=9&sort=worst&page=x", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "25 propositions")
		w = n.Request("GET", base+"?category=mobilite&sort=newest&page=7", "", nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "2 propositions", "Aucune proposition ne correspond.")
		frontendtest.WantBody(t, n.Request("GET", base+"?q=Garibaldi&sort=newest", "", nil), `value="Garibaldi"`, `<option value="newest" selected>`)
		frontendtest.WantStatus(t, n.Request("GET", "/spaces/nulle-part/proposals", "", nil), http.StatusNotFound)

		// Pagination keeps the filters.
		w = n.Request("GET", base+"?category=nature&sort=newest", "", nil)
		frontendtest.WantBody(t, w, "23 propositions", `href="/spaces/liste/proposals?category=nature&amp;page=2&amp;sort=newest"`)

		// A page costs a fixed handful of queries, not one per proposal:
		// the space with its phases and categories (3), then the count and
		// the page; a proposal's page adds its timeline and files, and for
		// a reader signed in, the session, their support and residency,
		// whether they follow it and their unread notifications.
		counter := &frontendtest.Queries{}
		n.DB.AddQueryHook(counter)
		tok := n.Session(t, author)
		for _, tc := range []struct {
			target, token string
			max           int64
		}{
			{base + "?sort=newest", "", 5},
			{base, "", 7}, // random: the proposals from the seed up, then those below
			{"/proposals/" + all[0], "", 6},
			{"/proposals/" + all[0], tok, 13},
		} {
			if q := counter.During(func() { n.Request("GET", tc.target, tc.token, nil, seed) }); q > tc.max {
				t.Errorf("%s took %d queries, want at most %d", tc.target, q, tc.max)
			}
		}
	})
}

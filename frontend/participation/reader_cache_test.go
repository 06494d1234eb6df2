package participation_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"agora/frontend"
	"agora/frontend/frontendtest"
	"agora/frontend/participation"
	"agora/instances/accounts"
	"agora/instances/debates"
)

// With the page cache on, signed-in readers of a space's proposal list
// get the page rendered for anonymous visitors with their own header,
// and nobody gets anyone else's: not the admin's link, not a signed-out
// reader's account.
func TestProposalListForReaders(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "lecteurs", 0)
		author, _ := n.Resident(t, "auteur", true)
		n.Propose(t, author, sp, "Des bancs rue Lecourbe")
		deps := n.Deps
		deps.Registry = prometheus.NewRegistry()
		h, err := frontend.New(frontend.Config{NodeName: "Paris 15e", BaseURL: frontendtest.MustURL(t, "http://localhost"),
			PageCacheTTL: time.Hour}, deps)
		if err != nil {
			t.Fatal(err)
		}
		get := func(target, token string) *httptest.ResponseRecorder {
			r := httptest.NewRequest("GET", target, nil)
			// The list's random order is the visitor's: one seed, one page.
			r.AddCookie(&http.Cookie{Name: participation.SeedCookie, Value: "7"})
			if token != "" {
				r.AddCookie(&http.Cookie{Name: frontendtest.SessionCookie, Value: token})
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w
		}
		list := "/spaces/lecteurs/proposals"
		_, resident := n.Resident(t, "lectrice", true)
		admin := n.Session(t, n.Staff[accounts.Admin])
		signedIn := []string{`href="/account"`, `action="/logout"`}
		anonymousNav := []string{`href="/login"`, `href="/signup"`}

		first := get(list, admin) // the admin's visit fills the cache first
		frontendtest.WantStatus(t, first, http.StatusOK)
		frontendtest.WantBody(t, first, append(signedIn, `href="/admin"`, "Des bancs rue Lecourbe")...)
		frontendtest.WantNoBody(t, first, anonymousNav...)

		// A proposal published now is not in the kept page: the next
		// readers get the kept rendering, each with their own header.
		n.Propose(t, author, sp, "Une fontaine place Cambronne")
		w := get(list, resident)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, append(signedIn, "Des bancs rue Lecourbe")...)
		frontendtest.WantNoBody(t, w, append(anonymousNav, `href="/admin"`, "Une fontaine place Cambronne")...)
		anon := get(list, "")
		frontendtest.WantStatus(t, anon, http.StatusOK)
		frontendtest.WantBody(t, anon, append(anonymousNav, "Des bancs rue Lecourbe")...)
		frontendtest.WantNoBody(t, anon, append(signedIn, `href="/admin"`, "Une fontaine place Cambronne")...)
		// Outside the header, the three pages are the same bytes.
		if strip(t, w.Body.String()) != strip(t, anon.Body.String()) || strip(t, first.Body.String()) != strip(t, anon.Body.String()) {
			t.Errorf("signed-in readers got another page than anonymous visitors beyond the header")
		}

		// A session that ended stops at once: the page comes with the
		// visitor's header and the cookie is cleared.
		if err := n.Accounts.SignOut(t.Context(), resident); err != nil {
			t.Fatal(err)
		}
		w = get(list, resident)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, anonymousNav...)
		frontendtest.WantNoBody(t, w, signedIn...)
		if c := w.Result().Cookies(); len(c) == 0 || c[0].Name != frontendtest.SessionCookie || c[0].MaxAge >= 0 {
			t.Errorf("ended session's cookie not cleared: %v", c)
		}

		// A reader with a role gets the proposal page rendered for them
		// (TestProposalPageForReaders has the others).
		p := n.Propose(t, author, sp, "Un composteur square Saint-Lambert")
		get("/proposals/"+p.ID, "")
		w = get("/proposals/"+p.ID, admin)
		frontendtest.WantBody(t, w, `href="/admin"`)
		frontendtest.WantNoBody(t, w, anonymousNav...)

		// Round trips to the database per signed-in request, the page
		// kept: who the reader is costs none once their session is kept,
		// and the shared list's header count is kept as long as the page.
		counter := &frontendtest.Queries{}
		n.DB.AddQueryHook(counter)
		readerAcc, reader := n.Resident(t, "compteuse", true)
		count := func(target string) int64 {
			get(target, reader) // fills the caches
			return counter.During(func() { frontendtest.WantStatus(t, get(target, reader), http.StatusOK) })
		}
		listQ, proposalQ := count(list), count("/proposals/"+p.ID)
		n.Accounts.CacheSessions(time.Hour)
		defer n.Accounts.CacheSessions(0)
		listKept, proposalKept := count(list), count("/proposals/"+p.ID)
		if listKept != 0 || proposalKept != 0 || proposalQ > 1 {
			t.Errorf("%d queries for the proposal, %d with sessions kept (and %d for the list), want one (the session) and none", proposalQ, proposalKept, listKept)
		}
		// A role granted shows in the reader's header at once, sessions
		// and headers kept or not.
		frontendtest.WantNoBody(t, get(list, reader), `href="/desk"`)
		if err := n.Accounts.SetRole(t.Context(), accounts.System, readerAcc.ID, accounts.Agent, "", false, "guichet"); err != nil {
			t.Fatal(err)
		}
		frontendtest.WantBody(t, get(list, reader), `href="/desk"`)
		t.Logf("queries per signed-in request: list %d, %d with sessions kept; proposal %d, %d with sessions kept", listQ, listKept, proposalQ, proposalKept)
	})
}

// strip removes the reader's part of the header from a page.
func strip(t *testing.T, page string) string {
	t.Helper()
	i := strings.Index(page, ":nav-->")
	j := strings.Index(page, "<!--/slot-")
	if i < 0 || j < i {
		t.Fatalf("no reader marks in the page")
	}
	return page[:i] + page[j:]
}

// A signed-in resident reading a proposal's page from the page cache
// (the page kept for anonymous visitors, their own parts put in its
// slots) gets the same bytes as the page rendered for them: support box,
// follow button, report link, comment form and each comment's acts, for
// residents in every state; the author and readers with roles get the
// page rendered for them. Compressed or not.
func TestProposalPageForReaders(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "lecteurs", 0)
		author, authorTok := n.Resident(t, "auteur", true)
		p := n.Propose(t, author, sp, "Des bancs rue Lecourbe")
		target := debates.Target{Kind: debates.TargetProposal, ID: p.ID}
		_, fan := n.Resident(t, "soutien", true)    // supports, follows, comments, supports a comment
		_, plain := n.Resident(t, "lectrice", true) // verified, has done nothing
		_, newcomer := n.Resident(t, "nouvelle", false)
		mod := n.Session(t, n.Staff[accounts.Moderator])
		c1 := n.Comment(t, authorTok, target, "Oui, avec des dossiers.", "for")
		n.Comment(t, fan, target, "Et de l'ombre.", "none")
		for _, post := range []struct{ path, tok string }{
			{"/proposals/" + p.ID + "/support", fan},
			{"/comments/" + c1 + "/support", fan},
		} {
			frontendtest.WantStatus(t, n.Request("POST", post.path, post.tok, url.Values{}), http.StatusSeeOther)
		}
		frontendtest.WantStatus(t, n.Request("POST", "/follow", fan, url.Values{"kind": {"proposal"}, "id": {p.ID}, "back": {"/proposals/" + p.ID}}), http.StatusSeeOther)

		deps := n.Deps
		deps.Registry = prometheus.NewRegistry()
		cached, err := frontend.New(frontend.Config{NodeName: "Paris 15e", BaseURL: frontendtest.MustURL(t, "http://localhost"),
			PageCacheTTL: time.Hour}, deps)
		if err != nil {
			t.Fatal(err)
		}
		page := "/proposals/" + p.ID
		var gzipped bool // the last answer was
		get := func(h http.Handler, token string, gz bool) string {
			t.Helper()
			r := httptest.NewRequest("GET", page, nil)
			if token != "" {
				r.AddCookie(&http.Cookie{Name: frontendtest.SessionCookie, Value: token})
			}
			if gz {
				r.Header.Set("Accept-Encoding", "gzip")
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			frontendtest.WantStatus(t, w, http.StatusOK)
			body := w.Body.String()
			gzipped = w.Header().Get("Content-Encoding") == "gzip"
			if gzipped {
				zr, err := gzip.NewReader(w.Body)
				if err != nil {
					t.Fatal(err)
				}
				b, err := io.ReadAll(zr)
				if err != nil {
					t.Fatalf("broken gzip: %v", err)
				}
				body = string(b)
			}
			// Each handler marks its slots with its own nonce.
			return slotNonce.ReplaceAllString(body, "<!--${1}slot-N")
		}
		anon := get(cached, "", false) // keeps the page
		readers := []struct {
			name, token string
			kept        bool // served from the kept page
			want        []string
		}{
			{"supporter", fan, true, []string{"/unsupport", `action="/unfollow"`, "/comments/" + c1 + "/unsupport", "/report", `action="/comments"`}},
			{"verified", plain, true, []string{`/proposals/` + p.ID + `/support"`, `action="/follow"`, "/comments/" + c1 + "/support", `action="/comments"`}},
			{"unverified", newcomer, true, []string{`href="/account#residency"`, `action="/comments"`}},
			{"author", authorTok, false, []string{"/withdraw"}},
			{"moderator", mod, false, []string{"/moderation/proposals/" + p.ID + "/hide"}},
		}
		for _, rd := range readers {
			for _, gz := range []bool{false, true} {
				fast := get(cached, rd.token, gz)
				// Pages rendered are compressed by the node's outer
				// middleware (frontend.Secure, not here); the kept page's
				// own path compresses.
				if gzipped != (gz && rd.kept) {
					t.Errorf("%s (gzip %v): compressed %v", rd.name, gz, gzipped)
				}
				slow := get(n.H, rd.token, gz)
				if fast != slow {
					i := 0
					for i < min(len(fast), len(slow)) && fast[i] == slow[i] {
						i++
					}
					t.Errorf("%s (gzip %v): the kept page with the reader's parts differs from the page rendered for them at byte %d:\n%.300s\nwant\n%.300s",
						rd.name, gz, i, fast[max(i-100, 0):], slow[max(i-100, 0):])
				}
				for _, w := range rd.want {
					if !strings.Contains(fast, w) {
						t.Errorf("%s: no %q in the page", rd.name, w)
					}
				}
				if fast == anon {
					t.Errorf("%s got the anonymous page", rd.name)
				}
			}
		}

		// The kept page is shared, and what it read of a reader is kept
		// while they post nothing: a support they give now shows in their
		// own box at once, the count with the page.
		n.Accounts.CacheSessions(time.Hour)
		defer n.Accounts.CacheSessions(0)
		post := httptest.NewRequest("POST", "/proposals/"+p.ID+"/support", strings.NewReader(""))
		post.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		post.AddCookie(&http.Cookie{Name: frontendtest.SessionCookie, Value: plain})
		w := httptest.NewRecorder()
		cached.ServeHTTP(w, post)
		frontendtest.WantStatus(t, w, http.StatusSeeOther)

		// Round trips per signed-in resident, the page and the session
		// kept: their supports of the proposal and of the comments, their
		// follow, after they posted; none when they reload.
		counter := &frontendtest.Queries{}
		n.DB.AddQueryHook(counter)
		var got string
		if q := counter.During(func() { got = get(cached, plain, true) }); q > 4 {
			t.Errorf("%d queries for a resident reading a kept proposal page after posting, want at most 4", q)
		}
		if !strings.Contains(got, "/unsupport") {
			t.Errorf("the reader's support does not show in their box")
		}
		if q := counter.During(func() { get(cached, plain, true) }); q != 0 {
			t.Errorf("%d queries for a resident reloading a kept proposal page, want none", q)
		}
	})
}

var slotNonce = regexp.MustCompile(`<!--(/?)slot-[A-Z0-9]+`)

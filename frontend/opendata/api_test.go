package opendata_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/proposals"
)

func TestAPISpaces(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := apiNewSpace(t, n, "budget-2027")

		v := frontendtest.JSONObject(t, n.Get("/api/v1/spaces"))
		frontendtest.WantKeys(t, "space list", v, "items", "total")
		list := frontendtest.Items(t, v)
		if len(list) != 1 || v["total"] != 1.0 {
			t.Fatalf("spaces: %v", v)
		}
		frontendtest.WantKeys(t, "listed space", list[0], apiSpaceKeys...)

		w := n.Get("/api/v1/spaces/budget-2027")
		one := frontendtest.JSONObject(t, w)
		frontendtest.WantKeys(t, "space", one, apiSpaceKeys...)
		for key, want := range map[string]any{
			"id": sp.ID, "slug": "budget-2027", "kind": "process", "title": "Budget participatif 2027",
			"description": "Proposez des **projets**.", "description_html": "<p>Proposez des <strong>projets</strong>.</p>",
			"support_threshold": 2.0, "unverified_may_propose": false,
			"url": "http://localhost/spaces/budget-2027", "api_url": "http://localhost/api/v1/spaces/budget-2027",
			"proposals_url": "http://localhost/api/v1/spaces/budget-2027/proposals",
			"feed_url":      "http://localhost/spaces/budget-2027/feed.atom",
			"created_at":    sp.CreatedAt.UTC().Format(time.RFC3339),
		} {
			if one[key] != want {
				t.Errorf("%s = %#v, want %#v", key, one[key], want)
			}
		}
		frontendtest.WantKeys(t, "limits", one["limits"], "title_max", "body_max")
		if l := one["limits"].(map[string]any); l["title_max"] != 100.0 || l["body_max"] != 700.0 {
			t.Errorf("limits %v", l)
		}
		phases := one["phases"].([]any)
		if len(phases) != 3 {
			t.Fatalf("phases %v", phases)
		}
		for i, raw := range phases {
			p := raw.(map[string]any)
			frontendtest.WantKeys(t, "phase", p, "kind", "name", "starts_at", "ends_at", "current")
			if _, err := time.Parse(time.RFC3339, p["starts_at"].(string)); err != nil || !strings.HasSuffix(p["starts_at"].(string), "Z") {
				t.Errorf("starts_at %q is not RFC 3339 UTC", p["starts_at"])
			}
			if want := i == 0; p["current"] != want || p["kind"] != string(sp.Phases[i].Kind) {
				t.Errorf("phase %d: %v", i, p)
			}
		}
		cats := one["categories"].([]any)
		if len(cats) != 2 {
			t.Fatalf("categories %v", cats)
		}
		frontendtest.WantKeys(t, "category", cats[0], "slug", "name_fr", "name_en")
		if c := cats[1].(map[string]any); c["slug"] != "nature" || c["name_fr"] != "Nature en ville" || c["name_en"] != nil {
			t.Errorf("category without English name: %v", c)
		}

		// Open data: any origin reads it, caches keep it 30 s, and a
		// reader who has it gets 304.
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("Access-Control-Allow-Origin %q", got)
		}
		if got := w.Header().Get("Cache-Control"); got != "public, max-age=30" {
			t.Errorf("Cache-Control %q", got)
		}
		etag := w.Header().Get("ETag")
		if !strings.HasPrefix(etag, `"`) {
			t.Fatalf("ETag %q", etag)
		}
		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			w2 := n.Get("/api/v1/spaces/budget-2027", "If-None-Match", inm)
			frontendtest.WantStatus(t, w2, http.StatusNotModified)
			if w2.Body.Len() != 0 || w2.Header().Get("ETag") != etag {
				t.Errorf("304 for %q: body %q, ETag %q", inm, w2.Body, w2.Header().Get("ETag"))
			}
		}
		frontendtest.WantStatus(t, n.Get("/api/v1/spaces/budget-2027", "If-None-Match", `"stale"`), http.StatusOK)

		// HEAD answers the headers only; a preflight is allowed.
		r := n.Request(http.MethodHead, "/api/v1/spaces", "", nil)
		frontendtest.WantStatus(t, r, http.StatusOK)
		if r.Body.Len() != 0 {
			t.Errorf("HEAD body %q", r.Body)
		}
		r = n.Request(http.MethodOptions, "/api/v1/spaces/budget-2027/proposals", "", nil)
		frontendtest.WantStatus(t, r, http.StatusNoContent)
		if r.Header().Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(r.Header().Get("Access-Control-Allow-Methods"), "GET") {
			t.Errorf("preflight headers %v", r.Header())
		}

		// Unknown things are JSON 404s, in the reader's language.
		for _, target := range []string{"/api/v1/spaces/nope", "/api/v1/spaces/nope/proposals", "/api/v1/proposals/nope", "/api/v1/nope", "/api/v2/spaces"} {
			w := n.Get(target)
			frontendtest.WantStatus(t, w, http.StatusNotFound)
			var e map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e["status"] != 404.0 || e["error"] == "" {
				t.Errorf("%s: %s", target, w.Body)
			}
		}
		frontendtest.WantBody(t, n.Get("/api/v1/spaces/nope"), "Cet espace n’existe pas.")
		frontendtest.WantBody(t, n.Get("/api/v1/spaces/nope", "Accept-Language", "en"), "This space does not exist.")
		frontendtest.WantStatus(t, n.Request(http.MethodPost, "/api/v1/spaces", "", url.Values{}), http.StatusMethodNotAllowed)
	})
}

func TestAPIProposalListPagesFiltersAndSorts(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := apiNewSpace(t, n, "budget")
		alice := n.Verified(t, "alice", true)
		bob := n.Verified(t, "bob", false)
		cat := []string{"voirie", "nature"}
		var ids []string
		for i := range 5 {
			p := apiPropose(t, n, accounts.As(alice), sp, fmt.Sprintf("Proposition %d", i), "Des arbres et des bancs.", cat[i%2])
			ids = append(ids, p.ID)
		}
		apiPropose(t, n, accounts.As(bob), sp, "Piste cyclable rue de Vaugirard", "Sécuriser les vélos.", "voirie")
		if err := n.Proposals.Support(t.Context(), accounts.As(bob), ids[1]); err != nil {
			t.Fatal(err)
		}

		// Newest first by default, 20 a page.
		v := frontendtest.JSONObject(t, n.Get("/api/v1/spaces/budget/proposals"))
		frontendtest.WantKeys(t, "page", v, apiPageKeys...)
		if got := frontendtest.Titles(t, v); !slices.Equal(got, []string{"Piste cyclable rue de Vaugirard", "Proposition 4", "Proposition 3",
			"Proposition 2", "Proposition 1", "Proposition 0"}) {
			t.Errorf("newest: %v", got)
		}
		if v["page"] != 1.0 || v["per_page"] != 20.0 || v["total"] != 6.0 || v["pages"] != 1.0 || v["sort"] != "newest" ||
			v["seed"] != nil || v["next"] != nil || v["prev"] != nil {
			t.Errorf("page fields: %v", v)
		}
		item := frontendtest.Items(t, v)[5]
		frontendtest.WantKeys(t, "proposal", item, apiProposalKeys...)
		frontendtest.WantKeys(t, "space ref", item["space"], "slug", "title", "url", "api_url")
		frontendtest.WantKeys(t, "author", item["author"], "name", "handle")
		if item["id"] != ids[0] || item["state"] != "published" || item["url"] != "http://localhost/proposals/"+ids[0] ||
			item["api_url"] != "http://localhost/api/v1/proposals/"+ids[0] || item["body"] != "Des arbres et des bancs." ||
			item["body_html"] != "<p>Des arbres et des bancs.</p>" || item["hidden"] != false || item["hidden_reason"] != nil {
			t.Errorf("proposal: %v", item)
		}
		if c := item["category"].(map[string]any); c["slug"] != "voirie" || c["name_en"] != "Streets" {
			t.Errorf("category: %v", c)
		}

		// Pages link to each other and keep every choice.
		v = frontendtest.JSONObject(t, n.Get("/api/v1/spaces/budget/proposals?per_page=2&page=2&category=voirie&lang=en"))
		if v["total"] != 4.0 || v["pages"] != 2.0 || len(frontendtest.Items(t, v)) != 2 || v["next"] != nil {
			t.Errorf("page 2 of voirie: %v", v)
		}
		prev, _ := v["prev"].(string)
		if prev != "http://localhost/api/v1/spaces/budget/proposals?category=voirie&lang=en&page=1&per_page=2&sort=newest" {
			t.Errorf("prev %q", prev)
		}
		u, _ := url.Parse(prev)
		v = frontendtest.JSONObject(t, n.Get(u.RequestURI()))
		next, _ := v["next"].(string)
		if !strings.Contains(next, "page=2") || v["prev"] != nil {
			t.Errorf("page 1 links: next %q prev %v", next, v["prev"])
		}
		if got := frontendtest.Titles(t, v); !slices.Equal(got, []string{"Piste cyclable rue de Vaugirard", "Proposition 4"}) {
			t.Errorf("voirie page 1: %v", got)
		}
		// Past the end: an empty page that links back to the last one.
		v = frontendtest.JSONObject(t, n.Get("/api/v1/spaces/budget/proposals?per_page=2&page=9"))
		if len(frontendtest.Items(t, v)) != 0 || v["next"] != nil || !strings.Contains(v["prev"].(string), "page=3") {
			t.Errorf("past the end: %v", v)
		}

		// Most supported first.
		v = frontendtest.JSONObject(t, n.Get("/api/v1/spaces/budget/proposals?sort=supported"))
		if first := frontendtest.Items(t, v)[0]; first["id"] != ids[1] || first["support_count"] != 1.0 {
			t.Errorf("supported: %v", first)
		}

		// Random: a seed gives one order, the same on every page, and
		// the pages together hold each proposal once.
		var seen []string
		for page := 1; page <= 3; page++ {
			v = frontendtest.JSONObject(t, n.Get(fmt.Sprintf("/api/v1/spaces/budget/proposals?sort=random&seed=12345&per_page=2&page=%d", page)))
			if v["seed"] != 12345.0 {
				t.Errorf("seed %v", v["seed"])
			}
			if page < 3 && !strings.Contains(v["next"].(string), "seed=12345") {
				t.Errorf("next %v loses the seed", v["next"])
			}
			for _, it := range frontendtest.Items(t, v) {
				seen = append(seen, it["id"].(string))
			}
		}
		again := frontendtest.JSONObject(t, n.Get("/api/v1/spaces/budget/proposals?sort=random&seed=12345&per_page=6"))
		var once []string
		for _, it := range frontendtest.Items(t, again) {
			once = append(once, it["id"].(string))
		}
		if !slices.Equal(seen, once) || len(slices.Compact(slices.Sorted(slices.Values(seen)))) != 6 {
			t.Errorf("random pages %v, in one page %v", seen, once)
		}
		v = frontendtest.JSONObject(t, n.Get("/api/v1/spaces/budget/proposals?sort=random&per_page=2"))
		if seed, ok := v["seed"].(float64); !ok || !strings.Contains(v["next"].(string), fmt.Sprintf("seed=%d", int64(seed))) {
			t.Errorf("random without a seed: seed %v next %v", v["seed"], v["next"])
		}

		// State and search.
		official := n.Staff[accounts.Official]
		if err := n.Proposals.Answer(t.Context(), accounts.As(official), ids[2], proposals.Accepted, "Oui."); err != nil {
			t.Fatal(err)
		}
		v = frontendtest.JSONObject(t, n.Get("/api/v1/spaces/budget/proposals?state=accepted"))
		if got := frontendtest.Titles(t, v); !slices.Equal(got, []string{"Proposition 2"}) {
			t.Errorf("accepted: %v", got)
		}
		v = frontendtest.JSONObject(t, n.Get("/api/v1/spaces/budget/proposals?q="+url.QueryEscape("cyclable")))
		if got := frontendtest.Titles(t, v); !slices.Equal(got, []string{"Piste cyclable rue de Vaugirard"}) {
			t.Errorf("search: %v", got)
		}
		v = frontendtest.JSONObject(t, n.Get("/api/v1/spaces/budget/proposals?q=zzzz"))
		if len(frontendtest.Items(t, v)) != 0 || v["total"] != 0.0 || v["pages"] != 0.0 {
			t.Errorf("search without match: %v", v)
		}
	})
}

func TestAPIProposalListRefusesBadParameters(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		apiNewSpace(t, n, "budget")
		tests := []struct{ query, fr, en string }{
			{"page=0", "« page »", "“page” parameter must be a whole number from 1 to 1000000"},
			{"page=abc", "« page »", "“page”"},
			{"page=99999999999999999999", "« page »", "“page”"},
			{"per_page=1000", "« per_page »", "from 1 to 100."},
			{"per_page=0", "« per_page »", "“per_page”"},
			{"sort=bogus", "« sort »", "random, newest, supported"},
			{"state=bogus", "« state »", "published, review, study"},
			{"category=bogus", "« category »", "voirie, nature"},
			{"seed=-1", "« seed »", "“seed”"},
			{"sort=random&seed=x", "« seed »", "“seed”"},
			{"q=" + strings.Repeat("a", 201), "« q »", "at most 200"},
		}
		for _, tt := range tests {
			for lang, want := range map[string]string{"fr": tt.fr, "en": tt.en} {
				w := n.Get("/api/v1/spaces/budget/proposals?"+tt.query, "Accept-Language", lang)
				frontendtest.WantStatus(t, w, http.StatusBadRequest)
				var e struct {
					Error  string `json:"error"`
					Status int    `json:"status"`
				}
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Status != 400 || !strings.Contains(e.Error, want) {
					t.Errorf("%s (%s): %s", tt.query, lang, w.Body)
				}
				if w.Header().Get("Cache-Control") != "" {
					t.Errorf("%s: an error is cached", tt.query)
				}
			}
		}
	})
}

func TestAPIProposalShowsTimelineAndAnswers(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := apiNewSpace(t, n, "budget")
		alice := n.Verified(t, "alice", true)
		bob, carol := n.Verified(t, "bob", false), n.Verified(t, "carol", false)
		lat, lon := 48.8414, 2.3003
		n.Clock.Advance(time.Second)
		p, err := n.Proposals.Create(t.Context(), accounts.As(alice), sp.ID, proposals.Input{Title: "Des bancs", Body: "Square *Violet*.",
			Category: "nature", Address: "Square Violet, 75015 Paris", Lat: &lat, Lon: &lon})
		if err != nil {
			t.Fatal(err)
		}
		for _, who := range []*accounts.Account{bob, carol} { // threshold 2: to review
			if err := n.Proposals.Support(t.Context(), accounts.As(who), p.ID); err != nil {
				t.Fatal(err)
			}
		}
		n.Clock.Advance(time.Minute)
		if err := n.Proposals.Answer(t.Context(), accounts.As(n.Staff[accounts.Official]), p.ID, proposals.Accepted, "Les bancs seront **posés** en mars."); err != nil {
			t.Fatal(err)
		}

		v := frontendtest.JSONObject(t, n.Get("/api/v1/proposals/"+p.ID))
		frontendtest.WantKeys(t, "proposal", v, append(slices.Clone(apiProposalKeys), "timeline", "answers")...)
		if v["state"] != "accepted" || v["support_count"] != 2.0 || v["address"] != "Square Violet, 75015 Paris" ||
			v["body_html"] != "<p>Square <em>Violet</em>.</p>" {
			t.Errorf("proposal: %v", v)
		}
		if loc := v["location"].(map[string]any); loc["lat"] != lat || loc["lon"] != lon {
			t.Errorf("location %v", loc)
		}
		if sp := v["space"].(map[string]any); sp["slug"] != "budget" || sp["url"] != "http://localhost/spaces/budget" {
			t.Errorf("space ref %v", sp)
		}
		var kinds []string
		for _, raw := range v["timeline"].([]any) {
			e := raw.(map[string]any)
			frontendtest.WantKeys(t, "event", e, "kind", "at", "from_state", "to_state", "service", "reason")
			kinds = append(kinds, e["kind"].(string)+":"+e["to_state"].(string))
		}
		if !slices.Equal(kinds, []string{"published:published", "review:review", "answer:accepted"}) {
			t.Errorf("timeline %v", kinds)
		}
		answers := v["answers"].([]any)
		if len(answers) != 1 {
			t.Fatalf("answers %v", answers)
		}
		frontendtest.WantKeys(t, "answer", answers[0], "at", "service", "from_state", "state", "body", "body_html")
		a := answers[0].(map[string]any)
		if a["service"] != "Voirie" || a["from_state"] != "review" || a["state"] != "accepted" ||
			a["body"] != "Les bancs seront **posés** en mars." || a["body_html"] != "<p>Les bancs seront <strong>posés</strong> en mars.</p>" {
			t.Errorf("answer %v", a)
		}
		if got := n.Get("/api/v1/proposals/" + p.ID).Header().Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("CORS %q", got)
		}
	})
}

func TestAPIShowsAuthorsAsTheyChose(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := apiNewSpace(t, n, "budget")
		public := n.Verified(t, "jeanne", true)
		private := n.Verified(t, "paul", false)
		gone := n.Verified(t, "ancien", true)
		pPublic := apiPropose(t, n, accounts.As(public), sp, "Publique", "Texte.", "voirie")
		pPrivate := apiPropose(t, n, accounts.As(private), sp, "Privée", "Texte.", "voirie")
		pGone := apiPropose(t, n, accounts.As(gone), sp, "Effacée", "Texte.", "voirie")
		if _, err := n.Accounts.RequestDeletion(t.Context(), accounts.As(gone), gone.ID); err != nil {
			t.Fatal(err)
		}
		n.Clock.Advance(accounts.DeletionGrace + time.Hour)
		if erased, err := n.Accounts.EraseDue(t.Context()); err != nil || erased != 1 {
			t.Fatalf("erase: %d, %v", erased, err)
		}

		tests := []struct {
			id, lang string
			want     map[string]any
		}{
			{pPublic.ID, "fr", map[string]any{"name": "Test jeanne", "handle": "jeanne"}},
			{pPrivate.ID, "fr", map[string]any{"name": "Test paul"}},
			{pGone.ID, "fr", map[string]any{"name": "ancien participant", "deleted": true}},
			{pGone.ID, "en", map[string]any{"name": "former participant", "deleted": true}},
		}
		for _, tt := range tests {
			v := frontendtest.JSONObject(t, n.Get("/api/v1/proposals/"+tt.id, "Accept-Language", tt.lang))
			if got := v["author"].(map[string]any); !maps.Equal(got, tt.want) {
				t.Errorf("%s author %v, want %v", v["title"], got, tt.want)
			}
		}
		list := frontendtest.JSONObject(t, n.Get("/api/v1/spaces/budget/proposals"))
		body, _ := json.Marshal(list)
		for _, leak := range []string{gone.ID, "deleted_", `"handle":"ancien"`, `"handle":"paul"`} {
			if strings.Contains(string(body), leak) {
				t.Errorf("the list shows %q:\n%s", leak, body)
			}
		}
	})
}

func TestAPIRedactsHiddenProposals(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := apiNewSpace(t, n, "budget")
		alice := n.Verified(t, "alice", true)
		p := apiPropose(t, n, accounts.As(alice), sp, "Texte injurieux", "Des propos injurieux.", "voirie")
		apiPropose(t, n, accounts.As(alice), sp, "Une bonne idée", "Des arbres.", "nature")
		if err := n.Proposals.Answer(t.Context(), accounts.As(n.Staff[accounts.Official]), p.ID, proposals.Rejected, "Injurieux, refusé."); err != nil {
			t.Fatal(err)
		}
		// Moderation is another package's; hide the row as it will.
		if _, err := n.DB.NewUpdate().TableExpr("proposals").Set("hidden_at = ?", n.Clock.Now()).
			Set("hidden_reason = ?", "Propos injurieux").Where("id = ?", p.ID).Exec(t.Context()); err != nil {
			t.Fatal(err)
		}

		list := frontendtest.JSONObject(t, n.Get("/api/v1/spaces/budget/proposals"))
		its := frontendtest.Items(t, list)
		if len(its) != 2 || list["total"] != 2.0 {
			t.Fatalf("a hidden proposal keeps its place: %v", list)
		}
		hidden := its[1]
		frontendtest.WantKeys(t, "hidden proposal", hidden, apiProposalKeys...)
		for _, key := range []string{"title", "body", "body_html", "address", "location", "author"} {
			if hidden[key] != nil {
				t.Errorf("hidden %s = %v", key, hidden[key])
			}
		}
		if hidden["hidden"] != true || hidden["hidden_reason"] != "Propos injurieux" || hidden["id"] != p.ID || hidden["state"] != "rejected" {
			t.Errorf("hidden: %v", hidden)
		}
		one := n.Get("/api/v1/proposals/" + p.ID)
		v := frontendtest.JSONObject(t, one)
		if v["title"] != nil || v["hidden"] != true {
			t.Errorf("hidden proposal: %v", v)
		}
		if a := v["answers"].([]any)[0].(map[string]any); a["body"] != nil || a["body_html"] != nil || a["state"] != "rejected" {
			t.Errorf("answer to a hidden proposal: %v", a)
		}
		listed, err := json.Marshal(list)
		if err != nil {
			t.Fatal(err)
		}
		for what, body := range map[string]string{"list": string(listed), "proposal": one.Body.String()} {
			for _, text := range []string{"Texte injurieux", "Des propos injurieux", "Injurieux, refusé"} {
				if strings.Contains(body, text) {
					t.Errorf("the %s shows the hidden %q:\n%s", what, text, body)
				}
			}
		}
		if strings.Contains(one.Body.String(), "alice") {
			t.Errorf("the hidden proposal names its author:\n%s", one.Body)
		}
	})
}

func TestAPILeaksNoPersonalData(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := apiNewSpace(t, n, "budget")
		resident := n.Verified(t, "zoe", false)
		agent := n.Staff[accounts.Agent]
		official := n.Staff[accounts.Official]
		const deskName = "Mairie du 15e – guichet 2"
		atDesk := accounts.Actor{Account: agent, OnBehalfOf: resident, Desk: deskName}
		p := apiPropose(t, n, atDesk, sp, "Un banc", "Devant la mairie.", "voirie")
		// Supported at the desk too, by another resident (an author does not support their own).
		supporter := n.Verified(t, "yann", false)
		if err := n.Proposals.Support(t.Context(), accounts.Actor{Account: agent, OnBehalfOf: supporter, Desk: deskName}, p.ID); err != nil {
			t.Fatal(err)
		}
		if err := n.Proposals.Answer(t.Context(), accounts.As(official), p.ID, proposals.Study, "À l’étude."); err != nil {
			t.Fatal(err)
		}

		var all strings.Builder
		for _, target := range []string{"/api/v1/spaces", "/api/v1/spaces/budget", "/api/v1/spaces/budget/proposals",
			"/api/v1/proposals/" + p.ID, "/spaces/budget/feed.atom", "/proposals/" + p.ID + "/feed.atom"} {
			w := n.Get(target)
			frontendtest.WantStatus(t, w, http.StatusOK)
			all.WriteString(w.Body.String())
		}
		got := all.String()
		for _, leak := range []string{resident.ID, supporter.ID, agent.ID, official.ID, agent.Handle, official.Handle, `"handle":"zoe"`, "yann",
			agent.DisplayName, official.DisplayName, "guichet", "entered_by", "desk", "residen", "actor", "author_id"} {
			if i := strings.Index(got, leak); i >= 0 {
				t.Errorf("the API shows %q: …%s…", leak, got[max(0, i-100):min(len(got), i+50)])
			}
		}
		if !strings.Contains(got, resident.DisplayName) {
			t.Error("the author's display name is missing")
		}
	})
}

func TestAPIListQueriesDoNotGrowWithThePage(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := apiNewSpace(t, n, "budget")
		for i := range 6 {
			who := n.Verified(t, fmt.Sprintf("r%d", i), i%2 == 0)
			apiPropose(t, n, accounts.As(who), sp, fmt.Sprintf("Proposition %d", i), "Texte.", "voirie")
		}
		counter := &frontendtest.Queries{}
		n.DB.AddQueryHook(counter)
		for _, sort := range []string{"newest", "supported", "random&seed=7"} {
			small := counter.During(func() {
				frontendtest.WantStatus(t, n.Get("/api/v1/spaces/budget/proposals?per_page=1&sort="+sort), http.StatusOK)
			})
			large := counter.During(func() {
				frontendtest.WantStatus(t, n.Get("/api/v1/spaces/budget/proposals?per_page=100&sort="+sort), http.StatusOK)
			})
			// The shuffle reads its rotation in two ranges at most.
			if large-small > 1 || large > 7 {
				t.Errorf("sort=%s: %d queries for 1 proposal, %d for 6", sort, small, large)
			}
		}
		spacesQ := counter.During(func() { frontendtest.WantStatus(t, n.Get("/api/v1/spaces"), http.StatusOK) })
		if spacesQ > 3 {
			t.Errorf("space list: %d queries", spacesQ)
		}
	})
}

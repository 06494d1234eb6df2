package reports_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"agora/frontend"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/reports"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// suggestionTables are what the suggestion pages write.
var suggestionTables = append([]string{"report_council_votes", "decision_votes", "decision_options", "decision_ballots"}, tables...)

// suggestionNode is a test node with the votes and the councils' votes
// on suggestions, the reports' categories and two suggestion ones, and a
// neighbourhood council.
func suggestionNode(t testing.TB, dialect string) (*frontendtest.Node, *reports.Council, *spaces.Space) {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	var council *reports.Council
	n := frontendtest.NewNodeOn(t, db, func(d *frontend.Deps) {
		d.Decisions = decisions.NewService(db, d.Accounts, d.Spaces, d.Now)
		council = reports.NewCouncil(db, d.Reports, d.Spaces, d.Decisions, d.Now)
		d.ReportsCouncil = council
	})
	setUp(t.(*testing.T), n)
	for _, c := range []reports.Category{
		{Slug: "banc", NameFR: "Un banc", NameEN: "A bench", Service: "Voirie", Kind: reports.Suggestion, Position: 10},
		{Slug: "arbre", NameFR: "Un arbre", NameEN: "A tree", Service: "Espaces verts", Kind: reports.Suggestion, Position: 11},
	} {
		if err := n.Reports.SaveCategory(t.Context(), accounts.System, c); err != nil {
			t.Fatal(err)
		}
	}
	sp, err := n.Spaces.Create(t.Context(), accounts.System, spaces.NewSpace{Slug: "conseil-oberkampf", Title: "Conseil de quartier Oberkampf", Kind: spaces.Council})
	if err != nil {
		t.Fatal(err)
	}
	return n, council, sp
}

// TestSuggestionPages: a resident suggests a bench on the report form,
// neighbours support it once each (an unverified one and the author are
// refused, nothing changed), the lists keep suggestions apart from
// problems, an official opens the council's vote filled from the
// suggestions, and once it is closed each suggestion shows its rank and
// the list sorts by it; all without JavaScript.
func TestSuggestionPages(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		n, council, sp := suggestionNode(t, dialect)
		alice, aliceTok := n.Resident(t, "alice", true)
		bob, bobTok := n.Resident(t, "bob", true)
		_, carolTok := n.Resident(t, "carol", false)
		official := n.Session(t, n.Staff[accounts.Official])

		// The form groups the suggestion categories apart.
		w := n.Request("GET", "/reports/new", aliceTok, nil)
		frontendtest.WantBody(t, w, `<optgroup label="Un aménagement à suggérer">`, `value="banc"`)
		bench := sent(t, post(n, "/reports/new", aliceTok, fields("category", "banc", "lat", "48.8606", "lon", "2.3795",
			"description", "Un banc à l’ombre face au square.")))
		problem := sent(t, post(n, "/reports/new", aliceTok, fields("category", "nid-de-poule", "lat", "48.8606", "lon", "2.3795",
			"description", "Un trou profond.")))
		n.Clock.Advance(time.Minute)
		tree := sent(t, post(n, "/reports/new", bobTok, fields("category", "arbre", "lat", "48.861", "lon", "2.38",
			"description", "Un arbre devant l’école.")))

		// Step 2 speaks of suggestions, and shows the one nearby to support.
		w = n.Request("GET", "/reports/new?step=2&category=banc&lat=48.8608&lon=2.3795", bobTok, nil)
		frontendtest.WantBody(t, w, "Déjà suggéré à côté ?", `href="/reports/`+bench+`"`, "Ce n’est aucune de celles-là", "Ce que vous aimeriez")
		frontendtest.WantNoBody(t, w, "Déjà signalé à côté ?")

		// Support, once, by a verified neighbour.
		w = n.Request("GET", "/reports/"+bench, bobTok, nil)
		frontendtest.WantBody(t, w, "Suggestion : Un banc", "0 habitant·e la soutient", "Je soutiens cette suggestion")
		frontendtest.WantNoBody(t, w, "Je le vois aussi")
		frontendtest.WantStatus(t, n.Request("POST", "/reports/"+bench+"/confirm", bobTok, url.Values{}), http.StatusSeeOther)
		frontendtest.WantBody(t, n.Request("GET", "/reports/"+bench, bobTok, nil), "1 habitant·e la soutient", "Vous soutenez cette suggestion.")
		for _, c := range []struct {
			name, token, id string
			status          int
			want            string
		}{
			{"unverified", carolTok, bench, http.StatusForbidden, "résidence vérifiée"},
			{"twice", bobTok, bench, http.StatusConflict, ""},
			{"own", aliceTok, bench, http.StatusConflict, ""},
		} {
			before := storagetest.TakeSnapshot(t, n.DB, suggestionTables...)
			w := n.Request("POST", "/reports/"+c.id+"/confirm", c.token, url.Values{})
			frontendtest.WantStatus(t, w, c.status)
			frontendtest.WantBody(t, w, c.want)
			before.Unchanged(t, n.DB, c.name)
		}

		// The lists and maps keep them apart.
		w = n.Request("GET", "/reports?kind=suggestion", "", nil)
		frontendtest.WantBody(t, w, "Suggestions d’aménagements", `href="/reports/`+bench+`"`, `href="/reports/`+tree+`"`, "1 habitant·e la soutient")
		frontendtest.WantNoBody(t, w, `href="/reports/`+problem+`"`, "/reports/council/vote")
		w = n.Request("GET", "/reports", "", nil)
		frontendtest.WantBody(t, w, `href="/reports/`+problem+`"`, `href="/reports?kind=suggestion"`)
		frontendtest.WantNoBody(t, w, `href="/reports/`+bench+`"`)
		w = n.Request("GET", "/reports/suggestions/map.json?bbox=2.36,48.85,2.40,48.87", "", nil)
		frontendtest.WantBody(t, w, bench, tree)
		frontendtest.WantNoBody(t, w, problem)
		frontendtest.WantNoBody(t, n.Request("GET", "/reports/map.json?bbox=2.36,48.85,2.40,48.87", "", nil), bench)

		// The council's vote: an official sees the ballot, a resident may not open one.
		frontendtest.WantBody(t, n.Request("GET", "/reports?kind=suggestion", official, nil), `href="/reports/council/vote"`)
		w = n.Request("GET", "/reports/council/vote", official, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Conseil de quartier Oberkampf", "Un banc à l’ombre face au square.", "Un arbre devant l’école.")
		if i, j := strings.Index(w.Body.String(), "Un banc à l’ombre"), strings.Index(w.Body.String(), "Un arbre devant"); i > j {
			t.Error("the ballot does not list the most supported suggestion first")
		}
		frontendtest.WantStatus(t, n.Request("GET", "/reports/council/vote", aliceTok, nil), http.StatusForbidden)
		now := n.Clock.Now()
		vote := fields("space", sp.ID, "question", "Quels aménagements d’abord ?", "method", "ranked",
			"opens_at", now.Add(time.Hour).Format("2006-01-02T15:04"), "closes_at", now.Add(48*time.Hour).Format("2006-01-02T15:04"))
		with := func(kv ...string) url.Values {
			v := url.Values{}
			for k, vs := range vote {
				v[k] = vs
			}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v
		}
		for _, c := range []struct {
			name, token string
			form        url.Values
			status      int
			want        string
		}{
			{"a resident", aliceTok, vote, http.StatusForbidden, ""},
			{"no date", official, with("closes_at", "demain"), http.StatusBadRequest, "Indiquez une date et une heure."},
			{"a problem category", official, with("category", "nid-de-poule"), http.StatusBadRequest, "Cette catégorie ne reçoit pas de suggestions."},
			{"one suggestion", official, with("category", "arbre"), http.StatusBadRequest, "de 2 à 100 suggestions"},
			{"single choice", official, with("method", "single"), http.StatusBadRequest, "par classement ou par approbation"},
			{"no question", official, with("question", ""), http.StatusBadRequest, "Écrivez la question"},
			{"closes before it opens", official, with("closes_at", now.Format("2006-01-02T15:04")), http.StatusBadRequest, "La clôture doit venir après l’ouverture."},
		} {
			before := storagetest.TakeSnapshot(t, n.DB, suggestionTables...)
			w := n.Request("POST", "/reports/council/vote", c.token, c.form)
			frontendtest.WantStatus(t, w, c.status)
			frontendtest.WantBody(t, w, c.want)
			before.Unchanged(t, n.DB, c.name)
		}
		w = n.Request("POST", "/reports/council/vote", official, vote)
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		voteID, ok := strings.CutPrefix(w.Header().Get("Location"), "/votes/")
		if !ok {
			t.Fatalf("redirected to %q", w.Header().Get("Location"))
		}
		v, err := n.Deps.Decisions.ByID(t.Context(), voteID)
		if err != nil || len(v.Options) != 2 || v.Options[0].Key != bench || v.Options[1].Key != tree || v.SpaceID != sp.ID {
			t.Fatalf("council vote %+v %v", v, err)
		}

		// Two ballots prefer the tree; once closed, the ranks show. The
		// vote's own page (the decisions surface) lists the suggestions.
		n.Clock.Advance(2 * time.Hour)
		w = n.Request("GET", "/votes/"+voteID, aliceTok, nil)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Quels aménagements d’abord ?", "Un banc à l’ombre face au square.")
		for _, who := range []*accounts.Account{alice, bob} {
			if _, err := n.Deps.Decisions.Cast(t.Context(), accounts.As(who), voteID, decisions.Choice{Ranking: []string{tree, bench}}, false); err != nil {
				t.Fatal(err)
			}
		}
		frontendtest.WantNoBody(t, n.Request("GET", "/reports/"+tree, "", nil), "Rang 1")
		n.Clock.Advance(48 * time.Hour)
		if k, err := council.RankDue(t.Context()); err != nil || k != 1 {
			t.Fatalf("rank: %d %v", k, err)
		}
		frontendtest.WantBody(t, n.Request("GET", "/reports/"+tree, "", nil), "Rang 1 au vote du conseil de quartier", `href="/votes/`+voteID+`"`)
		frontendtest.WantBody(t, n.Request("GET", "/reports/"+bench+"?lang=en", "", nil), "Rank 2 in the neighbourhood council’s vote")
		w = n.Request("GET", "/reports?kind=suggestion&sort=rank", "", nil)
		body := w.Body.String()
		if i, j := strings.Index(body, `href="/reports/`+tree+`"`), strings.Index(body, `href="/reports/`+bench+`"`); i < 0 || j < 0 || i > j {
			t.Errorf("by rank: tree at %d, bench at %d", i, j)
		}
		frontendtest.WantBody(t, w, "Par rang au vote du conseil de quartier")
	})
}

// TestAdminSuggestionCategory: the admin flags a category as one of
// suggestions; an unknown kind is refused and nothing changes.
func TestAdminSuggestionCategory(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		admin := n.Session(t, n.Staff[accounts.Admin])
		frontendtest.WantStatus(t, n.Request("POST", "/admin/reports/categories", admin, fields("slug", "banc",
			"name_fr", "Un banc", "name_en", "A bench", "service", "Voirie", "kind", "suggestion")), http.StatusSeeOther)
		c, err := n.Reports.CategoryBySlug(t.Context(), "banc")
		if err != nil || c.Kind != reports.Suggestion {
			t.Fatalf("category %+v %v", c, err)
		}
		frontendtest.WantBody(t, n.Request("GET", "/admin/reports", admin, nil), "banc (suggestions)")
		before := storagetest.TakeSnapshot(t, n.DB, tables...)
		w := n.Request("POST", "/admin/reports/categories", admin, fields("slug", "banc",
			"name_fr", "Un banc", "name_en", "A bench", "service", "Voirie", "kind", "souhait"))
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		before.Unchanged(t, n.DB, "unknown kind")
	})
}

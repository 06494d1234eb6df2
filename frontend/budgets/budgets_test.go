package budgets_test

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/projects"
)

// importEdition loads the test edition (five projects, ten ballots,
// Equal Shares) into a new space of the node.
func importEdition(t *testing.T, n *frontendtest.Node) *projects.Budget {
	t.Helper()
	file, err := os.ReadFile("../../instances/projects/testdata/quartier.pb")
	if err != nil {
		t.Fatal(err)
	}
	sp := n.Space(t, "budget-2025", 0)
	b, err := n.Deps.Projects.Import(t.Context(), accounts.System, sp.ID, bytes.NewReader(file), budgets.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBudgetPages(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		b := importEdition(t, n)

		w := n.Get("/spaces/budget-2025/budgets")
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `href="/budgets/`+b.ID+`"`, "Budget participatif du quartier Saint-Lambert")
		frontendtest.WantStatus(t, n.Get("/spaces/nowhere/budgets"), http.StatusNotFound)

		// Both rules side by side, amounts as French readers write them.
		w = n.Get("/budgets/" + b.ID)
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "1\u202f000\u202f000\u00a0€", "la méthode des parts égales", "Financé (les projets les plus votés d’abord)",
			"Rénover le square Saint-Lambert", "500\u202f000\u00a0€", `href="/budgets/`+b.ID+`/budget.pb"`)
		frontendtest.WantBody(t, n.Get("/budgets/"+b.ID, "Accept-Language", "en"), "€1,000,000", "Method of Equal Shares")
		w = n.Get("/budgets/nope")
		frontendtest.WantStatus(t, w, http.StatusNotFound)
		frontendtest.WantBody(t, w, "Ce budget ou ce projet n’existe pas.")

		// The result is out: the projects no longer change.
		official := n.Session(t, n.Staff[accounts.Official])
		w = n.Request("POST", "/budgets/"+b.ID+"/projects", official, url.Values{"heading": {"all"}, "title": {"Un de plus"}, "cost": {"1000"}})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, "Le résultat est publié")

		pb := n.Get("/budgets/" + b.ID + "/budget.pb")
		frontendtest.WantStatus(t, pb, http.StatusOK)
		frontendtest.WantBody(t, pb, "SL-1;500000;6;Rénover le square Saint-Lambert")

		api := frontendtest.JSONObject(t, n.Get("/api/v1/budgets/"+b.ID+"/results"))
		list, _ := api["projects"].([]any)
		if len(list) != 5 || api["decided"] != true {
			t.Fatalf("results JSON: %v", api)
		}
		first := list[0].(map[string]any)
		frontendtest.WantKeys(t, "project", first, "id", "reference", "title", "heading", "cost", "votes", "funded", "funded_by_other_rule", "progress", "url")
		b2 := frontendtest.JSONObject(t, n.Get("/api/v1/budgets/"+b.ID))
		if b2["total"] != float64(1_000_000) || b2["rule"] != "equalshares" || !strings.HasSuffix(b2["pb_file"].(string), "/budget.pb") {
			t.Errorf("budget JSON: %v", b2)
		}
	})
}

func TestOfficialFollowsAFundedProject(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		b := importEdition(t, n)
		list, err := n.Deps.Projects.Projects(t.Context(), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		var funded, unfunded string
		for _, p := range list {
			if p.Funded && funded == "" {
				funded = p.ID
			} else if !p.Funded && unfunded == "" {
				unfunded = p.ID
			}
		}
		official := n.Session(t, n.Staff[accounts.Official])
		_, resident := n.Resident(t, "camille", true)
		path := "/budgets/projects/" + funded

		// Readers see no form; an official does.
		frontendtest.WantNoBody(t, n.Get(path), `action="`+path+`/milestones"`)
		frontendtest.WantBody(t, n.Request("GET", path, official, nil), `action="`+path+`/milestones"`)

		w := n.Request("POST", path+"/milestones", resident, url.Values{"status": {"works"}, "progress": {"10"}, "text": {"x"}})
		frontendtest.WantStatus(t, w, http.StatusForbidden)

		// Every field at fault at once; nothing stored.
		before := n.Count(t, "budget_milestones")
		w = n.Request("POST", path+"/milestones", official, url.Values{"status": {"built"}, "progress": {"120"}, "text": {" "}, "actual_cost": {"beaucoup"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "Choisissez où en est le projet.", "Un pourcentage entier entre 0 et 100.", "Écrivez ce qui s’est passé.",
			"Un montant entier positif")
		w = n.Request("POST", "/budgets/projects/"+unfunded+"/milestones", official, url.Values{"status": {"works"}, "progress": {"10"}, "text": {"x"}})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		if got := n.Count(t, "budget_milestones"); got != before {
			t.Fatalf("refused milestones stored %d rows", got-before)
		}

		w = n.Request("POST", path+"/milestones", official, url.Values{"status": {"works"}, "progress": {"40"},
			"text": {"Les travaux ont commencé lundi."}, "actual_cost": {"120 000"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		page := n.Get(path)
		frontendtest.WantBody(t, page, "Les travaux ont commencé lundi.", "Travaux", `value="40"`, "120\u202f000\u00a0€")
		frontendtest.WantBody(t, n.Get("/budgets/"+b.ID), "Travaux", `href="/budgets/`+b.ID+`/feed.atom"`,
			"Dépensé 120\u202f000\u00a0€", "<td class=\"num\">120\u202f000\u00a0€</td>") // the chart, and its table

		// The budget's feed carries the step, as a feed reader reads it.
		w = n.Get("/budgets/" + b.ID + "/feed.atom")
		frontendtest.WantStatus(t, w, http.StatusOK)
		var feed web.AtomFeed
		if err := xml.Unmarshal(w.Body.Bytes(), &feed); err != nil {
			t.Fatal(err)
		}
		if len(feed.Entries) != 1 || !strings.Contains(feed.Entries[0].Content.Body, "Les travaux ont commencé lundi.") ||
			!strings.HasSuffix(feed.Entries[0].Links[0].Href, path+"#timeline") || !strings.Contains(feed.Entries[0].Title.Body, "Travaux") {
			t.Errorf("feed: %+v", feed.Entries)
		}
	})
}

func TestOfficialOpensABudget(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		sp := n.Space(t, "budget-2027", 0)
		camille, resident := n.Resident(t, "camille", true)
		idea := n.Propose(t, camille, sp, "Des arbres rue Lecourbe")
		official := n.Session(t, n.Staff[accounts.Official])

		frontendtest.WantNoBody(t, n.Get("/spaces/budget-2027/budgets"), "/budgets/new")
		frontendtest.WantBody(t, n.Request("GET", "/spaces/budget-2027/budgets", official, nil), `href="/spaces/budget-2027/budgets/new"`)
		frontendtest.WantStatus(t, n.Request("GET", "/spaces/budget-2027/budgets/new", resident, nil), http.StatusForbidden)
		frontendtest.WantStatus(t, n.Request("GET", "/spaces/budget-2027/budgets/new", n.Session(t, n.Staff[accounts.Admin]), nil), http.StatusOK)
		frontendtest.WantStatus(t, n.Request("POST", "/spaces/budget-2027/budgets", resident, url.Values{"title": {"x"}}), http.StatusForbidden)

		// Every field at fault at once; nothing created.
		before := n.Count(t, "budgets")
		w := n.Request("POST", "/spaces/budget-2027/budgets", official, url.Values{"title": {""}, "rule": {"borda"},
			"ballot": {"approval"}, "max_choices": {"beaucoup"}, "headings": {"Saint-Lambert ; 1 000 000\nsans montant\nNecker ; -5"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "Donnez un nom.", "Choisissez une des valeurs proposées.", "Un nombre entier entre 0 et 1 000.",
			"Lignes à corriger : 2, 3.")
		w = n.Request("POST", "/spaces/budget-2027/budgets", official, url.Values{"title": {"B"}, "rule": {"greedy"},
			"ballot": {"approval"}, "headings": {"Necker ; 5\nnecker ; 6"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "Deux enveloppes portent le même nom.")
		if got := n.Count(t, "budgets"); got != before {
			t.Fatalf("refused budgets created %d", got-before)
		}

		w = n.Request("POST", "/spaces/budget-2027/budgets", official, url.Values{"title": {"Budget participatif 2027"},
			"rule": {"equalshares"}, "ballot": {"approval"}, "max_choices": {"5"},
			"headings": {"Quartier Saint-Lambert ; 1 000 000\nTout le 15e : 2 500 000 €"}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		budgetPath := w.Header().Get("Location")
		page := n.Request("GET", budgetPath, official, nil)
		frontendtest.WantBody(t, page, "3\u202f500\u202f000\u00a0€", "Choisir au plus 5 projets", `<option value="quartier-saint-lambert"`,
			`<option value="tout-le-15e"`)

		// A project from an idea; refused fields named at once.
		w = n.Request("POST", budgetPath+"/projects", official, url.Values{"heading": {"nord"}, "title": {""}, "cost": {"cher"},
			"ideas": {"/proposals/nope"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "Donnez un nom.", "Un montant entier positif")
		w = n.Request("POST", budgetPath+"/projects", official, url.Values{"heading": {"nord"}, "title": {"Arbres"}, "cost": {"80 000"}})
		frontendtest.WantBody(t, w, "Choisissez une des enveloppes de ce budget.")
		w = n.Request("POST", budgetPath+"/projects", official, url.Values{"heading": {"tout-le-15e"}, "title": {"Arbres"}, "cost": {"80 000"},
			"ideas": {"http://localhost/proposals/nope"}})
		frontendtest.WantBody(t, w, "Une de ces propositions n’existe pas")
		w = n.Request("POST", budgetPath+"/projects", official, url.Values{"heading": {"tout-le-15e"}, "title": {"Planter 40 arbres rue Lecourbe"},
			"cost": {"80 000"}, "ideas": {"http://localhost/proposals/" + idea.ID}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		projectPath := w.Header().Get("Location")
		frontendtest.WantBody(t, n.Get(projectPath), "Planter 40 arbres rue Lecourbe", "80\u202f000\u00a0€",
			`href="/proposals/`+idea.ID+`">Des arbres rue Lecourbe</a>`, "En cours d’étude par les services")
		frontendtest.WantNoBody(t, n.Get(budgetPath), "Non financé") // no result before the count

		// The technical review.
		w = n.Request("POST", projectPath+"/review", official, url.Values{"feasible": {"no"}, "reasons": {""}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "Un projet non réalisable a besoin de l’avis motivé des services.")
		w = n.Request("POST", projectPath+"/review", official, url.Values{"feasible": {"yes"}, "cost": {"95 000"},
			"reasons": {"Chiffré avec la Direction des espaces verts."}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		frontendtest.WantBody(t, n.Get(projectPath), "Réalisable", "95\u202f000\u00a0€", "Chiffré avec la Direction des espaces verts.")
		frontendtest.WantStatus(t, n.Request("POST", projectPath+"/review", resident, url.Values{"feasible": {"yes"}}), http.StatusForbidden)
	})
}

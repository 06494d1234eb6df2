package budgets_test

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
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
		frontendtest.WantStatus(t, n.Get("/budgets/nope"), http.StatusNotFound)

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
		frontendtest.WantBody(t, n.Get("/budgets/"+b.ID), "Travaux")
	})
}

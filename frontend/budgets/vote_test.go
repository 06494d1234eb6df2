package budgets_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"agora/frontend"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/projects"
	"agora/storage/storagetest"
)

// votingNode is a test node with the votes and the vote phase of the
// budgets, and the districts Saint-Lambert and Vaugirard.
func votingNode(t testing.TB, dialect string) *frontendtest.Node {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	n := frontendtest.NewNodeOn(t, db, func(d *frontend.Deps) {
		d.Decisions = decisions.NewService(db, d.Accounts, d.Spaces, d.Now)
		d.Voting = projects.NewVoting(db, d.Projects, d.Decisions, d.Now)
	})
	if err := n.Accounts.SetDistricts(t.Context(), accounts.System, []string{"Saint-Lambert", "Vaugirard"}); err != nil {
		t.Fatal(err)
	}
	return n
}

// votingEdition is a knapsack edition of two envelopes, Saint-Lambert
// (100,000 €: projects 1 at 60,000, 2 at 50,000, 3 at 40,000) and the
// whole city (200,000 €: 4 at 150,000, 5 at 100,000, 6 at 30,000),
// every project reviewed feasible.
func votingEdition(t testing.TB, n *frontendtest.Node) *projects.Budget {
	t.Helper()
	ctx := t.Context()
	sp := n.Space(t, "budget-2027", 0)
	b, err := n.Deps.Projects.CreateBudget(ctx, accounts.System, projects.BudgetInput{SpaceID: sp.ID, Title: "Budget participatif 2027",
		BallotKind: projects.Knapsack, Headings: []projects.HeadingInput{{Name: "Saint-Lambert", Amount: 100_000}, {Name: "Toute la ville", Amount: 200_000}}})
	if err != nil {
		t.Fatal(err)
	}
	titles := []string{"Un jardin partagé", "Des bancs au square", "Une boîte à livres", "Une piste cyclable", "Des fontaines", "Un composteur"}
	for i, c := range []int64{60_000, 50_000, 40_000, 150_000, 100_000, 30_000} {
		h := "saint-lambert"
		if i >= 3 {
			h = "toute-la-ville"
		}
		p, err := n.Deps.Projects.AddProject(ctx, accounts.System, projects.ProjectInput{BudgetID: b.ID, Heading: h, Title: titles[i], Cost: c})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Deps.Projects.SetReview(ctx, accounts.System, p.ID, projects.ReviewInput{Feasible: true, Cost: c}); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

// voter is a verified resident of a district ("" for none) and their session.
func voter(t testing.TB, n *frontendtest.Node, handle, district string) (*accounts.Account, string) {
	t.Helper()
	acc, token := n.Resident(t, handle, false)
	if err := n.Accounts.VerifyByOperator(t.Context(), acc.ID, accounts.Electoral{District: district}); err != nil {
		t.Fatal(err)
	}
	return acc, token
}

func TestEditionVotePages(t *testing.T) {
	frontendtest.OnEachDialect(t, votingNode, func(t *testing.T, n *frontendtest.Node) {
		b := votingEdition(t, n)
		page := "/budgets/" + b.ID
		official := n.Session(t, n.Staff[accounts.Official])
		annAcc, ann := voter(t, n, "ann", "Saint-Lambert")
		_, bob := voter(t, n, "bob", "Vaugirard")
		start := n.Clock.Now()
		at := func(d time.Duration) string { return start.Add(d).UTC().Format("2006-01-02T15:04") }
		counts := func() [3]int {
			return [3]int{n.Count(t, "budget_votes"), n.Count(t, "decision_votes"), n.Count(t, "decision_ballots")}
		}

		list, err := n.Deps.Projects.Projects(t.Context(), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		review := `action="/budgets/projects/` + list[0].ID + `/review"` // the technical review, until the vote opens
		frontendtest.WantBody(t, n.Request("GET", "/budgets/projects/"+list[0].ID, official, nil), review)
		frontendtest.WantBody(t, n.Request("GET", page, official, nil), `href="`+page+`/vote/new"`, "Ouvrir le vote")
		frontendtest.WantStatus(t, n.Request("GET", page+"/vote/new", official, nil), http.StatusOK)

		// Refused openings change nothing.
		before := counts()
		w := n.Request("POST", page+"/vote", ann, url.Values{"opens_at": {at(24 * time.Hour)}, "closes_at": {at(240 * time.Hour)}})
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		w = n.Request("POST", page+"/vote", official, url.Values{"opens_at": {at(240 * time.Hour)}, "closes_at": {at(24 * time.Hour)}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "La clôture doit venir après l’ouverture.")
		w = n.Request("POST", page+"/vote", official, url.Values{"opens_at": {"demain"}, "closes_at": {at(24 * time.Hour)}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "Une date et une heure")
		if got := counts(); got != before {
			t.Fatalf("refused openings stored: %v -> %v", before, got)
		}

		w = n.Request("POST", page+"/vote", official, url.Values{"opens_at": {at(24 * time.Hour)}, "closes_at": {at(240 * time.Hour)}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		frontendtest.WantStatus(t, n.Request("POST", page+"/vote", official, url.Values{"opens_at": {at(24 * time.Hour)}, "closes_at": {at(240 * time.Hour)}}),
			http.StatusConflict)
		w = n.Request("POST", page+"/projects", official, url.Values{"heading": {"saint-lambert"}, "title": {"Tard"}, "cost": {"1000"}})
		frontendtest.WantStatus(t, w, http.StatusConflict)
		frontendtest.WantBody(t, w, "Le vote est ouvert")
		frontendtest.WantNoBody(t, n.Request("GET", "/budgets/projects/"+list[0].ID, official, nil), review)

		ballot := page + "/ballots/saint-lambert"
		frontendtest.WantBody(t, n.Get(page), "Le vote ouvrira le", `href="`+ballot+`"`, "habitants du quartier Saint-Lambert")
		// Before opening: the projects are shown, the vote is refused.
		frontendtest.WantBody(t, n.Request("GET", ballot, ann, nil), "Le vote n’est pas ouvert", "Un jardin partagé")
		before = counts()
		frontendtest.WantStatus(t, n.Request("POST", ballot, ann, url.Values{"project": {"3"}, "action": {"cast"}}), http.StatusConflict)

		n.Clock.Set(start.Add(48 * time.Hour))
		// The running total, without a script; over the envelope is said.
		w = n.Request("POST", ballot, ann, url.Values{"project": {"1", "3"}, "action": {"total"}})
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, "Projets cochés : 2, pour un total de 100\u202f000\u00a0€.", "Il reste 0\u00a0€ sur l’enveloppe de 100\u202f000\u00a0€.",
			`value="1" data-cost="60000" checked`, `value="3" data-cost="40000" checked`)
		w = n.Request("POST", ballot, ann, url.Values{"project": {"1", "2"}, "action": {"total"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "Les projets cochés coûtent 110\u202f000\u00a0€ : 10\u202f000\u00a0€ de plus que l’enveloppe de 100\u202f000\u00a0€.",
			`aria-describedby="ballot-error"`)
		w = n.Request("POST", ballot, ann, url.Values{"project": {"1", "2"}, "action": {"cast"}})
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		w = n.Request("POST", ballot, bob, url.Values{"project": {"3"}, "action": {"cast"}})
		frontendtest.WantStatus(t, w, http.StatusForbidden)
		frontendtest.WantBody(t, w, "habitants d’un autre quartier")
		frontendtest.WantStatus(t, n.Request("POST", ballot, ann, url.Values{"action": {"cast"}}), http.StatusBadRequest)
		frontendtest.WantStatus(t, n.Request("POST", page+"/ballots/nowhere", ann, url.Values{"project": {"3"}}), http.StatusNotFound)
		if got := counts(); got != before {
			t.Fatalf("refused ballots stored: %v -> %v", before, got)
		}

		w = n.Request("POST", ballot, ann, url.Values{"project": {"1", "3"}, "action": {"cast"}})
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `id="receipt">`)
		frontendtest.WantNoBody(t, w, "Un jardin partagé") // the receipt does not repeat the ballot
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("receipt cached: %q", w.Header().Get("Cache-Control"))
		}
		for _, v := range []struct {
			token string
			keys  []string
		}{{ann, []string{"4", "6"}}, {bob, []string{"5", "6"}}} {
			frontendtest.WantStatus(t, n.Request("POST", page+"/ballots/toute-la-ville", v.token, url.Values{"project": v.keys, "action": {"cast"}}), http.StatusOK)
		}
		// Agents get the votes' desk page.
		agent := n.Session(t, n.Staff[accounts.Agent])
		frontendtest.WantBody(t, n.Request("GET", page, agent, nil), "/desk\"", "Saisir un vote au guichet")

		official = n.Session(t, n.Staff[accounts.Official]) // staff sessions are short
		frontendtest.WantStatus(t, n.Request("POST", page+"/count", official, nil), http.StatusConflict)
		n.Clock.Set(start.Add(241 * time.Hour))
		official, ann = n.Session(t, n.Staff[accounts.Official]), n.Session(t, annAcc)
		frontendtest.WantStatus(t, n.Request("POST", ballot, ann, url.Values{"project": {"3"}, "action": {"cast"}}), http.StatusConflict)
		frontendtest.WantStatus(t, n.Request("POST", page+"/count", ann, nil), http.StatusForbidden)
		frontendtest.WantBody(t, n.Request("GET", page, official, nil), "Dépouiller et publier le résultat")
		frontendtest.WantStatus(t, n.Request("POST", page+"/count", official, nil), http.StatusSeeOther)
		frontendtest.WantStatus(t, n.Request("POST", page+"/count", official, nil), http.StatusConflict)

		// The node's own count, shown as imported results are; turnout by channel.
		w = n.Get(page)
		frontendtest.WantBody(t, w, "Le résultat ci-dessous vient du dépouillement", "Participation par enveloppe et par moyen de vote",
			"Financé (les projets les plus votés d’abord)", "Un composteur")
		frontendtest.WantBody(t, n.Get(page, "Accept-Language", "en"), "Turnout by envelope and by way of voting", "Electorate at closing")
		list, err = n.Deps.Projects.Projects(t.Context(), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		funded := map[string]bool{}
		for _, p := range list {
			funded[p.Ref] = p.Funded
		}
		// Saint-Lambert: 1 and 3 (one vote each, 100,000). City: 6 (two
		// votes), then 5 (one vote, cheaper than 4); 4 no longer fits.
		if !funded["1"] || !funded["3"] || funded["2"] || !funded["6"] || funded["4"] || !funded["5"] {
			t.Errorf("funded %v", funded)
		}
	})
}

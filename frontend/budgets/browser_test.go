package budgets_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"agora/frontend/browsertest"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/projects"
)

// The budget pages as an official meets them, with their forms and
// their errors, pass axe-core in both languages; a milestone typed in
// the browser shows on the project's timeline.
func TestBudgetPagesInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	b := importEdition(t, n)
	list, err := n.Deps.Projects.Projects(t.Context(), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	funded := ""
	for _, p := range list {
		if p.Funded {
			funded = p.ID
			break
		}
	}
	// An edition still open, with the forms officials use before the vote.
	sp := n.Space(t, "budget-2027", 0)
	open, err := n.Deps.Projects.CreateBudget(t.Context(), accounts.System, projects.BudgetInput{SpaceID: sp.ID, Title: "Budget 2027",
		Headings: []projects.HeadingInput{{Name: "Tout le 15e", Amount: 2_000_000}}})
	if err != nil {
		t.Fatal(err)
	}
	studied, err := n.Deps.Projects.AddProject(t.Context(), accounts.System, projects.ProjectInput{BudgetID: open.ID, Heading: "tout-le-15e",
		Title: "Un jardin partagé", Cost: 30_000})
	if err != nil {
		t.Fatal(err)
	}
	// A thread on the funded project, with a reply, checked with the page.
	_, camille := n.Resident(t, "camille", false)
	first := n.Comment(t, camille, debates.Target{Kind: debates.TargetBudgetProject, ID: funded}, "Vivement la piste !", "")
	if w := n.Request("POST", "/comments/"+first+"/reply", camille, url.Values{"comment": {"Et des arceaux ?"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("reply: %d", w.Code)
	}
	base := browsertest.Serve(t, n.H)
	br := n.BrowserAs(t, base, n.Staff[accounts.Official])
	for _, path := range []string{"/budgets/" + open.ID, "/budgets/projects/" + studied.ID, "/spaces/budget-2025/budgets?lang=fr", "/budgets/" + b.ID, "/budgets/projects/" + funded,
		"/spaces/budget-2025/budgets/new", "/budgets/" + b.ID + "?lang=en", "/budgets/projects/" + funded + "?lang=en"} {
		br.Open(base + path)
		br.AssertAccessible()
	}

	br.Open(base + "/spaces/budget-2025/budgets/new?lang=fr")
	br.NoValidate()
	br.SubmitWant(`form[action="/spaces/budget-2025/budgets"] button`, http.StatusBadRequest)
	br.AssertAccessible()

	br.Open(base + "/budgets/projects/" + studied.ID)
	br.NoValidate()
	br.Select("#f-feasible", "no")
	br.SubmitWant(`form[action$="/review"] button`, http.StatusBadRequest)
	br.AssertAccessible()

	br.Open(base + "/budgets/projects/" + funded)
	br.Select("#f-status", "works")
	br.Fill("#f-progress", "35")
	br.Fill("#f-text", "Les travaux ont commencé.")
	br.Fill("#f-actual_cost", "120 000")
	if got := br.Submit(`form[action$="/milestones"] button`); got != http.StatusOK {
		t.Fatalf("milestone: status %d", got)
	}
	if text := br.Text("#timeline + p"); !strings.Contains(text, "35 %") {
		t.Errorf("after the milestone: %q", text)
	}
	br.AssertAccessible()

	// Following the project is a plain form: it comes back to the page.
	if got := br.Submit(`form[action="/follow"] button`); got != http.StatusOK {
		t.Fatalf("follow: status %d", got)
	}
	if text := br.Text("#follow"); !strings.Contains(text, "Vous suivez maintenant cette page.") || !strings.Contains(text, "Ne plus suivre") {
		t.Errorf("after following: %q", text)
	}
	br.AssertAccessible()
}

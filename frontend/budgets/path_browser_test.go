package budgets_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"agora/frontend/browsertest"
	"agora/instances/accounts"
	"agora/instances/projects"
	"agora/storage/storagetest"
)

// The whole path of an idea in a browser, every page axe-clean in French
// and English: a resident proposes an idea in the budget space; an
// official makes a project of it, reviews it feasible and opens the
// vote; the resident votes; the official counts; the result shows it
// funded; the official publishes a step, and the project's page shows
// the step and the idea it came from. The node's clock moves, so nothing
// waits.
func TestIdeaToFundedProjectInBrowser(t *testing.T) {
	t.Parallel()
	storagetest.ForEachDialect(t, ideaToFundedProject)
}

func ideaToFundedProject(t *testing.T, dialect string) {
	n := votingNode(t, dialect)
	ctx := t.Context()
	sp := n.Space(t, "budget-2027", 0)
	b, err := n.Deps.Projects.CreateBudget(ctx, accounts.System, projects.BudgetInput{SpaceID: sp.ID, Title: "Budget participatif 2027",
		BallotKind: projects.Knapsack, Headings: []projects.HeadingInput{{Name: "Toute la ville", Amount: 100_000}}})
	if err != nil {
		t.Fatal(err)
	}
	// Another project already reviewed, so the envelope has two.
	other, err := n.Deps.Projects.AddProject(ctx, accounts.System, projects.ProjectInput{BudgetID: b.ID, Heading: "toute-la-ville",
		Title: "Des bancs au square", Cost: 80_000})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Deps.Projects.SetReview(ctx, accounts.System, other.ID, projects.ReviewInput{Feasible: true, Cost: 80_000}); err != nil {
		t.Fatal(err)
	}
	annAcc, _ := voter(t, n, "ann", "")
	base := browsertest.Serve(t, n.H)
	both := func(br *browsertest.Browser, path string) {
		t.Helper()
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		for _, lang := range []string{"en", "fr"} {
			br.Open(base + path + sep + "lang=" + lang)
			br.AssertAccessible()
		}
	}

	// 1. The idea.
	ann := n.BrowserAs(t, base, annAcc)
	both(ann, "/spaces/budget-2027/proposals/new")
	ann.Fill("#f-title", "Un jardin partagé rue Violet")
	ann.Fill("#f-body", "Des bacs de terre pour cultiver ensemble, au pied des immeubles.")
	ann.Select("#f-category", "nature")
	ann.SubmitWant(`#proposal-form button[type=submit]`, http.StatusOK)
	idea := ann.Eval(`location.pathname`)
	if !strings.HasPrefix(idea, "/proposals/") {
		t.Fatalf("after proposing: at %q", idea)
	}
	both(ann, idea)

	// 2. An official makes a project of it, 3. reviews it.
	off := n.BrowserAs(t, base, n.Staff[accounts.Official])
	both(off, "/budgets/"+b.ID)
	off.Select("#f-heading", "toute-la-ville")
	off.Fill("#f-title", "Un jardin partagé")
	off.Fill("#f-cost", "25 000")
	off.Fill("#f-ideas", base+idea)
	off.SubmitWant(`form[action$="/projects"] button`, http.StatusOK)
	project := off.Eval(`location.pathname`)
	if !strings.HasPrefix(project, "/budgets/projects/") {
		t.Fatalf("after adding the project: at %q", project)
	}
	both(off, project)
	off.Select("#f-feasible", "yes")
	off.Fill("#f-cost", "30 000")
	off.Fill("#f-reasons", "Faisable : la voirie a validé l’emplacement.")
	off.SubmitWant(`form[action$="/review"] button`, http.StatusOK)

	// 4. The vote opens (from tomorrow, for three weeks).
	both(off, "/budgets/"+b.ID+"/vote/new")
	off.SubmitWant(`form[action$="/vote"] button`, http.StatusOK)
	n.Clock.Advance(48 * time.Hour)

	// 5. The resident votes for the idea's project (reference 2).
	both(ann, "/budgets/"+b.ID+"/ballots/toute-la-ville")
	ann.Click("#p-2")
	ann.SubmitWant(`button[value=cast]`, http.StatusOK)
	if !strings.Contains(ann.Text("#receipt"), "-") {
		t.Errorf("no receipt: %q", ann.Text("#receipt"))
	}
	ann.AssertAccessible()

	// 6. The count, 7. the result.
	n.Clock.Advance(22 * 24 * time.Hour)
	off = n.BrowserAs(t, base, n.Staff[accounts.Official]) // a new session: the last one expired meanwhile
	off.Open(base + "/budgets/" + b.ID)
	off.SubmitWant(`form[action$="/count"] button`, http.StatusOK)
	both(off, "/budgets/"+b.ID)
	list, err := n.Deps.Projects.Projects(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if want := p.Ref == "2"; p.Funded != want || (want && p.Votes != 1) {
			t.Errorf("after the count: project %s %q funded %v with %d votes", p.Ref, p.Title, p.Funded, p.Votes)
		}
	}

	// 8. A step of the follow-up, 9. on the project's page, with its idea.
	off.Open(base + project + "?lang=fr")
	off.Select("#f-status", "study")
	off.Fill("#f-progress", "10")
	off.Fill("#f-text", "Les jardiniers de la ville ont choisi les bacs.")
	off.SubmitWant(`form[action$="/milestones"] button`, http.StatusOK)
	ann = n.BrowserAs(t, base, annAcc)
	both(ann, project)
	page := ann.Text("main")
	for _, want := range []string{"Les jardiniers de la ville ont choisi les bacs.", "10 %", "Un jardin partagé rue Violet"} {
		if !strings.Contains(page, want) {
			t.Errorf("the project's page lacks %q:\n%s", want, page)
		}
	}
}

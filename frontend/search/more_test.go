package search_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"agora/frontend/browsertest"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/instances/projects"
	"agora/instances/reports"
)

// more fills n with one thing of each kind added by issue 18, each
// holding "vélo", and a private profile that holds it too.
type more struct{ project, report, app string }

func fillMore(t testing.TB, n *frontendtest.Node) more {
	t.Helper()
	ctx := t.Context()
	admin := accounts.As(n.Staff[accounts.Admin])
	public := n.Account(t, "helene")
	if err := n.Accounts.UpdateProfile(ctx, accounts.As(public), public.ID, accounts.Profile{DisplayName: "Hélène Vélo", Language: "fr", Public: true}); err != nil {
		t.Fatal(err)
	}
	private := n.Account(t, "veronique")
	if err := n.Accounts.UpdateProfile(ctx, accounts.As(private), private.ID, accounts.Profile{DisplayName: "Véronique Vélo", Language: "fr"}); err != nil {
		t.Fatal(err)
	}
	sp := n.Space(t, "budget", 0)
	b, err := n.Deps.Projects.CreateBudget(ctx, admin, projects.BudgetInput{SpaceID: sp.ID, Title: "Budget 2027",
		Headings: []projects.HeadingInput{{Slug: "centre", Name: "Centre", Amount: 100_000}}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := n.Deps.Projects.AddProject(ctx, admin, projects.ProjectInput{BudgetID: b.ID, Heading: "centre", Title: "Abri à vélos", Cost: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Reports.SaveCategory(ctx, admin, reports.Category{Slug: "voirie", NameFR: "Voirie", NameEN: "Roads", Service: "Voirie"}); err != nil {
		t.Fatal(err)
	}
	r, err := n.Reports.Create(ctx, accounts.As(private), reports.Input{Category: "voirie", Address: "12 rue Oberkampf",
		Description: "Une voiture sur la piste à vélo.", NamePublic: true})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../instances/apps/testdata/minimal.yml")
	if err != nil {
		t.Fatal(err)
	}
	ap := apps.NewService(n.DB, n.Deps.Blobs, n.Clock.Now, apps.Options{MaxArtifactSize: 1 << 16, MaxImageSize: 1 << 16})
	a, fes, err := ap.Publish(ctx, admin, strings.NewReader(strings.Replace(string(doc), "name: Agora", "name: Vélo Partagé", 1)))
	if err != nil {
		t.Fatalf("publish: %v %v", err, fes)
	}
	return more{project: p.ID, report: r.ID, app: a.Slug}
}

// TestSearchMorePage: the page and the JSON API find a budget project, a
// street report, an app and a public profile by "velo", each linking to
// its page, under its own heading; a kind narrows to it; a private
// profile and the reporter's name are never shown.
func TestSearchMorePage(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		m := fillMore(t, n)
		w := n.Get("/search?lang=fr&q=velo")
		frontendtest.WantStatus(t, w, http.StatusOK)
		frontendtest.WantBody(t, w, `href="/budgets/projects/`+m.project+`"`, `href="/reports/`+m.report+`"`, `href="/apps/`+m.app+`"`,
			`href="/people/helene"`, "<h2>Projets du budget participatif</h2>", "<h2>Signalements dans la rue</h2>",
			"<h2>Applications du catalogue</h2>", "<h2>Personnes</h2>", `<option value="report"`)
		frontendtest.WantNoBody(t, w, "veronique", "Véronique")
		w = n.Get("/search?lang=en&kind=report&q=velo")
		frontendtest.WantBody(t, w, `href="/reports/`+m.report+`"`, "<h2>Street reports</h2>")
		frontendtest.WantNoBody(t, w, `href="/apps/`, `href="/people/`)

		w = n.Get("/api/v1/search?q=V%C3%89LO")
		frontendtest.WantStatus(t, w, http.StatusOK)
		var r struct {
			Results map[string]struct {
				Items []struct{ Kind, ID, Title, URL string }
			}
		}
		if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		for kind, path := range map[string]string{"project": "/budgets/projects/" + m.project, "report": "/reports/" + m.report,
			"app": "/apps/" + m.app, "profile": "/people/helene"} {
			items := r.Results[kind].Items
			if len(items) != 1 || items[0].Kind != kind || !strings.HasSuffix(items[0].URL, path) {
				t.Errorf("%s: %+v, want one linking to %s", kind, items, path)
			}
		}
		if strings.Contains(w.Body.String(), "veronique") || strings.Contains(w.Body.String(), "Véronique") {
			t.Errorf("the API shows a private profile or a reporter:\n%s", w.Body)
		}
	})
}

// TestSearchMoreInBrowser: the page with the new kinds passes axe-core.
func TestSearchMoreInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	fillMore(t, n)
	base := browsertest.Serve(t, n.H)
	b := browsertest.New(t)
	for _, path := range []string{"/search?q=velo&lang=fr", "/search?q=velo&kind=profile&lang=en"} {
		b.Navigate(base + path)
		b.AssertAccessible()
	}
}

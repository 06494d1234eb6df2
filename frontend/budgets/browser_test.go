package budgets_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/prometheus/client_golang/prometheus"

	"agora/frontend"
	"agora/frontend/browsertest"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/geo"
	"agora/instances/projects"
)

// withPlaceAndPhotos places a funded project and gives it a photo, and
// one on a step of its follow-up.
func withPlaceAndPhotos(t *testing.T, n *frontendtest.Node, id string) {
	t.Helper()
	ctx := t.Context()
	if err := n.Deps.Projects.SetPlace(ctx, accounts.System, id, projects.PlaceInput{Address: "Square Saint-Lambert",
		Point: &geo.Point{Lat: 48.8413, Lon: 2.2987}}); err != nil {
		t.Fatal(err)
	}
	step, err := n.Deps.Projects.AddMilestone(ctx, accounts.System, id, projects.MilestoneInput{Status: projects.Works, Progress: 20, Text: "Le chantier commence."})
	if err != nil {
		t.Fatal(err)
	}
	for _, ph := range []projects.PhotoInput{{Alt: "Le square avant les travaux"}, {Alt: "Les engins sur le chantier", MilestoneID: step.ID}} {
		ph.ContentType, ph.File = "image/jpeg", bytes.NewReader(frontendtest.JPEG(t, 60, 40, 1))
		if _, err := n.Deps.Projects.AddPhoto(ctx, accounts.System, id, ph); err != nil {
			t.Fatal(err)
		}
	}
}

// With tiles and JavaScript, the edition's map draws its placed projects
// coloured by status, beside a legend in words, and a project's place
// form fills its fields where one clicks; both pass axe-core in French
// and English. Without JavaScript the map stays hidden and the list by
// status does the job.
func TestEditionMapInBrowser(t *testing.T) {
	t.Parallel()
	n := frontendtest.NewNode(t, "sqlite")
	b := importEdition(t, n)
	list, err := n.Deps.Projects.Projects(t.Context(), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	placed := 0
	for i, p := range list {
		if !p.Funded {
			continue
		}
		at := geo.Point{Lat: 48.84 + float64(i)/1000, Lon: 2.30}
		if err := n.Deps.Projects.SetPlace(t.Context(), accounts.System, p.ID, projects.PlaceInput{Point: &at}); err != nil {
			t.Fatal(err)
		}
		placed++
	}
	sp := n.Space(t, "budget-2027", 0)
	open, err := n.Deps.Projects.CreateBudget(t.Context(), accounts.System, projects.BudgetInput{SpaceID: sp.ID, Title: "Budget 2027",
		Headings: []projects.HeadingInput{{Name: "Tout le 15e", Amount: 2_000_000}}})
	if err != nil {
		t.Fatal(err)
	}
	deps := n.Deps
	deps.Registry = prometheus.NewRegistry()
	h, err := frontend.New(frontend.Config{NodeName: "Paris 15e", BaseURL: frontendtest.MustURL(t, "http://localhost"),
		MapTiles: frontendtest.TileServer(t)}, deps)
	if err != nil {
		t.Fatal(err)
	}
	base := browsertest.Serve(t, h)
	mapPath := base + "/budgets/" + b.ID + "/map?lang="

	t.Run("javascript", func(t *testing.T) {
		br := n.BrowserAs(t, base, n.Staff[accounts.Official])
		for _, lang := range []string{"fr", "en"} {
			br.Open(mapPath + lang)
			if got := waitFor(br, `document.querySelector("#projects-map").dataset.loaded || ""`); got != strconv.Itoa(placed) {
				t.Errorf("%s: %q points drawn, want %d", lang, got, placed)
			}
			if legend := br.Text(".legend"); !strings.Contains(legend, map[string]string{"fr": "Travaux", "en": "Works"}[lang]) {
				t.Errorf("%s: legend %q", lang, legend)
			}
			br.AssertAccessible()
			for _, page := range []string{"/budgets/projects/" + list[0].ID, "/budgets/" + open.ID} {
				br.Open(base + page + "?lang=" + lang)
				br.Click("#picker-map")
				if lat := br.Eval(`document.querySelector("#f-lat").value`); !strings.HasPrefix(lat, "48.8") {
					t.Errorf("%s %s: the picker set latitude %q", lang, page, lat)
				}
				br.AssertAccessible()
			}
		}
	})
	t.Run("no javascript", func(t *testing.T) {
		br := browsertest.New(t, browsertest.Timeout(2*time.Minute))
		br.Do("turn JavaScript off", func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		})
		br.Open(mapPath + "fr")
		if got := br.Eval(`String(document.querySelector("#projects-map").hidden) + " " + document.querySelectorAll(".leaflet-container").length`); got != "true 0" {
			t.Errorf("without JavaScript the map is %q, want hidden and not drawn", got)
		}
		if got := br.Eval(`String(document.querySelectorAll(".projects-by-status li").length)`); got != strconv.Itoa(placed) {
			t.Errorf("without JavaScript the list holds %s projects, want %d", got, placed)
		}
		// (axe-core needs JavaScript: the same page without tiles is
		// checked in TestBudgetPagesInBrowser.)
	})
}

// waitFor evaluates js until it answers something, for up to 10 s.
func waitFor(b *browsertest.Browser, js string) string {
	for range 100 {
		if v := b.Eval(js); v != "" {
			return v
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ""
}

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
	// The funded project has a place and photos, of its own and of a step.
	withPlaceAndPhotos(t, n, funded)
	// A thread on the funded project, with a reply, checked with the page.
	_, camille := n.Resident(t, "camille", false)
	first := n.Comment(t, camille, debates.Target{Kind: debates.TargetBudgetProject, ID: funded}, "Vivement la piste !", "")
	if w := n.Request("POST", "/comments/"+first+"/reply", camille, url.Values{"comment": {"Et des arceaux ?"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("reply: %d", w.Code)
	}
	base := browsertest.Serve(t, n.H)
	br := n.BrowserAs(t, base, n.Staff[accounts.Official])
	for _, path := range []string{"/budgets/" + open.ID, "/budgets/projects/" + studied.ID, "/spaces/budget-2025/budgets?lang=fr", "/budgets/" + b.ID, "/budgets/projects/" + funded,
		"/spaces/budget-2025/budgets/new", "/budgets/" + b.ID + "?lang=en", "/budgets/projects/" + funded + "?lang=en",
		"/budgets/" + b.ID + "/map?lang=fr", "/budgets/" + b.ID + "/map?lang=en&lat=48.84&lon=2.3", "/budgets/" + open.ID + "/map?lang=fr"} {
		br.Open(base + path)
		br.AssertAccessible()
	}
	// The photos as a reader sees them, with their alt text, in both
	// languages.
	reader := browsertest.New(t, browsertest.Timeout(2*time.Minute))
	for _, lang := range []string{"fr", "en"} {
		reader.Open(base + "/budgets/projects/" + funded + "?lang=" + lang)
		if got := reader.Eval(`Array.from(document.querySelectorAll("#photos ~ ul img, .timeline img")).map(i => i.alt + ":" + i.getAttribute("src").replace(/.*\//, "")).join("|")`); got != "Le square avant les travaux:1|Les engins sur le chantier:2" {
			t.Errorf("%s: photos shown %q", lang, got)
		}
		reader.AssertAccessible()
	}

	// A photo without its alt text or its file: refused next to the
	// fields, the page still accessible.
	br.Open(base + "/budgets/projects/" + funded + "?lang=en")
	br.NoValidate()
	br.SubmitWant(`form[action$="/photos"] button`, http.StatusBadRequest)
	if text := br.Text("#f-alt-error"); !strings.Contains(text, "Describe what the photo shows") {
		t.Errorf("photo without alt text: %q", text)
	}
	br.AssertAccessible()
	br.Open(base + "/budgets/projects/" + funded + "?lang=fr")
	br.NoValidate()
	br.Fill("#f-lat", "123")
	br.SubmitWant(`form[action$="/place"] button`, http.StatusBadRequest)
	br.AssertAccessible()

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

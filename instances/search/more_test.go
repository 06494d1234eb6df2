package search_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/instances/instancestest"
	"agora/instances/projects"
	"agora/instances/reports"
	"agora/instances/search"
	"agora/storage/storagetest"
)

// TestSearchMore: budget projects, street reports, apps and public
// profiles are found by their words whatever the accents ("velo" finds
// "vélo"); a removed app, a private profile and an account being deleted
// never are, nor a street report by its reporter's name even when they
// chose to show it; an edited project is found by its new words only; a
// search in a space finds only the kinds that belong to one.
func TestSearchMore(t *testing.T) {
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		ctx := t.Context()
		db := storagetest.MigratedDB(t, dialect)
		c := storagetest.NewClock(instancestest.Start)
		acc := accounts.NewService(db, c.Now)
		blobs := storagetest.NewBlobStore(t, "local")
		svc := search.NewService(db)
		admin := accounts.As(instancestest.Account(t, acc, "admin_1", accounts.Admin))
		person := func(handle, name string, public bool) *accounts.Account {
			t.Helper()
			a := instancestest.Account(t, acc, handle)
			if err := acc.UpdateProfile(ctx, accounts.As(a), a.ID, accounts.Profile{DisplayName: name, Language: "fr", Public: public}); err != nil {
				t.Fatal(err)
			}
			c.Advance(1e9)
			return a
		}

		// Profiles.
		person("helene", "Hélène Vélo", true)
		person("veronique", "Véronique Vélo", false)
		leaving := person("valerie", "Valérie Vélo", true)
		if _, err := acc.RequestDeletion(ctx, accounts.As(leaving), leaving.ID); err != nil {
			t.Fatal(err)
		}
		person("velocipede", "Jean Dupont", true) // found by handle

		// Budget projects, one in another space.
		pr := projects.NewService(db, blobs, c.Now)
		budget := func(slug string) string {
			t.Helper()
			b, err := pr.CreateBudget(ctx, admin, projects.BudgetInput{SpaceID: instancestest.Space(t, db, c.Now(), slug), Title: "Budget " + slug,
				Headings: []projects.HeadingInput{{Slug: "centre", Name: "Centre", Amount: 100_000}}})
			if err != nil {
				t.Fatal(err)
			}
			return b.ID
		}
		nord, sud := budget("nord"), budget("sud")
		project := func(budgetID, title, desc string) *projects.Project {
			t.Helper()
			c.Advance(1e9)
			p, err := pr.AddProject(ctx, admin, projects.ProjectInput{BudgetID: budgetID, Heading: "centre", Title: title, Description: desc, Cost: 1000})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		project(nord, "Abri à VÉLOS", "Devant l’école.")
		project(sud, "Arceaux", "Pour garer son vélo au marché.")
		edited := project(nord, "Bancs", "Des vélos partout.")
		// The service has no edit yet; the row changes as one would (the
		// index follows it by trigger or generated column).
		if _, err := db.NewUpdate().Table("budget_projects").Set("description = ?", "Des bancs à l’ombre.").
			Where("id = ?", edited.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}

		// Street reports: the reporter shows her name, which is not searched.
		rp := reports.NewService(db, c.Now)
		if err := rp.SaveCategory(ctx, admin, reports.Category{Slug: "voirie", NameFR: "Voirie", NameEN: "Roads", Service: "Voirie"}); err != nil {
			t.Fatal(err)
		}
		berenice := person("berenice", "Bérénice Cyclette", false)
		c.Advance(1e9)
		if _, err := rp.Create(ctx, accounts.As(berenice), reports.Input{Category: "voirie", Address: "12 rue Oberkampf",
			Description: "Une voiture garée sur la piste à vélo.", NamePublic: true}); err != nil {
			t.Fatal(err)
		}

		// Apps: one removed.
		ap := apps.NewService(db, blobs, c.Now, apps.Options{MaxArtifactSize: 1 << 16, MaxImageSize: 1 << 16})
		minimal, err := os.ReadFile("../apps/testdata/minimal.yml")
		if err != nil {
			t.Fatal(err)
		}
		app := func(name, repo string) *apps.App {
			t.Helper()
			c.Advance(1e9)
			doc := strings.Replace(strings.Replace(string(minimal), "name: Agora", "name: "+name, 1),
				"https://git.example.org/agora/agora.git", "https://git.example.org/"+repo+".git", 1)
			a, fes, err := ap.Publish(ctx, admin, strings.NewReader(doc))
			if err != nil {
				t.Fatalf("publish %s: %v %v", name, err, fes)
			}
			return a
		}
		app("Vélo Partagé", "velo")
		gone := app("Vélo Disparu", "disparu")
		if err := ap.Delete(ctx, admin, gone.Slug); err != nil {
			t.Fatal(err)
		}

		res, err := svc.Search(ctx, search.Query{Text: "velo"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[search.Kind][]string{
			search.Project: {"Abri à VÉLOS", "Arceaux"}, // the word in the title first, though older
			search.Report:  {"Une voiture garée sur la piste à vélo."},
			search.App:     {"Vélo Partagé"},
			search.Profile: {"Hélène Vélo", "Jean Dupont"}, // the word in the name first, though older
		}
		for k, w := range want {
			if got := ids(res.Hits[k]); !slices.Equal(got, w) {
				t.Errorf("velo, %s: found %q, want %q", k, got, w)
			}
		}
		if h := res.Hits[search.Profile]; len(h) == 2 && h[0].ID != "helene" {
			t.Errorf("a profile's id is its handle: %+v", h[0])
		}
		// The reporter's name finds neither her report nor her private profile.
		res, err = svc.Search(ctx, search.Query{Text: "Bérénice cyclette"})
		if err != nil || len(res.Hits) != 0 {
			t.Errorf("reporter's name found %+v, %v", res.Hits, err)
		}
		// A kind narrows; a space keeps only what belongs to one.
		res, err = svc.Search(ctx, search.Query{Text: "velo", Kind: search.App})
		if err != nil || len(res.Hits) != 1 || len(res.Hits[search.App]) != 1 {
			t.Errorf("velo in apps = %+v, %v", res.Hits, err)
		}
		res, err = svc.Search(ctx, search.Query{Text: "velo", Space: "sud"})
		if err != nil || len(res.Hits) != 1 || !slices.Equal(ids(res.Hits[search.Project]), []string{"Arceaux"}) {
			t.Errorf("velo in sud = %+v, %v", res.Hits, err)
		}
		for _, k := range []string{"project", "report", "app", "profile"} {
			if _, err := search.ParseKind(k); err != nil {
				t.Errorf("ParseKind(%q) = %v", k, err)
			}
		}
	})
}

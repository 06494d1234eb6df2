package federation

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"agora/federation/as2"
	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/projects"
)

// Once an edition's result is out, each of its projects reaches those who
// follow the budget space as a Page of the Group, with its cost, votes
// and whether it is funded; each step of its follow-up sends an Update
// with the new status and progress. The Page is served at the project's
// URL to ActivityStreams clients; a project of an edition not decided
// yet is not.
func TestOutboundBudgetProject(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		n.followGroup(t, r)
		group := n.groupIRI()

		file := "META\nkey;value\nnum_projects;2\nnum_votes;3\nbudget;100000\nvote_type;approval\n" +
			"PROJECTS\nproject_id;cost;name\nP1;60000;Un potager <b>partagé</b>\nP2;70000;Des bancs\n" +
			"VOTES\nvoter_id;vote\n1;P1\n2;P1,P2\n3;P1\n"
		b, err := n.projects.Import(n.ctx, accounts.System, n.space.ID, strings.NewReader(file), budgets.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		list, err := n.projects.Projects(n.ctx, b.ID)
		if err != nil || len(list) != 2 || !list[0].Funded || list[1].Funded {
			t.Fatalf("imported: %+v %v", list, err)
		}
		funded, other := n.base+"/budgets/projects/"+list[0].ID, n.base+"/budgets/projects/"+list[1].ID
		for _, page := range []string{funded, other} {
			d := r.waitMatch(t, "Announce/Create/Page", func(d *delivery) bool { return nested(d.doc["object"].(map[string]any)) == page })
			if signer := n.verify(t, d); signer != group {
				t.Errorf("project announced by %s, want the Group", signer)
			}
			r.waitMatch(t, "Announce/Page", func(d *delivery) bool { return nested(d.doc) == page })
		}
		d := r.waitMatch(t, "Announce/Page", func(d *delivery) bool { return nested(d.doc) == funded })
		o := d.doc["object"].(map[string]any)
		if o["attributedTo"] != group || o[as2.TermCost] != 60000.0 || o[as2.TermFunded] != true || o[as2.TermVotes] != 3.0 ||
			o[as2.TermCurrency] != "EUR" || o[as2.TermStatus] != nil || o["summary"] != "<p>Financé · Coût : 60\u202f000\u00a0€</p>" ||
			o["name"] != "Un potager <b>partagé</b>" {
			t.Errorf("funded project's Page: %s", d.body)
		}

		if _, err := n.projects.AddMilestone(n.ctx, accounts.System, list[0].ID, projects.MilestoneInput{
			Status: projects.Works, Progress: 40, Text: "Les bacs sont posés.", ActualCost: 20000}); err != nil {
			t.Fatal(err)
		}
		d = r.waitMatch(t, "Announce/Update/Page", func(d *delivery) bool { return nested(d.doc["object"].(map[string]any)) == funded })
		if signer := n.verify(t, d); signer != group {
			t.Errorf("update announced by %s, want the Group", signer)
		}
		u := d.doc["object"].(map[string]any)["object"].(map[string]any)
		if u[as2.TermStatus] != "works" || u[as2.TermProgress] != 40.0 || u[as2.TermSpent] != 20000.0 ||
			!strings.Contains(u["summary"].(string), "Travaux, avancement : 40 %") {
			t.Errorf("Update of the project: %s", d.body)
		}

		// Content negotiation: JSON for ActivityStreams clients.
		resp, body := n.get(t, "/budgets/projects/"+list[0].ID, "application/activity+json")
		if m := decode(t, body); resp.StatusCode != http.StatusOK || m["id"] != funded || m[as2.TermProgress] != 40.0 ||
			!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/activity+json") {
			t.Errorf("GET the project: %d %s", resp.StatusCode, body)
		}
		if resp, _ := n.get(t, "/budgets/projects/nope", "application/activity+json"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET an unknown project: %d", resp.StatusCode)
		}
		// An edition still open publishes nothing of its projects.
		open, err := n.projects.CreateBudget(n.ctx, accounts.System, projects.BudgetInput{SpaceID: n.space.ID, Title: "BP 2028",
			Rule: budgets.Greedy, BallotKind: projects.Approval, Currency: "EUR", Headings: []projects.HeadingInput{{Name: "Ville", Amount: 1000}}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := n.projects.AddProject(n.ctx, accounts.System, projects.ProjectInput{BudgetID: open.ID, Heading: open.Headings[0].Slug,
			Title: "Un banc", Cost: 500})
		if err != nil {
			t.Fatal(err)
		}
		if resp, _ := n.get(t, "/budgets/projects/"+p.ID, "application/activity+json"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET a project of an open edition: %d", resp.StatusCode)
		}
	})
}

// A budget project announced by a followed space is kept with its
// figures, and its Updates move them; figures of the wrong kind or out of
// bounds are refused and change nothing; texts are made safe.
func TestInboundBudgetProject(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		group := r.base + "/c/budget" // the fake serves Groups under /c/
		n.followRemote(t, r, group)
		page := r.base + "/budgets/projects/p1"
		project := func(progress any, status string) map[string]any {
			return map[string]any{"id": page, "type": "Page", "attributedTo": group, "audience": group, "name": "Des arbres",
				"content": `<p>Douze arbres</p><script>alert(1)</script>`, "summary": "<p>Financé</p>",
				as2.TermBudgetProject: true, as2.TermCost: 120000.0, as2.TermCurrency: "EUR", as2.TermFunded: true,
				as2.TermVotes: 312.0, as2.TermStatus: status, as2.TermProgress: progress,
				as2.TermEdition: "BP <b>2027</b>", as2.TermHeading: "Nord\u202e"}
		}
		create := activity("Create", r.base+"/activities/c1", group, project(0.0, "study"))
		if got := n.accepted(t, r, activity("Announce", r.base+"/activities/a1", group, create)); got != "create remote Page" {
			t.Fatalf("Announce{Create{Page}}: outcome %q", got)
		}
		o, err := n.fed.RemoteObject(n.ctx, page)
		if err != nil {
			t.Fatal(err)
		}
		want := as2.BudgetProject{Edition: "BP 2027", Heading: "Nord", Cost: 120000, Votes: 312, Currency: "EUR", Funded: true, Status: "study"}
		if o.Budget == nil || *o.Budget != want || strings.Contains(o.ContentHTML, "script") {
			t.Errorf("kept %+v with %+v", o, o.Budget)
		}

		update := activity("Update", r.base+"/activities/u1", group, project(40.0, "works"))
		if got := n.accepted(t, r, activity("Announce", r.base+"/activities/a2", group, update)); got != "update remote Page" {
			t.Fatalf("Announce{Update{Page}}: outcome %q", got)
		}
		if o, _ = n.fed.RemoteObject(n.ctx, page); o.Budget == nil || o.Budget.Status != "works" || o.Budget.Progress != 40 {
			t.Errorf("after the Update: %+v", o.Budget)
		}

		before, _ := n.fed.RemoteObject(n.ctx, page)
		for i, bad := range []map[string]any{project(140.0, "works"), project(50.0, "demolished"), project("50", "works")} {
			id := r.base + "/activities/bad" + string(rune('a'+i))
			got := n.accepted(t, r, activity("Announce", id+"/announce", group, activity("Update", id, group, bad)))
			if !strings.HasPrefix(got, "refused") {
				t.Errorf("bad project %d: outcome %q", i, got)
			}
		}
		if o, _ = n.fed.RemoteObject(n.ctx, page); !reflect.DeepEqual(o, before) {
			t.Errorf("after refused Updates: %+v, was %+v", o, before)
		}
	})
}

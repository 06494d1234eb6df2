package budgets_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/notifications"
	"agora/instances/projects"
)

// An edition voted on the node: its projects as open data (CSV and
// JSON, formulas defused) before and after the count, and once counted
// the .pb file of each envelope, read back and recounted to the
// recorded result.
func TestEditionOpenDataAndPBFile(t *testing.T) {
	frontendtest.OnEachDialect(t, votingNode, func(t *testing.T, n *frontendtest.Node) {
		ctx := t.Context()
		b := votingEdition(t, n)
		page := "/budgets/" + b.ID
		p, err := n.Deps.Projects.AddProject(ctx, accounts.System, projects.ProjectInput{BudgetID: b.ID, Heading: "toute-la-ville",
			Title: "=HYPERLINK(\"http://evil.example\")", Theme: "@SUM(A1)", Cost: 20_000})
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Deps.Projects.SetReview(ctx, accounts.System, p.ID, projects.ReviewInput{Feasible: true, Cost: 20_000}); err != nil {
			t.Fatal(err)
		}

		rows := func(target string) [][]string {
			t.Helper()
			w := n.Get(target)
			frontendtest.WantStatus(t, w, http.StatusOK)
			if ct := w.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" || w.Header().Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("%s: %q, CORS %q", target, ct, w.Header().Get("Access-Control-Allow-Origin"))
			}
			recs, err := csv.NewReader(w.Body).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			return recs
		}
		recs := rows(page + "/projects.csv")
		if len(recs) != 8 || recs[0][0] != "budget_id" || recs[0][18] != "funded_greedy" {
			t.Fatalf("csv before the vote: %q", recs)
		}
		for _, r := range recs[1:] {
			if r[17] != "" || r[18] != "" || r[5] != "" { // votes, funded, results_at: none before the count
				t.Errorf("csv before the count: %q", r)
			}
			if r[9] == p.ID && (r[11] != `'=HYPERLINK("http://evil.example")` || r[12] != "'@SUM(A1)") {
				t.Errorf("formula not defused: %q", r)
			}
		}
		frontendtest.WantStatus(t, n.Get(page+"/budget.pb?heading=saint-lambert"), http.StatusNotFound) // no vote yet
		frontendtest.WantStatus(t, n.Get("/budgets/nope/projects.csv"), http.StatusNotFound)
		frontendtest.WantStatus(t, n.Get("/budgets/nope/projects.json"), http.StatusNotFound)

		official := accounts.As(n.Staff[accounts.Official])
		start := n.Clock.Now()
		if _, err := n.Deps.Voting.OpenVote(ctx, official, b.ID, projects.VoteInput{OpensAt: start.Add(time.Hour), ClosesAt: start.Add(48 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		n.Clock.Set(start.Add(2 * time.Hour))
		for i, v := range []struct {
			district, heading string
			keys              []string
		}{
			{"Saint-Lambert", "saint-lambert", []string{"1", "3"}},
			{"Saint-Lambert", "toute-la-ville", []string{"4", "7"}},
			{"Vaugirard", "toute-la-ville", []string{"5", "6"}},
			{"Vaugirard", "toute-la-ville", []string{"6", "7"}},
		} {
			acc, _ := voter(t, n, "v"+string(rune('a'+i)), v.district)
			if _, err := n.Deps.Voting.Cast(ctx, accounts.As(acc), b.ID, v.heading, v.keys); err != nil {
				t.Fatal(err)
			}
		}
		frontendtest.WantStatus(t, n.Get(page+"/budget.pb?heading=saint-lambert"), http.StatusConflict) // before the count
		n.Clock.Set(start.Add(49 * time.Hour))
		if _, err := n.Deps.Voting.Count(ctx, official, b.ID); err != nil {
			t.Fatal(err)
		}

		// Two envelopes: the file is asked for by envelope.
		w := n.Get(page + "/budget.pb")
		frontendtest.WantStatus(t, w, http.StatusBadRequest)
		frontendtest.WantBody(t, w, "plusieurs enveloppes")
		frontendtest.WantStatus(t, n.Get(page+"/budget.pb?heading=nowhere"), http.StatusNotFound)
		frontendtest.WantBody(t, n.Get(page), `href="`+page+`/budget.pb?heading=toute-la-ville"`, `href="`+page+`/projects.csv"`,
			`href="`+page+`/projects.json"`, `href="/budgets/all/projects.csv"`)

		list, err := n.Deps.Projects.Projects(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{"saint-lambert", "toute-la-ville"} {
			w := n.Get(page + "/budget.pb?heading=" + h)
			frontendtest.WantStatus(t, w, http.StatusOK)
			pb, err := budgets.ParsePB(w.Body, budgets.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			e, rule, err := pb.Election(h)
			if err != nil {
				t.Fatal(err)
			}
			res, err := budgets.Compute(e, rule, budgets.Options{})
			if err != nil {
				t.Fatal(err)
			}
			funded := map[string]bool{}
			for _, id := range res.Headings[0].Funded {
				funded[id] = true
			}
			for _, p := range list {
				if p.Heading == h && funded[p.Ref] != p.Funded {
					t.Errorf("%s: project %s recounted funded=%t, recorded %t", h, p.Ref, funded[p.Ref], p.Funded)
				}
			}
		}

		// After the count: votes and what each rule funds.
		recs = rows(page + "/projects.csv")
		byRef := map[string][]string{}
		for _, r := range recs[1:] {
			byRef[r[10]] = r
		}
		if r := byRef["6"]; r[17] != "2" || r[18] != "true" || r[19] != "true" || r[5] == "" {
			t.Errorf("csv of project 6 after the count: %q", r)
		}
		doc := frontendtest.JSONObject(t, n.Get(page+"/projects.json"))
		ps, _ := doc["projects"].([]any)
		if len(ps) != 7 {
			t.Fatalf("json: %v", doc)
		}
		frontendtest.WantKeys(t, "project", ps[0], "budget_id", "budget", "space_id", "rule", "currency", "results_at", "heading",
			"heading_name", "heading_amount", "id", "reference", "title", "theme", "address", "service", "cost", "review", "votes",
			"funded_greedy", "funded_equal_shares", "status", "progress", "spent", "url", "updated_at")
		all := frontendtest.JSONObject(t, n.Get("/budgets/all/projects.json"))
		if ps, _ := all["projects"].([]any); len(ps) != 7 {
			t.Errorf("node-wide json: %d projects", len(ps))
		}
		if len(rows("/budgets/all/projects.csv")) != 8 {
			t.Error("node-wide csv")
		}
	})
}

// A resident follows a funded project without a script and hears of its
// next step; the official who posts it does not.
func TestResidentFollowsAProject(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		b := importEdition(t, n)
		list, err := n.Deps.Projects.Projects(t.Context(), b.ID)
		if err != nil {
			t.Fatal(err)
		}
		var funded string
		for _, p := range list {
			if p.Funded {
				funded = p.ID
				break
			}
		}
		path := "/budgets/projects/" + funded
		_, camille := n.Resident(t, "camille", false)
		frontendtest.WantNoBody(t, n.Get(path), `action="/follow"`) // visitors have no button
		frontendtest.WantBody(t, n.Request("GET", path, camille, nil), `action="/follow"`, `name="kind" value="budget_project"`)

		before := n.Count(t, "follows")
		w := n.Request("POST", "/follow", camille, url.Values{"kind": {"budget_project"}, "id": {"nope"}, "back": {path}})
		frontendtest.WantStatus(t, w, http.StatusNotFound)
		if n.Count(t, "follows") != before {
			t.Fatal("a refused follow was stored")
		}
		w = n.Request("POST", "/follow", camille, url.Values{"kind": {"budget_project"}, "id": {funded}, "back": {path}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, path) {
			t.Errorf("back to %q", loc)
		}
		frontendtest.WantBody(t, n.Request("GET", path+"?follow=followed", camille, nil), `action="/unfollow"`)

		offAcc := n.Staff[accounts.Official]
		official := n.Session(t, offAcc)
		if err := n.Deps.Notifications.Follow(t.Context(), offAcc.ID, notificationsTarget(funded)); err != nil {
			t.Fatal(err)
		}
		w = n.Request("POST", path+"/milestones", official, url.Values{"status": {"works"}, "progress": {"40"}, "text": {"Les travaux ont commencé."}})
		frontendtest.WantStatus(t, w, http.StatusSeeOther)
		w = n.Request("GET", "/notifications", camille, nil)
		frontendtest.WantBody(t, w, "Un projet du budget participatif avance : Travaux, 40 %", `href="`+path+`"`)
		frontendtest.WantNoBody(t, n.Request("GET", "/notifications", n.Session(t, offAcc), nil), "Un projet du budget participatif avance")
	})
}

func notificationsTarget(id string) notifications.Target {
	return notifications.Target{Kind: notifications.BudgetProject, ID: id}
}

package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBudgetProjectsBetweenNodes runs two real nodes on loopback (A on
// PostgreSQL when it is available, B on SQLite): B follows A's budget
// space; A's edition comes out (imported), so B receives each project
// with its cost and result and shows them under "Other cities"; an
// official of A publishes a step of the funded project, and B receives
// the Update and shows the project's new stage and progress.
func TestBudgetProjectsBetweenNodes(t *testing.T) {
	dialectA := "sqlite"
	if os.Getenv("AGORA_TEST_POSTGRES_URL") != "" || os.Getenv("AGORA_TEST_REQUIRE") != "" {
		dialectA = "postgres"
	}
	a, b := newFedNode(t, "Paris 15e", dialectA), newFedNode(t, "Lyon 3e", "sqlite")
	a.admin(t, "create-space", "--slug", "budget", "--title", "Budget participatif 2027")
	a.start(t)
	b.start(t)
	olga := a.user(t, "olga", false, "--role", "official")
	adminB := b.user(t, "claire", false, "--role", "admin")

	b.post(t, adminB, "/admin/federation/follow", url.Values{"target": {"@budget@" + host(a)}}, http.StatusOK)
	eventually(t, 20*time.Second, "A accepts B's follow", func() bool {
		return b.count(t, "ap_following", "state = 'accepted'") == 1
	})

	// The result is out: A imports a counted edition.
	pb := filepath.Join(t.TempDir(), "quartier.pb")
	file := "META\nkey;value\ndescription;Budget participatif du quartier\nnum_projects;2\nnum_votes;3\nbudget;100000\nvote_type;approval\n" +
		"PROJECTS\nproject_id;cost;name\nP1;60000;Un potager partagé\nP2;70000;Des bancs\n" +
		"VOTES\nvoter_id;vote\n1;P1\n2;P1,P2\n3;P1\n"
	if err := os.WriteFile(pb, []byte(file), 0o600); err != nil {
		t.Fatal(err)
	}
	a.admin(t, "budget", "import", "--space", "budget", pb)
	var ids []string
	if err := a.db.NewSelect().Table("budget_projects").Column("id").Where("ref = 'P1'").Scan(context.Background(), &ids); err != nil || len(ids) != 1 {
		t.Fatalf("A's project P1: %v %v", ids, err)
	}
	page := a.base + "/budgets/projects/" + ids[0]
	item := "/cities/item?id=" + url.QueryEscape(page)
	eventually(t, 30*time.Second, "B receives A's funded project", func() bool {
		return b.count(t, "ap_remote_objects", "id = ? AND name = ? AND budget IS NOT NULL", page, "Un potager partagé") == 1
	})
	eventually(t, 30*time.Second, "B receives A's other project", func() bool {
		return b.count(t, "ap_remote_objects", "name = ? AND budget IS NOT NULL", "Des bancs") == 1
	})
	list := b.get(t, http.DefaultClient, "/cities")
	if !strings.Contains(list, "Un potager partagé") || !strings.Contains(list, "Financé · Coût : 60\u202f000\u00a0€") ||
		!strings.Contains(list, "Non retenu · Coût : 70\u202f000\u00a0€") {
		t.Errorf("B's Other cities page does not show the projects with their cost and result:\n%s", list)
	}

	// A step of the funded project: B shows the new stage and progress.
	a.post(t, olga, "/budgets/projects/"+ids[0]+"/milestones", url.Values{"status": {"works"}, "progress": {"40"},
		"text": {"Les bacs sont posés."}, "actual_cost": {"20000"}}, http.StatusOK)
	eventually(t, 40*time.Second, "B receives the project's Update", func() bool {
		return strings.Contains(b.get(t, http.DefaultClient, item), `value="40"`)
	})
	body := b.get(t, http.DefaultClient, item)
	for _, want := range []string{"Un potager partagé", "Travaux", "40 %", "60\u202f000\u00a0€", "20\u202f000\u00a0€", "Financé"} {
		if !strings.Contains(body, want) {
			t.Errorf("B's page of the project lacks %q", want)
		}
	}
	// The step itself arrives too, as the Group's Note.
	eventually(t, 20*time.Second, "B receives the step's Note", func() bool {
		return b.count(t, "ap_remote_objects", "type = 'Note' AND url = ?", page) == 1
	})
}

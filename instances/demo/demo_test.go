package demo_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/instances/debates"
	"agora/instances/decisions"
	"agora/instances/demo"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/projects"
	"agora/instances/proposals"
	"agora/instances/reports"
	"agora/instances/site"
	"agora/instances/spaces"
	"agora/storage/storagetest"

	"github.com/uptrace/bun"
)

// demoNode is a migrated database with the demo's services, all on the
// clock now.
func demoNode(t *testing.T, dialect string, now time.Time) (*bun.DB, demo.Services) {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	clock := func() time.Time { return now }
	md := markup.New()
	acc := accounts.NewService(db, clock)
	sp := spaces.NewService(db, md, clock)
	return db, demo.Services{
		Accounts: acc, Spaces: sp, Proposals: proposals.NewService(db, md, acc, sp, clock),
		Debates: debates.NewService(db, md, clock), Moderation: moderation.NewService(db, clock),
		Apps: apps.NewService(db, storagetest.NewBlobStore(t, "local"), clock, apps.Options{}), Site: site.NewService(db, clock),
		Decisions: func(now func() time.Time) *decisions.Service { return decisions.NewService(db, acc, sp, now) },
		Projects:  projects.NewService(db, storagetest.NewBlobStore(t, "local"), clock),
		Voting: func(now func() time.Time) *projects.Voting {
			return projects.NewVoting(db, projects.NewService(db, storagetest.NewBlobStore(t, "local"), now), decisions.NewService(db, acc, sp, now), now)
		},
		Reports: func(now func() time.Time) *reports.Service { return reports.NewService(db, now) },
		Council: func(now func() time.Time) *reports.Council {
			return reports.NewCouncil(db, reports.NewService(db, now), sp, decisions.NewService(db, acc, sp, now), now)
		},
	}
}

// The demo loads through the real services on both databases, gives
// proposals in every state with answers, and refuses to load twice.
func TestLoad(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		now := time.Now()
		db, svc := demoNode(t, dialect, now)
		if err := demo.Load(ctx, svc, now); err != nil {
			t.Fatal(err)
		}
		budget, err := svc.Spaces.BySlug(ctx, demo.BudgetSlug)
		if err != nil {
			t.Fatal(err)
		}
		if !budget.AllowsProposals(now) {
			t.Error("the demo budget is not open to proposals now")
		}
		page, err := svc.Proposals.List(ctx, proposals.Query{SpaceID: budget.ID, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		states := map[proposals.State]int{}
		for _, p := range page.Items {
			states[p.State]++
		}
		for _, s := range []proposals.State{proposals.Published, proposals.Review, proposals.Study, proposals.Accepted, proposals.Rejected, proposals.Withdrawn} {
			if states[s] == 0 {
				t.Errorf("no demo proposal in state %s: %v", s, states)
			}
		}
		var comments int
		if err := db.NewRaw("SELECT count(*) FROM comments").Scan(ctx, &comments); err != nil || comments < 5 {
			t.Errorf("demo comments: %d, %v", comments, err)
		}
		// Last year's participatory budget: counted, its funded projects
		// followed with their steps; this year's in its vote phase.
		var budgetsN, stepsN, linksN int
		if err := db.NewRaw("SELECT count(*) FROM budgets").Scan(ctx, &budgetsN); err != nil || budgetsN != 2 {
			t.Errorf("demo budgets: %d, %v", budgetsN, err)
		}
		if err := db.NewRaw("SELECT count(*) FROM budget_milestones").Scan(ctx, &stepsN); err != nil || stepsN != 6 {
			t.Errorf("demo budget steps: %d, %v", stepsN, err)
		}
		if err := db.NewRaw("SELECT count(*) FROM budget_votes").Scan(ctx, &linksN); err != nil || linksN != 1 {
			t.Errorf("demo budget votes: %d, %v", linksN, err)
		}
		// Its projects are on the map and its funded ones in pictures,
		// with a picture of each last step; every photo is described.
		var placed, photos, stepPhotos, undescribed int
		for q, n := range map[string]*int{
			"SELECT count(*) FROM budget_projects WHERE lat_e6 IS NOT NULL":   &placed,
			"SELECT count(*) FROM budget_photos":                              &photos,
			"SELECT count(*) FROM budget_photos WHERE milestone_id <> ''":     &stepPhotos,
			"SELECT count(*) FROM budget_photos WHERE alt = '' OR size < 200": &undescribed,
		} {
			if err := db.NewRaw(q).Scan(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		if placed < 10 || photos < 6 || stepPhotos != 3 || undescribed != 0 {
			t.Errorf("demo places and photos: %d placed, %d photos (%d of steps), %d undescribed", placed, photos, stepPhotos, undescribed)
		}
		// The council's votes, one open, one closed with its results, one
		// closed ranking the suggestions of amenities (suggestions.go);
		// and the budget's envelope, open.
		votes, err := decisions.NewService(db, svc.Accounts, svc.Spaces, nil).List(ctx)
		if err != nil || len(votes) != 4 {
			t.Fatalf("demo votes: %d, %v", len(votes), err)
		}
		var open, closed int
		for _, v := range votes {
			if v.ClosedAt != nil {
				closed++
				res, err := decisions.NewService(db, svc.Accounts, svc.Spaces, nil).Results(ctx, v.ID)
				if !v.Delegation && err == nil && res.Result.Ballots == 7 {
					continue // the suggestions' vote, checked in TestStreetReports
				}
				if err != nil || res.Result.Ballots != 5 || res.Result.Delegated != 1 || res.Electorate < 6 {
					t.Errorf("demo results: %+v, %v", res, err)
				}
			} else if v.Window(time.Now()) == nil {
				open++
			}
		}
		if open != 2 || closed != 2 {
			t.Errorf("demo votes: %d open, %d closed", open, closed)
		}
		if err := demo.Load(ctx, svc, now); !errors.Is(err, demo.ErrLoaded) {
			t.Fatalf("second load: %v, want ErrLoaded", err)
		}
	})
}

// The demo tells one coherent story: supports agree with each space's
// threshold and each proposal's state, answers that speak of the
// threshold are on proposals that crossed it, nobody supports their own
// proposal and staff support nothing; every space has its debate; the
// catalogue and the moderation log are not empty; the node is Paris 15e.
func TestDemoIsCoherent(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		now := time.Now()
		db, svc := demoNode(t, dialect, now)
		if err := demo.Load(ctx, svc, now); err != nil {
			t.Fatal(err)
		}
		var rows []struct {
			Title     string          `bun:"title"`
			State     proposals.State `bun:"state"`
			Supports  int             `bun:"support_count"`
			Threshold int             `bun:"support_threshold"`
			Counted   int             `bun:"counted"`
			Answers   string          `bun:"answers"`
		}
		err := db.NewRaw(`SELECT p.title, p.state, p.support_count, s.support_threshold,
			(SELECT count(*) FROM proposal_supports ps WHERE ps.proposal_id = p.id) AS counted,
			COALESCE((SELECT max(e.answer) FROM proposal_events e WHERE e.proposal_id = p.id AND e.answer LIKE '%seuil%'), '') AS answers
			FROM proposals p JOIN spaces s ON s.id = p.space_id`).Scan(ctx, &rows)
		if err != nil || len(rows) < 8 {
			t.Fatalf("proposals: %d, %v", len(rows), err)
		}
		crossed := map[proposals.State]bool{proposals.Review: true, proposals.Study: true, proposals.Accepted: true, proposals.Implemented: true}
		for _, p := range rows {
			if p.Supports != p.Counted {
				t.Errorf("%q shows %d supports but has %d", p.Title, p.Supports, p.Counted)
			}
			if p.Threshold == 0 {
				if p.State == proposals.Review {
					t.Errorf("%q is in review in a space without threshold", p.Title)
				}
				continue
			}
			switch {
			case p.State == proposals.Published && p.Supports >= p.Threshold:
				t.Errorf("%q has %d supports, threshold %d, but is still %s", p.Title, p.Supports, p.Threshold, p.State)
			case crossed[p.State] && p.Supports < p.Threshold:
				t.Errorf("%q is %s with %d supports, below the threshold of %d", p.Title, p.State, p.Supports, p.Threshold)
			case p.Answers != "" && p.Supports < p.Threshold:
				t.Errorf("%q has %d supports, below %d, but its answer says %q", p.Title, p.Supports, p.Threshold, p.Answers)
			}
		}
		count := func(q string, args ...any) int {
			t.Helper()
			var n int
			if err := db.NewRaw(q, args...).Scan(ctx, &n); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			return n
		}
		for _, c := range []struct {
			what  string
			query string
			ok    func(int) bool
		}{
			{"supports of one's own proposal", "SELECT count(*) FROM proposal_supports ps JOIN proposals p ON p.id = ps.proposal_id WHERE ps.account_id = p.author_id", func(n int) bool { return n == 0 }},
			{"supports by staff", "SELECT count(*) FROM proposal_supports ps JOIN account_roles r ON r.account_id = ps.account_id", func(n int) bool { return n == 0 }},
			{"spaces without a debate", "SELECT count(*) FROM spaces s WHERE NOT EXISTS (SELECT 1 FROM debates d WHERE d.space_id = s.id)", func(n int) bool { return n == 0 }},
			{"debates without arguments", "SELECT count(*) FROM debates d WHERE NOT EXISTS (SELECT 1 FROM comments c WHERE c.target_kind = 'debate' AND c.target_id = d.id)", func(n int) bool { return n == 0 }},
			{"hidden comments with their reason", "SELECT count(*) FROM comments WHERE hidden_at IS NOT NULL AND hidden_reason <> ''", func(n int) bool { return n == 1 }},
			{"open reports", "SELECT count(*) FROM reports WHERE resolved_at IS NULL", func(n int) bool { return n == 0 }},
		} {
			if n := count(c.query); !c.ok(n) {
				t.Errorf("%s: %d", c.what, n)
			}
		}

		catalogue, err := svc.Apps.List(ctx, apps.Filter{Page: 1, PerPage: 50})
		if err != nil || catalogue.Total < 3 {
			t.Errorf("catalogue: %d apps, %v", catalogue.Total, err)
		}
		log, err := svc.Moderation.Log(ctx, moderation.LogFilter{})
		if err != nil {
			t.Fatal(err)
		}
		hidden := false
		for _, e := range log {
			hidden = hidden || (e.Action == moderation.ActionHide && e.Target.Kind == moderation.TargetComment && e.Reason != "")
		}
		if !hidden {
			t.Errorf("the moderation log shows no comment hidden with its reason: %+v", log)
		}
		st, err := svc.Site.Get(ctx)
		if err != nil || st.Name != demo.Name || demo.Name != "Paris 15e" {
			t.Errorf("node name %q, %v", st.Name, err)
		}
		// "Paris 15e" consistently: no other arrondissement is named.
		var texts []string
		if err := db.NewRaw("SELECT title || ' ' || description FROM spaces").Scan(ctx, &texts); err != nil {
			t.Fatal(err)
		}
		for _, s := range texts {
			for _, other := range []string{"11e", "Lyon", "20e"} {
				if strings.Contains(s, other) {
					t.Errorf("a space names %s: %q", other, s)
				}
			}
		}
	})
}

// Phases start and end at midnight in Paris, whatever the hour the demo
// was loaded, across daylight saving time and when Paris is already on
// the next day.
func TestDemoPhasesAtMidnight(t *testing.T) {
	paris, err := demo.Location()
	if err != nil {
		t.Fatal(err)
	}
	for _, now := range []time.Time{
		time.Date(2026, 12, 7, 13, 47, 12, 0, time.UTC),
		time.Date(2026, 3, 28, 23, 30, 0, 0, time.UTC), // already 29 March in Paris, the night clocks go forward
		time.Date(2026, 10, 24, 22, 5, 0, 0, time.UTC), // already 25 October, the night clocks go back
		time.Date(2026, 7, 1, 0, 0, 0, 0, paris),
	} {
		t.Run(now.Format(time.RFC3339), func(t *testing.T) {
			ctx := context.Background()
			db, svc := demoNode(t, "sqlite", now)
			if err := demo.Load(ctx, svc, now); err != nil {
				t.Fatal(err)
			}
			var phases []spaces.Phase
			if err := db.NewSelect().Model(&phases).Scan(ctx); err != nil || len(phases) < 7 {
				t.Fatalf("phases: %d, %v", len(phases), err)
			}
			for _, p := range phases {
				for _, at := range []time.Time{p.StartsAt, p.EndsAt} {
					if l := at.In(paris); l.Hour() != 0 || l.Minute() != 0 || l.Second() != 0 || l.Nanosecond() != 0 {
						t.Errorf("phase %s changes at %s in Paris, not midnight", p.Kind, l)
					}
				}
			}
			budget, err := svc.Spaces.BySlug(ctx, demo.BudgetSlug)
			if err != nil {
				t.Fatal(err)
			}
			if !budget.AllowsProposals(now) {
				t.Error("the budget is not open to proposals when loaded")
			}
		})
	}
}

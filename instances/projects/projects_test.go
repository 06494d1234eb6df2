package projects_test

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/instancestest"
	"agora/instances/projects"
	"agora/storage/blobs"
	"agora/storage/storagetest"
)

// tables are every table an edition writes.
var tables = []string{"budgets", "budget_headings", "budget_projects", "budget_project_ideas", "budget_milestones", "budget_photos", "audit_log"}

type fixture struct {
	svc                *projects.Service
	official, resident accounts.Actor
	spaceID, otherID   string
	ideas              []string
	other              string // an idea of another space
	db                 *bun.DB
	clock              *storagetest.Clock
	blobs              blobs.Store
}

func newFixture(t *testing.T, dialect string) (*fixture, func() storagetest.Snapshot) {
	db := storagetest.MigratedDB(t, dialect)
	clock := storagetest.NewClock(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	acc := accounts.NewService(db, clock.Now)
	off := instancestest.Account(t, acc, "voirie", accounts.Official)
	res := instancestest.Account(t, acc, "camille")
	store := storagetest.NewBlobStore(t, "local")
	f := &fixture{svc: projects.NewService(db, store, clock.Now), blobs: store,
		official: accounts.As(off), resident: accounts.As(res), db: db, clock: clock}
	f.spaceID = instancestest.Space(t, db, clock.Now(), "budget-2026")
	f.otherID = instancestest.Space(t, db, clock.Now(), "conseil")
	f.ideas = []string{instancestest.Proposal(t, db, clock.Now(), f.spaceID, res.ID), instancestest.Proposal(t, db, clock.Now(), f.spaceID, res.ID)}
	f.other = instancestest.Proposal(t, db, clock.Now(), f.otherID, res.ID)
	return f, func() storagetest.Snapshot { return storagetest.TakeSnapshot(t, db, tables...) }
}

func TestBudgetProjectsAndReview(t *testing.T) {
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			f, snap := newFixture(t, dialect)
			ctx := t.Context()
			in := projects.BudgetInput{SpaceID: f.spaceID, Title: "Budget participatif 2026", Rule: budgets.Greedy,
				MaxChoices: 5, Headings: []projects.HeadingInput{
					{Slug: "saint-lambert", Name: "Quartier Saint-Lambert", Amount: 1_000_000},
					{Slug: "tout-le-15e", Name: "Tout le 15e", Amount: 2_500_000}}}

			// Refused: each bad budget, and a resident; nothing stored.
			before := snap()
			for _, tc := range []struct {
				name   string
				actor  accounts.Actor
				change func(*projects.BudgetInput)
				want   error
			}{
				{"resident", f.resident, func(*projects.BudgetInput) {}, accounts.ErrForbidden},
				{"no title", f.official, func(b *projects.BudgetInput) { b.Title = " " }, projects.ErrInvalid},
				{"unknown rule", f.official, func(b *projects.BudgetInput) { b.Rule = "borda" }, projects.ErrInvalid},
				{"zero amount", f.official, func(b *projects.BudgetInput) {
					b.Headings = []projects.HeadingInput{{Slug: "a", Name: "A", Amount: 0}}
				}, projects.ErrInvalid},
				{"negative amount", f.official, func(b *projects.BudgetInput) {
					b.Headings = []projects.HeadingInput{{Slug: "a", Name: "A", Amount: -5}}
				}, projects.ErrInvalid},
				{"same heading twice", f.official, func(b *projects.BudgetInput) {
					b.Headings = []projects.HeadingInput{{Slug: "a", Name: "A", Amount: 1}, {Slug: "a", Name: "B", Amount: 1}}
				}, projects.ErrInvalid},
				{"no heading", f.official, func(b *projects.BudgetInput) { b.Headings = nil }, projects.ErrInvalid},
				{"unknown space", f.official, func(b *projects.BudgetInput) { b.SpaceID = "nope" }, projects.ErrNotFound},
			} {
				bad := in
				bad.Headings = slices.Clone(in.Headings)
				tc.change(&bad)
				if _, err := f.svc.CreateBudget(ctx, tc.actor, bad); !errors.Is(err, tc.want) {
					t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
				}
			}
			before.Unchanged(t, f.db, "refused budgets")

			b, err := f.svc.CreateBudget(ctx, f.official, in)
			if err != nil {
				t.Fatal(err)
			}
			if b.Total() != 3_500_000 || b.Currency != "EUR" || b.BallotKind != projects.Approval {
				t.Fatalf("budget: %+v", b)
			}

			// Every field at fault is named at once.
			_, err = f.svc.CreateBudget(ctx, f.official, projects.BudgetInput{SpaceID: f.spaceID, Rule: "x",
				Headings: []projects.HeadingInput{{Slug: "A!", Name: "", Amount: 0}, {Slug: "b", Name: "B", Amount: 1}, {Slug: "b", Name: "C", Amount: 1}}})
			var ie *projects.InvalidError
			if !errors.As(err, &ie) || !maps.Equal(ie.Problems, projects.Problems{"title": "empty", "rule": "unknown",
				"heading.1.slug": "unknown", "heading.1.name": "empty", "heading.1.amount": "amount", "heading.3.slug": "taken"}) {
				t.Errorf("all errors at once: %v", err)
			}

			p, err := f.svc.AddProject(ctx, f.official, projects.ProjectInput{BudgetID: b.ID, Heading: "saint-lambert",
				Title: "Rénover le square", Cost: 400_000, Ideas: []string{f.ideas[1], f.ideas[0], f.ideas[0]}})
			if err != nil {
				t.Fatal(err)
			}
			if p.Ref != "1" || p.Review != projects.Pending || len(p.Ideas) != 2 {
				t.Fatalf("project: %+v", p)
			}

			before = snap()
			for _, tc := range []struct {
				name string
				in   projects.ProjectInput
				want error
			}{
				{"unknown heading", projects.ProjectInput{BudgetID: b.ID, Heading: "nord", Title: "T", Cost: 1}, projects.ErrInvalid},
				{"zero cost", projects.ProjectInput{BudgetID: b.ID, Heading: "saint-lambert", Title: "T"}, projects.ErrInvalid},
				{"idea of another space", projects.ProjectInput{BudgetID: b.ID, Heading: "saint-lambert", Title: "T", Cost: 1,
					Ideas: []string{f.ideas[0], f.other}}, projects.ErrInvalid},
				{"reference taken", projects.ProjectInput{BudgetID: b.ID, Heading: "saint-lambert", Title: "T", Cost: 1, Ref: "1"}, projects.ErrInvalid},
				{"unknown budget", projects.ProjectInput{BudgetID: "nope", Heading: "saint-lambert", Title: "T", Cost: 1}, projects.ErrNotFound},
			} {
				if _, err := f.svc.AddProject(ctx, f.official, tc.in); !errors.Is(err, tc.want) {
					t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
				}
			}
			if _, err := f.svc.AddProject(ctx, f.resident, projects.ProjectInput{BudgetID: b.ID, Heading: "saint-lambert", Title: "T", Cost: 1}); !errors.Is(err, accounts.ErrForbidden) {
				t.Errorf("resident adds a project: %v", err)
			}
			if err := f.svc.SetReview(ctx, f.official, p.ID, projects.ReviewInput{Feasible: false}); !errors.Is(err, projects.ErrInvalid) {
				t.Errorf("unfeasible without reasons: %v", err)
			}
			if _, err := f.svc.AddMilestone(ctx, f.official, p.ID, projects.MilestoneInput{Status: projects.Study, Text: "Études"}); !errors.Is(err, projects.ErrNotFunded) {
				t.Errorf("milestone of an unfunded project: %v", err)
			}
			before.Unchanged(t, f.db, "refused projects")

			if err := f.svc.SetReview(ctx, f.official, p.ID, projects.ReviewInput{Feasible: true, Cost: 450_000, Reasons: "Chiffré par la voirie."}); err != nil {
				t.Fatal(err)
			}
			got, _, err := f.svc.Project(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Review != projects.Feasible || got.Cost != 450_000 || got.ReviewReasons != "Chiffré par la voirie." ||
				!slices.Equal(got.Ideas, sorted(f.ideas)) {
				t.Errorf("reviewed project: %+v", got)
			}
		})
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestImportAndFollowUp(t *testing.T) {
	file, err := os.ReadFile("testdata/quartier.pb")
	if err != nil {
		t.Fatal(err)
	}
	for _, dialect := range storagetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			f, snap := newFixture(t, dialect)
			ctx := t.Context()

			// A bad file is refused with its line, and nothing is stored.
			before := snap()
			bad := strings.Replace(string(file), "SL-3;100000", "SL-3;-100000", 1)
			_, err := f.svc.Import(ctx, accounts.System, f.spaceID, strings.NewReader(bad), budgets.Limits{})
			var pe *budgets.ParseError
			if !errors.As(err, &pe) || pe.Line != 20 {
				t.Fatalf("bad file: %v, want a refusal at line 20", err)
			}
			if _, err := f.svc.Import(ctx, f.resident, f.spaceID, bytes.NewReader(file), budgets.Limits{}); !errors.Is(err, accounts.ErrForbidden) {
				t.Fatalf("resident imports: %v", err)
			}
			before.Unchanged(t, f.db, "refused imports")

			b, err := f.svc.Import(ctx, accounts.System, f.spaceID, bytes.NewReader(file), budgets.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if b.Title != "Budget participatif du quartier Saint-Lambert" || b.Rule != budgets.EqualShares || b.MaxChoices != 3 ||
				b.Total() != 1_000_000 || b.ResultsAt.IsZero() {
				t.Fatalf("imported budget: %+v", b)
			}
			list, err := f.svc.Projects(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			cmp, err := f.svc.Recompute(ctx, b.ID, budgets.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			chosen, other := cmp.Headings[0].Chosen, cmp.Headings[0].Other
			var funded, fundedOther []string
			votes := map[string]int64{}
			for _, p := range list {
				votes[p.Ref] = p.Votes
				if p.Funded {
					funded = append(funded, p.Ref)
				}
				if p.FundedOther {
					fundedOther = append(fundedOther, p.Ref)
				}
			}
			// Greedy, worked by hand: SL-2 and SL-1 (6 votes each, the
			// cheaper first), then SL-3 fills the million exactly.
			if !slices.Equal(fundedOther, []string{"SL-1", "SL-2", "SL-3"}) {
				t.Errorf("greedy funds %v, want SL-1, SL-2, SL-3", fundedOther)
			}
			if !slices.Equal(funded, sorted(chosen.Funded)) || !slices.Equal(fundedOther, sorted(other.Funded)) {
				t.Errorf("stored %v / %v, recomputed %v / %v", funded, fundedOther, chosen.Funded, other.Funded)
			}
			if votes["SL-1"] != 6 || votes["SL-4"] != 3 || votes["SL-5"] != 2 {
				t.Errorf("votes: %v", votes)
			}

			// The file is kept as it came.
			rc, err := f.svc.PB(ctx, b.ID)
			if err != nil {
				t.Fatal(err)
			}
			kept, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Equal(kept, file) {
				t.Errorf("kept .pb differs from the imported one")
			}

			// Follow-up of a funded project.
			var funded1, unfunded string
			for _, p := range list {
				if p.Funded && funded1 == "" {
					funded1 = p.ID
				}
				if !p.Funded && unfunded == "" {
					unfunded = p.ID
				}
			}
			before = snap()
			for _, tc := range []struct {
				name string
				id   string
				in   projects.MilestoneInput
				want error
			}{
				{"unfunded", unfunded, projects.MilestoneInput{Status: projects.Study, Text: "x"}, projects.ErrNotFunded},
				{"abandoned with no text", funded1, projects.MilestoneInput{Status: projects.Abandoned}, projects.ErrInvalid},
				{"unknown status", funded1, projects.MilestoneInput{Status: "built", Text: "x"}, projects.ErrInvalid},
				{"progress 120", funded1, projects.MilestoneInput{Status: projects.Works, Progress: 120, Text: "x"}, projects.ErrInvalid},
				{"negative cost", funded1, projects.MilestoneInput{Status: projects.Works, Text: "x", ActualCost: -1}, projects.ErrInvalid},
			} {
				if _, err := f.svc.AddMilestone(ctx, f.official, tc.id, tc.in); !errors.Is(err, tc.want) {
					t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
				}
			}
			if _, err := f.svc.AddMilestone(ctx, f.resident, funded1, projects.MilestoneInput{Status: projects.Works, Text: "x"}); !errors.Is(err, accounts.ErrForbidden) {
				t.Errorf("resident posts a milestone: %v", err)
			}
			if err := f.svc.SetReview(ctx, f.official, funded1, projects.ReviewInput{Feasible: true, Cost: 1}); !errors.Is(err, projects.ErrDecided) {
				t.Errorf("review after the result: %v", err)
			}
			before.Unchanged(t, f.db, "refused milestones")

			for _, in := range []projects.MilestoneInput{
				{Status: projects.Tender, Progress: 20, Text: "Appel d'offres publié."},
				{Status: projects.Works, Progress: 60, Text: "Travaux commencés.", ActualCost: 210_000},
				{Status: projects.Done, Progress: 80, Text: "Inauguré le 3 juin."},
			} {
				f.clock.Advance(30 * 24 * time.Hour)
				if _, err := f.svc.AddMilestone(ctx, f.official, funded1, in); err != nil {
					t.Fatal(err)
				}
			}
			p, ms, err := f.svc.Project(ctx, funded1)
			if err != nil {
				t.Fatal(err)
			}
			if p.Status != projects.Done || p.Progress != 100 || p.ActualCost != 210_000 || len(ms) != 3 || ms[0].Status != projects.Tender {
				t.Errorf("followed project: %+v, %d milestones", p, len(ms))
			}
		})
	}
}

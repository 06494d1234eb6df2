package projects_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/decisions"
	"agora/instances/instancestest"
	"agora/instances/markup"
	"agora/instances/projects"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// voteTables are what opening, casting and counting write.
var voteTables = append(slices.Clone(tables), "budget_votes", "decision_votes", "decision_options", "decision_ballots",
	"decision_results", "outbox_events")

type voteFixture struct {
	*fixture
	acc    *accounts.Service
	voting *projects.Voting
	dec    *decisions.Service
	n      int
}

func newVoteFixture(t testing.TB, dialect string) *voteFixture {
	tt := t.(*testing.T)
	f, _ := newFixture(tt, dialect)
	acc := accounts.NewService(f.db, f.clock.Now)
	dec := decisions.NewService(f.db, acc, spaces.NewService(f.db, markup.New(), f.clock.Now), f.clock.Now)
	if err := acc.SetDistricts(t.Context(), accounts.System, []string{"Saint-Lambert", "Vaugirard"}); err != nil {
		t.Fatal(err)
	}
	return &voteFixture{fixture: f, acc: acc, dec: dec, voting: projects.NewVoting(f.db, f.svc, dec, f.clock.Now)}
}

func (f *voteFixture) voter(t *testing.T, district string) *accounts.Account {
	t.Helper()
	f.n++
	a := instancestest.Account(t, f.acc, "r"+string(rune('a'+f.n)))
	if err := f.acc.VerifyByOperator(t.Context(), a.ID, accounts.Electoral{District: district}); err != nil {
		t.Fatal(err)
	}
	return a
}

// edition is a knapsack edition (or approval with at most two projects)
// with a district heading of 100 and a city-wide one of 200; projects
// by reference: 1 (60), 2 (50), 3 (40) in Saint-Lambert, 4 (150),
// 5 (100), 6 (30) city-wide, and 7 unfeasible. Every project is reviewed
// but the last added when pending is true.
func (f *voteFixture) edition(t *testing.T, kind projects.BallotKind, pending bool) *projects.Budget {
	t.Helper()
	ctx := t.Context()
	b, err := f.svc.CreateBudget(ctx, f.official, projects.BudgetInput{SpaceID: f.spaceID, Title: "Budget 2027", BallotKind: kind,
		MaxChoices: map[projects.BallotKind]int{projects.Approval: 2}[kind], Headings: []projects.HeadingInput{
			{Name: "Saint-Lambert", Amount: 100}, {Name: "Toute la ville", Amount: 200}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []int64{60, 50, 40, 150, 100, 30, 10} {
		h := "saint-lambert"
		if i >= 3 {
			h = "toute-la-ville"
		}
		p, err := f.svc.AddProject(ctx, f.official, projects.ProjectInput{BudgetID: b.ID, Heading: h, Title: "Projet", Cost: c})
		if err != nil {
			t.Fatal(err)
		}
		if pending && i == 6 {
			break
		}
		if err := f.svc.SetReview(ctx, f.official, p.ID, projects.ReviewInput{Feasible: i < 6, Cost: c, Reasons: "Hors compétence"}); err != nil {
			t.Fatal(err)
		}
	}
	return b
}

var window = projects.VoteInput{OpensAt: time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC), ClosesAt: time.Date(2026, 10, 15, 18, 0, 0, 0, time.UTC)}

func TestEditionVote(t *testing.T) {
	storagetest.Parallel(t, newVoteFixture, func(t *testing.T, f *voteFixture) {
		ctx := t.Context()
		snap := func() storagetest.Snapshot { return storagetest.TakeSnapshot(t, f.db, voteTables...) }
		pending := f.edition(t, projects.Knapsack, true)
		b := f.edition(t, projects.Knapsack, false)

		// Opening refused: a resident, a project still pending review,
		// closing before opening, twice; nothing changes.
		before := snap()
		for _, tc := range []struct {
			name  string
			actor accounts.Actor
			id    string
			in    projects.VoteInput
			want  error
		}{
			{"resident", f.resident, b.ID, window, projects.ErrForbidden},
			{"pending review", f.official, pending.ID, window, projects.ErrInvalid},
			{"closes first", f.official, b.ID, projects.VoteInput{OpensAt: window.ClosesAt, ClosesAt: window.OpensAt}, projects.ErrInvalid},
			{"unknown edition", f.official, "nope", window, projects.ErrNotFound},
		} {
			_, err := f.voting.OpenVote(ctx, tc.actor, tc.id, tc.in)
			instancestest.WantErr(t, err, tc.want, tc.name)
		}
		before.Unchanged(t, f.db, "refused openings")

		links, err := f.voting.OpenVote(ctx, f.official, b.ID, window)
		if err != nil || len(links) != 2 {
			t.Fatalf("open: %v %v", links, err)
		}
		_, err = f.voting.OpenVote(ctx, f.official, b.ID, window)
		instancestest.WantErr(t, err, projects.ErrVoteOpened, "opened twice")
		_, err = f.svc.AddProject(ctx, f.official, projects.ProjectInput{BudgetID: b.ID, Heading: "saint-lambert", Title: "Tard", Cost: 5})
		instancestest.WantErr(t, err, projects.ErrVoting, "project during the vote")

		ballots, err := f.voting.Ballots(ctx, b.ID)
		if err != nil || len(ballots) != 2 {
			t.Fatalf("ballots: %v %v", ballots, err)
		}
		local, city := ballots[0], ballots[1]
		if local.Vote.District != "Saint-Lambert" || city.Vote.District != "" || local.Vote.Method != decisions.Budget ||
			local.Vote.BudgetTotal != 100 || len(city.Vote.Options) != 3 { // the unfeasible project is left off
			t.Fatalf("votes: %+v / %+v", local.Vote, city.Vote)
		}
		if sum, err := local.Check([]string{"1", "3"}); err != nil || sum.Cost != 100 || sum.Left != 0 {
			t.Errorf("running total: %+v %v", sum, err)
		}
		if sum, err := local.Check([]string{"1", "2"}); !errors.Is(err, decisions.ErrOverBudget) || sum.Left != -10 {
			t.Errorf("over budget total: %+v %v", sum, err)
		}

		ann, carl := f.voter(t, "Saint-Lambert"), f.voter(t, "Saint-Lambert")
		bob, dee := f.voter(t, "Vaugirard"), f.voter(t, "")
		agent := instancestest.Account(t, f.acc, "agentdesk", accounts.Agent)

		// Bad ballots, refused with nothing changed.
		before = snap()
		for _, tc := range []struct {
			name    string
			who     *accounts.Account
			heading string
			keys    []string
			want    error
		}{
			{"before the vote", ann, "saint-lambert", []string{"3"}, decisions.ErrNotOpen},
		} {
			_, err := f.voting.Cast(ctx, accounts.As(tc.who), b.ID, tc.heading, tc.keys)
			instancestest.WantErr(t, err, tc.want, tc.name)
		}
		f.clock.Set(window.OpensAt)
		for _, tc := range []struct {
			name    string
			who     *accounts.Account
			heading string
			keys    []string
			want    error
		}{
			{"over the heading's amount", ann, "saint-lambert", []string{"1", "2"}, decisions.ErrOverBudget},
			{"another district", bob, "saint-lambert", []string{"3"}, accounts.ErrOtherDistrict},
			{"no district recorded", dee, "saint-lambert", []string{"3"}, accounts.ErrNoDistrict},
			{"unknown heading", ann, "ailleurs", []string{"3"}, projects.ErrNotFound},
			{"project of another heading", ann, "saint-lambert", []string{"4"}, decisions.ErrUnknownOption},
			{"unverified", f.resident.Account, "toute-la-ville", []string{"4"}, decisions.ErrNotVerified},
		} {
			_, err := f.voting.Cast(ctx, accounts.As(tc.who), b.ID, tc.heading, tc.keys)
			instancestest.WantErr(t, err, tc.want, tc.name)
		}
		before.Unchanged(t, f.db, "refused ballots")

		for _, c := range []struct {
			who     accounts.Actor
			heading string
			keys    []string
		}{
			{accounts.As(ann), "saint-lambert", []string{"1", "3"}},
			{accounts.As(ann), "toute-la-ville", []string{"4", "6"}},
			{accounts.As(carl), "saint-lambert", []string{"2", "3"}},
			{accounts.As(carl), "toute-la-ville", []string{"4"}},
			{accounts.As(bob), "toute-la-ville", []string{"5", "6"}},
			{accounts.Actor{Account: agent, OnBehalfOf: dee, Desk: "mairie"}, "toute-la-ville", []string{"6"}},
		} {
			r, err := f.voting.Cast(ctx, c.who, b.ID, c.heading, c.keys)
			if err != nil || len(r.Receipt) != 19 {
				t.Fatalf("cast %v: %v %v", c.keys, r, err)
			}
		}
		_, err = f.voting.Count(ctx, f.official, b.ID)
		instancestest.WantErr(t, err, projects.ErrVoteRunning, "count while open")
		if n, err := f.voting.CountDue(ctx); n != 0 || err != nil {
			t.Fatalf("CountDue while the votes are open: %d, %v", n, err)
		}

		f.clock.Set(window.ClosesAt)
		_, err = f.voting.Cast(ctx, accounts.As(bob), b.ID, "toute-la-ville", []string{"5"})
		instancestest.WantErr(t, err, decisions.ErrClosed, "after closing")
		_, err = f.voting.Count(ctx, f.resident, b.ID)
		instancestest.WantErr(t, err, projects.ErrForbidden, "count by a resident")
		// The node counts it, as serve does each minute: nobody clicks.
		if n, err := f.voting.CountDue(ctx); n != 1 || err != nil {
			t.Fatalf("CountDue after closing: %d, %v; want 1", n, err)
		}
		if n, err := f.voting.CountDue(ctx); n != 0 || err != nil {
			t.Fatalf("CountDue again: %d, %v; want 0", n, err)
		}
		cmp, err := f.voting.Compare(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cmp.Rule != budgets.Greedy || len(cmp.Headings) != 2 {
			t.Fatalf("comparison %+v", cmp)
		}
		_, err = f.voting.Count(ctx, f.official, b.ID)
		instancestest.WantErr(t, err, projects.ErrDecided, "counted twice")

		// Saint-Lambert: 3 (2 votes) then 2 (1 vote, cheaper than 1):
		// 90 of 100. City: 6 (3 votes), 4 (2): 180 of 200; 5 does not fit.
		list, err := f.svc.Projects(ctx, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][3]int64{}
		for _, p := range list {
			got[p.Ref] = [3]int64{p.Votes, b2i(p.Funded), b2i(p.FundedOther)}
		}
		want := map[string][3]int64{"1": {1, 0, 0}, "2": {1, 1, 1}, "3": {2, 1, 1}, "4": {2, 1, 1}, "5": {1, 0, 0}, "6": {3, 1, 1}, "7": {0, 0, 0}}
		if !mapsEqual(got, want) {
			t.Errorf("results %v, want %v", got, want)
		}
		// The decisions count of a knapsack heading funds the same.
		tally, err := f.dec.Results(ctx, city.Vote.ID)
		if err != nil || !slices.Equal(tally.Result.Funded, []string{"6", "4"}) {
			t.Errorf("decisions funded %v %v", tally, err)
		}
		tt, err := f.voting.Turnout(ctx, b.ID)
		if err != nil || len(tt) != 2 || tt[0].Online != 2 || tt[0].Electorate != 2 || tt[1].Online != 3 || tt[1].Desk != 1 || tt[1].Total() != 4 {
			t.Errorf("turnout %+v %v", tt, err)
		}
		if d, err := f.svc.Budget(ctx, b.ID); err != nil || d.ResultsAt.IsZero() {
			t.Errorf("edition not decided: %v", err)
		}
		// The result is out: each project is published, once, for
		// federation (in the count's transaction).
		var published []string
		if err := f.db.NewSelect().Table("outbox_events").Column("object_id").
			Where("object_type = ? AND kind = 'create'", projects.ProjectObject).Scan(ctx, &published); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, p := range list {
			ids = append(ids, p.ID)
		}
		slices.Sort(published)
		slices.Sort(ids)
		if !slices.Equal(published, ids) {
			t.Errorf("projects published %v, want %v", published, ids)
		}
	})
}

// An approval edition with at most two projects per ballot: a third is
// refused; Equal Shares as the rule counts the same ballots.
func TestEditionApprovalAtMost(t *testing.T) {
	storagetest.Parallel(t, newVoteFixture, func(t *testing.T, f *voteFixture) {
		ctx := t.Context()
		b := f.edition(t, projects.Approval, false)
		if _, err := f.voting.OpenVote(ctx, f.official, b.ID, window); err != nil {
			t.Fatal(err)
		}
		f.clock.Set(window.OpensAt)
		ann := f.voter(t, "Saint-Lambert")
		before := storagetest.TakeSnapshot(t, f.db, voteTables...)
		_, err := f.voting.Cast(ctx, accounts.As(ann), b.ID, "saint-lambert", []string{"1", "2", "3"})
		instancestest.WantErr(t, err, decisions.ErrTooMany, "three projects")
		before.Unchanged(t, f.db, "too many")
		// Over the amount is allowed in an approval ballot.
		if _, err := f.voting.Cast(ctx, accounts.As(ann), b.ID, "saint-lambert", []string{"1", "2"}); err != nil {
			t.Fatal(err)
		}
	})
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func mapsEqual(a, b map[string][3]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

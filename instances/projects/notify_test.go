package projects_test

import (
	"testing"

	"agora/instances/accounts"
	"agora/instances/instancestest"
	"agora/instances/notifications"
	"agora/instances/projects"
	"agora/storage/storagetest"
)

// fundedWithIdeas votes and counts an approval edition of one heading
// whose project 1 (funded) merges ideas and project 2 (not funded) none.
func (f *voteFixture) fundedWithIdeas(t *testing.T, ideas []string) (funded, unfunded *projects.Project) {
	t.Helper()
	ctx := t.Context()
	b, err := f.svc.CreateBudget(ctx, f.official, projects.BudgetInput{SpaceID: f.spaceID, Title: "Budget 2027",
		Headings: []projects.HeadingInput{{Name: "Toute la ville", Amount: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	var ps []*projects.Project
	for i, c := range []int64{80, 70} {
		in := projects.ProjectInput{BudgetID: b.ID, Heading: "toute-la-ville", Title: "Un banc", Cost: c}
		if i == 0 {
			in.Ideas = ideas
		}
		p, err := f.svc.AddProject(ctx, f.official, in)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetReview(ctx, f.official, p.ID, projects.ReviewInput{Feasible: true, Cost: c}); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	if _, err := f.voting.OpenVote(ctx, f.official, b.ID, window); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(window.OpensAt)
	if _, err := f.voting.Cast(ctx, accounts.As(f.voter(t, "")), b.ID, "toute-la-ville", []string{"1"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(window.ClosesAt)
	if _, err := f.voting.Count(ctx, f.official, b.ID); err != nil {
		t.Fatal(err)
	}
	return ps[0], ps[1]
}

// Each step of a funded project tells the authors of its ideas and its
// followers once each, in the step's transaction; the official who
// posts it is not told, even as an idea's author and a follower; a
// refused step tells no one.
func TestStepNotifications(t *testing.T) {
	storagetest.Parallel(t, newVoteFixture, func(t *testing.T, f *voteFixture) {
		ctx := t.Context()
		notes := notifications.NewService(f.db, f.clock.Now)
		camille := f.resident.Account.ID // the author of both f.ideas
		fan := instancestest.Account(t, f.acc, "fan")
		gone := instancestest.Account(t, f.acc, "gone")
		own := instancestest.Proposal(t, f.db, f.clock.Now(), f.spaceID, f.official.Account.ID)
		p, other := f.fundedWithIdeas(t, append([]string{own}, f.ideas...))

		target := notifications.Target{Kind: notifications.BudgetProject, ID: p.ID}
		for _, id := range []string{fan.ID, camille, f.official.Account.ID, gone.ID} {
			if err := notes.Follow(ctx, id, target); err != nil {
				t.Fatal(err)
			}
		}
		if err := notes.Unfollow(ctx, gone.ID, target); err != nil {
			t.Fatal(err)
		}
		if err := notes.Follow(ctx, fan.ID, notifications.Target{Kind: notifications.BudgetProject, ID: "nope"}); err == nil {
			t.Error("followed an unknown project")
		}

		count := func() map[string]int {
			var rows []struct {
				AccountID string `bun:"account_id"`
				N         int    `bun:"n"`
			}
			if err := f.db.NewSelect().Table("notifications").ColumnExpr("account_id, count(*) AS n").
				Where("kind = ? AND subject_id = ?", notifications.BudgetStep, p.ID).Group("account_id").Scan(ctx, &rows); err != nil {
				t.Fatal(err)
			}
			out := map[string]int{}
			for _, r := range rows {
				out[r.AccountID] = r.N
			}
			return out
		}

		// Refused steps: nothing written, no one told.
		before := storagetest.TakeSnapshot(t, f.db, append(voteTables, "notifications")...)
		for _, tc := range []struct {
			name  string
			actor accounts.Actor
			id    string
			in    projects.MilestoneInput
			want  error
		}{
			{"unknown status", f.official, p.ID, projects.MilestoneInput{Status: "paused", Text: "Pause"}, projects.ErrInvalid},
			{"no text", f.official, p.ID, projects.MilestoneInput{Status: projects.Works, Progress: 10}, projects.ErrInvalid},
			{"progress over 100", f.official, p.ID, projects.MilestoneInput{Status: projects.Works, Progress: 120, Text: "x"}, projects.ErrInvalid},
			{"a resident", f.resident, p.ID, projects.MilestoneInput{Status: projects.Works, Text: "x"}, projects.ErrForbidden},
			{"not funded", f.official, other.ID, projects.MilestoneInput{Status: projects.Study, Text: "Études"}, projects.ErrNotFunded},
		} {
			_, err := f.svc.AddMilestone(ctx, tc.actor, tc.id, tc.in)
			instancestest.WantErr(t, err, tc.want, tc.name)
		}
		before.Unchanged(t, f.db, "refused steps")

		steps := []projects.MilestoneInput{
			{Status: projects.Study, Progress: 10, Text: "Études lancées"},
			{Status: projects.Works, Progress: 40, Text: "Chantier", ActualCost: 30},
			{Status: projects.Done, Text: "Inauguré"},
		}
		for i, in := range steps {
			if _, err := f.svc.AddMilestone(ctx, f.official, p.ID, in); err != nil {
				t.Fatal(err)
			}
			got, n := count(), i+1
			if got[camille] != n || got[fan.ID] != n || got[f.official.Account.ID] != 0 || got[gone.ID] != 0 || len(got) != 2 {
				t.Fatalf("after step %d: %v; want %d for camille (%s) and fan (%s), none for the official and who stopped", n, got, n, camille, fan.ID)
			}
		}
		list, err := notes.List(ctx, fan.ID, 0, 10)
		if err != nil || len(list) != 3 || list[0].Detail != "done 100" || list[0].Title != "Un banc" ||
			list[0].ActorID != f.official.Account.ID || list[0].SubjectKind != notifications.BudgetProject {
			t.Errorf("fan's notifications %+v %v", list, err)
		}
	})
}

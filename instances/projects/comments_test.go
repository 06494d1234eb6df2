package projects_test

import (
	"testing"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/instancestest"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/notifications"
	"agora/instances/projects"
	"agora/storage/storagetest"
)

// Residents comment on a funded project with the debates machinery: the
// project counts its visible comments, the commenter follows it (and
// hears of its next step), a moderator hides a comment with a reason
// (the count follows, the author is told); an unfunded project, an
// unknown one and an empty comment are refused with nothing changed.
func TestProjectComments(t *testing.T) {
	storagetest.Parallel(t, newVoteFixture, func(t *testing.T, f *voteFixture) {
		ctx := t.Context()
		comments := debates.NewService(f.db, markup.New(), f.clock.Now)
		mod := moderation.NewService(f.db, f.clock.Now)
		p, other := f.fundedWithIdeas(t, nil)
		ann := instancestest.Account(t, f.acc, "annie")
		moderator := instancestest.Account(t, f.acc, "modo", accounts.Moderator)
		on := debates.Target{Kind: debates.TargetBudgetProject, ID: p.ID}
		count := func() int {
			var n int
			if err := f.db.NewSelect().Table("budget_projects").Column("comment_count").Where("id = ?", p.ID).Scan(ctx, &n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		before := storagetest.TakeSnapshot(t, f.db, "comments", "budget_projects", "follows", "notifications", "outbox_events")
		for _, tc := range []struct {
			name string
			in   debates.NewComment
			want error
		}{
			{"unfunded project", debates.NewComment{Target: debates.Target{Kind: debates.TargetBudgetProject, ID: other.ID}, Body: "Dommage"}, debates.ErrTarget},
			{"unknown project", debates.NewComment{Target: debates.Target{Kind: debates.TargetBudgetProject, ID: "nope"}, Body: "?"}, debates.ErrNotFound},
			{"empty", debates.NewComment{Target: on, Body: "  "}, debates.ErrBody},
		} {
			_, err := comments.Add(ctx, accounts.As(ann), tc.in)
			instancestest.WantErr(t, err, tc.want, tc.name)
		}
		before.Unchanged(t, f.db, "refused comments")

		c, err := comments.Add(ctx, accounts.As(ann), debates.NewComment{Target: on, Body: "Merci, vivement le banc !"})
		if err != nil {
			t.Fatal(err)
		}
		reply, err := comments.Add(ctx, f.resident, debates.NewComment{ParentID: c.ID, Body: "Oui !"})
		if err != nil || reply.Target() != on {
			t.Fatalf("reply %+v %v", reply, err)
		}
		if count() != 2 {
			t.Errorf("comment_count %d, want 2", count())
		}
		notes := notifications.NewService(f.db, f.clock.Now)
		if following, err := notes.Following(ctx, ann.ID, notifications.Target{Kind: notifications.BudgetProject, ID: p.ID}); err != nil || !following {
			t.Errorf("the commenter does not follow the project: %v", err)
		}
		if _, err := f.svc.AddMilestone(ctx, f.official, p.ID, projects.MilestoneInput{Status: projects.Study, Text: "Études"}); err != nil {
			t.Fatal(err)
		}
		if list, err := notes.List(ctx, ann.ID, 0, 10); err != nil || len(list) != 2 || list[0].Kind != notifications.BudgetStep {
			t.Errorf("the commenter's notifications: %+v %v", list, err) // the reply, then the step
		}

		if err := mod.Hide(ctx, accounts.As(moderator), moderation.Target{Kind: moderation.TargetComment, ID: reply.ID}, "Hors sujet"); err != nil {
			t.Fatal(err)
		}
		if count() != 1 {
			t.Errorf("comment_count after hiding %d, want 1", count())
		}
		list, err := notes.List(ctx, f.resident.Account.ID, 0, 10)
		if err != nil || len(list) == 0 || list[0].SubjectKind != notifications.BudgetProject || list[0].Detail != "Hors sujet" {
			t.Errorf("the hidden comment's author: %+v %v", list, err)
		}
		thread, err := comments.Thread(ctx, on, debates.ThreadOptions{})
		if err != nil || len(thread) != 1 || len(thread[0].Replies) != 1 || !thread[0].Replies[0].Hidden() {
			t.Errorf("thread %+v %v", thread, err)
		}
	})
}

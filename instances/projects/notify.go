package projects

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/notifications"
)

// notifyStep tells of a step of a funded project's follow-up, in the
// transaction that records it (see package notifications): the authors
// of the ideas the project merges, and the residents who follow the
// project, each once (one event); whoever posted the step is not told
// of it. Ideas hidden by moderators or withdrawn still count: their
// authors proposed the project all the same.
func notifyStep(ctx context.Context, tx bun.IDB, at time.Time, p *Project, m *Milestone) error {
	var authors []string
	if len(p.Ideas) > 0 {
		if err := tx.NewSelect().Table("proposals").Column("author_id").
			Where("id IN (?) AND author_id IS NOT NULL", bun.In(p.Ideas)).Scan(ctx, &authors); err != nil {
			return fmt.Errorf("find the ideas' authors: %w", err)
		}
	}
	t := notifications.Target{Kind: notifications.BudgetProject, ID: p.ID}
	return notifications.Record(ctx, tx, notifications.Event{Kind: notifications.BudgetStep, Subject: t, Title: p.Title,
		Detail: notifications.StepDetail(string(m.Status), m.Progress), ActorID: m.AuthorID, At: at,
		To: authors, Followers: []notifications.Target{t}})
}

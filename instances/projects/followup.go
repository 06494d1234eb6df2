package projects

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/outbox"
	"agora/storage/database"
)

// MilestoneInput is one step of a funded project's follow-up: where it
// stands now, how far along, what happened, and what it has cost so far.
type MilestoneInput struct {
	Status     Status
	Progress   int // percent, 0 to 100; Done is 100
	Text       string
	ActualCost int64 // 0: unchanged
}

// TextMax bounds a milestone's text.
const TextMax = 5_000

// AddMilestone records a step of a funded project's follow-up and moves
// the project to it. Abandoning a project needs its reason (the text);
// a project done is at 100 %.
func (s *Service) AddMilestone(ctx context.Context, actor accounts.Actor, projectID string, in MilestoneInput) (*Milestone, error) {
	if !manages(actor) {
		return nil, ErrForbidden
	}
	if in.Status == Done {
		in.Progress = 100
	}
	if err := in.Problems().Err(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	m := &Milestone{ID: database.NewID(), ProjectID: projectID, Status: in.Status, Progress: in.Progress,
		Text: strings.TrimSpace(in.Text), ActualCost: in.ActualCost, AuthorID: actorID(actor), At: now}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p, err := projectOn(ctx, tx, projectID)
		if err != nil {
			return err
		}
		if !p.Funded {
			return ErrNotFunded
		}
		if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
			return fmt.Errorf("insert milestone: %w", err)
		}
		q := tx.NewUpdate().Model((*Project)(nil)).Where("id = ?", projectID).
			Set("status = ?", in.Status).Set("progress = ?", in.Progress).Set("updated_at = ?", now)
		if in.ActualCost != 0 {
			q = q.Set("actual_cost = ?", in.ActualCost)
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("move project: %w", err)
		}
		// The space's Group announces the step to those who follow it;
		// the ideas' authors and the project's followers are told.
		if err := outbox.Record(ctx, tx, now, outbox.Create, StepObject, m.ID, ""); err != nil {
			return err
		}
		// ...and the project's Page, with its new status and progress.
		if err := outbox.Record(ctx, tx, now, outbox.Update, ProjectObject, projectID, ""); err != nil {
			return err
		}
		if err := notifyStep(ctx, tx, now, p, m); err != nil {
			return err
		}
		return accounts.Record(ctx, tx, now, actor, "budget.milestone", projectID, "status="+string(in.Status), "")
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Problems names each field of the milestone at fault.
func (in MilestoneInput) Problems() Problems {
	p := Problems{}
	p.text("text", in.Text, TextMax, true)
	if !slices.Contains(Statuses, in.Status) {
		p["status"] = ProblemUnknown
	}
	if in.Progress < 0 || in.Progress > 100 {
		p["progress"] = ProblemRange
	}
	if in.ActualCost != 0 {
		p.amount("actual_cost", in.ActualCost)
	}
	return p
}

// StepObject is the outbox's name for a published step.
const StepObject = "budget_step"

// ProjectObject is the outbox's name for a project of a decided edition,
// published once the result is out and updated at each step.
const ProjectObject = "budget_project"

// publishProjects records, in the transaction that puts the result of an
// edition out, the creation of each of its projects for federation.
func publishProjects(ctx context.Context, tx bun.IDB, now time.Time, budgetID string) error {
	var ids []string
	if err := tx.NewSelect().Model((*Project)(nil)).Column("id").Where("budget_id = ?", budgetID).
		Order("ref", "id").Scan(ctx, &ids); err != nil {
		return fmt.Errorf("projects to publish: %w", err)
	}
	for _, id := range ids {
		if err := outbox.Record(ctx, tx, now, outbox.Create, ProjectObject, id, ""); err != nil {
			return err
		}
	}
	return nil
}

// Published returns a project of a decided edition, with its edition:
// what federation publishes. ErrNotFound for an unknown project, or one
// whose edition has no result yet (it is not public as a result).
func (s *Service) Published(ctx context.Context, id string) (*Project, *Budget, error) {
	p, err := projectOn(ctx, s.db, id)
	if err != nil {
		return nil, nil, err
	}
	b, err := budgetOn(ctx, s.db, p.BudgetID)
	if err != nil {
		return nil, nil, err
	}
	if b.ResultsAt.IsZero() {
		return nil, nil, ErrNotFound
	}
	return p, b, nil
}

// StepOf returns a published step with its project and budget.
func (s *Service) StepOf(ctx context.Context, id string) (*Milestone, *Project, *Budget, error) {
	m := new(Milestone)
	err := s.db.NewSelect().Model(m).Where("m.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("read step: %w", err)
	}
	p, err := projectOn(ctx, s.db, m.ProjectID)
	if err != nil {
		return nil, nil, nil, err
	}
	b, err := budgetOn(ctx, s.db, p.BudgetID)
	if err != nil {
		return nil, nil, nil, err
	}
	return m, p, b, nil
}

// Step is a milestone with the project it moves, for a budget's feed.
type Step struct {
	Milestone
	ProjectTitle string `bun:"project_title"`
}

// Steps returns the newest milestones of a budget's projects, at most
// limit of them.
func (s *Service) Steps(ctx context.Context, budgetID string, limit int) ([]Step, error) {
	var out []Step
	err := s.db.NewSelect().Model((*Milestone)(nil)).ColumnExpr("m.*").ColumnExpr("p.title AS project_title").
		Join("JOIN budget_projects AS p ON p.id = m.project_id").Where("p.budget_id = ?", budgetID).
		OrderExpr("m.at DESC, m.id DESC").Limit(int64(limit)).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("read steps: %w", err)
	}
	return out, nil
}

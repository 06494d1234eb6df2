package federation

import (
	"context"
	"errors"
	"fmt"

	"agora/federation/as2"
	"agora/instances/projects"
	"agora/instances/spaces"
)

// Budget projects (docs/FEDERATION.md, "Project of a participatory
// budget: Page"): once an edition's result is out, each of its projects
// is a Page of the budget space's Group, created then and updated at
// each step of its follow-up, announced as the Group announces steps.

// budgetProjectDoc renders a project of a decided edition; a project
// whose edition has no result yet is not published (errGone).
func (s *Service) budgetProjectDoc(ctx context.Context, r as2.Renderer, id string) (*as2.Doc, *spaces.Space, error) {
	if s.projects == nil {
		return nil, nil, errGone
	}
	p, b, err := s.projects.Published(ctx, id)
	if errors.Is(err, projects.ErrNotFound) {
		return nil, nil, errGone
	}
	if err != nil {
		return nil, nil, err
	}
	sp, err := s.spaces.ByID(ctx, b.SpaceID)
	if err != nil {
		return nil, nil, err
	}
	heading := p.Heading
	for _, h := range b.Headings {
		if h.Slug == p.Heading {
			heading = h.Name
		}
	}
	// Budgets of one heading (imported editions) name no envelope.
	if len(b.Headings) < 2 {
		heading = ""
	}
	return r.BudgetProjectPage(as2.BudgetProjectInput{ID: p.ID, Ref: p.Ref, Title: p.Title, Description: p.Description,
		Edition: b.Title, Heading: heading, Cost: p.Cost, Spent: p.ActualCost, Votes: p.Votes, Currency: b.Currency,
		Funded: p.Funded, Status: string(p.Status), Progress: p.Progress, Published: b.ResultsAt, Updated: p.UpdatedAt,
		Space: sp}), sp, nil
}

// budgetOf reads the figures of a budget project a followed space sent
// (nil for any other object): bounded and checked by as2, texts made
// plain. A project with figures of the wrong kind or out of bounds is
// refused whole, so nothing half-read is kept.
func (s *Service) budgetOf(o *as2.Object, raw map[string]any) (*as2.BudgetProject, error) {
	bp, ok, err := as2.ReadBudgetProject(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: budget project %s: %w", ErrInvalid, o.ID, err)
	}
	if !ok || o.Type != "Page" {
		return nil, nil
	}
	bp.Edition = s.plain(bp.Edition, maxPeerName)
	bp.Heading = s.plain(bp.Heading, maxPeerName)
	bp.Ref = s.plain(bp.Ref, maxPeerName)
	return &bp, nil
}

// Package budgets is the surface of participatory budgets: a space's
// editions, an edition's projects and its result by both rules side by
// side, each project's follow-up once funded (officials post its
// milestones), the .pb file of an imported edition, and the JSON of
// /api/v1/budgets. The editions are instances/projects'.
package budgets

import (
	"embed"
	"errors"
	"fmt"
	"net/http"

	"agora/frontend/web"
	"agora/instances/projects"
	"agora/instances/spaces"
)

//go:embed templates
var templates embed.FS

// Deps are the services the surface uses.
type Deps struct {
	Projects *projects.Service
	Spaces   *spaces.Service
}

type surface struct {
	*web.Pages
	projects *projects.Service
	spaces   *spaces.Service
}

// Register serves the surface on the kit's router.
func Register(k *web.Kit, d Deps) error {
	if d.Projects == nil || d.Spaces == nil {
		return errors.New("the budget pages need the editions and the spaces")
	}
	pages, err := k.Pages(templates, "templates/*.html")
	if err != nil {
		return fmt.Errorf("budgets: %w", err)
	}
	s := &surface{Pages: pages, projects: d.Projects, spaces: d.Spaces}
	k.MapErrors(
		web.MapError(projects.ErrNotFound, http.StatusNotFound, "budget.error.not_found", ""),
		web.MapError(projects.ErrDecided, http.StatusConflict, "budget.error.decided", ""),
		web.MapError(projects.ErrForbidden, http.StatusForbidden, "error.role", ""),
		web.MapError(projects.ErrNotFunded, http.StatusConflict, "budget.error.not_funded", ""),
	)
	anyone := k.Anyone()
	anyone.Get("/spaces/{slug}/budgets", s.spaceBudgets)
	anyone.Get("/budgets/{id}", s.budgetPage)
	anyone.Get("/budgets/{id}/budget.pb", s.pbFile)
	anyone.Get("/budgets/{id}/feed.atom", s.feed)
	anyone.Get("/budgets/projects/{id}", s.projectPage)
	anyone.Get("/budgets/steps/{id}", s.stepPage)
	// Officials and admins manage budgets: the handlers ask the domain
	// (projects.Manages), as the kit's guards know one role at a time.
	official := k.SignedIn()
	official.Get("/spaces/{slug}/budgets/new", s.managing(s.newBudget))
	official.Post("/spaces/{slug}/budgets", s.managing(s.createBudget))
	official.Post("/budgets/{id}/projects", s.managing(s.addProject))
	official.Post("/budgets/projects/{id}/review", s.managing(s.review))
	official.Post("/budgets/projects/{id}/milestones", s.managing(s.milestoneSave))
	k.OpenData("/api/v1/budgets/{id}", s.budgetJSON)
	k.OpenData("/api/v1/budgets/{id}/results", s.resultsJSON)
	return nil
}

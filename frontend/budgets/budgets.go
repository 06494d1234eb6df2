// Package budgets is the surface of participatory budgets: a space's
// editions, an edition's projects and its result by both rules side by
// side, each project's follow-up once funded (officials post its
// milestones, residents follow it), the .pb file of an edition (kept
// when imported, made from the published ballots when voted on the
// node), the open data of the projects, and the JSON of
// /api/v1/budgets. The editions are instances/projects'.
package budgets

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net/http"

	"agora/frontend/web"
	"agora/instances/decisions"
	"agora/instances/notifications"
	"agora/instances/projects"
	"agora/instances/spaces"
)

//go:embed templates
var templates embed.FS

// Deps are the services the surface uses.
type Deps struct {
	Projects *projects.Service
	Spaces   *spaces.Service
	// Voting, when set, serves the vote phase: opening an edition's
	// vote, the ballot of each heading, and the count.
	Voting *projects.Voting
	// Follows, when set, shows a project's follow button (its posts are
	// the notify surface's).
	Follows Follows
	// Comments, when set, shows a funded project's comments and the form
	// to add one (the debates service).
	Comments Comments
}

// Follows tells whether a resident follows a project (package
// notifications).
type Follows interface {
	Following(ctx context.Context, accountID string, t notifications.Target) (bool, error)
}

type surface struct {
	*web.Pages
	projects *projects.Service
	spaces   *spaces.Service
	voting   *projects.Voting // nil: no vote phase on the node
	follows  Follows          // nil: no follows on the node
	comments Comments         // nil: no comments on the node
}

// Register serves the surface on the kit's router.
func Register(k *web.Kit, d Deps) error {
	if d.Projects == nil || d.Spaces == nil {
		return errors.New("the budget pages need the editions and the spaces")
	}
	pages, err := k.Pages(templates, "templates/*.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("budgets: %w", err)
	}
	s := &surface{Pages: pages, projects: d.Projects, spaces: d.Spaces, voting: d.Voting, follows: d.Follows, comments: d.Comments}
	k.MapErrors(
		web.MapError(projects.ErrNotFound, http.StatusNotFound, "budget.error.not_found", ""),
		web.MapError(projects.ErrDecided, http.StatusConflict, "budget.error.decided", ""),
		web.MapError(projects.ErrForbidden, http.StatusForbidden, "error.role", ""),
		web.MapError(projects.ErrNotFunded, http.StatusConflict, "budget.error.not_funded", ""),
		web.MapError(errChooseHeading, http.StatusBadRequest, "budgetopen.error.heading", ""),
	)
	anyone := k.Anyone()
	anyone.Get("/spaces/{slug}/budgets", s.spaceBudgets)
	anyone.Get("/budgets/{id}", s.budgetPage)
	anyone.Get("/budgets/{id}/budget.pb", s.pbFile)
	anyone.Get("/budgets/{id}/feed.atom", s.feed)
	anyone.Get("/budgets/projects/{id}", s.projectPage)
	anyone.Get("/budgets/steps/{id}", s.stepPage)
	anyone.Get("/budgets/{id}/map", s.mapPage)
	anyone.Get("/budgets/projects/{id}/photos/{n:[0-9]+}", s.photoServe)
	// Officials and admins manage budgets: the handlers ask the domain
	// (projects.Manages), as the kit's guards know one role at a time.
	official := k.SignedIn()
	official.Get("/spaces/{slug}/budgets/new", s.managing(s.newBudget))
	official.Post("/spaces/{slug}/budgets", s.managing(s.createBudget))
	official.Post("/budgets/{id}/projects", s.managing(s.addProject))
	official.Post("/budgets/projects/{id}/review", s.managing(s.review))
	official.Post("/budgets/projects/{id}/milestones", s.managing(s.milestoneSave))
	official.Post("/budgets/projects/{id}/place", s.managing(s.placeSave))
	official.Post("/budgets/projects/{id}/photos", s.managing(s.photoSave))
	official.Post("/budgets/projects/{id}/photos/{n:[0-9]+}/remove", s.managing(s.photoRemove))
	k.UploadPattern("/budgets/projects/*/photos", photoLimit)
	if s.voting != nil {
		k.MapErrors(
			web.MapError(projects.ErrVoting, http.StatusConflict, "budgetvote.error.voting", ""),
			web.MapError(projects.ErrVoteOpened, http.StatusConflict, "budgetvote.error.opened", ""),
			web.MapError(projects.ErrNoVote, http.StatusNotFound, "budgetvote.error.no_vote", ""),
			web.MapError(projects.ErrVoteRunning, http.StatusConflict, "budgetvote.error.running", ""),
			// The ballot's errors, as the votes' pages word them (the
			// first mapping of an error wins: these serve when the votes'
			// pages are not on the node).
			web.MapError(decisions.ErrSignIn, http.StatusUnauthorized, "error.401", ""),
			web.MapError(decisions.ErrNotVerified, http.StatusForbidden, "vote.error.not_verified", ""),
			web.MapError(decisions.ErrNotOpen, http.StatusConflict, "vote.error.not_open", ""),
			web.MapError(decisions.ErrClosed, http.StatusConflict, "vote.error.closed", ""),
			web.MapError(decisions.ErrPaperCast, http.StatusConflict, "vote.error.paper", ""),
			web.MapError(decisions.ErrUnknownOption, http.StatusBadRequest, "vote.error.unknown_option", "ballot"),
			web.MapError(decisions.ErrEmptyBallot, http.StatusBadRequest, "vote.error.empty", "ballot"),
			web.MapError(decisions.ErrRepeated, http.StatusBadRequest, "vote.error.repeated", "ballot"),
			web.MapError(decisions.ErrOverBudget, http.StatusBadRequest, "vote.error.budget", "ballot"),
			web.MapError(decisions.ErrTooMany, http.StatusBadRequest, "budgetvote.error.too_many", "ballot"),
		)
		anyone.Get("/budgets/{id}/ballots/{heading}", s.ballotPage)
		k.SignedIn().Post("/budgets/{id}/ballots/{heading}", s.ballotPost)
		official.Get("/budgets/{id}/vote/new", s.managing(s.voteNew))
		official.Post("/budgets/{id}/vote", s.managing(s.voteOpen))
		official.Post("/budgets/{id}/count", s.managing(s.voteCount))
	}
	k.OpenData("/api/v1/budgets/{id}", s.budgetJSON)
	k.OpenData("/api/v1/budgets/{id}/results", s.resultsJSON)
	k.OpenData("/budgets/{id}/projects.csv", s.projectsCSV)
	k.OpenData("/budgets/{id}/projects.json", s.projectsJSON)
	return nil
}

// Package decisions is the surface of binding votes: the list of votes,
// a vote's page (its question and options, the ballot form while it is
// open, the resident's own ballot and the chain of their delegation,
// the results once it closed, as bars drawn on the server with a data
// table beside them), casting a ballot and its receipt shown once, and
// the published results as JSON for anyone to count again.
package decisions

import (
	"embed"
	"errors"
	"fmt"
	"net/http"

	"agora/frontend/web"
	"agora/instances/decisions"
)

//go:embed templates
var templates embed.FS

// Deps are the services the pages use.
type Deps struct {
	Decisions *decisions.Service
}

type surface struct {
	*web.Pages
	decisions *decisions.Service
}

// Register serves the pages on the kit's router.
func Register(k *web.Kit, d Deps) error {
	if d.Decisions == nil {
		return errors.New("the vote pages need the decisions service")
	}
	pages, err := k.Pages(templates, "templates/*.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("decisions: %w", err)
	}
	s := &surface{Pages: pages, decisions: d.Decisions}
	k.MapErrors(errorTable...)
	k.Nav("votes")
	anyone := k.Anyone()
	anyone.Get("/votes", s.list)
	anyone.Get("/votes/{id}", s.page)
	anyone.Get("/votes/{id}/results.json", s.published)
	k.SignedIn().Post("/votes/{id}/ballot", s.cast)
	return nil
}

// errorTable is what a reader is told of the errors of instances/decisions.
var errorTable = []web.DomainError{
	web.MapError(decisions.ErrNotFound, http.StatusNotFound, "vote.error.not_found", ""),
	web.MapError(decisions.ErrSignIn, http.StatusUnauthorized, "error.401", ""),
	web.MapError(decisions.ErrForbidden, http.StatusForbidden, "error.403", ""),
	web.MapError(decisions.ErrNotVerified, http.StatusForbidden, "vote.error.not_verified", ""),
	web.MapError(decisions.ErrNotOpen, http.StatusConflict, "vote.error.not_open", ""),
	web.MapError(decisions.ErrClosed, http.StatusConflict, "vote.error.closed", ""),
	web.MapError(decisions.ErrStillOpen, http.StatusNotFound, "vote.error.still_open", ""),
	web.MapError(decisions.ErrPaperCast, http.StatusConflict, "vote.error.paper", ""),
	web.MapError(decisions.ErrOnlineCast, http.StatusConflict, "vote.error.online", ""),
	web.MapError(decisions.ErrUnknownOption, http.StatusBadRequest, "vote.error.unknown_option", "ballot"),
	web.MapError(decisions.ErrEmptyBallot, http.StatusBadRequest, "vote.error.empty", "ballot"),
	web.MapError(decisions.ErrOneOption, http.StatusBadRequest, "vote.error.one", "ballot"),
	web.MapError(decisions.ErrRepeated, http.StatusBadRequest, "vote.error.repeated", "ballot"),
	web.MapError(decisions.ErrScoreBounds, http.StatusBadRequest, "vote.error.bounds", "ballot"),
	web.MapError(decisions.ErrOverBudget, http.StatusBadRequest, "vote.error.budget", "ballot"),
	web.MapError(decisions.ErrWrongForm, http.StatusBadRequest, "vote.error.empty", "ballot"),
}

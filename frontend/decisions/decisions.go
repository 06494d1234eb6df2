// Package decisions is the surface of binding votes: the list of votes,
// a vote's page (its question and options, the ballot form while it is
// open, the resident's own ballot and the chain of their delegation,
// the results once it closed, as bars drawn on the server with a data
// table beside them), casting a ballot and its receipt shown once, and
// the published results as JSON and CSV for anyone to count again; the
// form officials open and edit a vote with, the delegation page (agree
// to be a delegate, delegate, revoke), and the desk page where an agent
// records a ballot for a resident present or enters a paper ballot.
package decisions

import (
	"embed"
	"errors"
	"fmt"
	"net/http"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

//go:embed templates
var templates embed.FS

// Deps are the services the pages use.
type Deps struct {
	Decisions *decisions.Service
	Spaces    *spaces.Service
	// Proposals, when set, lets the vote form take a space's proposals
	// in a state as the options.
	Proposals *proposals.Service
}

type surface struct {
	*web.Pages
	decisions *decisions.Service
	spaces    *spaces.Service
	proposals *proposals.Service
}

// Register serves the pages on the kit's router.
func Register(k *web.Kit, d Deps) error {
	if d.Decisions == nil || d.Spaces == nil {
		return errors.New("the vote pages need the decisions and spaces services")
	}
	pages, err := k.Pages(templates, "templates/*.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("decisions: %w", err)
	}
	s := &surface{Pages: pages, decisions: d.Decisions, spaces: d.Spaces, proposals: d.Proposals}
	k.MapErrors(errorTable...)
	k.Nav("votes")
	k.Download("/votes/*/ballots.csv")
	anyone, signed, agent := k.Anyone(), k.SignedIn(), k.Role(accounts.Agent)
	// Before /votes/{id}, which would take "new" for an id.
	signed.Get("/votes/new", s.newVote)
	signed.Post("/votes/new", s.createVote)
	anyone.Get("/votes", s.list)
	anyone.Get("/votes/{id}", s.page)
	anyone.Get("/votes/{id}/results.json", s.published)
	anyone.Get("/votes/{id}/results.csv", s.resultsCSV)
	anyone.Get("/votes/{id}/ballots.csv", s.ballotsCSV)
	signed.Post("/votes/{id}/ballot", s.cast)
	signed.Get("/votes/{id}/edit", s.editVote)
	signed.Post("/votes/{id}/edit", s.updateVote)
	agent.Get("/votes/{id}/desk", s.deskPage)
	agent.Post("/votes/{id}/desk", s.deskCast)
	signed.Get("/delegation", s.delegationPage)
	signed.Post("/delegation", s.delegate)
	signed.Post("/delegation/revoke", s.revoke)
	signed.Post("/delegation/agree", s.agree)
	signed.Post("/delegation/withdraw", s.withdraw)
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
	web.MapError(decisions.ErrBallotsCast, http.StatusConflict, "votepages.error.ballots_cast", ""),
	web.MapError(decisions.ErrSelf, http.StatusBadRequest, "votepages.error.self", "delegate"),
	web.MapError(decisions.ErrNotDelegate, http.StatusBadRequest, "votepages.error.not_delegate", "delegate"),
	web.MapError(decisions.ErrCycle, http.StatusConflict, "votepages.error.cycle", "delegate"),
	web.MapError(decisions.ErrScope, http.StatusBadRequest, "votepages.error.scope", "scope"),
	web.MapError(decisions.ErrNoneToEnd, http.StatusConflict, "votepages.error.none_to_end", ""),
}

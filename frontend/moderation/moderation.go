// Package moderation is the surface of moderation: the public log, the
// moderators' queue of open reports, reporting a proposal, a debate or a
// comment, and the moderators' acts on them (hide, show again,
// recategorise, merge).
//
// Every act takes a reason, which the public log shows; the log never
// names who reported or who moderated. Each act has its own page with its
// form: the queue's inline forms post there too, and a refused post shows
// that page with the message next to the field. A post may carry next, a
// path on this site to go back to once done.
package moderation

import (
	"embed"
	"errors"
	"fmt"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

//go:embed templates
var templates embed.FS

// Deps are the services moderation uses.
type Deps struct {
	Accounts   *accounts.Service
	Spaces     *spaces.Service
	Proposals  *proposals.Service
	Debates    *debates.Service
	Moderation *moderation.Service
	Markup     *markup.Renderer
}

type surface struct {
	*web.Pages
	accounts   *accounts.Service
	spaces     *spaces.Service
	proposals  *proposals.Service
	debates    *debates.Service
	moderation *moderation.Service
	markup     *markup.Renderer
}

// Register serves moderation's pages on the kit's router.
func Register(k *web.Kit, d Deps) error {
	if d.Accounts == nil || d.Spaces == nil || d.Proposals == nil || d.Debates == nil || d.Moderation == nil || d.Markup == nil {
		return errors.New("moderation needs accounts, spaces, proposals, debates, moderation and markup")
	}
	pages, err := k.Pages(templates, "templates/*.html", "templates/partials/*.html")
	if err != nil {
		return fmt.Errorf("moderation: %w", err)
	}
	s := &surface{Pages: pages, accounts: d.Accounts, spaces: d.Spaces, proposals: d.Proposals, debates: d.Debates,
		moderation: d.Moderation, markup: d.Markup}
	k.Cache("/moderation")
	s.routes()
	return nil
}

func (s *surface) routes() {
	anyone, signedIn, mod := s.Anyone(), s.SignedIn(), s.Role(accounts.Moderator)

	anyone.Get("/moderation", s.moderationLogPage)
	mod.Get("/moderation/reports", s.reportsPage)
	mod.Get("/moderation/reports/{id}/resolve", s.resolvePage)
	mod.Post("/moderation/reports/{id}/resolve", s.resolveSave)
	for _, act := range []modAct{actHide, actUnhide, actRecategorise, actMerge} {
		path := "/moderation/proposals/{id}/" + string(act)
		mod.Get(path, s.modActPage(moderation.TargetProposal, act))
		mod.Post(path, s.modActSave(moderation.TargetProposal, act))
	}
	for _, t := range []struct {
		prefix string
		kind   moderation.TargetKind
	}{{"/proposals/{id}", moderation.TargetProposal}, {"/debates/{id}", moderation.TargetDebate}, {"/comments/{id}", moderation.TargetComment}} {
		signedIn.Get(t.prefix+"/report", s.reportPage(t.kind))
		signedIn.Post(t.prefix+"/report", s.reportSave(t.kind))
		if t.kind == moderation.TargetProposal {
			continue // a proposal's acts are under /moderation/proposals/
		}
		for _, act := range []modAct{actHide, actUnhide} {
			mod.Get(t.prefix+"/"+string(act), s.modActPage(t.kind, act))
			mod.Post(t.prefix+"/"+string(act), s.modActSave(t.kind, act))
		}
	}
}

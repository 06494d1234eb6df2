package participation

import (
	"html/template"
	"net/http"

	"agora/frontend/web"
	"agora/instances/notifications"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/spaces"
)

// spaceData is a space's page: its description, its phases as a
// timeline, what residents can do now, and its categories.
type spaceData struct {
	Follow      *web.FollowButton
	Space       *spaces.Space
	Kind        string
	Description template.HTML // rendered and sanitised by the spaces service
	Phases      []phaseView
	Now         string
	CanPropose  bool
	Categories  []web.Option
	Done        string
	// DatesChanged is when an admin last moved its dates, for a while
	// after (spaces.Space.DatesChanged); Edit: the reader may change it.
	DatesChanged string
	Edit         bool
}

func (s *surface) spacePage(w http.ResponseWriter, r *http.Request) {
	sp := s.spaceBySlug(w, r, mux.Vars(r)["slug"])
	if sp == nil {
		return
	}
	l, now := s.Printer(r), s.Now()
	d := spaceData{Space: sp, Kind: spaceKindName(l, sp.Kind), Description: template.HTML(s.spaces.DescriptionHTML(sp)),
		Phases: s.phaseViews(l, sp, now), Now: s.whatNow(l, sp, now), CanPropose: sp.AllowsProposals(now)}
	for _, c := range sp.Categories {
		d.Categories = append(d.Categories, web.Option{Value: c.Slug, Label: c.Name(l.Lang)})
	}
	switch r.URL.Query().Get("done") {
	case "created":
		d.Done = "space.done.created"
	case "edited":
		d.Done = "rules.space.edited"
	}
	var err error
	if d.Follow, err = s.followButton(r, notifications.Space, sp.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	if sp.DatesChanged(now) {
		d.DatesChanged = l.T("rules.space.dates_changed", l.Date(*sp.DatesChangedAt))
	}
	d.Edit = web.CurrentAccount(r).Has(accounts.Admin)
	s.HTML(w, r, http.StatusOK, "space", sp.Title, d)
}

package participation

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/notifications"
	"agora/instances/proposals"
)

// personData is a resident's public profile.
type personData struct {
	Name          string
	Handle        string // @handle@host, to follow from the fediverse
	Since         string
	Proposals     []contribution
	Debates       []contribution
	Comments      []contribution
	Supports      []contribution // only when they chose to show them
	ShowsSupports bool
	Follow        *web.FollowButton // follow on this node, for a signed-in reader
}

// contribution is one line of a profile's lists.
type contribution struct {
	Title, URL, Meta string
}

// profileListed is how many of each kind a profile lists.
const profileListed = 20

// personPage is the page of a resident who chose a public profile: what
// a fediverse user reaches from the author of a proposal or comment, and
// what author names link to. It lists what they wrote that anyone may
// read, and the proposals they support if they chose to show them. A
// private or deleted account has no page, and nothing says it exists.
func (s *surface) personPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a, err := s.accounts.ByHandle(ctx, mux.Vars(r)["handle"])
	if errors.Is(err, accounts.ErrNotFound) || err == nil && (!a.Public || a.Deleted()) {
		s.Fail(w, r, web.HTTPError(http.StatusNotFound, nil))
		return
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	d := personData{Name: a.DisplayName, Handle: "@" + a.Handle + "@" + s.BaseURL().Host, Since: l.Date(a.CreatedAt),
		ShowsSupports: a.ShowSupports}
	ps, err := s.proposals.ByAuthor(ctx, a.ID, profileListed)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d.Proposals = proposalLines(l, ps)
	ds, err := s.debates.DebatesByAuthor(ctx, a.ID, profileListed)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, db := range ds {
		d.Debates = append(d.Debates, contribution{Title: db.Question, URL: "/debates/" + db.ID,
			Meta: l.T("debate.state."+string(db.State)) + " · " + l.Date(db.CreatedAt)})
	}
	cs, err := s.debates.CommentsByAuthor(ctx, a.ID, profileListed)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for _, c := range cs {
		on := "person.comment_on.proposal"
		switch c.TargetKind {
		case debates.TargetDebate:
			on = "person.comment_on.debate"
		case debates.TargetBudgetProject:
			on = "budgetopen.comment_on.budget_project"
		}
		d.Comments = append(d.Comments, contribution{Title: excerpt(c.Body, 140), URL: web.CommentURL(c.Target(), c.ID, ""),
			Meta: l.T(on) + " · " + l.Date(c.CreatedAt)})
	}
	if a.ShowSupports {
		sup, err := s.proposals.SupportedBy(ctx, a.ID, profileListed)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		d.Supports = proposalLines(l, sup)
	}
	if acc := web.CurrentAccount(r); acc == nil || acc.ID != a.ID {
		if d.Follow, err = s.followButton(r, notifications.Person, a.ID); err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	s.HTML(w, r, http.StatusOK, "person", a.DisplayName, d)
}

func proposalLines(l *i18n.Printer, ps []proposals.Proposal) []contribution {
	out := make([]contribution, 0, len(ps))
	for _, p := range ps {
		out = append(out, contribution{Title: p.Title, URL: "/proposals/" + p.ID,
			Meta: l.T("proposal.state."+string(p.State)) + " · " + l.Date(p.CreatedAt)})
	}
	return out
}

// excerpt is the first n characters of what someone wrote, on one line.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

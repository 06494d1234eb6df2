package opendata

import (
	"cmp"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/instances/debates"
	"agora/instances/proposals"
)

// proposalFeedComments is how many comments a proposal's feed carries:
// the newest.
const proposalFeedComments = 50

// proposalFeed is the Atom feed of one proposal, newest first: its
// timeline (publication, edits, the threshold of supports reached,
// official answers, withdrawal) and its newest visible comments.
func (s *surface) proposalFeed(w http.ResponseWriter, r *http.Request) {
	p, err := s.findPublicProposal(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	events, err := s.proposals.Timeline(r.Context(), p.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	comments, err := s.debates.Latest(r.Context(), debates.Target{Kind: debates.TargetProposal, ID: p.ID}, proposalFeedComments)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l, node := s.Printer(r), s.NodeName(r.Context())
	links := s.Links()
	q := langQuery(web.ChosenLang(r, l))
	title := p.Title
	if p.Hidden() {
		title = l.T("feed.hidden.title")
	}
	f := &web.AtomFeed{
		Lang:     l.Lang,
		ID:       links.ProposalFeed(p.ID, nil),
		Title:    web.AtomText{Body: l.T("feed.proposal.title", title)},
		Subtitle: &web.AtomText{Body: l.T("feed.proposal.subtitle", node)},
		Links: []web.AtomLink{
			{Rel: "self", Type: "application/atom+xml", Href: links.ProposalFeed(p.ID, q)},
			{Rel: "alternate", Type: "text/html", Href: withQuery(links.ProposalPage(p.ID), q), Hreflang: l.Lang},
		},
		Author: &web.AtomPerson{Name: node},
	}
	updated := p.UpdatedAt
	for _, e := range slices.Backward(events) {
		if e.At.After(updated) {
			updated = e.At
		}
		f.Entries = append(f.Entries, s.eventEntry(node, p, e, l, q))
	}
	for _, c := range comments {
		at := c.CreatedAt
		if c.EditedAt != nil {
			at = *c.EditedAt
		}
		if at.After(updated) {
			updated = at
		}
		f.Entries = append(f.Entries, s.commentEntry(p, c, l, q))
	}
	// Timeline and comments together, newest first (RFC 3339 in UTC
	// sorts as text); a stable sort keeps the timeline's own order.
	slices.SortStableFunc(f.Entries, func(a, b web.AtomEntry) int { return strings.Compare(b.Published, a.Published) })
	f.Updated = web.AtomTime(updated)
	s.ServeAtom(w, r, f)
}

// commentEntry is a visible comment on a proposal as a feed entry: its
// author (a former participant once their account is deleted; a remote
// author with their server), its sanitised text, and a link to it in the
// thread.
func (s *surface) commentEntry(p *proposals.Proposal, c *debates.Comment, l *i18n.Printer, q url.Values) web.AtomEntry {
	links := s.Links()
	name, profile, origin, remote := web.CommentAuthor(l, c)
	author := web.AtomPerson{Name: name}
	if remote {
		author = web.AtomPerson{Name: l.T("feed.comment.remote_author", name, origin), URI: profile}
	}
	title := "feed.comment.title"
	if c.ParentID != "" {
		title = "feed.comment.reply_title"
	}
	updated := c.CreatedAt
	if c.EditedAt != nil {
		updated = *c.EditedAt
	}
	return web.AtomEntry{
		ID:        links.ProposalPage(p.ID) + "#comment-" + c.ID,
		Title:     web.AtomText{Body: l.T(title, name)},
		Updated:   web.AtomTime(updated),
		Published: web.AtomTime(c.CreatedAt),
		Authors:   []web.AtomPerson{author},
		Links:     []web.AtomLink{{Rel: "alternate", Type: "text/html", Href: withQuery(links.ProposalPage(p.ID), q) + "#comment-" + c.ID}},
		Content:   web.AtomHTML(c.BodyHTML), // sanitised when written, local or remote
	}
}

// eventEntry is one line of a proposal's timeline as a feed entry. Who
// acted is never named, only their part: the author, the city service
// that answered, moderation, or the node itself.
func (s *surface) eventEntry(node string, p *proposals.Proposal, e proposals.Event, l *i18n.Printer, q url.Values) web.AtomEntry {
	links := s.Links()
	at := web.AtomTime(e.At)
	entry := web.AtomEntry{
		ID:        links.ProposalPage(p.ID) + "#event-" + strconv.FormatInt(e.ID, 10),
		Updated:   at,
		Published: at,
		Links:     []web.AtomLink{{Rel: "alternate", Type: "text/html", Href: withQuery(links.ProposalPage(p.ID), q)}},
	}
	// who acted, when not the proposal's author; the author is not named
	// on a hidden proposal (the feed's own author, the node, stands in).
	who := ""
	para := func(text string) string { return "<p>" + html.EscapeString(text) + "</p>" }
	var content string
	switch e.Kind {
	case "published":
		entry.Title.Body = l.T("feed.event.published")
		content = p.BodyHTML
	case "edited":
		entry.Title.Body = l.T("feed.event.edited")
		content = para(l.T("feed.event.edited.text"))
		if e.Reason != "" {
			who = l.T("feed.author.moderation")
			content = para(l.T("feed.event.reason", e.Reason))
		}
	case "review":
		entry.Title.Body = l.T("feed.event.review")
		content = para(l.T("feed.event.review.text"))
		who = node
	case "answer":
		entry.Title.Body = l.T("feed.event.answer", l.T("feed.state."+string(e.ToState)))
		content = e.AnswerHTML
		who = cmp.Or(e.Service, node)
	case "withdrawn":
		entry.Title.Body = l.T("feed.event.withdrawn")
		content = para(l.T("feed.event.withdrawn.text"))
	default:
		// A kind this feed does not know yet (moderation, merges): say
		// where the proposal now stands.
		entry.Title.Body = l.T("feed.event.state", l.T("feed.state."+string(e.ToState)))
		who = node
		if e.Reason != "" {
			content = para(l.T("feed.event.reason", e.Reason))
		}
	}
	if p.Hidden() && (e.Kind == "published" || e.Kind == "answer") {
		content = hiddenNotice(p, l)
	}
	switch {
	case who != "":
		entry.Authors = []web.AtomPerson{{Name: who}}
	case !p.Hidden():
		entry.Authors = []web.AtomPerson{{Name: authorJSON(p.Author, l).Name}}
	}
	if content != "" {
		entry.Content = web.AtomHTML(content)
	}
	return entry
}

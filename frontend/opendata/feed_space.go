package opendata

import (
	"html"
	"net/http"
	"net/url"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// spaceFeedSize is how many of a space's newest proposals its feed holds.
const spaceFeedSize = 50

// spaceFeed is the Atom feed of a space's newest proposals.
func (s *surface) spaceFeed(w http.ResponseWriter, r *http.Request) {
	sp, err := s.findPublicSpace(r.Context(), mux.Vars(r)["slug"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	page, err := s.proposals.List(r.Context(), proposals.Query{SpaceID: sp.ID, Sort: proposals.Newest, Page: 1, PerPage: spaceFeedSize})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	links := s.Links()
	q := langQuery(web.ChosenLang(r, l))
	f := &web.AtomFeed{
		Lang:     l.Lang,
		ID:       links.SpaceFeed(sp.Slug, nil),
		Title:    web.AtomText{Body: l.T("feed.space.title", sp.Title)},
		Subtitle: &web.AtomText{Body: l.T("feed.space.subtitle", s.NodeName(r.Context()))},
		Links: []web.AtomLink{
			{Rel: "self", Type: "application/atom+xml", Href: links.SpaceFeed(sp.Slug, q)},
			{Rel: "alternate", Type: "text/html", Href: withQuery(links.SpacePage(sp.Slug), q), Hreflang: l.Lang},
		},
		Author: &web.AtomPerson{Name: s.NodeName(r.Context())},
	}
	updated := sp.UpdatedAt
	for i := range page.Items {
		p := &page.Items[i]
		if p.UpdatedAt.After(updated) {
			updated = p.UpdatedAt
		}
		f.Entries = append(f.Entries, s.proposalEntry(p, sp, l, q))
	}
	f.Updated = web.AtomTime(updated)
	s.ServeAtom(w, r, f)
}

// proposalEntry is a proposal as an entry of its space's feed. A hidden
// proposal stays, so readers replace what they fetched before with the
// moderation notice.
func (s *surface) proposalEntry(p *proposals.Proposal, sp *spaces.Space, l *i18n.Printer, q url.Values) web.AtomEntry {
	links := s.Links()
	e := web.AtomEntry{
		ID:        links.ProposalPage(p.ID),
		Updated:   web.AtomTime(p.UpdatedAt),
		Published: web.AtomTime(p.CreatedAt),
		Links:     []web.AtomLink{{Rel: "alternate", Type: "text/html", Href: withQuery(links.ProposalPage(p.ID), q)}},
	}
	if c := sp.Category(p.Category); c != nil {
		e.Categories = []web.AtomCategory{{Term: c.Slug, Label: c.Name(l.Lang)}}
	}
	if p.Hidden() {
		e.Title = web.AtomText{Body: l.T("feed.hidden.title")}
		e.Content = web.AtomHTML(hiddenNotice(p, l))
		return e
	}
	e.Title = web.AtomText{Body: p.Title}
	e.Authors = []web.AtomPerson{{Name: authorJSON(p.Author, l).Name}}
	meta := l.T("feed.proposal.meta", l.T("feed.state."+string(p.State)), p.SupportCount)
	e.Content = web.AtomHTML(p.BodyHTML + "\n<p><em>" + html.EscapeString(meta) + "</em></p>")
	return e
}

// hiddenNotice is what a feed shows in place of a hidden proposal.
func hiddenNotice(p *proposals.Proposal, l *i18n.Printer) string {
	notice := "<p>" + html.EscapeString(l.T("feed.hidden.text")) + "</p>"
	if p.HiddenReason != "" {
		notice += "\n<p>" + html.EscapeString(l.T("feed.hidden.reason", p.HiddenReason)) + "</p>"
	}
	return notice
}

// langQuery keeps the reader's explicit language choice in the links a
// feed gives, so a feed read in English links to English pages.
func langQuery(lang string) url.Values {
	if lang == "" {
		return nil
	}
	return url.Values{"lang": {lang}}
}

func withQuery(u string, q url.Values) string {
	if len(q) == 0 {
		return u
	}
	return u + "?" + q.Encode()
}

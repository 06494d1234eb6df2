package opendata

import (
	"net/http"
	"net/url"
	"strconv"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/frontend/i18n"
	"agora/instances/debates"
)

// apiComment is one comment in the API: see docs/API.md, Comments.
type apiComment struct {
	ID           string     `json:"id"`
	ParentID     *string    `json:"parent_id"`
	Depth        int        `json:"depth"`
	Author       *apiAuthor `json:"author"`
	Remote       bool       `json:"remote"`
	Body         *string    `json:"body"`
	BodyHTML     *string    `json:"body_html"`
	Alignment    *string    `json:"alignment"`
	SupportCount int        `json:"support_count"`
	CreatedAt    string     `json:"created_at"`
	EditedAt     *string    `json:"edited_at"`
	Deleted      bool       `json:"deleted"`
	Hidden       bool       `json:"hidden"`
	HiddenReason *string    `json:"hidden_reason"`
	URL          string     `json:"url"`
}

type apiCommentPage struct {
	Items   []apiComment `json:"items"`
	Page    int          `json:"page"`
	PerPage int          `json:"per_page"`
	Total   int          `json:"total"` // top-level comments
	Pages   int          `json:"pages"`
	Next    *string      `json:"next"`
	Prev    *string      `json:"prev"`
}

// apiProposalComments lists the comments of a proposal.
func (s *surface) apiProposalComments(w http.ResponseWriter, r *http.Request) {
	p, err := s.findPublicProposal(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.apiComments(w, r, debates.Target{Kind: debates.TargetProposal, ID: p.ID}, s.Links().ProposalPage(p.ID))
}

// apiDebateComments lists the comments of a debate.
func (s *surface) apiDebateComments(w http.ResponseWriter, r *http.Request) {
	d, err := s.debates.Debate(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	s.apiComments(w, r, debates.Target{Kind: debates.TargetDebate, ID: d.ID}, s.Links().Abs("/debates/"+url.PathEscape(d.ID), nil))
}

// apiComments answers a page of threads, oldest first, each comment
// followed by its replies; pages are cut between threads.
func (s *surface) apiComments(w http.ResponseWriter, r *http.Request, t debates.Target, pageURL string) {
	page, perPage, err := web.ParsePaging(r.URL.Query(), 50)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	threads, err := s.debates.Thread(r.Context(), t, debates.ThreadOptions{Sort: debates.SortOldest})
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	out := apiCommentPage{Items: []apiComment{}, Page: page, PerPage: perPage, Total: len(threads)}
	out.Pages = (out.Total + perPage - 1) / perPage
	from := min((page-1)*perPage, len(threads))
	var walk func(n *debates.Node)
	walk = func(n *debates.Node) {
		out.Items = append(out.Items, commentJSON(n.Comment, pageURL, l))
		for _, c := range n.Replies {
			walk(c)
		}
	}
	for _, n := range threads[from:min(from+perPage, len(threads))] {
		walk(n)
	}
	link := func(n int) *string {
		v := url.Values{"page": {strconv.Itoa(n)}, "per_page": {strconv.Itoa(perPage)}}
		u := s.Links().Abs(r.URL.Path, v)
		return &u
	}
	if page < out.Pages {
		out.Next = link(page + 1)
	}
	if page > 1 {
		out.Prev = link(min(page-1, max(out.Pages, 1)))
	}
	s.PublicJSON(w, r, out)
}

// commentJSON shows a comment as the API may: a local author as
// authorJSON does, a fediverse author by name and profile; a hidden or
// deleted comment keeps its place without its words or author.
func commentJSON(c *debates.Comment, pageURL string, l *i18n.Printer) apiComment {
	out := apiComment{
		ID: c.ID, ParentID: optional(c.ParentID), Depth: c.Depth, Remote: c.Remote(),
		SupportCount: c.SupportCount, CreatedAt: apiTime(c.CreatedAt), EditedAt: apiTimePtr(c.EditedAt),
		Deleted: c.Deleted(), Hidden: c.Hidden(), URL: pageURL + "#comment-" + c.ID,
	}
	if c.Hidden() {
		out.HiddenReason = optional(c.HiddenReason)
	}
	if c.Hidden() || c.Deleted() {
		return out
	}
	if c.Alignment != debates.AlignNone {
		out.Alignment = optional(string(c.Alignment))
	}
	out.BodyHTML = optional(c.BodyHTML)
	switch {
	case c.Remote():
		out.Author = &apiAuthor{Name: c.RemoteName, URL: c.RemoteURL}
	default:
		out.Body = optional(c.Body)
		switch a := c.Author; {
		case a == nil || a.DeletedAt != nil:
			out.Author = &apiAuthor{Name: l.T("account.former"), Deleted: true}
		case a.Public:
			out.Author = &apiAuthor{Name: a.DisplayName, Handle: a.Handle}
		default:
			out.Author = &apiAuthor{Name: a.DisplayName}
		}
	}
	return out
}

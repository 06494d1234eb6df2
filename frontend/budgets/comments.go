package budgets

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"

	"agora/frontend/i18n"
	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/debates"
)

// Comments are what the project page reads of its thread: the comments
// machinery of package debates, whose acts (write, reply, edit, report,
// hide) are the participation and moderation surfaces' posts under
// /comments, which come back to the project's page (web.CommentURL).
type Comments interface {
	Thread(ctx context.Context, t debates.Target, opts debates.ThreadOptions) ([]*debates.Node, error)
	TakesComments(ctx context.Context, t debates.Target) error
}

// commentsView is a funded project's thread as the page shows it.
type commentsView struct {
	L       *i18n.Printer
	Target  debates.Target
	Count   int
	Items   []*commentView
	CanAdd  bool   // the reader is signed in and the project takes comments
	SignIn  string // where a visitor signs in to comment
	Closed  bool   // the project does not take comments (not funded)
	Done    string // what the reader just did, in words
	Form    *web.Form
	Account *accounts.Account
}

type commentView struct {
	L                                                     *i18n.Printer
	ID, Author, Profile, Date, DateISO, Reason, EnteredBy string
	Body                                                  template.HTML
	Hidden, Deleted, Mine, Moderator, SignedIn            bool
	Replies                                               []*commentView
}

// commentDone are the confirmations a redirect from /comments may ask
// the page to show (the participation surface's words).
var commentDone = map[string]bool{"added": true, "replied": true, "edited": true, "deleted": true, "hidden": true, "unhidden": true}

// projectComments reads a project's thread for the reader: nil when the
// node has no comments.
func (s *surface) projectComments(r *http.Request, l *i18n.Printer, projectID string) (*commentsView, error) {
	if s.comments == nil {
		return nil, nil
	}
	ctx, acc := r.Context(), web.CurrentAccount(r)
	t := debates.Target{Kind: debates.TargetBudgetProject, ID: projectID}
	v := &commentsView{L: l, Target: t, Form: web.EmptyForm(), Account: acc}
	switch err := s.comments.TakesComments(ctx, t); {
	case err == nil:
		v.CanAdd = acc != nil
		if acc == nil {
			v.SignIn = "/login?next=" + url.QueryEscape(web.TargetURL(t)+"#comments")
		}
	case errors.Is(err, debates.ErrTarget):
		v.Closed = true
	default:
		return nil, err
	}
	nodes, err := s.comments.Thread(ctx, t, debates.ThreadOptions{Sort: debates.SortOldest, MaxDepth: 4})
	if err != nil {
		return nil, err
	}
	var walk func([]*debates.Node) []*commentView
	walk = func(ns []*debates.Node) []*commentView {
		var out []*commentView
		for _, n := range ns {
			c := n.Comment
			cv := &commentView{L: l, ID: c.ID, Date: l.DateTime(c.CreatedAt), DateISO: c.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"),
				Hidden: c.Hidden(), Reason: c.HiddenReason, Deleted: c.Deleted(), SignedIn: acc != nil,
				Mine: acc != nil && !c.Remote() && c.AuthorID == acc.ID, Moderator: acc.Has(accounts.Moderator)}
			cv.Author, _, _, _ = web.CommentAuthor(l, c)
			cv.Profile = web.CommentProfile(c)
			if c.EnteredBy != "" {
				cv.EnteredBy = l.T("comment.entered_at_desk", c.Desk)
			}
			if !cv.Hidden && !cv.Deleted {
				cv.Body = template.HTML(c.BodyHTML) // rendered and sanitised by the debates service
				v.Count++
			}
			cv.Replies = walk(n.Replies)
			out = append(out, cv)
		}
		return out
	}
	v.Items = walk(nodes)
	if done := r.URL.Query().Get("comment"); commentDone[done] {
		v.Done = l.T("comment.done." + done)
	}
	return v, nil
}

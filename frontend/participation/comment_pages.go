package participation

import (
	"context"
	"html/template"
	"net/http"

	"agora/frontend/web"

	"agora/frontend/i18n"
	"agora/instances/accounts"
	"agora/instances/debates"
)

// commentFormData is the page of a comment form: a new comment whose post
// was refused, a reply, or an edit.
type commentFormData struct {
	Back     string // the page of what the thread is on
	BackText string
	Quoted   *commentView // the comment replied to, or edited
	Action   string
	Target   *debates.Target // for a new comment: what it is on
	Fields   commentFields
	Form     *web.Form
	Submit   string
	Delete   *web.Form // the form to delete the comment, on its author's edit page
}

// renderCommentAdd shows the form of a new comment again, after a refused
// post.
func (s *surface) renderCommentAdd(w http.ResponseWriter, r *http.Request, status int, target debates.Target, f *web.Form) {
	l := s.Printer(r)
	title, err := s.targetTitle(r.Context(), l, target)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := commentFormData{Back: web.TargetURL(target) + "#comments", BackText: l.T("comment.back", title), Action: "/comments",
		Target: &target, Fields: s.commentFields(l, f, true), Form: f, Submit: l.T("comment.add.submit")}
	s.HTML(w, r, status, "comment_form", l.T("comment.add.title", title), d)
}

func (s *surface) renderCommentReply(w http.ResponseWriter, r *http.Request, status int, parent *debates.Comment, f *web.Form) {
	l := s.Printer(r)
	title, err := s.targetTitle(r.Context(), l, parent.Target())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	quoted := viewComment(l, parent)
	d := commentFormData{Back: web.CommentURL(parent.Target(), parent.ID, ""), BackText: l.T("comment.back", title),
		Quoted: quoted, Action: "/comments/" + parent.ID + "/reply", Fields: s.commentFields(l, f, true), Form: f,
		Submit: l.T("comment.reply.submit")}
	s.HTML(w, r, status, "comment_form", l.T("comment.reply.title", quoted.Author), d)
}

// renderCommentEdit shows its author the form to edit a comment (f), and
// the one to delete it (del).
func (s *surface) renderCommentEdit(w http.ResponseWriter, r *http.Request, status int, c *debates.Comment, f, del *web.Form) {
	l := s.Printer(r)
	if !mayEdit(web.CurrentAccount(r), c) {
		s.Fail(w, r, debates.ErrForbidden)
		return
	}
	title, err := s.targetTitle(r.Context(), l, c.Target())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := commentFormData{Back: web.CommentURL(c.Target(), c.ID, ""), BackText: l.T("comment.back", title),
		Quoted: viewComment(l, c), Action: "/comments/" + c.ID + "/edit", Fields: s.commentFields(l, f, false), Form: f,
		Submit: l.T("comment.edit.submit"), Delete: del}
	s.HTML(w, r, status, "comment_form", l.T("comment.edit.title"), d)
}

// commentHistoryData is the history of a comment: the text as it is now,
// then each earlier text, newest first, with when it was replaced.
type commentHistoryData struct {
	Comment  *commentView
	Back     string
	BackText string
	Versions []versionView
}

type versionView struct {
	Number   int
	Replaced string // when this text was replaced by the next
	Body     template.HTML
}

// commentHistory shows anyone how a comment was edited. Its earlier
// texts are shown as they were, rendered as its current text is.
func (s *surface) commentHistory(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadComment(w, r)
	if !ok {
		return
	}
	versions, err := s.debates.History(r.Context(), c.ID)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	title, err := s.targetTitle(r.Context(), l, c.Target())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	d := commentHistoryData{Comment: viewComment(l, c), Back: web.CommentURL(c.Target(), c.ID, ""), BackText: l.T("comment.back", title)}
	for i := len(versions) - 1; i >= 0; i-- {
		v := versions[i]
		body := s.markup.Sanitize(v.Body) // a remote author's HTML
		if !c.Remote() {
			body = s.markup.Markdown(v.Body)
		}
		d.Versions = append(d.Versions, versionView{Number: v.Version, Replaced: l.DateTime(v.EditedAt), Body: template.HTML(body)})
	}
	s.HTML(w, r, http.StatusOK, "comment_history", l.T("comment.history.title", d.Comment.Author), d)
}

// targetTitle names what a thread is on, for headings and links back: a
// proposal's title or a debate's question, unless moderation hid it.
func (s *surface) targetTitle(ctx context.Context, l *i18n.Printer, t debates.Target) (string, error) {
	switch t.Kind {
	case debates.TargetProposal:
		p, err := s.proposals.ByID(ctx, t.ID)
		if err != nil {
			return "", err
		}
		if p.Hidden() {
			return l.T("proposal.hidden.title"), nil
		}
		return p.Title, nil
	case debates.TargetDebate:
		d, err := s.debates.Debate(ctx, t.ID)
		if err != nil {
			return "", err
		}
		if d.Hidden() {
			return l.T("debate.hidden.title"), nil
		}
		return d.Question, nil
	case debates.TargetBudgetProject:
		return s.debates.TargetTitle(ctx, t)
	}
	return "", debates.ErrTarget
}

// mayEdit reports whether the reader wrote the comment.
func mayEdit(acc *accounts.Account, c *debates.Comment) bool {
	return acc != nil && !c.Remote() && c.AuthorID == acc.ID
}

package participation

import (
	"context"
	"net/http"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/debates"
)

// The acts on comments. Each goes back to the comment in its thread,
// #comment-ID on the page of the proposal or debate it is on. A refused
// post changes nothing and shows the form again on a page of its own,
// with the message next to the field.

// commentAdd writes a comment on the proposal or debate named by the
// form's target_kind and target_id.
func (s *surface) commentAdd(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	f := web.NewForm(r)
	target := debates.Target{Kind: debates.TargetKind(f.Values["target_kind"]), ID: f.Values["target_id"]}
	c, err := s.debates.Add(r.Context(), accounts.As(web.CurrentAccount(r)), debates.NewComment{Target: target,
		Body: r.PostForm.Get("comment"), Alignment: debates.Alignment(f.Values["alignment"])})
	if err != nil {
		s.FormFailed(w, r, f, err, func(status int) { s.renderCommentAdd(w, r, status, target, f) })
		return
	}
	http.Redirect(w, r, web.CommentURL(c.Target(), c.ID, "added"), http.StatusSeeOther)
}

func (s *surface) commentReplyPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadComment(w, r)
	if ok {
		s.renderCommentReply(w, r, http.StatusOK, c, web.EmptyForm())
	}
}

func (s *surface) commentReplySave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	parent, ok := s.loadComment(w, r)
	if !ok {
		return
	}
	f := web.NewForm(r)
	c, err := s.debates.Add(r.Context(), accounts.As(web.CurrentAccount(r)), debates.NewComment{ParentID: parent.ID,
		Body: r.PostForm.Get("comment"), Alignment: debates.Alignment(f.Values["alignment"])})
	if err != nil {
		s.FormFailed(w, r, f, err, func(status int) { s.renderCommentReply(w, r, status, parent, f) })
		return
	}
	http.Redirect(w, r, web.CommentURL(c.Target(), c.ID, "replied"), http.StatusSeeOther)
}

func (s *surface) commentEditPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadComment(w, r)
	if !ok {
		return
	}
	f := web.EmptyForm()
	f.Values["comment"] = c.Body
	s.renderCommentEdit(w, r, http.StatusOK, c, f, web.EmptyForm())
}

func (s *surface) commentEditSave(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	c, ok := s.loadComment(w, r)
	if !ok {
		return
	}
	f := web.NewForm(r)
	if _, err := s.debates.Edit(r.Context(), accounts.As(web.CurrentAccount(r)), c.ID, r.PostForm.Get("comment")); err != nil {
		s.FormFailed(w, r, f, err, func(status int) { s.renderCommentEdit(w, r, status, c, f, web.EmptyForm()) })
		return
	}
	http.Redirect(w, r, web.CommentURL(c.Target(), c.ID, "edited"), http.StatusSeeOther)
}

// commentDelete deletes the reader's comment, once they ticked the box
// that says it is final.
func (s *surface) commentDelete(w http.ResponseWriter, r *http.Request) {
	if !s.ParseForm(w, r) {
		return
	}
	c, ok := s.loadComment(w, r)
	if !ok {
		return
	}
	if r.PostForm.Get("confirm") != "on" {
		f, del := web.EmptyForm(), web.EmptyForm()
		f.Values["comment"] = c.Body
		del.Errors["confirm"] = s.Printer(r).T("comment.delete.confirm_required")
		s.renderCommentEdit(w, r, http.StatusBadRequest, c, f, del)
		return
	}
	if err := s.debates.Delete(r.Context(), accounts.As(web.CurrentAccount(r)), c.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, web.TargetURL(c.Target())+"?comment=deleted#comments", http.StatusSeeOther)
}

func (s *surface) commentSupport(w http.ResponseWriter, r *http.Request) {
	s.commentAct(w, r, "supported", s.debates.Support)
}

func (s *surface) commentUnsupport(w http.ResponseWriter, r *http.Request) {
	s.commentAct(w, r, "unsupported", s.debates.Withdraw)
}

// commentAct supports a comment or withdraws the support: buttons
// without fields, so a refusal (a thread closed meanwhile) is the error
// page.
func (s *surface) commentAct(w http.ResponseWriter, r *http.Request, done string,
	act func(context.Context, accounts.Actor, string) error) {
	c, ok := s.loadComment(w, r)
	if !ok {
		return
	}
	if err := act(r.Context(), accounts.As(web.CurrentAccount(r)), c.ID); err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, web.CommentURL(c.Target(), c.ID, done), http.StatusSeeOther)
}

// commentGoTo sends a link to a comment (the moderation log's) to its
// place in its thread, where a deleted one that holds replies still is.
func (s *surface) commentGoTo(w http.ResponseWriter, r *http.Request) {
	c, err := s.debates.Comment(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	http.Redirect(w, r, web.CommentURL(c.Target(), c.ID, ""), http.StatusSeeOther)
}

// loadComment loads the comment named in the URL; it answers 404 and
// returns false when there is none, or when it was deleted.
func (s *surface) loadComment(w http.ResponseWriter, r *http.Request) (*debates.Comment, bool) {
	c, err := s.debates.Comment(r.Context(), mux.Vars(r)["id"])
	if err == nil && c.Deleted() {
		err = debates.ErrNotFound
	}
	if err != nil {
		s.Fail(w, r, err)
		return nil, false
	}
	return c, true
}

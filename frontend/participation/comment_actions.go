package participation

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/storage/ratelimit"
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
	if !s.commentAllowed(w, r, f, func(status int) { s.renderCommentAdd(w, r, status, target, f) }) {
		return
	}
	c, err := s.debates.Add(r.Context(), accounts.As(web.CurrentAccount(r)), debates.NewComment{Target: target,
		Body: r.PostForm.Get("comment"), Alignment: debates.Alignment(f.Values["alignment"])})
	if err != nil {
		s.FormFailed(w, r, f, err, func(status int) { s.renderCommentAdd(w, r, status, target, f) })
		return
	}
	http.Redirect(w, r, web.CommentURL(c.Target(), c.ID, "added"), http.StatusSeeOther)
}

// Limits on writing comments and replies, per author: enough for a
// resident taken by a lively debate (a reply every few seconds for a
// while), not for a script filling threads. They count the comments
// written, from the comments themselves: a post refused for its content
// costs nothing, the windows slide, and every process sees the same. A
// comment an agent types at a desk counts for the resident it is by.
var limitComments = []ratelimit.Rule{{Max: 10, Window: time.Minute}, {Max: 100, Window: 24 * time.Hour}}

// commentAllowed checks that the signed-in account may write one more
// comment or reply now. Once a limit is reached, the form comes back
// (show) with a 429, a Retry-After header, the message above it and the
// text kept, and nothing is written.
func (s *surface) commentAllowed(w http.ResponseWriter, r *http.Request, f *web.Form, show func(status int)) bool {
	longest, now := limitComments[len(limitComments)-1], s.Now()
	written, err := s.debates.WrittenSince(r.Context(), web.CurrentAccount(r).ID, now.Add(-longest.Window), longest.Max)
	if err != nil {
		s.Fail(w, r, err)
		return false
	}
	var wait time.Duration
	for _, rule := range limitComments { // written is newest first
		if len(written) >= rule.Max {
			if d := written[rule.Max-1].Add(rule.Window).Sub(now); d > wait {
				wait = d
			}
		}
	}
	if wait <= 0 {
		return true
	}
	w.Header().Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	f.Error = s.Printer(r).T("comment.error.rate", int((wait+time.Minute-1)/time.Minute))
	show(http.StatusTooManyRequests)
	return false
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
	if !s.commentAllowed(w, r, f, func(status int) { s.renderCommentReply(w, r, status, parent, f) }) {
		return
	}
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

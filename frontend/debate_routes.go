package frontend

import (
	"net/http"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/moderation"
)

// debateRoutes is the route table of debates and of the comments on
// proposals and debates.
//
// Who may do what on these pages:
//   - anyone reads debates and threads;
//   - any signed-in resident opens a debate, comments, replies, supports a
//     comment (verified or not: a comment's support says "I agree" in a
//     conversation and triggers nothing the city must act on, unlike a
//     proposal's), and reports a proposal, a debate or a comment;
//   - a comment's author edits and deletes it;
//   - a debate is closed, with a conclusion, by its author who asked the
//     question, or by a moderator, an official (the city answers) or an
//     admin (debates.MayClose);
//   - moderators hide and show again, for a reason given in the public log.
func (s *server) debateRoutes(r *mux.Router) {
	get, post := []string{http.MethodGet, http.MethodHead}, []string{http.MethodPost}
	signedIn := s.requireSignIn
	mod := func(h http.HandlerFunc) http.HandlerFunc { return s.requireRole(accounts.Moderator, h) }

	r.HandleFunc("/spaces/{slug}/debates", s.debateListPage).Methods(get...)
	r.HandleFunc("/spaces/{slug}/debates/new", signedIn(s.debateNewPage)).Methods(get...)
	r.HandleFunc("/spaces/{slug}/debates/new", signedIn(s.debateNewSave)).Methods(post...)
	r.HandleFunc("/debates/{id}", s.debatePage).Methods(get...)
	r.HandleFunc("/debates/{id}/close", signedIn(s.debateClose)).Methods(post...)
	r.HandleFunc("/debates/{id}/report", signedIn(s.reportPage(moderation.TargetDebate))).Methods(get...)
	r.HandleFunc("/debates/{id}/report", signedIn(s.reportSave(moderation.TargetDebate))).Methods(post...)
	r.HandleFunc("/debates/{id}/hide", mod(s.modActPage(moderation.TargetDebate, actHide))).Methods(get...)
	r.HandleFunc("/debates/{id}/hide", mod(s.modActSave(moderation.TargetDebate, actHide))).Methods(post...)
	r.HandleFunc("/debates/{id}/unhide", mod(s.modActPage(moderation.TargetDebate, actUnhide))).Methods(get...)
	r.HandleFunc("/debates/{id}/unhide", mod(s.modActSave(moderation.TargetDebate, actUnhide))).Methods(post...)

	r.HandleFunc("/comments", signedIn(s.commentAdd)).Methods(post...)
	r.HandleFunc("/comments/{id}", s.commentGoTo).Methods(get...)
	r.HandleFunc("/comments/{id}/reply", signedIn(s.commentReplyPage)).Methods(get...)
	r.HandleFunc("/comments/{id}/reply", signedIn(s.commentReplySave)).Methods(post...)
	r.HandleFunc("/comments/{id}/edit", signedIn(s.commentEditPage)).Methods(get...)
	r.HandleFunc("/comments/{id}/edit", signedIn(s.commentEditSave)).Methods(post...)
	r.HandleFunc("/comments/{id}/delete", signedIn(s.commentDelete)).Methods(post...)
	r.HandleFunc("/comments/{id}/history", s.commentHistory).Methods(get...)
	r.HandleFunc("/comments/{id}/support", signedIn(s.commentSupport)).Methods(post...)
	r.HandleFunc("/comments/{id}/unsupport", signedIn(s.commentUnsupport)).Methods(post...)
	r.HandleFunc("/comments/{id}/report", signedIn(s.reportPage(moderation.TargetComment))).Methods(get...)
	r.HandleFunc("/comments/{id}/report", signedIn(s.reportSave(moderation.TargetComment))).Methods(post...)
	r.HandleFunc("/comments/{id}/hide", mod(s.modActPage(moderation.TargetComment, actHide))).Methods(get...)
	r.HandleFunc("/comments/{id}/hide", mod(s.modActSave(moderation.TargetComment, actHide))).Methods(post...)
	r.HandleFunc("/comments/{id}/unhide", mod(s.modActPage(moderation.TargetComment, actUnhide))).Methods(get...)
	r.HandleFunc("/comments/{id}/unhide", mod(s.modActSave(moderation.TargetComment, actUnhide))).Methods(post...)
}

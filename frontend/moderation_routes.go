package frontend

import (
	"net/http"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/moderation"
)

// moderationRoutes is the route table of moderation: the public log, the
// moderators' queue of open reports, and the acts on proposals (the acts
// on debates and comments sit beside them, in debateRoutes).
//
// Every act takes a reason, which the public log shows; the log never
// names who reported or who moderated. Each act has its own page with its
// form: the queue's inline forms post there too, and a refused post shows
// that page with the message next to the field. A post may carry next, a
// path on this site to go back to once done.
func (s *server) moderationRoutes(r *mux.Router) {
	get, post := []string{http.MethodGet, http.MethodHead}, []string{http.MethodPost}
	mod := func(h http.HandlerFunc) http.HandlerFunc { return s.requireRole(accounts.Moderator, h) }

	r.HandleFunc("/moderation", s.moderationLogPage).Methods(get...)
	r.HandleFunc("/moderation/reports", mod(s.reportsPage)).Methods(get...)
	r.HandleFunc("/moderation/reports/{id}/resolve", mod(s.resolvePage)).Methods(get...)
	r.HandleFunc("/moderation/reports/{id}/resolve", mod(s.resolveSave)).Methods(post...)
	for _, act := range []modAct{actHide, actUnhide, actRecategorise, actMerge} {
		path := "/moderation/proposals/{id}/" + string(act)
		r.HandleFunc(path, mod(s.modActPage(moderation.TargetProposal, act))).Methods(get...)
		r.HandleFunc(path, mod(s.modActSave(moderation.TargetProposal, act))).Methods(post...)
	}
	r.HandleFunc("/proposals/{id}/report", s.requireSignIn(s.reportPage(moderation.TargetProposal))).Methods(get...)
	r.HandleFunc("/proposals/{id}/report", s.requireSignIn(s.reportSave(moderation.TargetProposal))).Methods(post...)
}

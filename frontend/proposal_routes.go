package frontend

import (
	"net/http"

	"github.com/gorilla/mux"
)

// proposalRoutes is the route table of proposals: a space's list, the
// form, a proposal's page and what is done there.
//
// The new-proposal form posts to one fixed path, /proposals/new?space=
// SLUG, and the edit form to /proposals/edit?id=ID, because upload limits
// are registered by path: each streams up to proposals.MaxAttachments
// files. POST /proposals/{id}/edit still takes an edit within the default
// body limit (a form without files, or small ones).
func (s *server) proposalRoutes(r *mux.Router) {
	get, post := []string{http.MethodGet, http.MethodHead}, []string{http.MethodPost}

	r.HandleFunc("/spaces/{slug}/proposals", s.proposalListPage).Methods(get...)
	r.HandleFunc("/spaces/{slug}/proposals/new", s.requireSignIn(s.proposalNewPage)).Methods(get...)
	r.HandleFunc("/proposals/new", s.requireSignIn(s.proposalNewSave)).Methods(post...)
	s.uploads["/proposals/new"] = proposalUploadLimit
	r.HandleFunc("/proposals/edit", s.requireSignIn(s.proposalEditSave)).Methods(post...)
	s.uploads["/proposals/edit"] = proposalUploadLimit
	r.HandleFunc("/proposals/{id}", s.proposalPage).Methods(get...)
	r.HandleFunc("/proposals/{id}/edit", s.requireSignIn(s.proposalEditPage)).Methods(get...)
	r.HandleFunc("/proposals/{id}/edit", s.requireSignIn(s.proposalEditSave)).Methods(post...)
	r.HandleFunc("/proposals/{id}/support", s.requireSignIn(s.proposalSupport)).Methods(post...)
	r.HandleFunc("/proposals/{id}/unsupport", s.requireSignIn(s.proposalUnsupport)).Methods(post...)
	r.HandleFunc("/proposals/{id}/withdraw", s.requireSignIn(s.proposalWithdraw)).Methods(post...)
	r.HandleFunc("/proposals/{id}/answer", s.requireSignIn(s.proposalAnswer)).Methods(post...)
	r.HandleFunc("/proposals/{id}/attachments/{n:[0-9]+}", s.attachmentServe).Methods(get...)
}

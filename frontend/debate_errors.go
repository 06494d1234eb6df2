package frontend

import (
	"net/http"

	"agora/instances/debates"
)

// The errors of instances/debates, told to the reader; asError and
// fieldOf read them from domainErrors. The field is the form field the
// message goes next to: comment and alignment in a comment form,
// question, description and conclusion in a debate's.
func init() {
	domainErrors = append(domainErrors, []domainError{
		{debates.ErrNotFound, http.StatusNotFound, "debate.error.not_found", ""},
		{debates.ErrForbidden, http.StatusForbidden, "debate.error.forbidden", ""},
		{debates.ErrTarget, http.StatusBadRequest, "debate.error.target", ""},
		{debates.ErrParent, http.StatusConflict, "comment.error.parent", ""},
		{debates.ErrBody, http.StatusBadRequest, "comment.error.body", "comment"},
		{debates.ErrAlignment, http.StatusBadRequest, "comment.error.alignment", "alignment"},
		{debates.ErrQuestion, http.StatusBadRequest, "debate.error.question", "question"},
		{debates.ErrDescription, http.StatusBadRequest, "debate.error.description", "description"},
		{debates.ErrConclusion, http.StatusBadRequest, "debate.error.conclusion", "conclusion"},
		{debates.ErrClosed, http.StatusConflict, "debate.error.closed", ""},
		{debates.ErrHidden, http.StatusConflict, "debate.error.hidden", ""},
		{debates.ErrHasComments, http.StatusConflict, "debate.error.has_comments", ""},
		{debates.ErrRemote, http.StatusBadRequest, "error.400", ""},
		{debates.ErrSort, http.StatusBadRequest, "error.400", ""},
	}...)
}

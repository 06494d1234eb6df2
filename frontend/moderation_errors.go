package frontend

import (
	"net/http"

	"agora/instances/moderation"
)

// The errors of instances/moderation, told to the reader; asError and
// fieldOf read them from domainErrors. The field is the form field the
// message goes next to in the report and moderation forms.
func init() {
	domainErrors = append(domainErrors, []domainError{
		{moderation.ErrNotFound, http.StatusNotFound, "moderation.error.not_found", ""},
		{moderation.ErrForbidden, http.StatusForbidden, "error.role", ""},
		{moderation.ErrTarget, http.StatusBadRequest, "moderation.error.target", ""},
		{moderation.ErrReason, http.StatusBadRequest, "moderation.error.reason", "reason"},
		{moderation.ErrResolution, http.StatusBadRequest, "moderation.error.resolution", "resolution"},
		{moderation.ErrHidden, http.StatusConflict, "moderation.error.hidden", ""},
		{moderation.ErrNotHidden, http.StatusConflict, "moderation.error.not_hidden", ""},
		{moderation.ErrCategory, http.StatusBadRequest, "moderation.error.category", "category"},
		{moderation.ErrNoChange, http.StatusConflict, "moderation.error.no_change", "category"},
		{moderation.ErrMerge, http.StatusConflict, "moderation.error.merge", "into"},
		{moderation.ErrResolved, http.StatusConflict, "moderation.error.resolved", ""},
		{moderation.ErrRemote, http.StatusBadRequest, "error.400", ""},
	}...)
}

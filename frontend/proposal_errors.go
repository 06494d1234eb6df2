package frontend

import (
	"net/http"

	"agora/instances/proposals"
)

// The errors of instances/proposals, told to the reader; asError and
// fieldOf read them from domainErrors. The field is the form field the
// message goes next to, in the proposal form or the proposal page's forms.
func init() {
	domainErrors = append(domainErrors, []domainError{
		{proposals.ErrNotFound, http.StatusNotFound, "proposal.error.not_found", ""},
		{proposals.ErrSignIn, http.StatusUnauthorized, "error.401", ""},
		{proposals.ErrForbidden, http.StatusForbidden, "proposal.error.forbidden", ""},
		{proposals.ErrPhase, http.StatusConflict, "proposal.error.phase", ""},
		{proposals.ErrNotVerified, http.StatusForbidden, "proposal.error.not_verified", ""},
		{proposals.ErrTitle, http.StatusBadRequest, "proposal.error.title", "title"},
		{proposals.ErrBody, http.StatusBadRequest, "proposal.error.body", "body"},
		{proposals.ErrCategory, http.StatusBadRequest, "proposal.error.category", "category"},
		{proposals.ErrLocation, http.StatusBadRequest, "proposal.error.location", "lat"},
		{proposals.ErrAddress, http.StatusBadRequest, "proposal.error.address", "address"},
		{proposals.ErrAlreadySupported, http.StatusConflict, "proposal.error.already_supported", ""},
		{proposals.ErrNotSupported, http.StatusConflict, "proposal.error.not_supported", ""},
		{proposals.ErrClosed, http.StatusConflict, "proposal.error.closed", ""},
		{proposals.ErrEditWindow, http.StatusForbidden, "proposal.error.edit_window", ""},
		{proposals.ErrReason, http.StatusBadRequest, "proposal.error.reason", "reason"},
		{proposals.ErrTransition, http.StatusConflict, "proposal.error.transition", "to"},
		{proposals.ErrAnswer, http.StatusBadRequest, "proposal.error.answer", "answer"},
		{proposals.ErrAttachments, http.StatusBadRequest, "attachment.error.invalid", "attachments"},
	}...)
}

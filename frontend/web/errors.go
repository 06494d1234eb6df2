package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"agora/frontend/i18n"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// Error is what a handler returns when a request fails: the HTTP status,
// a message key that is safe to show (translated at render time), the
// form field it is about ("" for the page), and the internal error for
// the log, never shown.
type Error struct {
	Status int
	Key    string // i18n key of the message shown to the reader
	Args   []any  // values for the message's verbs (Bytes are written in the reader's words)
	Field  string
	// RetryAfter, when set, is how long the client should wait before
	// trying again (a 429), sent as Retry-After.
	RetryAfter time.Duration
	Err        error
}

// Bytes is a size in a message's arguments, written the way the reader's
// language writes sizes.
type Bytes int64

// Message is the error's message in the reader's language.
func (e *Error) Message(l *i18n.Printer) string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		if b, ok := a.(Bytes); ok {
			a = l.Size(int64(b))
		}
		args[i] = a
	}
	return l.T(e.Key, args...)
}

// retryAfter sends Retry-After for an error that says when to try again.
func (e *Error) retryAfter(w http.ResponseWriter) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
	}
}

// minutes rounds a wait up to whole minutes, as messages say it.
func minutes(d time.Duration) int { return int((d + time.Minute - 1) / time.Minute) }

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%d %s", e.Status, e.Key)
	}
	return fmt.Sprintf("%d %s: %v", e.Status, e.Key, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// HTTPError builds an Error with the default message of its status.
func HTTPError(status int, err error) *Error {
	return &Error{Status: status, Key: fmt.Sprintf("error.%d", status), Err: err}
}

// DomainError is what a reader is told of an error of instances/*: the
// status, the message's key, and the form field it goes next to ("" for
// the page).
type DomainError struct {
	Err    error
	Status int
	Key    string
	Field  string
}

// MapErrors adds a surface's domain errors to what Fail and forms know.
// Surfaces call it while they register.
func (k *Kit) MapErrors(table ...DomainError) { k.errors = append(k.errors, table...) }

// AsError turns any error into an *Error: domain errors get their status,
// message and field, unknown errors are 500s.
func (k *Kit) AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	if e := waitError(err); e != nil {
		return e
	}
	for _, d := range k.errors {
		if errors.Is(err, d.Err) {
			e := &Error{Status: d.Status, Key: d.Key, Field: d.Field, Err: err}
			var length *markup.LengthError
			if errors.As(err, &length) {
				e.Key, e.Args = lengthMessage(length)
			}
			return e
		}
	}
	return HTTPError(http.StatusInternalServerError, err)
}

// lengthMessage says what is wrong with the length of what was typed:
// nothing written, too long (by how much), too short, or nothing left
// once cleaned.
func lengthMessage(e *markup.LengthError) (string, []any) {
	switch {
	case e.Cleaned:
		return "words.length.cleaned", nil
	case e.Empty():
		return "words.length.empty", nil
	case e.TooLong():
		return "words.length.too_long", []any{e.N, e.Max}
	}
	return "words.length.too_short", []any{e.N, e.Min}
}

// waitError maps the domain's refusals that say how long to wait or how
// much room is left, whose messages carry those figures.
func waitError(err error) *Error {
	var comments *debates.RateLimitError
	var proposal *proposals.RateLimitError
	var quota *proposals.QuotaError
	switch {
	case errors.As(err, &comments):
		return &Error{Status: http.StatusTooManyRequests, Key: "comment.error.rate", Args: []any{minutes(comments.Wait)},
			RetryAfter: comments.Wait, Err: err}
	case errors.As(err, &proposal) && proposal.Desk:
		return &Error{Status: http.StatusTooManyRequests, Key: "proposal.error.rate_desk", Args: []any{minutes(proposal.Wait)},
			RetryAfter: proposal.Wait, Err: err}
	case errors.As(err, &proposal):
		return &Error{Status: http.StatusTooManyRequests, Key: "proposal.error.rate", Args: []any{minutes(proposal.Wait)},
			RetryAfter: proposal.Wait, Err: err}
	case errors.As(err, &quota):
		return &Error{Status: http.StatusRequestEntityTooLarge, Key: "attachment.error.quota",
			Args: []any{Bytes(quota.Used), Bytes(quota.Limit), Bytes(quota.Adding)}, Field: "attachments", Err: err}
	}
	return nil
}

// domainErrors maps the errors of the domain that several surfaces meet
// (accounts, spaces, proposals, debates, moderation) to what a reader is
// told. A surface whose domain is its own adds its table with MapErrors.
var domainErrors = []DomainError{
	// Before every ErrForbidden, which it is too.
	{accounts.ErrStaffTarget, http.StatusForbidden, "desk.error.staff", ""},
	{accounts.ErrNotFound, http.StatusNotFound, "account.error.not_found", ""},
	{accounts.ErrForbidden, http.StatusForbidden, "error.role", ""},
	{accounts.ErrUnknownRole, http.StatusBadRequest, "account.error.role", "role"},
	{accounts.ErrHandleInvalid, http.StatusBadRequest, "account.error.handle_invalid", "handle"},
	{accounts.ErrHandleReserved, http.StatusBadRequest, "account.error.handle_reserved", "handle"},
	{accounts.ErrHandleTaken, http.StatusConflict, "account.error.handle_taken", "handle"},
	{accounts.ErrDisplayName, http.StatusBadRequest, "account.error.display_name", "display_name"},
	{accounts.ErrLanguage, http.StatusBadRequest, "account.error.language", "language"},
	{accounts.ErrLastPasskey, http.StatusConflict, "passkey.error.last", ""},
	{accounts.ErrPasskeyName, http.StatusBadRequest, "passkey.error.name", "name"},
	{accounts.ErrPasskeyTaken, http.StatusConflict, "passkey.error.taken", ""},
	{accounts.ErrSignCount, http.StatusBadRequest, "passkey.error.cloned", ""},
	{accounts.ErrChallenge, http.StatusBadRequest, "passkey.error.expired", ""},
	{accounts.ErrCodeInvalid, http.StatusBadRequest, "account.error.code", "code"},
	{accounts.ErrNoSession, http.StatusNotFound, "account.error.session", ""},
	{accounts.ErrDocument, http.StatusBadRequest, "residency.error.document", "document"},
	{accounts.ErrBirthDate, http.StatusBadRequest, "electorate.error.birth_date", "birth_date"},
	{accounts.ErrDistrict, http.StatusBadRequest, "electorate.error.district", "district"},
	{accounts.ErrDistrictName, http.StatusBadRequest, "electorate.error.district_name", "districts"},
	{accounts.ErrTooYoung, http.StatusForbidden, "electorate.error.too_young", ""},
	{accounts.ErrNoBirthDate, http.StatusForbidden, "electorate.error.no_birth_date", ""},
	{accounts.ErrOtherDistrict, http.StatusForbidden, "electorate.error.other_district", ""},
	{accounts.ErrNoDistrict, http.StatusForbidden, "electorate.error.no_district", ""},
	{accounts.ErrNoCensusMatch, http.StatusBadRequest, "residency.error.no_match", "family_name"},
	{accounts.ErrIdentity, http.StatusBadRequest, "residency.error.identity", "family_name"},
	{accounts.ErrSalt, http.StatusBadRequest, "census.error.salt", "salt"},
	{accounts.ErrNoDeletion, http.StatusConflict, "account.error.no_deletion", ""},

	{spaces.ErrNotFound, http.StatusNotFound, "space.error.not_found", ""},
	{spaces.ErrForbidden, http.StatusForbidden, "error.role", ""},
	{spaces.ErrSlug, http.StatusBadRequest, "space.error.slug", "slug"},
	{spaces.ErrSlugTaken, http.StatusConflict, "space.error.slug_taken", "slug"},
	{spaces.ErrTitle, http.StatusBadRequest, "space.error.title", "title"},
	{spaces.ErrDescription, http.StatusBadRequest, "space.error.description", "description"},
	{spaces.ErrKind, http.StatusBadRequest, "space.error.kind", "kind"},
	{spaces.ErrPhases, http.StatusBadRequest, "space.error.phases", "phases"},
	{spaces.ErrCategories, http.StatusBadRequest, "space.error.categories", "categories"},
	{spaces.ErrLimits, http.StatusBadRequest, "space.error.limits", "limits"},
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
	{proposals.ErrOwnProposal, http.StatusForbidden, "rules.support.own", ""},
	{proposals.ErrServiceAccount, http.StatusForbidden, "rules.support.service", ""},
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
	{moderation.ErrOwnContent, http.StatusForbidden, "rules.report.own", ""},
}

// MapError is one row of a surface's table for MapErrors.
func MapError(err error, status int, key, field string) DomainError {
	return DomainError{Err: err, Status: status, Key: key, Field: field}
}

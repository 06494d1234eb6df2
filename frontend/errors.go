package frontend

import (
	"errors"
	"fmt"
	"net/http"

	"agora/instances/accounts"
)

// Error is what a handler returns when a request fails: the HTTP status,
// a message key that is safe to show (translated at render time), and the
// internal error for the log, never shown.
type Error struct {
	Status int
	Key    string // i18n key of the message shown to the reader
	Args   []any  // values for the message's verbs
	Err    error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%d %s", e.Status, e.Key)
	}
	return fmt.Sprintf("%d %s: %v", e.Status, e.Key, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// httpError builds an Error with the default message of its status.
func httpError(status int, err error) *Error {
	return &Error{Status: status, Key: fmt.Sprintf("error.%d", status), Err: err}
}

// asError turns any error into an *Error: domain errors get their status
// and message, unknown errors are 500s.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var census *accounts.CensusError
	if errors.As(err, &census) {
		return &Error{Status: http.StatusBadRequest, Key: "census.error.file", Args: []any{census.Error()}, Err: err}
	}
	for _, d := range domainErrors {
		if errors.Is(err, d.err) {
			return &Error{Status: d.status, Key: d.key, Err: err}
		}
	}
	return httpError(http.StatusInternalServerError, err)
}

// fieldOf names the form field a domain error is about, if any.
func fieldOf(err error) string {
	for _, d := range domainErrors {
		if errors.Is(err, d.err) {
			return d.field
		}
	}
	return ""
}

// domainError is what a reader is told of an error of instances/*: the
// status, the message's key, and the form field it goes next to ("" for
// the page).
type domainError struct {
	err    error
	status int
	key    string
	field  string
}

// domainErrors maps the errors of instances/* to what a reader is told;
// each feature's *_errors.go adds its own.
var domainErrors = []domainError{
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
	{accounts.ErrNoCensusMatch, http.StatusBadRequest, "residency.error.no_match", "family_name"},
	{accounts.ErrIdentity, http.StatusBadRequest, "residency.error.identity", "family_name"},
	{accounts.ErrSalt, http.StatusBadRequest, "census.error.salt", "salt"},
	{accounts.ErrNoDeletion, http.StatusConflict, "account.error.no_deletion", ""},
}

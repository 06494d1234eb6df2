package fetch

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Errors wrapped into what Document and Post return; test with errors.Is.
var (
	ErrBadURL           = errors.New("refused URL")
	ErrPrivateAddress   = errors.New("private address")
	ErrTooLarge         = errors.New("response too large")
	ErrTooManyRedirects = errors.New("too many redirects")
	ErrNotJSON          = errors.New("response is not JSON")
	ErrNoSigner         = errors.New("no signer")
)

// StatusError is a non-2xx response.
type StatusError struct {
	Code       int
	RetryAfter time.Duration // from Retry-After; 0 when absent
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("status %d %s", e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		msg += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return msg
}

// Permanent reports whether err means retrying will not help: a 4xx other
// than 401, 408 and 429, or a refusal that the same request would meet
// again. A 401 is retried, as Mastodon does: the peer often could not yet
// fetch our key (a new actor, its cache, a restart).
// Network errors, timeouts, 3xx and 5xx are temporary.
func Permanent(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code >= 400 && se.Code < 500 &&
			se.Code != http.StatusUnauthorized && se.Code != http.StatusRequestTimeout && se.Code != http.StatusTooManyRequests
	}
	for _, target := range []error{ErrBadURL, ErrPrivateAddress, ErrTooLarge, ErrTooManyRedirects, ErrNotJSON, ErrNoSigner} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

func statusError(resp *http.Response, now time.Time) *StatusError {
	return &StatusError{Code: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), now)}
}

// retryAfter reads Retry-After as seconds or an HTTP date; 0 if absent,
// unreadable or past.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 || n > int64(365*24*time.Hour/time.Second) {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

package signature

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Verifier checks the signatures of incoming requests. Keys is required.
type Verifier struct {
	Keys     KeyFunc
	Now      func() time.Time
	MaxAge   time.Duration // default 12h: a Date older than this is refused
	MaxAhead time.Duration // default 1h: a Date further in the future is refused
	// BeforeFetch, when set, is called with the keyId's host before Keys is
	// called, so a blocked domain costs no fetch; an error from it is
	// returned as is.
	BeforeFetch func(host string) error
	// Scheme is the scheme used to rebuild an RFC 9421 @target-uri when the
	// request does not carry one (a server request behind a TLS proxy does
	// not); default "https", as federation requires it.
	Scheme string
}

const (
	defaultMaxAge   = 12 * time.Hour
	defaultMaxAhead = time.Hour
)

// Verify checks the signature of r, whose body has already been read into
// body (r.Body is not read). It returns the key that verified it.
//
// A request with Signature-Input is checked as RFC 9421, otherwise the
// Signature (or Authorization: Signature) header as draft-cavage. Errors
// wrap one of the Err values of this package, except an error from
// BeforeFetch, which is returned as is.
//
// Verify does not check that the key belongs to the actor of the activity:
// the caller must compare the returned Key.Owner with the activity's actor
// (and, for a forwarded activity, fetch it from its origin instead).
func (v *Verifier) Verify(ctx context.Context, r *http.Request, body []byte) (*Key, error) {
	if len(r.Header.Values("Signature-Input")) > 0 {
		return v.verifyRFC9421(ctx, r, body)
	}
	if h := cavageHeader(r); h != "" {
		return v.verifyCavage(ctx, r, body, h)
	}
	return nil, ErrUnsigned
}

// withKey gets the key, runs check with it and, if check fails, gets the
// key again bypassing caches (the actor may have rotated it) and retries once.
func (v *Verifier) withKey(ctx context.Context, keyID string, check func(*Key) error) (*Key, error) {
	host, err := keyHost(keyID)
	if err != nil {
		return nil, err
	}
	if v.BeforeFetch != nil {
		if err := v.BeforeFetch(host); err != nil {
			return nil, err
		}
	}
	if v.Keys == nil {
		return nil, fmt.Errorf("%w: Verifier has no Keys", ErrKey)
	}
	var lastErr error
	for _, refetch := range []bool{false, true} {
		key, err := v.Keys(ctx, keyID, refetch)
		if err != nil {
			return nil, fmt.Errorf("%w %s: %w", ErrKey, keyID, err)
		}
		if key == nil || key.Public == nil {
			return nil, fmt.Errorf("%w %s: no public key", ErrKey, keyID)
		}
		if lastErr = check(key); lastErr == nil {
			return key, nil
		}
	}
	return nil, fmt.Errorf("%w with key %s: %v", ErrBadSignature, keyID, lastErr)
}

// keyHost returns the host of an http(s) keyId. Other ids are refused so
// that BeforeFetch always sees the host that Keys would contact.
func keyHost(keyID string) (string, error) {
	u, err := url.Parse(keyID)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" {
		return "", fmt.Errorf("%w: keyId %q is not an http(s) URL", ErrMalformed, keyID)
	}
	return strings.ToLower(u.Hostname()), nil
}

// checkWindow refuses a time further than MaxAge in the past or MaxAhead
// in the future; what names the time in the error.
func (v *Verifier) checkWindow(what string, t time.Time) error {
	now := v.now()
	maxAge, maxAhead := v.MaxAge, v.MaxAhead
	if maxAge == 0 {
		maxAge = defaultMaxAge
	}
	if maxAhead == 0 {
		maxAhead = defaultMaxAhead
	}
	if age := now.Sub(t); age > maxAge {
		return fmt.Errorf("%w: %s is %s old", ErrStale, what, age.Round(time.Second))
	}
	if ahead := t.Sub(now); ahead > maxAhead {
		return fmt.Errorf("%w: %s is %s in the future", ErrStale, what, ahead.Round(time.Second))
	}
	return nil
}

func (v *Verifier) checkExpires(t time.Time) error {
	if v.now().After(t) {
		return fmt.Errorf("%w: signature expired at %s", ErrStale, t.UTC().Format(time.RFC3339))
	}
	return nil
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// needsDigest says whether the request must carry a signed body digest:
// always on POST (an inbox delivery), and whenever there is a body.
func needsDigest(method string, body []byte) bool {
	return len(body) > 0 || method == http.MethodPost
}

// requestTarget is the path and query as sent on the request line. A server
// request keeps it verbatim in RequestURI; a client request has only URL.
func requestTarget(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	return r.URL.RequestURI()
}

// host is the host the request was made to, as signers sign it.
func host(r *http.Request) string {
	if r.Host != "" {
		return strings.ToLower(r.Host)
	}
	return strings.ToLower(r.URL.Host)
}

// headerValue joins the values of a header as both formats require:
// each trimmed, joined by ", ". ok is false when the header is absent.
func headerValue(r *http.Request, name string) (string, bool) {
	vals := r.Header.Values(name)
	if len(vals) == 0 {
		return "", false
	}
	trimmed := make([]string, len(vals))
	for i, s := range vals {
		trimmed[i] = strings.TrimSpace(s)
	}
	return strings.Join(trimmed, ", "), true
}

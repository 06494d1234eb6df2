package signature

import (
	"context"
	"errors"
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
	// Host, when set, is this server's own host (with its port, if its
	// base URL has one). The signed host (draft-cavage "host", RFC 9421
	// "@authority" and the host of "@target-uri") is then this one, not
	// the request's Host header: a request signed for another server does
	// not verify here (ErrWrongHost), and a proxy that rewrites Host does
	// not break signatures.
	Host string
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
	key, _, err := v.verify(ctx, r, readBody{body: body, read: true})
	return key, err
}

// BodyCheck checks a body, read after its request's signature verified,
// against the digest the signature covers (ErrDigest when it differs).
type BodyCheck func(body []byte) error

// VerifyHeaders checks the signature of r before its body is read:
// everything but the body itself (required components, the date window,
// a digest header present, signed and well formed, the key and the
// signature over the headers). A request with a body, or any POST, must
// sign its digest; once the body is read (within its Content-Length),
// the returned BodyCheck compares it with that digest. So a request
// whose signature does not verify is refused without reading its body.
func (v *Verifier) VerifyHeaders(ctx context.Context, r *http.Request) (*Key, BodyCheck, error) {
	return v.verify(ctx, r, readBody{})
}

// readBody is the body when the caller has read it (read), or says
// that it has not yet.
type readBody struct {
	body []byte
	read bool
}

// has reports whether the request carries a body: the one read, or a
// Content-Length other than 0 (unknown, -1, counts as a body).
func (b readBody) has(r *http.Request) bool {
	if b.read {
		return len(b.body) > 0
	}
	return r.ContentLength != 0
}

func (v *Verifier) verify(ctx context.Context, r *http.Request, body readBody) (*Key, BodyCheck, error) {
	if len(r.Header.Values("Signature-Input")) > 0 {
		return v.verifyRFC9421(ctx, r, body)
	}
	if h := cavageHeader(r); h != "" {
		return v.verifyCavage(ctx, r, body, h)
	}
	return nil, nil, ErrUnsigned
}

// digestCheck checks the digest against a body already read, at once
// (before any key is fetched), or checks that the header is well formed
// and returns the check of the body to come.
func digestCheck(body readBody, check func([]byte) error, wellFormed func() error) (BodyCheck, error) {
	if body.read {
		return noBodyCheck, check(body.body)
	}
	if err := wellFormed(); err != nil {
		return nil, err
	}
	return check, nil
}

func noBodyCheck([]byte) error { return nil }

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
		if errors.Is(lastErr, ErrWrongHost) {
			return nil, lastErr // the key is right: no refetch
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
func needsDigest(method string, hasBody bool) bool {
	return hasBody || method == http.MethodPost
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

// signedHost is the host a signature must have been made for: this
// server's own when the Verifier knows it, else the request's.
func (v *Verifier) signedHost(r *http.Request) string {
	if v.Host != "" {
		return strings.ToLower(v.Host)
	}
	return host(r)
}

// wrongHost runs check against the request's own Host header when the
// signature did not verify for this server's host: if it verifies so, the
// request was signed for another server (a replay), and the error says
// so; otherwise err is returned as it was.
func (v *Verifier) wrongHost(r *http.Request, err error, check func(host string) error) error {
	if err == nil || v.Host == "" || strings.EqualFold(host(r), v.Host) {
		return err
	}
	if check(host(r)) == nil {
		return fmt.Errorf("%w: %s, not %s", ErrWrongHost, host(r), strings.ToLower(v.Host))
	}
	return err
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

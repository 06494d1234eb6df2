package signature

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// VerifyHeaders checks a POST's signature before its body is read: a bad
// signature is refused without the body, and the body read afterwards is
// checked against the signed digest.
func TestVerifyHeaders(t *testing.T) {
	keys := testKeys()
	withLength := func(r *http.Request, body []byte) *http.Request {
		r.ContentLength = int64(len(body))
		return r
	}
	tampered := []byte(`{"type":"Delete","actor":"https://remote.example/users/alice"}`)
	tests := []struct {
		name       string
		req        func(*testing.T) *http.Request
		keys       *fakeKeys
		wantErr    error  // from VerifyHeaders
		body       []byte // read afterwards; default the signed one
		wantBodyEr error  // from the BodyCheck
	}{
		{name: "cavage", req: func(t *testing.T) *http.Request { return withLength(signCavage(t, cavageOpts{})) }},
		{name: "RFC 9421", req: func(t *testing.T) *http.Request { return withLength(signRFC(t, rfcSigner{})) }},
		{name: "cavage, body changed", body: tampered, wantBodyEr: ErrDigest,
			req: func(t *testing.T) *http.Request { return withLength(signCavage(t, cavageOpts{})) }},
		{name: "RFC 9421, body changed", body: tampered, wantBodyEr: ErrDigest,
			req: func(t *testing.T) *http.Request { return withLength(signRFC(t, rfcSigner{})) }},
		{name: "cavage, wrong key", keys: &fakeKeys{cached: &keys.other.PublicKey}, wantErr: ErrBadSignature,
			req: func(t *testing.T) *http.Request { return withLength(signCavage(t, cavageOpts{})) }},
		{name: "RFC 9421, wrong key", keys: &fakeKeys{cached: &keys.other.PublicKey}, wantErr: ErrBadSignature,
			req: func(t *testing.T) *http.Request { return withLength(signRFC(t, rfcSigner{})) }},
		{name: "cavage, no Digest header", wantErr: ErrDigest, req: func(t *testing.T) *http.Request {
			r := withLength(signCavage(t, cavageOpts{}))
			r.Header.Del("Digest")
			return r
		}},
		{name: "cavage, Digest of an unknown algorithm", wantErr: ErrDigest,
			req: func(t *testing.T) *http.Request { return withLength(signCavage(t, cavageOpts{digest: "MD5=AAAA"})) }},
		{name: "cavage, Digest too short", wantErr: ErrDigest,
			req: func(t *testing.T) *http.Request { return withLength(signCavage(t, cavageOpts{digest: "SHA-256=AAAA"})) }},
		{name: "RFC 9421, no Content-Digest", wantErr: ErrDigest, req: func(t *testing.T) *http.Request {
			r := withLength(signRFC(t, rfcSigner{}))
			r.Header.Del("Content-Digest")
			return r
		}},
		{name: "cavage, digest not signed on a POST", wantErr: ErrMissingHeaders,
			req: func(t *testing.T) *http.Request {
				return withLength(signCavage(t, cavageOpts{headers: "(request-target) host date"}))
			}},
		{name: "RFC 9421, content-digest not covered", wantErr: ErrMissingHeaders,
			req: func(t *testing.T) *http.Request {
				return withLength(signRFC(t, rfcSigner{components: []string{"@method", "@target-uri"}}))
			}},
		{name: "GET with a body of unknown length must sign its digest", wantErr: ErrMissingHeaders,
			req: func(t *testing.T) *http.Request {
				r, _ := signCavage(t, cavageOpts{method: http.MethodGet})
				r.ContentLength = -1
				return r
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fk := tt.keys
			if fk == nil {
				fk = &fakeKeys{cached: &keys.main.PublicKey}
			}
			r := tt.req(t)
			key, check, err := newVerifier(fk, testNow).VerifyHeaders(t.Context(), r)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || key != nil || check != nil {
					t.Fatalf("VerifyHeaders = %v, %v; want %v", key, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("VerifyHeaders: %v", err)
			}
			body := tt.body
			if body == nil {
				body = testActivity
			}
			if err := check(body); !errors.Is(err, tt.wantBodyEr) || (tt.wantBodyEr == nil) != (err == nil) {
				t.Fatalf("BodyCheck = %v, want %v", err, tt.wantBodyEr)
			}
		})
	}
}

// A request signed for another server's host does not verify on this
// one (Verifier.Host), whatever Host header it carries, and says why;
// one signed for this host verifies even when a proxy rewrote Host.
func TestVerifierHost(t *testing.T) {
	keys := testKeys()
	tests := []struct {
		name    string
		own     string
		req     func(*testing.T) (*http.Request, []byte)
		rewrite string // the Host header the server sees, when set
		wantErr error
	}{
		{name: "cavage for this host", own: "local.example", req: func(t *testing.T) (*http.Request, []byte) { return signCavage(t, cavageOpts{}) }},
		{name: "cavage for this host, Host rewritten by a proxy", own: "local.example", rewrite: "127.0.0.1:8080",
			req: func(t *testing.T) (*http.Request, []byte) { return signCavage(t, cavageOpts{}) }},
		{name: "cavage for another host", own: "paris15.example", wantErr: ErrWrongHost,
			req: func(t *testing.T) (*http.Request, []byte) { return signCavage(t, cavageOpts{}) }},
		{name: "RFC 9421 for this host", own: "LOCAL.example", req: func(t *testing.T) (*http.Request, []byte) { return signRFC(t, rfcSigner{}) }},
		{name: "RFC 9421 for another host", own: "paris15.example", wantErr: ErrWrongHost,
			req: func(t *testing.T) (*http.Request, []byte) { return signRFC(t, rfcSigner{}) }},
		{name: "RFC 9421 @authority for another host", own: "paris15.example", wantErr: ErrWrongHost,
			req: func(t *testing.T) (*http.Request, []byte) {
				return signRFC(t, rfcSigner{components: []string{"@method", "@authority", "@path", "@query", "content-digest"}})
			}},
		{name: "another host and another key: not verified at all", own: "paris15.example", wantErr: ErrBadSignature,
			req: func(t *testing.T) (*http.Request, []byte) { return signCavage(t, cavageOpts{key: keys.other}) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fk := &fakeKeys{cached: &keys.main.PublicKey}
			v := newVerifier(fk, testNow)
			v.Host = tt.own
			r, body := tt.req(t)
			if tt.rewrite != "" {
				r.Host = tt.rewrite
			}
			key, err := v.Verify(t.Context(), r, body)
			checkResult(t, key, err, tt.wantErr)
			if errors.Is(err, ErrWrongHost) && len(fk.calls) != 1 {
				t.Errorf("key fetched %d times for a request signed for another host, want 1 (no refetch)", len(fk.calls))
			}
		})
	}
}

// Reason gives the sentinel's words only: never the causes wrapped in
// the error (a peer's address, its answer).
func TestReason(t *testing.T) {
	cause := errors.New("dial tcp 10.0.0.7:443: connection refused")
	for _, tt := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w https://x.example/a#k: %w", ErrKey, cause), "cannot get signing key"},
		{fmt.Errorf("%w with key k: %v", ErrBadSignature, cause), "signature does not verify"},
		{fmt.Errorf("%w: x.example, not y.example", ErrWrongHost), "signed for another host"},
		{ErrUnsigned, "request is not signed"},
		{cause, ""},
	} {
		got := Reason(tt.err)
		if got != tt.want || strings.Contains(got, "10.0.0.7") {
			t.Errorf("Reason(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

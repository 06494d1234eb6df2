package signature

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dunglas/httpsfv"
)

// rfcSigner is a minimal RFC 9421 signer for tests, written apart from the
// verifier's code so that each checks the other. The zero value signs a
// POST of testActivity as Mastodon 4.5 does: label sig1, covering @method,
// @target-uri and content-digest, no alg, the main RSA key.
type rfcSigner struct {
	method     string
	target     string
	body       []byte
	label      string
	components []string
	alg        string // the alg parameter; "" leaves it out
	signAs     string // how to sign; default alg, else from the key type
	key        crypto.Signer
	keyID      string
	created    time.Time
	noCreated  bool
	expires    time.Time
	digest     string // Content-Digest; default sha-256 of body
}

func (s rfcSigner) defaults() rfcSigner {
	if s.method == "" {
		s.method = http.MethodPost
	}
	if s.target == "" {
		s.target = inboxURL
	}
	if s.body == nil && s.method == http.MethodPost {
		s.body = testActivity
	}
	if s.label == "" {
		s.label = "sig1"
	}
	if s.components == nil {
		s.components = []string{"@method", "@target-uri"}
		if needsDigest(s.method, len(s.body) > 0) {
			s.components = append(s.components, "content-digest")
		}
	}
	if s.key == nil {
		s.key = testKeys().main
	}
	if s.keyID == "" {
		s.keyID = testKeyID
	}
	if s.created.IsZero() {
		s.created = testNow
	}
	if s.signAs == "" {
		s.signAs = s.alg
	}
	if s.signAs == "" {
		if _, ok := s.key.(ed25519.PrivateKey); ok {
			s.signAs = "ed25519"
		} else {
			s.signAs = "rsa-v1_5-sha256"
		}
	}
	if s.digest == "" && len(s.body) > 0 {
		sum := sha256.Sum256(s.body)
		s.digest = "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
	}
	return s
}

// signRFC returns a request signed by s, as a server sees it.
func signRFC(t *testing.T, s rfcSigner) (*http.Request, []byte) {
	t.Helper()
	s = s.defaults()
	c := clientRequest(t, s.method, s.target, s.body)
	c.Host = c.URL.Host
	c.Header.Set("Date", testNow.Format(http.TimeFormat))
	c.Header.Set("Content-Type", "application/activity+json")
	if s.digest != "" {
		c.Header.Set("Content-Digest", s.digest)
	}
	s.addSignature(t, c)
	return serverSide(c), s.body
}

// addSignature adds this signature to c, after any already there.
func (s rfcSigner) addSignature(t *testing.T, c *http.Request) {
	t.Helper()
	quoted := make([]string, len(s.components))
	for i, name := range s.components {
		quoted[i] = `"` + name + `"`
	}
	params := "(" + strings.Join(quoted, " ") + ")"
	if !s.noCreated {
		params += fmt.Sprintf(";created=%d", s.created.Unix())
	}
	if !s.expires.IsZero() {
		params += fmt.Sprintf(";expires=%d", s.expires.Unix())
	}
	params += fmt.Sprintf(";keyid=%q", s.keyID)
	if s.alg != "" {
		params += fmt.Sprintf(";alg=%q", s.alg)
	}

	var base strings.Builder
	for _, name := range s.components {
		var value string
		switch name {
		case "@method":
			value = c.Method
		case "@target-uri":
			value = c.URL.String()
		case "@authority", "host":
			value = c.URL.Host
		case "@path":
			value = c.URL.EscapedPath()
		case "@query":
			value = "?" + c.URL.RawQuery
		case "@request-target":
			value = c.URL.RequestURI()
		default:
			value = c.Header.Get(name)
		}
		fmt.Fprintf(&base, "%q: %s\n", name, value)
	}
	fmt.Fprintf(&base, `"@signature-params": %s`, params)

	msg := []byte(base.String())
	var sig []byte
	var err error
	switch s.signAs {
	case "rsa-v1_5-sha256":
		sum := sha256.Sum256(msg)
		sig, err = rsa.SignPKCS1v15(rand.Reader, s.key.(*rsa.PrivateKey), crypto.SHA256, sum[:])
	case "rsa-pss-sha512":
		sum := sha512.Sum512(msg)
		sig, err = rsa.SignPSS(rand.Reader, s.key.(*rsa.PrivateKey), crypto.SHA512, sum[:], &rsa.PSSOptions{SaltLength: 64})
	case "ed25519":
		sig = ed25519.Sign(s.key.(ed25519.PrivateKey), msg)
	default:
		t.Fatalf("cannot sign as %s", s.signAs)
	}
	if err != nil {
		t.Fatal(err)
	}
	c.Header.Add("Signature-Input", s.label+"="+params)
	c.Header.Add("Signature", s.label+"=:"+base64.StdEncoding.EncodeToString(sig)+":")
}

func TestVerifyRFC9421(t *testing.T) {
	keys := testKeys()
	edPub := keys.ed.Public()
	sign := func(s rfcSigner) func(*testing.T) (*http.Request, []byte) {
		return func(t *testing.T) (*http.Request, []byte) { return signRFC(t, s) }
	}
	mutated := func(s rfcSigner, mutate func(r *http.Request)) func(*testing.T) (*http.Request, []byte) {
		return func(t *testing.T) (*http.Request, []byte) {
			r, body := signRFC(t, s)
			mutate(r)
			return r, body
		}
	}
	tests := []struct {
		name        string
		req         func(*testing.T) (*http.Request, []byte)
		keys        *fakeKeys // default: the main key
		scheme      string
		beforeFetch func(string) error
		wantErr     error // nil: accepted
		wantCalls   int
	}{
		{name: "Mastodon 4.5: RSA without alg", req: sign(rfcSigner{}), wantCalls: 1},
		{name: "rsa-v1_5-sha256", req: sign(rfcSigner{alg: "rsa-v1_5-sha256"}), wantCalls: 1},
		{name: "rsa-pss-sha512, authority and path", wantCalls: 1, req: sign(rfcSigner{
			alg:        "rsa-pss-sha512",
			components: []string{"@method", "@authority", "@path", "@query", "@request-target", "content-digest", "content-type", "date", "host"},
		})},
		{name: "ed25519 without alg, GET", keys: &fakeKeys{cached: edPub}, wantCalls: 1,
			req: sign(rfcSigner{method: http.MethodGet, key: keys.ed})},
		{name: "ed25519 with alg, POST", keys: &fakeKeys{cached: edPub}, wantCalls: 1,
			req: sign(rfcSigner{alg: "ed25519", key: keys.ed})},
		{name: "sha-512 content digest", wantCalls: 1,
			req: sign(rfcSigner{digest: "sha-512=:" + b64(sha512Sum(testActivity)) + ":"})},
		{name: "sha-256 and sha-512 content digest", wantCalls: 1,
			req: sign(rfcSigner{digest: "sha-256=:" + b64(sha256Sum(testActivity)) + ":, sha-512=:" + b64(sha512Sum(testActivity)) + ":"})},
		{name: "expires in the future", wantCalls: 1, req: sign(rfcSigner{expires: testNow.Add(time.Minute)})},
		{name: "plain http with Verifier.Scheme", scheme: "http", wantCalls: 1,
			req: sign(rfcSigner{target: "http://local.example/users/bob/inbox"})},
		{name: "key rotated: refetch finds the new key", req: sign(rfcSigner{}),
			keys: &fakeKeys{cached: &keys.old.PublicKey, fresh: &keys.main.PublicKey}, wantCalls: 2},
		{name: "two labels, the first unusable", wantCalls: 1, req: func(t *testing.T) (*http.Request, []byte) {
			c := clientRequest(t, http.MethodGet, inboxURL, nil)
			c.Host = c.URL.Host
			rfcSigner{label: "old", components: []string{"@target-uri"}}.defaults().addSignature(t, c)
			rfcSigner{method: http.MethodGet, label: "sig1"}.defaults().addSignature(t, c)
			return serverSide(c), nil
		}},

		{name: "content-digest mismatch", wantErr: ErrDigest, req: func(t *testing.T) (*http.Request, []byte) {
			r, _ := signRFC(t, rfcSigner{})
			return r, []byte(`{"type":"Delete"}`)
		}},
		{name: "content-digest without a known algorithm", wantErr: ErrDigest, req: sign(rfcSigner{digest: "md5=:AAAA:"})},
		{name: "content-digest not a dictionary", wantErr: ErrDigest, req: sign(rfcSigner{digest: "SHA-256=abc"})},
		{name: "Content-Digest header missing", wantErr: ErrDigest,
			req: mutated(rfcSigner{}, func(r *http.Request) { r.Header.Del("Content-Digest") })},
		{name: "content-digest not covered on POST", wantErr: ErrMissingHeaders,
			req: sign(rfcSigner{components: []string{"@method", "@target-uri"}})},
		{name: "@method not covered", wantErr: ErrMissingHeaders,
			req: sign(rfcSigner{components: []string{"@target-uri", "content-digest"}})},
		{name: "@authority without @path", wantErr: ErrMissingHeaders,
			req: sign(rfcSigner{components: []string{"@method", "@authority", "content-digest"}})},
		{name: "@request-target and host only", wantErr: ErrMissingHeaders,
			req: sign(rfcSigner{components: []string{"@method", "@request-target", "host", "content-digest"}})},
		{name: "created too old", wantErr: ErrStale, req: sign(rfcSigner{created: testNow.Add(-13 * time.Hour)})},
		{name: "created 2h ahead", wantErr: ErrStale, req: sign(rfcSigner{created: testNow.Add(2 * time.Hour)})},
		{name: "expired", wantErr: ErrStale, req: sign(rfcSigner{expires: testNow.Add(-time.Second)})},
		{name: "created missing", wantErr: ErrMalformed, req: sign(rfcSigner{noCreated: true})},
		{name: "keyid not a URL", wantErr: ErrMalformed, req: sign(rfcSigner{keyID: "test-key-rsa"})},
		{name: "unsupported alg", wantErr: ErrMalformed, req: sign(rfcSigner{alg: "hmac-sha256", signAs: "rsa-v1_5-sha256"})},
		{name: "unsupported component", wantErr: ErrMalformed,
			req: sign(rfcSigner{components: []string{"@method", "@target-uri", "content-digest", "@status"}})},
		{name: "component parameters", wantErr: ErrMalformed, req: mutated(rfcSigner{}, func(r *http.Request) {
			r.Header.Set("Signature-Input", strings.Replace(r.Header.Get("Signature-Input"), `"content-digest"`, `"content-digest";sf`, 1))
		})},
		{name: "covered header absent", wantErr: ErrMalformed, req: mutated(
			rfcSigner{components: []string{"@method", "@target-uri", "content-digest", "content-type"}},
			func(r *http.Request) { r.Header.Del("Content-Type") })},
		{name: "Signature header missing", wantErr: ErrMalformed,
			req: mutated(rfcSigner{}, func(r *http.Request) { r.Header.Del("Signature") })},
		{name: "Signature-Input not structured", wantErr: ErrMalformed,
			req: mutated(rfcSigner{}, func(r *http.Request) { r.Header.Set("Signature-Input", "sig1=(@method") })},
		{name: "Signature label differs", wantErr: ErrMalformed, req: mutated(rfcSigner{}, func(r *http.Request) {
			r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), "sig1=", "sig2=", 1))
		})},
		{name: "wrong key, also after refetch", req: sign(rfcSigner{}), wantErr: ErrBadSignature, wantCalls: 2,
			keys: &fakeKeys{cached: &keys.other.PublicKey}},
		{name: "alg says pss, signed with v1.5", wantErr: ErrBadSignature, wantCalls: 2,
			req: sign(rfcSigner{alg: "rsa-pss-sha512", signAs: "rsa-v1_5-sha256"})},
		{name: "RSA without alg, signed with pss", wantErr: ErrBadSignature, wantCalls: 2,
			req: sign(rfcSigner{signAs: "rsa-pss-sha512"})},
		{name: "rsa alg with an ed25519 key", wantErr: ErrBadSignature, wantCalls: 2, keys: &fakeKeys{cached: edPub},
			req: sign(rfcSigner{alg: "rsa-v1_5-sha256"})},
		{name: "host differs from the signed one", wantErr: ErrBadSignature, wantCalls: 2,
			req: mutated(rfcSigner{}, func(r *http.Request) { r.Host = "other.example" })},
		{name: "query differs from the signed one", wantErr: ErrBadSignature, wantCalls: 2,
			req: mutated(rfcSigner{}, func(r *http.Request) { r.RequestURI = "/users/bob/inbox?page=2" })},
		{name: "BeforeFetch refusing", req: sign(rfcSigner{}), wantErr: errBlocked,
			beforeFetch: func(string) error { return errBlocked }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fk := tt.keys
			if fk == nil {
				fk = &fakeKeys{cached: &keys.main.PublicKey}
			}
			v := newVerifier(fk, testNow)
			v.Scheme = tt.scheme
			v.BeforeFetch = tt.beforeFetch
			r, body := tt.req(t)
			key, err := v.Verify(t.Context(), r, body)
			checkResult(t, key, err, tt.wantErr)
			if len(fk.calls) != tt.wantCalls {
				t.Errorf("Keys called %d times (%v), want %d", len(fk.calls), fk.calls, tt.wantCalls)
			}
			if tt.wantCalls == 2 && !slices.Equal(fk.calls, []bool{false, true}) {
				t.Errorf("Keys calls = %v, want without then with refetch", fk.calls)
			}
		})
	}
}

// TestRFC9421Vectors checks the examples of RFC 9421 Appendix B.2 that sign
// a request with test-key-rsa-pss and test-key-ed25519: the signature base
// must be the one the RFC prints, and the RFC's signature must verify.
func TestRFC9421Vectors(t *testing.T) {
	rsaPub := readPEM(t, "rfc9421-test-key-rsa-pss.pub.pem")[0].(*rsa.PublicKey)
	edKeys := readPEM(t, "rfc9421-test-key-ed25519.pem")
	edPub, edPriv := edKeys[0].(ed25519.PublicKey), edKeys[1].(ed25519.PrivateKey)
	if !edPub.Equal(edPriv.Public()) {
		t.Fatal("the ed25519 test key's halves do not match")
	}
	tests := []struct {
		name string
		pub  crypto.PublicKey
		alg  string // the RFC names the algorithm out of band for rsa-pss
	}{
		{"rfc9421-b2.1", rsaPub, "rsa-pss-sha512"},
		{"rfc9421-b2.3", rsaPub, "rsa-pss-sha512"},
		{"rfc9421-b2.6", edPub, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, body := readRequest(t, tt.name+".http")
			sig := parseOnly(t, r)
			base, err := signatureBase(r, "https", host(r), sig.input)
			if err != nil {
				t.Fatal(err)
			}
			if want := readText(t, tt.name+".base"); base != want {
				t.Fatalf("signature base\n%s\nwant\n%s", base, want)
			}
			if err := verify9421With(tt.pub, tt.alg, []byte(base), sig.signature); err != nil {
				t.Fatalf("the RFC's signature does not verify: %v", err)
			}
			if err := checkContentDigest(r.Header.Values("Content-Digest"), body); err != nil {
				t.Errorf("the RFC's Content-Digest: %v", err)
			}
		})
	}

	t.Run("B.2.6 signing reproduces the RFC's signature", func(t *testing.T) {
		base := readText(t, "rfc9421-b2.6.base")
		got := ed25519.Sign(edPriv, []byte(base))
		want := "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw=="
		if b64(got) != want {
			t.Errorf("signature %s, want %s", b64(got), want)
		}
	})

	// The examples verify, but Verify's policy refuses them for ActivityPub.
	t.Run("policy", func(t *testing.T) {
		for name, want := range map[string]error{
			"rfc9421-b2.1": ErrMissingHeaders, // covers nothing
			"rfc9421-b2.6": ErrMissingHeaders, // a POST body without content-digest
		} {
			r, body := readRequest(t, name+".http")
			fk := &fakeKeys{cached: edPub}
			_, err := newVerifier(fk, time.Unix(1618884473, 0)).Verify(t.Context(), r, body)
			if !errors.Is(err, want) || len(fk.calls) != 0 {
				t.Errorf("%s: err = %v, calls %v; want %v and no key fetch", name, err, fk.calls, want)
			}
		}
	})
}

// parseOnly parses the only signature of r.
func parseOnly(t *testing.T, r *http.Request) *sig9421 {
	t.Helper()
	inputs, err := httpsfv.UnmarshalDictionary(r.Header.Values("Signature-Input"))
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := httpsfv.UnmarshalDictionary(r.Header.Values("Signature"))
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs.Names()) != 1 {
		t.Fatalf("labels %v", inputs.Names())
	}
	sig, err := parse9421(inputs.Names()[0], inputs, sigs)
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

// TestComponentValue checks the derived components against the examples of
// RFC 9421 §2.2, for POST /path?param=value to www.example.com.
func TestComponentValue(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/path?param=value", nil)
	r.Host = "www.Example.com"
	r.Header.Add("X-Multi", " a ")
	r.Header.Add("X-Multi", "b")
	noQuery := httptest.NewRequest(http.MethodGet, "/path", nil)
	tests := []struct {
		r          *http.Request
		name, want string
	}{
		{r, "@method", "POST"},
		{r, "@target-uri", "https://www.example.com/path?param=value"},
		{r, "@authority", "www.example.com"},
		{r, "@scheme", "https"},
		{r, "@request-target", "/path?param=value"},
		{r, "@path", "/path"},
		{r, "@query", "?param=value"},
		{noQuery, "@query", "?"},
		{r, "host", "www.example.com"},
		{r, "x-multi", "a, b"},
	}
	for _, tt := range tests {
		got, err := componentValue(tt.r, "https", host(tt.r), tt.name)
		if err != nil || got != tt.want {
			t.Errorf("%s = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
}

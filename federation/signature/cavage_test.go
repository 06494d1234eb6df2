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
	"slices"
	"strings"
	"testing"
	"time"
)

// cavageOpts describes a draft-cavage request signed by signCavage; the
// zero value is a POST of testActivity signed like Mastodon does.
type cavageOpts struct {
	method           string
	body             []byte
	headers          string // signed headers; default (request-target) host date [digest]
	alg              string // default rsa-sha256; "none" leaves algorithm out
	key              crypto.Signer
	keyID            string
	date             time.Time
	digest           string // Digest header; default SHA-256 of body
	created, expires string
	auth             bool // send as Authorization: Signature
}

// signCavage signs a request with the test's own choices of headers and
// algorithm, which Signer does not offer, and returns it as a server sees it.
func signCavage(t *testing.T, o cavageOpts) (*http.Request, []byte) {
	t.Helper()
	if o.method == "" {
		o.method = http.MethodPost
	}
	if o.body == nil && o.method == http.MethodPost {
		o.body = testActivity
	}
	if o.headers == "" {
		o.headers = "(request-target) host date"
		if needsDigest(o.method, len(o.body) > 0) {
			o.headers += " digest"
		}
	}
	if o.key == nil {
		o.key = testKeys().main
	}
	if o.keyID == "" {
		o.keyID = testKeyID
	}
	if o.date.IsZero() {
		o.date = testNow
	}
	c := clientRequest(t, o.method, inboxURL, o.body)
	c.Host = c.URL.Host
	c.Header.Set("Date", o.date.Format(http.TimeFormat))
	if o.digest == "" && needsDigest(o.method, len(o.body) > 0) {
		sum := sha256.Sum256(o.body)
		o.digest = "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
	}
	if o.digest != "" {
		c.Header.Set("Digest", o.digest)
	}
	signed, err := cavageSigningString(c, strings.Fields(o.headers), o.created, o.expires, host(c))
	if err != nil {
		t.Fatal(err)
	}
	sig := cavageSignBytes(t, o.key, []byte(signed))

	params := fmt.Sprintf(`keyId="%s",`, o.keyID)
	switch o.alg {
	case "":
		params += `algorithm="rsa-sha256",`
	case "none":
	default:
		params += fmt.Sprintf(`algorithm="%s",`, o.alg)
	}
	if o.created != "" {
		params += "created=" + o.created + ","
	}
	if o.expires != "" {
		params += "expires=" + o.expires + ","
	}
	params += fmt.Sprintf(`headers="%s",signature="%s"`, o.headers, base64.StdEncoding.EncodeToString(sig))
	if o.auth {
		c.Header.Set("Authorization", "Signature "+params)
	} else {
		c.Header.Set("Signature", params)
	}
	return serverSide(c), o.body
}

// cavageSignBytes signs as draft-cavage verifiers expect: RSA keys with
// PKCS#1 v1.5 and SHA-256, ed25519 keys with ed25519.
func cavageSignBytes(t *testing.T, key crypto.Signer, msg []byte) []byte {
	t.Helper()
	var sig []byte
	var err error
	switch key.(type) {
	case ed25519.PrivateKey:
		sig, err = key.Sign(nil, msg, crypto.Hash(0))
	default:
		sum := sha256.Sum256(msg)
		sig, err = key.Sign(rand.Reader, sum[:], crypto.SHA256)
	}
	if err != nil {
		t.Fatal(err)
	}
	return sig
}

func TestSignerRoundTrip(t *testing.T) {
	keys := testKeys()
	tests := []struct {
		name        string
		method      string
		body        []byte
		wantHeaders string
	}{
		{"POST with body", http.MethodPost, testActivity, "(request-target) host date digest"},
		{"GET without body", http.MethodGet, nil, "(request-target) host date"},
		{"POST without body", http.MethodPost, nil, "(request-target) host date digest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Signer{KeyID: testKeyID, Private: keys.main, Now: func() time.Time { return testNow }}
			c := clientRequest(t, tt.method, inboxURL, tt.body)
			if err := s.Sign(c, tt.body); err != nil {
				t.Fatal(err)
			}
			if c.Host != "local.example" {
				t.Errorf("Host = %q", c.Host)
			}
			if got := c.Header.Get("Date"); got != "Sun, 01 Mar 2026 12:00:00 GMT" {
				t.Errorf("Date = %q", got)
			}
			if !strings.Contains(c.Header.Get("Signature"), `headers="`+tt.wantHeaders+`"`) {
				t.Errorf("Signature = %q, want headers %q", c.Header.Get("Signature"), tt.wantHeaders)
			}
			if hasDigest := c.Header.Get("Digest") != ""; hasDigest != strings.Contains(tt.wantHeaders, "digest") {
				t.Errorf("Digest = %q", c.Header.Get("Digest"))
			}

			fk := &fakeKeys{cached: &keys.main.PublicKey}
			key, err := newVerifier(fk, testNow.Add(time.Minute)).Verify(t.Context(), serverSide(c), tt.body)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if key.ID != testKeyID || key.Owner != "https://remote.example/users/alice" {
				t.Errorf("key = %+v", key)
			}
			if !slices.Equal(fk.calls, []bool{false}) {
				t.Errorf("Keys calls = %v, want one without refetch", fk.calls)
			}
		})
	}
}

func TestSignerKeepsDate(t *testing.T) {
	s := &Signer{KeyID: testKeyID, Private: testKeys().main}
	c := clientRequest(t, http.MethodGet, inboxURL, nil)
	c.Header.Set("Date", "Sun, 01 Mar 2026 11:59:00 GMT")
	if err := s.Sign(c, nil); err != nil {
		t.Fatal(err)
	}
	if got := c.Header.Get("Date"); got != "Sun, 01 Mar 2026 11:59:00 GMT" {
		t.Errorf("Date = %q", got)
	}
}

var errBlocked = errors.New("domain blocked")

func TestVerifyCavage(t *testing.T) {
	keys := testKeys()
	edPub := keys.ed.Public()
	sign := func(o cavageOpts) func(*testing.T) (*http.Request, []byte) {
		return func(t *testing.T) (*http.Request, []byte) { return signCavage(t, o) }
	}
	tests := []struct {
		name        string
		req         func(*testing.T) (*http.Request, []byte)
		keys        *fakeKeys // default: the main key
		beforeFetch func(string) error
		wantErr     error // nil: accepted
		wantCalls   int
	}{
		{name: "accepted", req: sign(cavageOpts{}), wantCalls: 1},
		{name: "unsigned", wantErr: ErrUnsigned, req: func(t *testing.T) (*http.Request, []byte) {
			r, body := signCavage(t, cavageOpts{})
			r.Header.Del("Signature")
			return r, body
		}},
		{name: "malformed: not key=value", wantErr: ErrMalformed, req: withHeader("Signature", "nonsense")},
		{name: "malformed: unterminated quote", wantErr: ErrMalformed,
			req: withHeader("Signature", `keyId="`+testKeyID+`,headers="date",signature="AAAA"`)},
		{name: "malformed: signature not base64", wantErr: ErrMalformed,
			req: withHeader("Signature", `keyId="`+testKeyID+`",headers="(request-target) host date digest",signature="!!"`)},
		{name: "malformed: no keyId", wantErr: ErrMalformed,
			req: withHeader("Signature", `headers="(request-target) host date digest",signature="AAAA"`)},
		{name: "malformed: keyId not a URL", wantErr: ErrMalformed, req: sign(cavageOpts{keyID: "main-key"})},
		{name: "malformed: unsupported algorithm", wantErr: ErrMalformed, req: sign(cavageOpts{alg: "hmac-sha256"})},
		{name: "malformed: signed header absent", wantErr: ErrMalformed, req: func(t *testing.T) (*http.Request, []byte) {
			r, body := signCavage(t, cavageOpts{})
			sig := strings.Replace(r.Header.Get("Signature"), `digest"`, `digest content-type"`, 1)
			r.Header.Set("Signature", sig)
			return r, body
		}},
		{
			name:      "wrong key, also after refetch",
			req:       sign(cavageOpts{}),
			keys:      &fakeKeys{cached: &keys.other.PublicKey},
			wantErr:   ErrBadSignature,
			wantCalls: 2,
		},
		{
			name:      "key rotated: refetch finds the new key",
			req:       sign(cavageOpts{}),
			keys:      &fakeKeys{cached: &keys.old.PublicKey, fresh: &keys.main.PublicKey},
			wantCalls: 2,
		},
		{name: "tampered body", wantErr: ErrDigest, req: func(t *testing.T) (*http.Request, []byte) {
			r, _ := signCavage(t, cavageOpts{})
			return r, []byte(`{"type":"Delete","actor":"https://remote.example/users/alice"}`)
		}},
		{name: "digest header missing on POST", wantErr: ErrDigest, req: func(t *testing.T) (*http.Request, []byte) {
			r, body := signCavage(t, cavageOpts{})
			r.Header.Del("Digest")
			return r, body
		}},
		{name: "digest without SHA-256", wantErr: ErrDigest, req: sign(cavageOpts{digest: "MD5=AAAA"})},
		{name: "digest among several, lowercase", wantCalls: 1,
			req: sign(cavageOpts{digest: "SHA-512=" + b64(sha512Sum(testActivity)) + ", sha-256=" + b64(sha256Sum(testActivity))})},
		{name: "digest not among signed headers", wantErr: ErrMissingHeaders,
			req: sign(cavageOpts{headers: "(request-target) host date"})},
		{name: "date not among signed headers", wantErr: ErrMissingHeaders,
			req: sign(cavageOpts{headers: "(request-target) host digest"})},
		{name: "host not among signed headers", wantErr: ErrMissingHeaders,
			req: sign(cavageOpts{headers: "(request-target) date digest"})},
		{name: "request-target not among signed headers", wantErr: ErrMissingHeaders,
			req: sign(cavageOpts{headers: "host date digest"})},
		{name: "no headers parameter", wantErr: ErrMissingHeaders, req: withHeader("Signature", `keyId="`+testKeyID+`",signature="AAAA"`)},
		{name: "stale date, 13h old", wantErr: ErrStale, req: sign(cavageOpts{date: testNow.Add(-13 * time.Hour)})},
		{name: "date 2h ahead", wantErr: ErrStale, req: sign(cavageOpts{date: testNow.Add(2 * time.Hour)})},
		{name: "date 11h old", wantCalls: 1, req: sign(cavageOpts{date: testNow.Add(-11 * time.Hour)})},
		{name: "date 50m ahead", wantCalls: 1, req: sign(cavageOpts{date: testNow.Add(50 * time.Minute)})},
		{
			name:        "BeforeFetch refusing",
			req:         sign(cavageOpts{}),
			beforeFetch: func(string) error { return errBlocked },
			wantErr:     errBlocked,
		},
		{
			name: "BeforeFetch gets the keyId host",
			req:  sign(cavageOpts{keyID: "https://Remote.Example:8443/users/alice#main-key"}),
			beforeFetch: func(host string) error {
				if host != "remote.example" {
					return fmt.Errorf("host %q", host)
				}
				return nil
			},
			wantCalls: 1,
		},
		{name: "key fetch fails", wantErr: ErrKey, req: sign(cavageOpts{}),
			keys: &fakeKeys{err: errors.New("connection refused")}, wantCalls: 1},
		{name: "host differs from the signed one", wantErr: ErrBadSignature, wantCalls: 2,
			req: func(t *testing.T) (*http.Request, []byte) {
				r, body := signCavage(t, cavageOpts{})
				r.Host = "other.example"
				return r, body
			}},
		{name: "path differs from the signed one", wantErr: ErrBadSignature, wantCalls: 2,
			req: func(t *testing.T) (*http.Request, []byte) {
				r, body := signCavage(t, cavageOpts{})
				r.RequestURI = "/users/carol/inbox?page=1"
				return r, body
			}},
		{name: "hs2019 with RSA", wantCalls: 1, req: sign(cavageOpts{alg: "hs2019"})},
		{name: "hs2019 with ed25519", wantCalls: 1, keys: &fakeKeys{cached: edPub},
			req: sign(cavageOpts{alg: "hs2019", key: keys.ed})},
		{name: "no algorithm, ed25519", wantCalls: 1, keys: &fakeKeys{cached: edPub},
			req: sign(cavageOpts{alg: "none", key: keys.ed})},
		{name: "rsa-sha256 claimed with an ed25519 key", wantErr: ErrBadSignature, wantCalls: 2,
			keys: &fakeKeys{cached: edPub}, req: sign(cavageOpts{key: keys.ed})},
		{name: "Authorization: Signature", wantCalls: 1, req: sign(cavageOpts{auth: true})},
		{name: "GET without digest", wantCalls: 1, req: sign(cavageOpts{method: http.MethodGet})},
		{name: "created and expires honoured", wantCalls: 1, req: sign(cavageOpts{
			alg:     "hs2019",
			headers: "(request-target) (created) (expires) host date digest",
			created: unix(testNow.Add(-time.Minute)),
			expires: unix(testNow.Add(time.Minute)),
		})},
		{name: "created 13h old", wantErr: ErrStale, req: sign(cavageOpts{
			alg:     "hs2019",
			headers: "(request-target) (created) host date digest",
			created: unix(testNow.Add(-13 * time.Hour)),
		})},
		{name: "expired", wantErr: ErrStale, req: sign(cavageOpts{
			alg:     "hs2019",
			headers: "(request-target) (expires) host date digest",
			expires: unix(testNow.Add(-time.Second)),
		})},
		{name: "(created) signed without created", wantErr: ErrMalformed,
			req: withHeader("Signature", `keyId="`+testKeyID+`",headers="(request-target) (created) host date digest",signature="AAAA"`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fk := tt.keys
			if fk == nil {
				fk = &fakeKeys{cached: &keys.main.PublicKey}
			}
			v := newVerifier(fk, testNow)
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

func TestVerifyKeyErrorWrapsCause(t *testing.T) {
	cause := errors.New("connection refused")
	r, body := signCavage(t, cavageOpts{})
	_, err := newVerifier(&fakeKeys{err: cause}, testNow).Verify(t.Context(), r, body)
	if !errors.Is(err, ErrKey) || !errors.Is(err, cause) {
		t.Fatalf("err = %v, want ErrKey wrapping the cause", err)
	}
}

func TestBeforeFetchErrorReturnedAsIs(t *testing.T) {
	r, body := signCavage(t, cavageOpts{})
	v := newVerifier(&fakeKeys{}, testNow)
	v.BeforeFetch = func(string) error { return errBlocked }
	if _, err := v.Verify(t.Context(), r, body); err != errBlocked {
		t.Fatalf("err = %v, want errBlocked itself", err)
	}
}

// TestCavageVectors checks the examples of draft-cavage-12 Appendix C,
// signed with its 1024-bit "Test" key.
func TestCavageVectors(t *testing.T) {
	pub := readPEM(t, "cavage-test-key.pub.pem")[0].(*rsa.PublicKey)
	now := time.Date(2014, 1, 5, 21, 31, 40, 0, time.UTC)

	t.Run("C.3 All Headers Test", func(t *testing.T) {
		r, body := readRequest(t, "cavage-c3.http")
		// keyId is not signed: replace "Test" with a URL, as Verify requires.
		r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), `keyId="Test"`, `keyId="https://example.com/keys/Test"`, 1))
		fk := &fakeKeys{cached: pub}
		key, err := newVerifier(fk, now).Verify(t.Context(), r, body)
		if err != nil {
			t.Fatal(err)
		}
		if key.ID != "https://example.com/keys/Test" || len(fk.calls) != 1 {
			t.Errorf("key %+v, calls %v", key, fk.calls)
		}
	})

	t.Run("C.2 Basic Test", func(t *testing.T) {
		r, body := readRequest(t, "cavage-c2.http")
		sig, err := parseCavage(r.Header.Get("Signature"))
		if err != nil {
			t.Fatal(err)
		}
		signed, err := cavageSigningString(r, sig.headers, "", "", host(r))
		if err != nil {
			t.Fatal(err)
		}
		want := "(request-target): post /foo?param=value&pet=dog\nhost: example.com\ndate: Sun, 05 Jan 2014 21:31:40 GMT"
		if signed != want {
			t.Errorf("signing string\n%s\nwant\n%s", signed, want)
		}
		if err := verifyCavageWith(pub, sig.algorithm, []byte(signed), sig.signature); err != nil {
			t.Errorf("C.2 does not verify: %v", err)
		}
		// It verifies, but leaves the digest of a POST unsigned.
		r.Header.Set("Signature", strings.Replace(r.Header.Get("Signature"), `keyId="Test"`, `keyId="https://example.com/keys/Test"`, 1))
		_, err = newVerifier(&fakeKeys{cached: pub}, now).Verify(t.Context(), r, body)
		if !errors.Is(err, ErrMissingHeaders) {
			t.Errorf("Verify err = %v, want ErrMissingHeaders", err)
		}
	})
}

func TestParseCavageParams(t *testing.T) {
	got, err := parseCavageParams(` keyId="a,b" , algorithm="hs2019",created=1402170695, expires=1402170699.5,headers="(created) date",signature="c2ln"`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"keyid": "a,b", "algorithm": "hs2019", "created": "1402170695",
		"expires": "1402170699.5", "headers": "(created) date", "signature": "c2ln",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	for _, bad := range []string{`keyId`, `keyId="a"signature="b"`, `keyId="a",keyId="b"`, `="a"`, `keyId="a`} {
		if _, err := parseCavageParams(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("parseCavageParams(%q) err = %v, want ErrMalformed", bad, err)
		}
	}
}

// checkResult checks Verify's result against the wanted error (nil: accepted).
func checkResult(t *testing.T, key *Key, err, wantErr error) {
	t.Helper()
	switch {
	case wantErr == nil && err != nil:
		t.Fatalf("Verify: %v", err)
	case wantErr == nil && key == nil:
		t.Fatal("Verify returned no key")
	case wantErr != nil && !errors.Is(err, wantErr):
		t.Fatalf("Verify err = %v, want %v", err, wantErr)
	case wantErr != nil && key != nil:
		t.Fatalf("Verify returned a key with error %v", err)
	}
	if err != nil {
		t.Logf("error: %v", err)
	}
}

// withHeader returns a builder of a fresh POST carrying only that header.
func withHeader(name, value string) func(*testing.T) (*http.Request, []byte) {
	return func(t *testing.T) (*http.Request, []byte) {
		r, body := signCavage(t, cavageOpts{})
		r.Header.Del("Signature")
		r.Header.Set(name, value)
		return r, body
	}
}

func unix(t time.Time) string { return fmt.Sprint(t.Unix()) }

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func sha256Sum(b []byte) []byte {
	sum := sha256.Sum256(b)
	return sum[:]
}

func sha512Sum(b []byte) []byte {
	sum := sha512.Sum512(b)
	return sum[:]
}

package signature

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testKeyID = "https://remote.example/users/alice#main-key"
	inboxURL  = "https://local.example/users/bob/inbox?page=1"
)

var (
	testNow      = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	testActivity = []byte(`{"type":"Follow","actor":"https://remote.example/users/alice"}`)
)

type testKeySet struct {
	main, other, old *rsa.PrivateKey
	ed               ed25519.PrivateKey
}

// testKeys are generated once: RSA generation is slow.
var testKeys = sync.OnceValue(func() testKeySet {
	gen := func() *rsa.PrivateKey {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		return k
	}
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return testKeySet{main: gen(), other: gen(), old: gen(), ed: ed}
})

// fakeKeys is a KeyFunc that records its calls.
type fakeKeys struct {
	cached crypto.PublicKey // returned when refetch is false
	fresh  crypto.PublicKey // returned when refetch is true; cached if nil
	err    error
	calls  []bool // refetch of each call
}

func (f *fakeKeys) get(_ context.Context, keyID string, refetch bool) (*Key, error) {
	f.calls = append(f.calls, refetch)
	if f.err != nil {
		return nil, f.err
	}
	pub := f.cached
	if refetch && f.fresh != nil {
		pub = f.fresh
	}
	owner, _, _ := strings.Cut(keyID, "#")
	return &Key{ID: keyID, Owner: owner, Public: pub}, nil
}

func newVerifier(keys *fakeKeys, now time.Time) *Verifier {
	return &Verifier{Keys: keys.get, Now: func() time.Time { return now }}
}

// clientRequest is an outgoing request, as a Signer sees it.
func clientRequest(t *testing.T, method, target string, body []byte) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, target, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// serverSide turns a signed client request into the request a server
// would see: origin-form RequestURI, Host moved out of the headers.
func serverSide(c *http.Request) *http.Request {
	s := httptest.NewRequest(c.Method, c.URL.RequestURI(), nil)
	s.Host = c.Host
	if s.Host == "" {
		s.Host = c.URL.Host
	}
	s.Header = c.Header.Clone()
	return s
}

// readRequest reads a raw HTTP request from testdata.
func readRequest(t *testing.T, name string) (*http.Request, []byte) {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return r, body
}

// readPEM returns the keys of a PEM file in testdata: public keys first.
func readPEM(t *testing.T, name string) []any {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var keys []any
	for {
		var block *pem.Block
		block, raw = pem.Decode(raw)
		if block == nil {
			return keys
		}
		var key any
		switch block.Type {
		case "PUBLIC KEY":
			key, err = x509.ParsePKIXPublicKey(block.Bytes)
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		default:
			t.Fatalf("%s: unexpected %s", name, block.Type)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		keys = append(keys, key)
	}
}

func readText(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

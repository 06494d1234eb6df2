package coordination

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"testing"

	"agora/instances/decisions"
)

func actorDoc(t *testing.T, id, keyID, owner string, pub any) []byte {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"id": id, "type": "Application", "publicKey": map[string]string{
		"id": keyID, "owner": owner, "publicKeyPem": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}})
	return b
}

// A node's key is read from its instance actor only if the actor is the
// node's, owns it, and it is RSA of a sane size.
func TestParseActorKey(t *testing.T) {
	const node = "https://paris14.example"
	id := node + "/actor"
	good, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		doc  []byte
		ok   bool
	}{
		{"the node's", actorDoc(t, id, id+"#main-key", id, &good.PublicKey), true},
		{"another actor", actorDoc(t, node+"/people/x", node+"/people/x#main-key", node+"/people/x", &good.PublicKey), false},
		{"a key owned by another", actorDoc(t, id, id+"#main-key", "https://evil.example/actor", &good.PublicKey), false},
		{"another key id", actorDoc(t, id, id+"#other", id, &good.PublicKey), false},
		{"too small", actorDoc(t, id, id+"#main-key", id, &small.PublicKey), false},
		{"not PEM", []byte(`{"id":"` + id + `","publicKey":{"id":"` + id + `#main-key","owner":"` + id + `","publicKeyPem":"x"}}`), false},
		{"not JSON", []byte(`<html>`), false},
	} {
		k, err := ParseActorKey(tc.doc, id)
		if tc.ok && (err != nil || !k.Equal(&good.PublicKey)) {
			t.Errorf("%s: %v", tc.name, err)
		}
		if !tc.ok && !errors.Is(err, decisions.ErrSignature) {
			t.Errorf("%s: %v, want a refused key", tc.name, err)
		}
	}
}

// A part that fails a check is refused; no answer is missing.
func TestRefused(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{decisions.ErrPart, true},
		{decisions.ErrSignature, true},
		{errors.New("dial tcp: connection refused"), false},
	} {
		if got := refused(tc.err); got != tc.want {
			t.Errorf("refused(%v) = %v", tc.err, got)
		}
	}
}

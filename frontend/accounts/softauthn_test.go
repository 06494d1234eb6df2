package accounts_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// softAuthenticator is a passkey authenticator written for the tests: an
// ECDSA P-256 key per credential, "none" attestation, and everything a
// browser adds (clientDataJSON) built by hand, so that each field can be
// made wrong on purpose. It answers the options of the begin endpoints
// with the JSON body that passkey.js would post to the finish endpoints.
type softAuthenticator struct {
	origin string // what the browser puts in clientDataJSON
	rpID   string
	keys   []*softKey
}

// softKey is one credential (passkey) of the authenticator.
type softKey struct {
	id         []byte
	priv       *ecdsa.PrivateKey
	userHandle []byte
	count      uint32 // the signature counter, sent as is
}

// Authenticator data flags (WebAuthn §6.1).
const (
	flagUP = 0x01 // user present
	flagUV = 0x04 // user verified
	flagBE = 0x08 // backup eligible
	flagBS = 0x10 // backed up
	flagAT = 0x40 // attested credential data included
)

// credentialIDSize is the length of the credential ids the software
// authenticator makes: 16 bytes, the length of the server's made-up ids
// for unknown handles. Real authenticators vary (Chromium's virtual one
// makes 32-byte ids).
const credentialIDSize = 16

// ceremonyTweaks makes one answer wrong in one way; the zero value is a
// correct answer.
type ceremonyTweaks struct {
	origin      string // clientDataJSON origin, in place of the authenticator's
	rpID        string // the RP id whose hash goes into authenticatorData
	flags       *byte  // in place of UP|UV(|AT)
	attestation []byte // in place of the attestation object
	clientType  string // clientDataJSON type, in place of webauthn.create/get
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func unb64url(t testing.TB, s string) []byte {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("base64url %q: %v", s, err)
	}
	return b
}

// creationOptions is the part of the begin answer of sign-up and "add a
// passkey" the authenticator reads.
type creationOptions struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		User struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"user"`
		ExcludeCredentials []struct {
			ID string `json:"id"`
		} `json:"excludeCredentials"`
		AuthenticatorSelection struct {
			ResidentKey      string `json:"residentKey"`
			UserVerification string `json:"userVerification"`
		} `json:"authenticatorSelection"`
	} `json:"publicKey"`
}

// requestOptions is the part of the begin answer of sign-in it reads.
type requestOptions struct {
	PublicKey struct {
		Challenge        string `json:"challenge"`
		RPID             string `json:"rpId"`
		UserVerification string `json:"userVerification"`
		AllowCredentials []struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		} `json:"allowCredentials"`
	} `json:"publicKey"`
}

func (a *softAuthenticator) clientData(typ, challenge, origin string) []byte {
	cd, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": origin, "crossOrigin": false})
	return cd
}

func (a *softAuthenticator) authData(rpID string, flags byte, count uint32, attested []byte) []byte {
	h := sha256.Sum256([]byte(rpID))
	out := append(h[:], flags)
	out = binary.BigEndian.AppendUint32(out, count)
	return append(out, attested...)
}

// create makes a new credential for the options (a begin answer's
// "options"), its counter at count, and returns it with the body for the
// finish endpoint. Call keep once the server accepted it.
func (a *softAuthenticator) create(t testing.TB, options json.RawMessage, count uint32, tw ceremonyTweaks) (*softKey, []byte) {
	t.Helper()
	var o creationOptions
	if err := json.Unmarshal(options, &o); err != nil {
		t.Fatalf("creation options: %v\n%s", err, options)
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k := &softKey{id: make([]byte, credentialIDSize), priv: priv, userHandle: unb64url(t, o.PublicKey.User.ID), count: count}
	rand.Read(k.id)

	// The COSE_Key of an EC2 P-256 ES256 public key (RFC 9053).
	ecdh, err := priv.PublicKey.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	point := ecdh.Bytes() // 0x04 || X || Y
	cose, err := cborEnc().Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: point[1:33], -3: point[33:65]})
	if err != nil {
		t.Fatal(err)
	}
	attested := make([]byte, 16) // AAGUID: none
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(k.id)))
	attested = append(attested, k.id...)
	attested = append(attested, cose...)

	flags := byte(flagUP | flagUV | flagAT)
	if tw.flags != nil {
		flags = *tw.flags
	}
	rpID := a.rpID
	if tw.rpID != "" {
		rpID = tw.rpID
	}
	att := tw.attestation
	if att == nil {
		att, err = cborEnc().Marshal(map[string]any{
			"fmt": "none", "attStmt": map[string]any{}, "authData": a.authData(rpID, flags, count, attested),
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	body, _ := json.Marshal(map[string]any{
		"id": b64url(k.id), "rawId": b64url(k.id), "type": "public-key",
		"authenticatorAttachment": "platform",
		"clientExtensionResults":  map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64url(a.clientData(orDefault(tw.clientType, "webauthn.create"), o.PublicKey.Challenge, orDefault(tw.origin, a.origin))),
			"attestationObject": b64url(att),
			"transports":        []string{"internal", "hybrid"},
		},
	})
	return k, body
}

// keep adds a credential that the server accepted.
func (a *softAuthenticator) keep(k *softKey) { a.keys = append(a.keys, k) }

// get signs the challenge of options (a sign-in begin answer's "options")
// with key k, its counter set to count, and returns the finish body.
func (a *softAuthenticator) get(t testing.TB, options json.RawMessage, k *softKey, count uint32, tw ceremonyTweaks) []byte {
	t.Helper()
	var o requestOptions
	if err := json.Unmarshal(options, &o); err != nil {
		t.Fatalf("request options: %v\n%s", err, options)
	}
	k.count = count
	flags := byte(flagUP | flagUV)
	if tw.flags != nil {
		flags = *tw.flags
	}
	rpID := a.rpID
	if tw.rpID != "" {
		rpID = tw.rpID
	}
	authData := a.authData(rpID, flags, count, nil)
	cd := a.clientData(orDefault(tw.clientType, "webauthn.get"), o.PublicKey.Challenge, orDefault(tw.origin, a.origin))
	cdHash := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, authData...), cdHash[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.priv, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{
		"id": b64url(k.id), "rawId": b64url(k.id), "type": "public-key",
		"authenticatorAttachment": "platform",
		"clientExtensionResults":  map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64url(cd),
			"authenticatorData": b64url(authData),
			"signature":         b64url(sig),
			"userHandle":        b64url(k.userHandle),
		},
	})
	return body
}

func cborEnc() cbor.EncMode {
	em, err := cbor.CTAP2EncOptions().EncMode()
	if err != nil {
		panic(err)
	}
	return em
}

func orDefault(s, def string) string {
	if s != "" {
		return s
	}
	return def
}

func flagsOf(b byte) *byte { return &b }

// Package signature signs and verifies the HTTP signatures ActivityPub
// servers put on their requests.
//
// Two formats are verified: draft-cavage-http-signatures-12 (the Signature
// header Mastodon, Lemmy and most of the fediverse send) and RFC 9421 HTTP
// Message Signatures (Signature-Input + Signature, which Mastodon 4.5 starts
// to send). Outgoing requests are signed with draft-cavage and rsa-sha256,
// which every implementation accepts.
package signature

import (
	"context"
	"crypto"
	"errors"
)

// Key is an actor's public key as fetched from its actor document.
type Key struct {
	ID     string           // the keyId, e.g. https://host/users/a#main-key
	Owner  string           // the actor that owns it (publicKey.owner / the actor id)
	Public crypto.PublicKey // *rsa.PublicKey or ed25519.PublicKey
}

// KeyFunc returns the key with that id. refetch asks the caller to bypass
// any cache (the verifier calls once with refetch=false and, if the
// signature does not verify with that key, once more with refetch=true, for
// key rotation).
type KeyFunc func(ctx context.Context, keyID string, refetch bool) (*Key, error)

// Errors returned by Verify, wrapped with a few words on what was wrong.
// A handler answers 400 for ErrMalformed and ErrDigest and 401 for the rest.
var (
	// ErrUnsigned: no Signature, Signature-Input or Authorization: Signature header.
	ErrUnsigned = errors.New("request is not signed")
	// ErrMalformed: the signature headers cannot be parsed or use something unsupported.
	ErrMalformed = errors.New("malformed signature")
	// ErrStale: Date, created or expires is outside the accepted window.
	ErrStale = errors.New("signature out of date")
	// ErrDigest: the body digest is missing or does not match the body.
	ErrDigest = errors.New("bad body digest")
	// ErrMissingHeaders: a required header or component is not signed.
	ErrMissingHeaders = errors.New("required component not signed")
	// ErrBadSignature: the signature does not verify, even after a refetch of the key.
	ErrBadSignature = errors.New("signature does not verify")
	// ErrKey: the key could not be fetched; the cause is wrapped too.
	ErrKey = errors.New("cannot get signing key")
	// ErrWrongHost: the signature verifies, but for another server's host
	// (Verifier.Host): a delivery meant for someone else, replayed here.
	ErrWrongHost = errors.New("signed for another host")
)

// Reason is a short public reason for a verification error, safe to send
// back to the client: the sentinel's words, never the internal causes
// (addresses, peers' answers) wrapped in err. It is "" for an error that
// is none of this package's.
func Reason(err error) string {
	for _, e := range []error{ErrWrongHost, ErrUnsigned, ErrMalformed, ErrStale, ErrDigest, ErrMissingHeaders, ErrBadSignature, ErrKey} {
		if errors.Is(err, e) {
			return e.Error()
		}
	}
	return ""
}

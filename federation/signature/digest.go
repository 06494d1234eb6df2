package signature

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/dunglas/httpsfv"
)

// digestOf returns the digest of body for a known algorithm name
// (lowercase, as RFC 9530 spells it), or nil.
func digestOf(alg string, body []byte) []byte {
	switch alg {
	case "sha-256":
		sum := sha256.Sum256(body)
		return sum[:]
	case "sha-512":
		sum := sha512.Sum512(body)
		return sum[:]
	}
	return nil
}

// checkDigest checks a draft-cavage Digest header (RFC 3230):
// "SHA-256=base64", possibly among several comma-separated digests. Every
// digest we know must match and at least one must be there.
func checkDigest(values []string, body []byte) error {
	if len(values) == 0 {
		return fmt.Errorf("%w: Digest header missing", ErrDigest)
	}
	matched := false
	for _, part := range strings.Split(strings.Join(values, ","), ",") {
		alg, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		alg = strings.ToLower(alg)
		want := digestOf(alg, body)
		if want == nil {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(value)
		if err != nil {
			return fmt.Errorf("%w: %s digest is not base64", ErrDigest, alg)
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("%w: %s digest does not match body", ErrDigest, alg)
		}
		matched = true
	}
	if !matched {
		return fmt.Errorf("%w: no SHA-256 or SHA-512 in Digest", ErrDigest)
	}
	return nil
}

// checkContentDigest checks an RFC 9530 Content-Digest header, a
// structured dictionary such as sha-256=:base64:, the same way.
func checkContentDigest(values []string, body []byte) error {
	if len(values) == 0 {
		return fmt.Errorf("%w: Content-Digest header missing", ErrDigest)
	}
	dict, err := httpsfv.UnmarshalDictionary(values)
	if err != nil {
		return fmt.Errorf("%w: cannot parse Content-Digest", ErrDigest)
	}
	matched := false
	for _, alg := range dict.Names() {
		want := digestOf(alg, body)
		if want == nil {
			continue
		}
		member, _ := dict.Get(alg)
		item, ok := member.(httpsfv.Item)
		got, isBytes := item.Value.([]byte)
		if !ok || !isBytes {
			return fmt.Errorf("%w: %s is not a byte sequence", ErrDigest, alg)
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("%w: %s digest does not match body", ErrDigest, alg)
		}
		matched = true
	}
	if !matched {
		return fmt.Errorf("%w: no sha-256 or sha-512 in Content-Digest", ErrDigest)
	}
	return nil
}

// checkDigestHeader checks, before the body is read, that a Digest header
// is there and carries a SHA-256 or SHA-512 digest of the right length:
// the signature covers it, and the body is compared with it once read.
func checkDigestHeader(values []string) error {
	if len(values) == 0 {
		return fmt.Errorf("%w: Digest header missing", ErrDigest)
	}
	for _, part := range strings.Split(strings.Join(values, ","), ",") {
		alg, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		want := digestOf(strings.ToLower(alg), nil)
		if want == nil {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(value)
		if err != nil || len(got) != len(want) {
			return fmt.Errorf("%w: %s digest is not base64 of the right length", ErrDigest, alg)
		}
		return nil
	}
	return fmt.Errorf("%w: no SHA-256 or SHA-512 in Digest", ErrDigest)
}

// checkContentDigestHeader is checkDigestHeader for Content-Digest.
func checkContentDigestHeader(values []string) error {
	if len(values) == 0 {
		return fmt.Errorf("%w: Content-Digest header missing", ErrDigest)
	}
	dict, err := httpsfv.UnmarshalDictionary(values)
	if err != nil {
		return fmt.Errorf("%w: cannot parse Content-Digest", ErrDigest)
	}
	for _, alg := range dict.Names() {
		want := digestOf(alg, nil)
		if want == nil {
			continue
		}
		member, _ := dict.Get(alg)
		item, ok := member.(httpsfv.Item)
		got, isBytes := item.Value.([]byte)
		if !ok || !isBytes || len(got) != len(want) {
			return fmt.Errorf("%w: %s is not a byte sequence of the right length", ErrDigest, alg)
		}
		return nil
	}
	return fmt.Errorf("%w: no sha-256 or sha-512 in Content-Digest", ErrDigest)
}

package signature

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/dunglas/httpsfv"
)

// maxLabels bounds how many signatures of one request are tried: each can
// cost two key fetches.
const maxLabels = 3

// sig9421 is one parsed RFC 9421 signature (one label).
type sig9421 struct {
	input      httpsfv.InnerList // as parsed, to serialize @signature-params
	components []string
	keyID      string
	alg        string // "" when absent: inferred from the key
	created    time.Time
	expires    time.Time // zero when absent
	signature  []byte
}

// verifyRFC9421 tries the labels in order and returns the first key that
// verifies one; if none does, the error of the first.
func (v *Verifier) verifyRFC9421(ctx context.Context, r *http.Request, body readBody) (*Key, BodyCheck, error) {
	inputs, sigs, err := parse9421Headers(r.Header.Values("Signature-Input"), r.Header.Values("Signature"))
	if err != nil {
		return nil, nil, err
	}
	labels := inputs.Names()
	var firstErr error
	for _, label := range labels[:min(len(labels), maxLabels)] {
		key, check, err := v.verifyLabel(ctx, r, body, label, inputs, sigs)
		if err == nil {
			return key, check, nil
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, nil, firstErr
}

// parse9421Headers parses the Signature-Input and Signature
// dictionaries; there must be at least one label.
func parse9421Headers(input, signature []string) (inputs, sigs *httpsfv.Dictionary, err error) {
	inputs, err = httpsfv.UnmarshalDictionary(input)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: cannot parse Signature-Input", ErrMalformed)
	}
	sigs, err = httpsfv.UnmarshalDictionary(signature)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: cannot parse Signature", ErrMalformed)
	}
	if len(inputs.Names()) == 0 {
		return nil, nil, fmt.Errorf("%w: empty Signature-Input", ErrMalformed)
	}
	return inputs, sigs, nil
}

func (v *Verifier) verifyLabel(ctx context.Context, r *http.Request, body readBody, label string, inputs, sigs *httpsfv.Dictionary) (*Key, BodyCheck, error) {
	sig, err := parse9421(label, inputs, sigs)
	if err != nil {
		return nil, nil, err
	}
	// Cheap checks first, so that a bad request costs no key fetch.
	if err := require9421(sig.components, r.Method, body.has(r)); err != nil {
		return nil, nil, err
	}
	if err := v.checkWindow("created", sig.created); err != nil {
		return nil, nil, err
	}
	if !sig.expires.IsZero() {
		if err := v.checkExpires(sig.expires); err != nil {
			return nil, nil, err
		}
	}
	bodyCheck := BodyCheck(noBodyCheck)
	if slices.Contains(sig.components, "content-digest") {
		values := r.Header.Values("Content-Digest")
		bodyCheck, err = digestCheck(body,
			func(b []byte) error { return checkContentDigest(values, b) },
			func() error { return checkContentDigestHeader(values) })
		if err != nil {
			return nil, nil, err
		}
	}
	base, err := signatureBase(r, v.scheme(r), v.signedHost(r), sig.input)
	if err != nil {
		return nil, nil, err
	}
	key, err := v.withKey(ctx, sig.keyID, func(k *Key) error {
		err := verify9421With(k.Public, sig.alg, []byte(base), sig.signature)
		return v.wrongHost(r, err, func(h string) error {
			other, err := signatureBase(r, v.scheme(r), h, sig.input)
			if err != nil {
				return err
			}
			return verify9421With(k.Public, sig.alg, []byte(other), sig.signature)
		})
	})
	if err != nil {
		return nil, nil, err
	}
	return key, bodyCheck, nil
}

// parse9421 reads the Signature-Input and Signature members of one label.
func parse9421(label string, inputs, sigs *httpsfv.Dictionary) (*sig9421, error) {
	member, _ := inputs.Get(label)
	input, ok := member.(httpsfv.InnerList)
	if !ok {
		return nil, fmt.Errorf("%w: Signature-Input %s is not a list", ErrMalformed, label)
	}
	member, ok = sigs.Get(label)
	if !ok {
		return nil, fmt.Errorf("%w: no Signature for %s", ErrMalformed, label)
	}
	item, ok := member.(httpsfv.Item)
	sigBytes, isBytes := item.Value.([]byte)
	if !ok || !isBytes {
		return nil, fmt.Errorf("%w: Signature %s is not a byte sequence", ErrMalformed, label)
	}
	sig := &sig9421{input: input, signature: sigBytes}

	for _, it := range input.Items {
		name, ok := it.Value.(string)
		if !ok {
			return nil, fmt.Errorf("%w: component is not a string", ErrMalformed)
		}
		// Parameters (;sf, ;key, ;bs, ;req, ;name) are not needed by the
		// fediverse; refusing them keeps the base simple.
		if it.Params != nil && len(it.Params.Names()) > 0 {
			return nil, fmt.Errorf("%w: component parameters on %s unsupported", ErrMalformed, name)
		}
		if name == "" || name != strings.ToLower(name) {
			return nil, fmt.Errorf("%w: component %q is not lowercase", ErrMalformed, name)
		}
		if slices.Contains(sig.components, name) {
			return nil, fmt.Errorf("%w: component %s covered twice", ErrMalformed, name)
		}
		sig.components = append(sig.components, name)
	}

	if input.Params == nil {
		return nil, fmt.Errorf("%w: no signature parameters", ErrMalformed)
	}
	created, _ := input.Params.Get("created")
	c, ok := created.(int64)
	if !ok {
		return nil, fmt.Errorf("%w: created missing or not an integer", ErrMalformed)
	}
	sig.created = time.Unix(c, 0)
	if expires, ok := input.Params.Get("expires"); ok {
		e, isInt := expires.(int64)
		if !isInt {
			return nil, fmt.Errorf("%w: expires is not an integer", ErrMalformed)
		}
		sig.expires = time.Unix(e, 0)
	}
	keyID, _ := input.Params.Get("keyid")
	if sig.keyID, _ = keyID.(string); sig.keyID == "" {
		return nil, fmt.Errorf("%w: keyid missing", ErrMalformed)
	}
	if alg, ok := input.Params.Get("alg"); ok {
		sig.alg, _ = alg.(string)
		switch sig.alg {
		case "rsa-v1_5-sha256", "rsa-pss-sha512", "ed25519":
		default:
			return nil, fmt.Errorf("%w: unsupported alg %v", ErrMalformed, alg)
		}
	}
	return sig, nil
}

// require9421 checks that the request line and, with a body, its digest
// are covered: otherwise the signature could be replayed on another request.
func require9421(components []string, method string, hasBody bool) error {
	has := func(name string) bool { return slices.Contains(components, name) }
	if !has("@method") {
		return fmt.Errorf("%w: @method", ErrMissingHeaders)
	}
	if !has("@target-uri") && !(has("@authority") && has("@path")) {
		return fmt.Errorf("%w: @target-uri (or @authority and @path)", ErrMissingHeaders)
	}
	if needsDigest(method, hasBody) && !has("content-digest") {
		return fmt.Errorf("%w: content-digest", ErrMissingHeaders)
	}
	return nil
}

// signatureBase builds the signature base of RFC 9421 §2.5: one line per
// covered component, then the "@signature-params" line, which serializes
// the inner list again.
func signatureBase(r *http.Request, scheme, hostValue string, input httpsfv.InnerList) (string, error) {
	var b strings.Builder
	for _, it := range input.Items {
		id, err := httpsfv.Marshal(it)
		if err != nil {
			return "", fmt.Errorf("%w: bad component: %v", ErrMalformed, err)
		}
		name, _ := it.Value.(string)
		value, err := componentValue(r, scheme, hostValue, name)
		if err != nil {
			return "", err
		}
		b.WriteString(id + ": " + value + "\n")
	}
	params, err := httpsfv.Marshal(input)
	if err != nil {
		return "", fmt.Errorf("%w: bad signature parameters: %v", ErrMalformed, err)
	}
	b.WriteString(`"@signature-params": ` + params)
	return b.String(), nil
}

// componentValue returns the value of a derived component (RFC 9421 §2.2)
// or of a header field (§2.1).
func componentValue(r *http.Request, scheme, hostValue, name string) (string, error) {
	target := requestTarget(r)
	path, query, _ := strings.Cut(target, "?")
	switch name {
	case "@method":
		return r.Method, nil
	case "@target-uri":
		return scheme + "://" + hostValue + target, nil
	case "@authority", "host":
		return hostValue, nil
	case "@scheme":
		return scheme, nil
	case "@request-target":
		return target, nil
	case "@path":
		if path == "" {
			path = "/"
		}
		return path, nil
	case "@query":
		return "?" + query, nil
	}
	if strings.HasPrefix(name, "@") {
		return "", fmt.Errorf("%w: component %s unsupported", ErrMalformed, name)
	}
	value, ok := headerValue(r, name)
	if !ok {
		return "", fmt.Errorf("%w: covered header %s is absent", ErrMalformed, name)
	}
	return value, nil
}

// verify9421With checks an RFC 9421 signature. Without alg, the key decides:
// RSA means rsa-v1_5-sha256 (what Mastodon 4.5 sends), ed25519 means ed25519.
func verify9421With(pub crypto.PublicKey, alg string, base, sig []byte) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		switch alg {
		case "", "rsa-v1_5-sha256":
			sum := sha256.Sum256(base)
			return rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], sig)
		case "rsa-pss-sha512":
			sum := sha512.Sum512(base)
			return rsa.VerifyPSS(k, crypto.SHA512, sum[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto})
		}
	case ed25519.PublicKey:
		if alg == "" || alg == "ed25519" {
			if !ed25519.Verify(k, base, sig) {
				return errors.New("ed25519: verification error")
			}
			return nil
		}
	default:
		return fmt.Errorf("unsupported key type %T", pub)
	}
	return fmt.Errorf("alg %s does not fit a %T key", alg, pub)
}

// scheme is the scheme for @target-uri and @scheme.
func (v *Verifier) scheme(r *http.Request) string {
	if r.URL.Scheme != "" {
		return strings.ToLower(r.URL.Scheme)
	}
	if v.Scheme != "" {
		return v.Scheme
	}
	return "https"
}

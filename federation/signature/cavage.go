package signature

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// cavageSig is a parsed draft-cavage Signature header.
type cavageSig struct {
	keyID     string
	algorithm string
	headers   []string
	signature []byte
	created   string // raw, as it goes into the signing string
	expires   string
}

// cavageHeader returns the Signature header, or the parameters of an
// "Authorization: Signature ..." header, or "".
func cavageHeader(r *http.Request) string {
	if h := r.Header.Get("Signature"); h != "" {
		return h
	}
	scheme, params, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if ok && strings.EqualFold(scheme, "Signature") {
		return params
	}
	return ""
}

func (v *Verifier) verifyCavage(ctx context.Context, r *http.Request, body readBody, header string) (*Key, BodyCheck, error) {
	sig, err := parseCavage(header)
	if err != nil {
		return nil, nil, err
	}
	// Cheap checks first, so that a bad request costs no key fetch.
	required := []string{"(request-target)", "host", "date"}
	if needsDigest(r.Method, body.has(r)) {
		required = append(required, "digest")
	}
	for _, name := range required {
		if !slices.Contains(sig.headers, name) {
			return nil, nil, fmt.Errorf("%w: %s", ErrMissingHeaders, name)
		}
	}
	date, err := http.ParseTime(r.Header.Get("Date"))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: bad or missing Date header", ErrMalformed)
	}
	if err := v.checkWindow("Date", date); err != nil {
		return nil, nil, err
	}
	if sig.created != "" {
		created, err := parseUnix(sig.created)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: bad created %q", ErrMalformed, sig.created)
		}
		if err := v.checkWindow("created", created); err != nil {
			return nil, nil, err
		}
	}
	if sig.expires != "" {
		expires, err := parseUnix(sig.expires)
		if err != nil {
			return nil, nil, fmt.Errorf("%w: bad expires %q", ErrMalformed, sig.expires)
		}
		if err := v.checkExpires(expires); err != nil {
			return nil, nil, err
		}
	}
	bodyCheck := BodyCheck(noBodyCheck)
	if slices.Contains(sig.headers, "digest") {
		values := r.Header.Values("Digest")
		bodyCheck, err = digestCheck(body,
			func(b []byte) error { return checkDigest(values, b) },
			func() error { return checkDigestHeader(values) })
		if err != nil {
			return nil, nil, err
		}
	}
	signed, err := cavageSigningString(r, sig.headers, sig.created, sig.expires, v.signedHost(r))
	if err != nil {
		return nil, nil, err
	}
	key, err := v.withKey(ctx, sig.keyID, func(k *Key) error {
		err := verifyCavageWith(k.Public, sig.algorithm, []byte(signed), sig.signature)
		return v.wrongHost(r, err, func(h string) error {
			other, err := cavageSigningString(r, sig.headers, sig.created, sig.expires, h)
			if err != nil {
				return err
			}
			return verifyCavageWith(k.Public, sig.algorithm, []byte(other), sig.signature)
		})
	})
	if err != nil {
		return nil, nil, err
	}
	return key, bodyCheck, nil
}

// parseCavage parses keyId="...",algorithm="...",headers="...",signature="...".
func parseCavage(header string) (*cavageSig, error) {
	params, err := parseCavageParams(header)
	if err != nil {
		return nil, err
	}
	sig := &cavageSig{
		keyID:     params["keyid"],
		algorithm: strings.ToLower(params["algorithm"]),
		created:   params["created"],
		expires:   params["expires"],
	}
	if sig.keyID == "" {
		return nil, fmt.Errorf("%w: no keyId", ErrMalformed)
	}
	switch sig.algorithm {
	case "", "rsa-sha256", "hs2019":
	default:
		return nil, fmt.Errorf("%w: unsupported algorithm %q", ErrMalformed, sig.algorithm)
	}
	// draft-cavage-12: without a headers parameter only (created) is signed.
	headers, ok := params["headers"]
	if !ok {
		headers = "(created)"
	}
	sig.headers = strings.Fields(strings.ToLower(headers))
	if len(sig.headers) == 0 {
		return nil, fmt.Errorf("%w: empty headers", ErrMalformed)
	}
	if params["signature"] == "" {
		return nil, fmt.Errorf("%w: no signature", ErrMalformed)
	}
	sig.signature, err = base64.StdEncoding.DecodeString(params["signature"])
	if err != nil {
		return nil, fmt.Errorf("%w: signature is not base64", ErrMalformed)
	}
	return sig, nil
}

// parseCavageParams splits name="value" pairs separated by commas. Names
// are lowercased; values may also be bare (created=1402170695).
func parseCavageParams(s string) (map[string]string, error) {
	params := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; {
		name, rest, ok := strings.Cut(s, "=")
		name = strings.ToLower(strings.TrimSpace(name))
		if !ok || name == "" || strings.ContainsAny(name, ` ,"`) {
			return nil, fmt.Errorf("%w: cannot parse Signature header", ErrMalformed)
		}
		var value string
		if rest, ok = strings.CutPrefix(rest, `"`); ok {
			end := strings.IndexByte(rest, '"')
			if end < 0 {
				return nil, fmt.Errorf("%w: unterminated %s", ErrMalformed, name)
			}
			value, rest = rest[:end], rest[end+1:]
		} else {
			end := strings.IndexByte(rest, ',')
			if end < 0 {
				end = len(rest)
			}
			value, rest = strings.TrimSpace(rest[:end]), rest[end:]
		}
		if _, dup := params[name]; dup {
			return nil, fmt.Errorf("%w: %s given twice", ErrMalformed, name)
		}
		params[name] = value
		rest = strings.TrimSpace(rest)
		if rest != "" {
			if rest, ok = strings.CutPrefix(rest, ","); !ok {
				return nil, fmt.Errorf("%w: cannot parse Signature header", ErrMalformed)
			}
		}
		s = strings.TrimSpace(rest)
	}
	return params, nil
}

// cavageSigningString builds the string draft-cavage §2.3 signs: one
// "name: value" line per signed header, in the signed order; the host
// line says hostValue.
func cavageSigningString(r *http.Request, headers []string, created, expires, hostValue string) (string, error) {
	lines := make([]string, 0, len(headers))
	for _, name := range headers {
		var value string
		switch name {
		case "(request-target)":
			value = strings.ToLower(r.Method) + " " + requestTarget(r)
		case "(created)":
			if created == "" {
				return "", fmt.Errorf("%w: (created) signed without created", ErrMalformed)
			}
			value = created
		case "(expires)":
			if expires == "" {
				return "", fmt.Errorf("%w: (expires) signed without expires", ErrMalformed)
			}
			value = expires
		case "host":
			value = hostValue
		default:
			var ok bool
			if value, ok = headerValue(r, name); !ok {
				return "", fmt.Errorf("%w: signed header %s is absent", ErrMalformed, name)
			}
		}
		lines = append(lines, name+": "+value)
	}
	return strings.Join(lines, "\n"), nil
}

// verifyCavageWith checks a draft-cavage signature. rsa-sha256, and hs2019
// with an RSA key (as Mastodon means it), are PKCS#1 v1.5 with SHA-256;
// hs2019 with an ed25519 key is ed25519.
func verifyCavageWith(pub crypto.PublicKey, algorithm string, signed, sig []byte) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		sum := sha256.Sum256(signed)
		return rsa.VerifyPKCS1v15(k, crypto.SHA256, sum[:], sig)
	case ed25519.PublicKey:
		if algorithm == "rsa-sha256" {
			return errors.New("rsa-sha256 signature with an ed25519 key")
		}
		if !ed25519.Verify(k, signed, sig) {
			return errors.New("ed25519: verification error")
		}
		return nil
	default:
		return fmt.Errorf("unsupported key type %T", pub)
	}
}

// parseUnix parses a Unix time, integer or (for expires) decimal.
func parseUnix(s string) (time.Time, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return time.Time{}, fmt.Errorf("bad Unix time %q", s)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), nil
}

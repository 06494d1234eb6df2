package signature

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Signer signs outgoing requests with an actor's key (draft-cavage,
// rsa-sha256), as Mastodon, Lemmy and others expect.
type Signer struct {
	KeyID   string
	Private *rsa.PrivateKey
	Now     func() time.Time
}

// Sign sets Date (if absent), Host, Digest (SHA-256 of body, for requests
// with a body) and Signature on r. Headers signed: (request-target) host
// date, plus digest when there is a body (and always on POST, which
// verifiers require). For GET with no body: (request-target) host date.
func (s *Signer) Sign(r *http.Request, body []byte) error {
	if s.KeyID == "" || s.Private == nil {
		return errors.New("sign request: signer has no key")
	}
	if strings.ContainsAny(s.KeyID, "\"\r\n") {
		return fmt.Errorf("sign request: bad keyId %q", s.KeyID)
	}
	if r.Header.Get("Date") == "" {
		now := time.Now
		if s.Now != nil {
			now = s.Now
		}
		r.Header.Set("Date", now().UTC().Format(http.TimeFormat))
	}
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	headers := []string{"(request-target)", "host", "date"}
	if needsDigest(r.Method, body) {
		sum := sha256.Sum256(body)
		r.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
		headers = append(headers, "digest")
	}
	signed, err := cavageSigningString(r, headers, "", "")
	if err != nil {
		return fmt.Errorf("sign request: %w", err)
	}
	sum := sha256.Sum256([]byte(signed))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.Private, crypto.SHA256, sum[:])
	if err != nil {
		return fmt.Errorf("sign request: %w", err)
	}
	r.Header.Set("Signature", fmt.Sprintf(`keyId="%s",algorithm="rsa-sha256",headers="%s",signature="%s"`,
		s.KeyID, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
	return nil
}

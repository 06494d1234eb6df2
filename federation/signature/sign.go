package signature

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-fed/httpsig"
)

// Signer signs outgoing requests with an actor's key (draft-cavage,
// rsa-sha256, through go-fed/httpsig), as Mastodon, Lemmy and others
// expect.
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
	headers := []string{httpsig.RequestTarget, "host", "date"}
	if needsDigest(r.Method, len(body) > 0) {
		headers = append(headers, "digest")
		if body == nil {
			body = []byte{} // an empty POST still carries its digest
		}
	} else {
		body = nil // go-fed/httpsig digests any non-nil body
	}
	if r.Header.Get("Host") == "" {
		r.Header.Set("Host", r.Host) // httpsig reads the header
	}
	signer, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256, headers, httpsig.Signature, 0)
	if err != nil {
		return fmt.Errorf("sign request: %w", err)
	}
	if err := signer.SignRequest(s.Private, s.KeyID, r, body); err != nil {
		return fmt.Errorf("sign request: %w", err)
	}
	return nil
}

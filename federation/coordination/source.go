package coordination

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"time"

	"agora/federation/fetch"
	"agora/instances/decisions"
)

// Source fetches what a decision across nodes is checked with, through
// the federation client (no private addresses unless allowed, bounded
// in time and size). It needs no node: the verify command uses it.
type Source struct {
	small, large *fetch.Client
}

// NewSource returns a source; allowPrivate lets it reach loopback and
// private addresses (tests).
func NewSource(userAgent string, allowPrivate bool) *Source {
	return &Source{
		small: fetch.New(fetch.Config{UserAgent: userAgent, AllowPrivate: allowPrivate, Timeout: 30 * time.Second,
			MaxBody: decisions.MaxSmallDocument}),
		large: fetch.New(fetch.Config{UserAgent: userAgent, AllowPrivate: allowPrivate, Timeout: 10 * time.Minute,
			MaxBody: decisions.MaxPartDocument}),
	}
}

// Get fetches a small JSON document (a process, an envelope, an
// aggregate).
func (s *Source) Get(ctx context.Context, rawURL string) ([]byte, error) {
	b, _, err := s.small.Document(ctx, rawURL, nil)
	return b, err
}

// Document fetches a node's published document.
func (s *Source) Document(ctx context.Context, rawURL string) ([]byte, error) {
	b, _, err := s.large.Document(ctx, rawURL, nil)
	return b, err
}

// Process fetches and checks a process.
func (s *Source) Process(ctx context.Context, rawURL string) (*decisions.Process, error) {
	b, err := s.Get(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	p, err := decisions.ParseProcess(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	if p.ID != rawURL {
		return nil, fmt.Errorf("%w: %s names itself %s", decisions.ErrProcess, rawURL, p.ID)
	}
	return p, nil
}

// Envelope asks a node for its part of a process.
func (s *Source) Envelope(ctx context.Context, node, process string) (*decisions.PartEnvelope, error) {
	b, err := s.Get(ctx, partURL(node, process))
	if err != nil {
		return nil, err
	}
	return decisions.ParseEnvelope(bytes.NewReader(b))
}

// actor is what is read of an instance actor: its id and public key.
type actor struct {
	ID        string `json:"id"`
	PublicKey struct {
		ID    string `json:"id"`
		Owner string `json:"owner"`
		PEM   string `json:"publicKeyPem"`
	} `json:"publicKey"`
}

// PublicKey fetches a node's instance actor and returns its key, which
// must be the actor's own and hang off the node's URL.
func (s *Source) PublicKey(ctx context.Context, node string) (*rsa.PublicKey, error) {
	id := node + "/actor"
	b, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return ParseActorKey(b, id)
}

// ParseActorKey reads the RSA public key of actor id from its document.
func ParseActorKey(b []byte, id string) (*rsa.PublicKey, error) {
	var a actor
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("%w: actor %s: %w", decisions.ErrSignature, id, err)
	}
	if a.ID != id || a.PublicKey.Owner != id || a.PublicKey.ID != decisions.InstanceKeyID(id[:len(id)-len("/actor")]) {
		return nil, fmt.Errorf("%w: actor %s does not own key %s", decisions.ErrSignature, id, a.PublicKey.ID)
	}
	block, _ := pem.Decode([]byte(a.PublicKey.PEM))
	if block == nil {
		return nil, fmt.Errorf("%w: actor %s: key is not PEM", decisions.ErrSignature, id)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: actor %s: %w", decisions.ErrSignature, id, err)
	}
	pub, ok := k.(*rsa.PublicKey)
	if !ok || pub.N.BitLen() < 2048 || pub.N.BitLen() > 8192 {
		return nil, fmt.Errorf("%w: actor %s: not an RSA key of 2048 to 8192 bits", decisions.ErrSignature, id)
	}
	return pub, nil
}

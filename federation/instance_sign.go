package federation

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"

	"agora/federation/as2"
)

// SignAsInstance signs msg with the instance actor's key (RSASSA-PKCS1-v1_5
// over SHA-256) and returns the key's id with the signature: a detached
// signature anyone checks against the public key the instance actor
// publishes. The parts of a decision across several nodes are signed so
// (instances/decisions, docs/DECISIONS.md).
func (s *Service) SignAsInstance(ctx context.Context, msg []byte) (keyID string, sig []byte, err error) {
	actor := s.ids.Instance()
	key, err := s.keys.key(ctx, actor)
	if err != nil {
		return "", nil, err
	}
	h := sha256.Sum256(msg)
	sig, err = rsa.SignPKCS1v15(rand.Reader, key.private, crypto.SHA256, h[:])
	if err != nil {
		return "", nil, fmt.Errorf("sign as the instance: %w", err)
	}
	return as2.KeyID(actor), sig, nil
}

package reports

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/database"
)

// APIKey is an Open311 client's key: the client creates service requests
// as AccountID (an account opened for it, never a person's).
type APIKey struct {
	bun.BaseModel `bun:"table:open311_keys"`

	ID        string     `bun:"id,pk"`
	Name      string     `bun:"name"`
	AccountID string     `bun:"account_id"`
	KeyHash   string     `bun:"key_hash"`
	CreatedAt time.Time  `bun:"created_at"`
	RevokedAt *time.Time `bun:"revoked_at"`
}

// ErrBadKey is an API key that is missing, unknown or revoked.
var ErrBadKey = errors.New("invalid api_key")

// ErrKeyName is a key's name that is empty or over 80 characters.
var ErrKeyName = errors.New("a key's name is 1 to 80 characters")

// CreateKey makes an Open311 API key for a client named name, whose
// requests are created as accountID. Only the node itself (the command
// line) or an admin may. The key is returned once; only its hash is kept.
func (s *Service) CreateKey(ctx context.Context, actor accounts.Actor, name, accountID string) (string, error) {
	if actor.Account != nil && !actor.Account.Has(accounts.Admin) {
		return "", ErrForbidden
	}
	name = strings.TrimSpace(name)
	if !between(name, 1, 80) {
		return "", ErrKeyName
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("make key: %w", err)
	}
	key := "o311_" + hex.EncodeToString(b)
	k := &APIKey{ID: database.NewID(), Name: name, AccountID: accountID, KeyHash: hashKey(key), CreatedAt: s.now()}
	if _, err := s.db.NewInsert().Model(k).Exec(ctx); err != nil {
		return "", fmt.Errorf("save key: %w", err)
	}
	return key, nil
}

// KeyAccount returns the account a valid key creates requests as.
func (s *Service) KeyAccount(ctx context.Context, key string) (string, error) {
	k, err := s.Key(ctx, key)
	if err != nil {
		return "", err
	}
	return k.AccountID, nil
}

// Key returns a valid key's record (its id names it in rate limits).
func (s *Service) Key(ctx context.Context, key string) (*APIKey, error) {
	key = strings.TrimSpace(key)
	if key == "" || len(key) > 200 {
		return nil, ErrBadKey
	}
	k := new(APIKey)
	err := s.db.NewSelect().Model(k).Where("key_hash = ? AND revoked_at IS NULL", hashKey(key)).Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, ErrBadKey
	}
	if err != nil {
		return nil, fmt.Errorf("check key: %w", err)
	}
	return k, nil
}

func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

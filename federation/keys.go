package federation

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"database/sql"
	"encoding/pem"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// keyring holds the RSA-2048 key pairs of the node's actors: the
// instance, each space's Group and each public account's Person. A key is
// made the first time an actor needs one and kept in ap_keys; private
// keys never leave the node (only the public half is ever rendered).
type keyring struct {
	db  bun.IDB
	now func() time.Time

	mu    sync.Mutex
	cache map[string]*actorKey
}

type actorKey struct {
	private   *rsa.PrivateKey
	publicPEM string
}

type keyRow struct {
	bun.BaseModel `bun:"table:ap_keys"`
	Owner         string    `bun:"owner,pk"`
	PrivatePEM    string    `bun:"private_pem"`
	PublicPEM     string    `bun:"public_pem"`
	CreatedAt     time.Time `bun:"created_at"`
}

func newKeyring(db bun.IDB, now func() time.Time) *keyring {
	return &keyring{db: db, now: now, cache: map[string]*actorKey{}}
}

// key returns owner's key pair, making it on first use. Two processes
// making one at once agree on whichever was stored first.
func (k *keyring) key(ctx context.Context, owner string) (*actorKey, error) {
	k.mu.Lock()
	key := k.cache[owner]
	k.mu.Unlock()
	if key != nil {
		return key, nil
	}
	var row keyRow
	err := k.db.NewSelect().Model(&row).Where("owner = ?", owner).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		if row, err = k.create(ctx, owner); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, fmt.Errorf("read key of %s: %w", owner, err)
	}
	key, err = parseKey(row)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.cache[owner] = key
	k.mu.Unlock()
	return key, nil
}

func (k *keyring) create(ctx context.Context, owner string) (keyRow, error) {
	private, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return keyRow{}, fmt.Errorf("make key of %s: %w", owner, err)
	}
	der, err := x509.MarshalPKIXPublicKey(&private.PublicKey)
	if err != nil {
		return keyRow{}, err
	}
	row := keyRow{Owner: owner, CreatedAt: k.now(),
		PrivatePEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: mustPKCS8(private)})),
		PublicPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}
	if _, err := k.db.NewInsert().Model(&row).On("CONFLICT (owner) DO NOTHING").Exec(ctx); err != nil {
		return keyRow{}, fmt.Errorf("store key of %s: %w", owner, err)
	}
	// Read back: another process may have stored its key first.
	var stored keyRow
	if err := k.db.NewSelect().Model(&stored).Where("owner = ?", owner).Scan(ctx); err != nil {
		return keyRow{}, fmt.Errorf("read key of %s: %w", owner, err)
	}
	return stored, nil
}

func mustPKCS8(k *rsa.PrivateKey) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic(err) // cannot fail for an RSA key
	}
	return der
}

func parseKey(row keyRow) (*actorKey, error) {
	block, _ := pem.Decode([]byte(row.PrivatePEM))
	if block == nil {
		return nil, fmt.Errorf("key of %s: not PEM", row.Owner)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("key of %s: %w", row.Owner, err)
	}
	private, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("key of %s: not RSA", row.Owner)
	}
	return &actorKey{private: private, publicPEM: row.PublicPEM}, nil
}

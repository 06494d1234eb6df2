package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// ChallengeTTL is how long a WebAuthn ceremony may take.
const ChallengeTTL = 5 * time.Minute

// Challenge is the server side of one WebAuthn ceremony: stored once,
// taken once, bound to the browser that started it by a secret cookie
// (only its hash is kept), and dead after five minutes. It is kept in the
// database, not in memory, so any process behind the load balancer can
// finish a ceremony another one began.
type Challenge struct {
	bun.BaseModel `bun:"table:webauthn_challenges"`

	ID          string    `bun:"id,pk"`
	BrowserHash string    `bun:"browser_hash"`
	Kind        string    `bun:"kind"`       // signup, login, add
	AccountID   string    `bun:"account_id"` // add: the signed-in account; signup: empty
	Data        string    `bun:"data"`       // JSON of the library's session data and pending sign-up fields
	ExpiresAt   time.Time `bun:"expires_at"`
}

// ErrChallenge means no live ceremony matches: unknown, used, expired, or
// started by another browser.
var ErrChallenge = errors.New("this sign-in attempt has expired or was already used; please start again")

// SaveChallenge stores a ceremony for browserSecret and returns its id.
func (s *Service) SaveChallenge(ctx context.Context, browserSecret, kind, accountID, data string) (string, error) {
	c := &Challenge{ID: newID(), BrowserHash: hashSecret(browserSecret), Kind: kind, AccountID: accountID,
		Data: data, ExpiresAt: s.now().Add(ChallengeTTL)}
	if _, err := s.db.NewInsert().Model(c).Exec(ctx); err != nil {
		return "", fmt.Errorf("save challenge: %w", err)
	}
	return c.ID, nil
}

// TakeChallenge returns and deletes a ceremony: whatever happens next, it
// cannot be used again.
func (s *Service) TakeChallenge(ctx context.Context, id, browserSecret, kind string) (*Challenge, error) {
	c := new(Challenge)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewSelect().Model(c).Where("id = ?", id).Scan(ctx)
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return ErrChallenge
		}
		if err != nil {
			return err
		}
		res, err := tx.NewDelete().Model(c).WherePK().Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrChallenge
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if c.BrowserHash != hashSecret(browserSecret) || c.Kind != kind || s.now().After(c.ExpiresAt) {
		return nil, ErrChallenge
	}
	return c, nil
}

package accounts

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Kinds of acts an account does at a limited pace, each serialised on a
// row of its own (see Serialize).
const (
	PaceComment     = "comment"
	PaceProposal    = "proposal"
	PaceDeskEntry   = "desk_proposal" // proposals an agent enters at a desk
	PaceAttachments = "attachments"
)

// Serialize makes the caller's transaction the only one of accountID's
// acts of that kind until it ends: it locks (creating it if need be) the
// account's row in account_paces. A limit counted after it, and the act
// written in the same transaction, cannot be overrun by simultaneous
// requests, whichever process answers them: on PostgreSQL the upsert
// holds the row lock until commit, and the next transaction, once it has
// the lock, reads what the previous one committed (read committed); on
// SQLite every write transaction here is BEGIN IMMEDIATE already.
func Serialize(ctx context.Context, tx bun.IDB, accountID, action string, now time.Time) error {
	_, err := tx.NewRaw(`INSERT INTO account_paces (account_id, action, at) VALUES (?, ?, ?)
ON CONFLICT (account_id, action) DO UPDATE SET at = EXCLUDED.at`, accountID, action, now.UTC()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("serialise %s of %s: %w", action, accountID, err)
	}
	return nil
}

package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// Passkey is a WebAuthn credential of an account, as data. The ceremonies
// that create and check them are in the frontend.
type Passkey struct {
	bun.BaseModel `bun:"table:passkeys"`

	ID              []byte     `bun:"id,pk"`
	AccountID       string     `bun:"account_id"`
	Name            string     `bun:"name"`
	PublicKey       []byte     `bun:"public_key"`
	AttestationType string     `bun:"attestation_type"`
	AAGUID          []byte     `bun:"aaguid"`
	SignCount       int64      `bun:"sign_count"`
	Transports      string     `bun:"transports"` // comma-separated
	Flags           int64      `bun:"flags"`      // authenticator flags: backup eligible/state, UV
	CreatedAt       time.Time  `bun:"created_at"`
	LastUsedAt      *time.Time `bun:"last_used_at"`
}

// Errors about passkeys.
var (
	ErrLastPasskey  = errors.New("the last passkey cannot be removed while no recovery code is left")
	ErrSignCount    = errors.New("the passkey's signature counter went backwards: it may have been cloned")
	ErrPasskeyName  = errors.New("a passkey name is 1 to 60 characters")
	ErrPasskeyTaken = errors.New("this passkey is already registered")
)

// AddPasskey records a verified credential for an account.
func (s *Service) AddPasskey(ctx context.Context, actor Actor, p *Passkey) error {
	if err := s.mayActFor(ctx, actor, p.AccountID); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return s.addPasskey(ctx, tx, actor, p)
	})
}

func (s *Service) addPasskey(ctx context.Context, tx bun.Tx, actor Actor, p *Passkey) error {
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		p.Name = "Passkey"
	}
	if len([]rune(p.Name)) > 60 {
		return ErrPasskeyName
	}
	p.CreatedAt = s.now()
	if _, err := tx.NewInsert().Model(p).Exec(ctx); err != nil {
		if errors.Is(database.Translate(err), database.ErrConflict) {
			return ErrPasskeyTaken
		}
		return fmt.Errorf("add passkey: %w", err)
	}
	return s.audit(ctx, tx, actor, "passkey.add", p.AccountID, "", "")
}

// Passkeys lists an account's passkeys, oldest first.
func (s *Service) Passkeys(ctx context.Context, accountID string) ([]Passkey, error) {
	var out []Passkey
	if err := s.db.NewSelect().Model(&out).Where("account_id = ?", accountID).Order("created_at").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list passkeys: %w", err)
	}
	return out, nil
}

// UsePasskey records a successful assertion. A signature counter that does
// not grow (when the authenticator keeps one) is refused and logged: it is
// the sign of a cloned authenticator. The check and the update are one
// statement, so two sign-ins racing cannot both pass with one count.
func (s *Service) UsePasskey(ctx context.Context, id []byte, signCount uint32) error {
	res, err := s.db.NewUpdate().Model((*Passkey)(nil)).
		Set("sign_count = ?", int64(signCount)).Set("last_used_at = ?", s.now()).
		Where("id = ?", id).
		Where("(sign_count < ? OR (sign_count = 0 AND ? = 0))", int64(signCount), int64(signCount)).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("use passkey: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	p := new(Passkey)
	if err := s.db.NewSelect().Model(p).Where("id = ?", id).Scan(ctx); err != nil {
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return ErrNotFound
		}
		return fmt.Errorf("load passkey: %w", err)
	}
	if err := s.audit(ctx, s.db, System, "passkey.clone_warning", p.AccountID,
		fmt.Sprintf("stored=%d received=%d", p.SignCount, signCount), ""); err != nil {
		return err
	}
	return ErrSignCount
}

// RenamePasskey changes the name shown for a passkey.
func (s *Service) RenamePasskey(ctx context.Context, actor Actor, accountID string, id []byte, name string) error {
	if err := s.mayActFor(ctx, actor, accountID); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 60 {
		return ErrPasskeyName
	}
	res, err := s.db.NewUpdate().Model((*Passkey)(nil)).Set("name = ?", name).
		Where("id = ? AND account_id = ?", id, accountID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("rename passkey: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// RemovePasskey deletes one passkey of an account. The last one goes only
// if an unused recovery code remains, so nobody locks themselves out.
func (s *Service) RemovePasskey(ctx context.Context, actor Actor, accountID string, id []byte) error {
	if err := s.mayActFor(ctx, actor, accountID); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		p := new(Passkey)
		if err := tx.NewSelect().Model(p).Where("id = ? AND account_id = ?", id, accountID).Scan(ctx); err != nil {
			if errors.Is(database.Translate(err), database.ErrNotFound) {
				return ErrNotFound
			}
			return err
		}
		n, err := tx.NewSelect().Model((*Passkey)(nil)).Where("account_id = ?", accountID).Count(ctx)
		if err != nil {
			return err
		}
		if n == 1 {
			left, err := recoveryCodesLeft(ctx, tx, accountID)
			if err != nil {
				return err
			}
			if left == 0 {
				return ErrLastPasskey
			}
		}
		if _, err := tx.NewDelete().Model(p).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("remove passkey: %w", err)
		}
		return s.audit(ctx, tx, actor, "passkey.remove", accountID, "", "")
	})
}

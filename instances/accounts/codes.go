package accounts

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// Codes people type (recovery, letter, desk sheet) use Crockford's base32:
// no I, L, O or U to misread, case and dashes ignored. 16 characters are
// 80 random bits, out of reach of guessing under the rate limits.
const codeAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// newCode returns a code to show as xxxx-xxxx-xxxx-xxxx.
func newCode() string {
	b := randomBytes(16)
	var sb strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[int(c)%32])
	}
	return sb.String()
}

// normalizeCode undoes what people do when typing a code: case, spaces,
// dashes, and the letters that look like digits.
func normalizeCode(code string) string {
	code = strings.ToLower(code)
	var sb strings.Builder
	for _, r := range code {
		switch r {
		case ' ', '-', '\t':
			continue
		case 'o':
			r = '0'
		case 'i', 'l':
			r = '1'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

func hashCode(code string) string { return hashSecret(normalizeCode(code)) }

// ErrCodeInvalid covers a wrong, used or expired code alike: saying which
// would help someone guessing.
var ErrCodeInvalid = errors.New("this code is not valid (wrong, already used or expired)")

// RecoveryCodeCount is how many recovery codes an account gets.
const RecoveryCodeCount = 10

type recoveryCode struct {
	bun.BaseModel `bun:"table:recovery_codes"`
	AccountID     string     `bun:"account_id,pk"`
	CodeHash      string     `bun:"code_hash,pk"`
	UsedAt        *time.Time `bun:"used_at"`
}

// NewRecoveryCodes replaces an account's recovery codes with ten new ones,
// returned once: only their hashes are kept.
func (s *Service) NewRecoveryCodes(ctx context.Context, actor Actor, accountID string) ([]string, error) {
	if err := s.mayActFor(ctx, actor, accountID); err != nil {
		return nil, err
	}
	codes := make([]string, RecoveryCodeCount)
	rows := make([]recoveryCode, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newCode()
		rows[i] = recoveryCode{AccountID: accountID, CodeHash: hashCode(codes[i])}
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*recoveryCode)(nil)).Where("account_id = ?", accountID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
			return fmt.Errorf("store recovery codes: %w", err)
		}
		return s.audit(ctx, tx, actor, "recovery.new", accountID, "", "")
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// RecoveryCodesLeft counts an account's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, accountID string) (int, error) {
	return recoveryCodesLeft(ctx, s.db, accountID)
}

func recoveryCodesLeft(ctx context.Context, db bun.IDB, accountID string) (int, error) {
	n, err := db.NewSelect().Model((*recoveryCode)(nil)).Where("account_id = ? AND used_at IS NULL", accountID).Count(ctx)
	return int(n), err
}

// UseRecoveryCode checks a handle and one of its recovery codes, spends
// the code, and returns the account. Wrong handle and wrong code give the
// same error.
func (s *Service) UseRecoveryCode(ctx context.Context, handle, code string) (*Account, error) {
	acc, err := s.ByHandle(ctx, handle)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	// An unknown handle runs the same statements as a wrong code, so the
	// time taken does not tell which handles exist.
	accountID := ""
	if acc != nil {
		accountID = acc.ID
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*recoveryCode)(nil)).Set("used_at = ?", s.now()).
			Where("account_id = ? AND code_hash = ? AND used_at IS NULL", accountID, hashCode(code)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("use recovery code: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrCodeInvalid
		}
		return s.audit(ctx, tx, As(acc), "recovery.use", acc.ID, "", "")
	})
	if err != nil {
		return nil, err
	}
	return acc, nil
}

// One-time codes open a session once: a sign-in link printed by the
// command line, or the code on the sheet an agent prints for a resident
// with no device, used later to attach a passkey.
const (
	CodeLoginLink = "login_link"
	CodeSetup     = "setup"

	LoginLinkTTL = 15 * time.Minute
	SetupCodeTTL = 30 * 24 * time.Hour
)

type oneTimeCode struct {
	bun.BaseModel `bun:"table:one_time_codes"`
	CodeHash      string     `bun:"code_hash,pk"`
	Kind          string     `bun:"kind"`
	AccountID     string     `bun:"account_id"`
	CreatedBy     string     `bun:"created_by"`
	CreatedAt     time.Time  `bun:"created_at"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	UsedAt        *time.Time `bun:"used_at"`
}

// NewLoginLinkToken returns a single-use sign-in token valid 15 minutes.
// Only the command line (System) or an admin may make one.
func (s *Service) NewLoginLinkToken(ctx context.Context, actor Actor, accountID string) (string, error) {
	if !actor.can(Admin) {
		return "", ErrForbidden
	}
	token := base64.RawURLEncoding.EncodeToString(randomBytes(24))
	return token, s.newOneTimeCode(ctx, actor, accountID, CodeLoginLink, token, LoginLinkTTL)
}

// NewSetupCode returns the code printed on a desk sheet, valid 30 days.
// A new one replaces any earlier unused one.
func (s *Service) NewSetupCode(ctx context.Context, actor Actor, accountID string) (string, error) {
	if !actor.can(Agent) && !actor.can(Admin) {
		return "", ErrForbidden
	}
	code := newCode()
	return code, s.newOneTimeCode(ctx, actor, accountID, CodeSetup, code, SetupCodeTTL)
}

func (s *Service) newOneTimeCode(ctx context.Context, actor Actor, accountID, kind, secret string, ttl time.Duration) error {
	now := s.now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		acc, err := s.one(ctx, tx, "id = ? AND deleted_at IS NULL", accountID)
		if err != nil {
			return err
		}
		// A code opens the account: only an admin, away from a desk, may
		// open a staff one.
		if err := CheckDeskTarget(ctx, tx, actor, acc.ID); err != nil {
			return err
		}
		if !actor.can(Admin) && acc.IsStaff() {
			return ErrStaffTarget
		}
		if _, err := tx.NewDelete().Model((*oneTimeCode)(nil)).
			Where("account_id = ? AND kind = ? AND used_at IS NULL", accountID, kind).Exec(ctx); err != nil {
			return err
		}
		c := &oneTimeCode{CodeHash: hashCode(secret), Kind: kind, AccountID: accountID, CreatedBy: actor.id(),
			CreatedAt: now, ExpiresAt: now.Add(ttl)}
		if _, err := tx.NewInsert().Model(c).Exec(ctx); err != nil {
			return fmt.Errorf("store %s code: %w", kind, err)
		}
		return s.audit(ctx, tx, actor, "code."+kind, accountID, "", "")
	})
}

// UseOneTimeCode spends a code of the given kind and returns its account.
func (s *Service) UseOneTimeCode(ctx context.Context, kind, secret string) (*Account, error) {
	return s.useOneTimeCode(ctx, kind, "", secret)
}

// UseSetupCode spends a desk sheet's code, which must belong to handle: a
// code typed with the wrong handle is refused and stays usable.
func (s *Service) UseSetupCode(ctx context.Context, handle, code string) (*Account, error) {
	acc, err := s.ByHandle(ctx, handle)
	if errors.Is(err, ErrNotFound) {
		acc = &Account{} // same statements as a wrong code, matching nothing
	} else if err != nil {
		return nil, err
	}
	if acc.ID == "" {
		_, err := s.useOneTimeCode(ctx, CodeSetup, "-", code)
		return nil, err
	}
	return s.useOneTimeCode(ctx, CodeSetup, acc.ID, code)
}

// useOneTimeCode spends a code, of accountID's when it is not empty.
func (s *Service) useOneTimeCode(ctx context.Context, kind, accountID, secret string) (*Account, error) {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c := new(oneTimeCode)
		q := tx.NewSelect().Model(c).Where("code_hash = ? AND kind = ?", hashCode(secret), kind)
		if accountID != "" {
			q = q.Where("account_id = ?", accountID)
		}
		err := q.Scan(ctx)
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return ErrCodeInvalid
		}
		if err != nil {
			return err
		}
		if c.UsedAt != nil || s.now().After(c.ExpiresAt) {
			return ErrCodeInvalid
		}
		res, err := tx.NewUpdate().Model(c).Set("used_at = ?", s.now()).Where("code_hash = ? AND used_at IS NULL", c.CodeHash).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrCodeInvalid
		}
		accountID = c.AccountID
		return s.audit(ctx, tx, Actor{Account: &Account{ID: c.AccountID}}, "code."+kind+".use", c.AccountID, "", "")
	})
	if err != nil {
		return nil, err
	}
	acc, err := s.ByID(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if acc.Deleted() {
		return nil, ErrCodeInvalid
	}
	return acc, nil
}

package accounts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// ResidencyState is where an account stands: binding acts (supports,
// ballots, delegations) later require Verified.
type ResidencyState string

const (
	Unverified ResidencyState = "unverified"
	Verified   ResidencyState = "verified"
	Expired    ResidencyState = "expired"
	Revoked    ResidencyState = "revoked"
)

// Verification methods.
const (
	MethodDesk   = "desk"   // an agent checked a document at a desk
	MethodLetter = "letter" // a code sent by post to the address
	MethodCensus = "census" // a match against the city's hashed census file
	// MethodOperator is a verification recorded by the node's operator
	// from the command line (e.g. bootstrapping a node, or a bulk process
	// the city ran outside Agora).
	MethodOperator = "operator"
)

// ResidencyValidity is how long a verification lasts before it must be
// renewed: people move.
const ResidencyValidity = 2 * 365 * 24 * time.Hour

// Documents an agent may record having seen. Only the type is kept,
// never a number or a copy: data minimisation.
var Documents = []string{"id_card", "passport", "residence_permit", "proof_of_address", "other"}

// Residency is the verification record of one account.
type Residency struct {
	bun.BaseModel `bun:"table:residencies"`

	AccountID     string     `bun:"account_id,pk"`
	Method        string     `bun:"method"`
	Document      string     `bun:"document"`
	VerifierID    string     `bun:"verifier_id"`
	VerifiedAt    time.Time  `bun:"verified_at"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	RevokedAt     *time.Time `bun:"revoked_at"`
	RevokedReason string     `bun:"revoked_reason"`
	BirthDate     int        `bun:"birth_date"` // YYYYMMDD, 0 when not recorded (electorate.go)
	District      string     `bun:"district"`
}

// State says where the record stands at time now.
func (r *Residency) State(now time.Time) ResidencyState {
	switch {
	case r == nil:
		return Unverified
	case r.RevokedAt != nil:
		return Revoked
	case !now.Before(r.ExpiresAt):
		return Expired
	}
	return Verified
}

// ErrDocument is an unknown document type.
var ErrDocument = errors.New("unknown document type")

// Residency returns an account's record, nil if never verified.
func (s *Service) Residency(ctx context.Context, accountID string) (*Residency, error) {
	r := new(Residency)
	err := s.db.NewSelect().Model(r).Where("account_id = ?", accountID).Scan(ctx)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load residency: %w", err)
	}
	return r, nil
}

// IsVerified reports whether an account may perform binding acts now.
func (s *Service) IsVerified(ctx context.Context, accountID string) (bool, error) {
	r, err := s.Residency(ctx, accountID)
	if err != nil {
		return false, err
	}
	return r.State(s.now()) == Verified, nil
}

// VerifyAtDesk records that an agent checked a resident's residency with a
// document of the given type, and the electoral details read on it (zero
// when the node does not use them).
func (s *Service) VerifyAtDesk(ctx context.Context, actor Actor, accountID, document string, e Electoral) error {
	// An agent never verifies their own residency: another agent must.
	if actor.Account == nil || !actor.Account.Has(Agent) || actor.Account.ID == accountID {
		return ErrForbidden
	}
	if !slices.Contains(Documents, document) {
		return ErrDocument
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := CheckDeskTarget(ctx, tx, actor, accountID); err != nil {
			return err
		}
		return s.verify(ctx, tx, actor, accountID, MethodDesk, document, e)
	})
}

// VerifyByOperator records a verification made by the node's operator at
// the command line, with electoral details when given. The frontend never
// calls it.
func (s *Service) VerifyByOperator(ctx context.Context, accountID string, e Electoral) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return s.verify(ctx, tx, System, accountID, MethodOperator, "", e)
	})
}

// verify writes a fresh verification, replacing any earlier record. A
// renewal that records no date of birth or district keeps the earlier
// ones (a birth date does not change; a new district is entered when the
// resident moved).
func (s *Service) verify(ctx context.Context, tx bun.Tx, actor Actor, accountID, method, document string, e Electoral) error {
	if _, err := s.one(ctx, tx, "id = ? AND deleted_at IS NULL", accountID); err != nil {
		return err
	}
	now := s.now()
	ds, err := districts(ctx, tx)
	if err != nil {
		return err
	}
	if err := e.check(now, ds); err != nil {
		return err
	}
	r := &Residency{AccountID: accountID, Method: method, Document: document, VerifierID: actor.id(),
		VerifiedAt: now, ExpiresAt: now.Add(ResidencyValidity), BirthDate: e.BirthDate, District: e.District}
	if _, err := tx.NewInsert().Model(r).
		On("CONFLICT (account_id) DO UPDATE").
		Set("method = EXCLUDED.method, document = EXCLUDED.document, verifier_id = EXCLUDED.verifier_id").
		Set("verified_at = EXCLUDED.verified_at, expires_at = EXCLUDED.expires_at").
		Set("revoked_at = NULL, revoked_reason = ''").
		Set("birth_date = CASE WHEN EXCLUDED.birth_date = 0 THEN residency.birth_date ELSE EXCLUDED.birth_date END").
		Set("district = CASE WHEN EXCLUDED.district = '' THEN residency.district ELSE EXCLUDED.district END").
		Exec(ctx); err != nil {
		return fmt.Errorf("record verification: %w", err)
	}
	details := "method=" + method
	if document != "" {
		details += " document=" + document
	}
	// The audit log says that details were recorded, never their values.
	if e.BirthDate != 0 {
		details += " birth_date=recorded"
	}
	if e.District != "" {
		details += " district=recorded"
	}
	return s.audit(ctx, tx, actor, "residency.verify", accountID, details, "")
}

// RevokeResidency ends a verification, for a reason kept in the audit log.
func (s *Service) RevokeResidency(ctx context.Context, actor Actor, accountID, reason string) error {
	if !actor.can(Agent) && !actor.can(Admin) {
		return ErrForbidden
	}
	if strings.TrimSpace(reason) == "" {
		return errors.New("a reason is required")
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := CheckDeskTarget(ctx, tx, actor, accountID); err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model((*Residency)(nil)).
			Set("revoked_at = ?", s.now()).Set("revoked_reason = ?", reason).
			Where("account_id = ? AND revoked_at IS NULL", accountID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("revoke residency: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return s.audit(ctx, tx, actor, "residency.revoke", accountID, "", reason)
	})
}

// Letters: an admin generates a batch of single-use codes for a mail
// merge; a resident who receives one at their address enters it.

type letterCode struct {
	bun.BaseModel `bun:"table:letter_codes"`
	CodeHash      string     `bun:"code_hash,pk"`
	Batch         string     `bun:"batch"`
	ExpiresAt     time.Time  `bun:"expires_at"`
	UsedAt        *time.Time `bun:"used_at"`
	UsedBy        string     `bun:"used_by"`
}

// MaxLetterBatch bounds one batch; a city makes several for more.
const MaxLetterBatch = 100000

// NewLetterBatch makes n codes valid for ttl and returns the batch id and
// the codes, which are shown once (for the mail merge) and stored hashed.
func (s *Service) NewLetterBatch(ctx context.Context, actor Actor, n int, ttl time.Duration) (string, []string, error) {
	if !actor.can(Admin) {
		return "", nil, ErrForbidden
	}
	if n < 1 || n > MaxLetterBatch {
		return "", nil, fmt.Errorf("a batch has 1 to %d codes", MaxLetterBatch)
	}
	if ttl < 24*time.Hour || ttl > 2*365*24*time.Hour {
		return "", nil, errors.New("letter codes are valid between 1 day and 2 years")
	}
	batch := newID()[:10]
	expires := s.now().Add(ttl)
	codes := make([]string, n)
	rows := make([]letterCode, n)
	for i := range codes {
		codes[i] = newCode()
		rows[i] = letterCode{CodeHash: hashCode(codes[i]), Batch: batch, ExpiresAt: expires}
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for start := 0; start < n; start += 1000 {
			chunk := rows[start:min(start+1000, n)]
			if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
				return fmt.Errorf("store letter codes: %w", err)
			}
		}
		return s.audit(ctx, tx, actor, "residency.letter_batch", "",
			fmt.Sprintf("batch=%s codes=%d expires=%s", batch, n, expires.Format(time.DateOnly)), "")
	})
	if err != nil {
		return "", nil, err
	}
	return batch, codes, nil
}

// UseLetterCode verifies the actor's own account with a letter code.
func (s *Service) UseLetterCode(ctx context.Context, actor Actor, accountID, code string) error {
	if err := s.mayActFor(ctx, actor, accountID); err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model((*letterCode)(nil)).
			Set("used_at = ?", s.now()).Set("used_by = ?", accountID).
			Where("code_hash = ? AND used_at IS NULL AND expires_at > ?", hashCode(code), s.now()).Exec(ctx)
		if err != nil {
			return fmt.Errorf("use letter code: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrCodeInvalid
		}
		return s.verify(ctx, tx, actor, accountID, MethodLetter, "", Electoral{})
	})
}

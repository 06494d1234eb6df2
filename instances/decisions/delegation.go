package decisions

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/database"
)

// Scope is what a delegation covers: a category of a space, a whole
// space (Category ""), or the whole node (both ""). For a vote, the
// most specific of a resident's delegations applies.
type Scope struct {
	SpaceID  string
	Category string
}

// Delegation is one resident's trust in another for a scope. Rows are
// never deleted: a revocation sets RevokedAt, so a count reads the
// delegations as they stood when the vote closed.
type Delegation struct {
	bun.BaseModel `bun:"table:decision_delegations,alias:d"`

	ID          string     `bun:"id,pk"`
	DelegatorID string     `bun:"delegator_id"`
	SpaceID     string     `bun:"space_id"`
	Category    string     `bun:"category"`
	DelegateID  string     `bun:"delegate_id"`
	Named       bool       `bun:"named"` // the delegator lets the delegate see their name
	CreatedAt   time.Time  `bun:"created_at"`
	RevokedAt   *time.Time `bun:"revoked_at"`
}

// delegateRow records a resident's agreement to be a delegate.
type delegateRow struct {
	bun.BaseModel `bun:"table:decision_delegates,alias:g"`

	AccountID string     `bun:"account_id,pk"`
	Since     time.Time  `bun:"since"`
	Until     *time.Time `bun:"until"`
}

// Errors of delegation.
var (
	ErrSelf        = errors.New("you cannot delegate to yourself")
	ErrNotDelegate = errors.New("this resident has not agreed to be a delegate")
	ErrCycle       = errors.New("this delegation would come back to you through a chain of delegates")
	ErrNoneToEnd   = errors.New("you have no delegation here")
	ErrScope       = errors.New("this space or category does not exist")
)

// paceDelegation serialises every change of delegations on the node, so
// that two delegations that would close a cycle together cannot both
// pass the check (see accounts.Serialize). Delegating is rare; a count
// never takes it.
const paceDelegation = "decision_delegation"

// delegationsLock is the row of account_paces that paceDelegation locks:
// the node's, not an account's.
const delegationsLock = "node"

// Agree makes the verified resident a delegate others may choose.
func (s *Service) Agree(ctx context.Context, actor accounts.Actor) error {
	who, err := s.verifiedPerson(ctx, actor)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(&delegateRow{AccountID: who.ID, Since: now}).
			On("CONFLICT (account_id) DO UPDATE").Set("since = EXCLUDED.since, until = NULL").
			Where("g.until IS NOT NULL").Exec(ctx)
		if err != nil {
			return fmt.Errorf("agree to be a delegate: %w", err)
		}
		return accounts.Record(ctx, tx, now, actor, "decision.delegate.agree", who.ID, "", "")
	})
}

// Withdraw ends the resident's agreement to be a delegate: delegations
// to them stop carrying weight from now on (they stay, so they count
// again if the resident agrees again).
func (s *Service) Withdraw(ctx context.Context, actor accounts.Actor) error {
	who, err := s.person(ctx, actor)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*delegateRow)(nil)).Set("until = ?", now).
			Where("account_id = ? AND until IS NULL", who.ID).Exec(ctx); err != nil {
			return fmt.Errorf("withdraw as a delegate: %w", err)
		}
		return accounts.Record(ctx, tx, now, actor, "decision.delegate.withdraw", who.ID, "", "")
	})
}

// IsDelegate reports whether an account is a delegate now.
func (s *Service) IsDelegate(ctx context.Context, accountID string) (bool, error) {
	n, err := s.db.NewSelect().Model((*delegateRow)(nil)).Where("account_id = ? AND until IS NULL", accountID).Count(ctx)
	if err != nil {
		return false, fmt.Errorf("read delegate: %w", err)
	}
	return n > 0, nil
}

func (s *Service) verifiedPerson(ctx context.Context, actor accounts.Actor) (*accounts.Account, error) {
	who, err := s.person(ctx, actor)
	if err != nil {
		return nil, err
	}
	ok, err := s.accounts.IsVerified(ctx, who.ID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotVerified
	}
	return who, nil
}

// Delegate entrusts the resident's vote in scope to delegateID, who must
// be a verified resident who agreed to be a delegate, replacing their
// earlier delegation for the same scope. It refuses oneself and a
// delegate whose own chain in this scope leads back to the resident.
func (s *Service) Delegate(ctx context.Context, actor accounts.Actor, scope Scope, delegateID string, named bool) error {
	who, err := s.verifiedPerson(ctx, actor)
	if err != nil {
		return err
	}
	if delegateID == who.ID {
		return ErrSelf
	}
	if err := s.checkScope(ctx, scope); err != nil {
		return err
	}
	ok, err := s.accounts.IsVerified(ctx, delegateID)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotDelegate
	}
	now := s.now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := accounts.Serialize(ctx, tx, delegationsLock, paceDelegation, now); err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*delegateRow)(nil)).Where("account_id = ? AND until IS NULL", delegateID).Count(ctx)
		if err != nil {
			return fmt.Errorf("read delegate: %w", err)
		}
		if n == 0 {
			return ErrNotDelegate
		}
		if err := s.checkCycle(ctx, tx, scope, who.ID, delegateID); err != nil {
			return err
		}
		if err := revoke(ctx, tx, who.ID, scope, now); err != nil {
			return err
		}
		d := &Delegation{ID: database.NewID(), DelegatorID: who.ID, SpaceID: scope.SpaceID, Category: scope.Category,
			DelegateID: delegateID, Named: named, CreatedAt: now}
		if _, err := tx.NewInsert().Model(d).Exec(ctx); err != nil {
			return fmt.Errorf("insert delegation: %w", err)
		}
		return accounts.Record(ctx, tx, now, actor, "decision.delegate", who.ID, scopeText(scope)+" to "+delegateID, "")
	})
}

// Revoke ends the resident's delegation for scope.
func (s *Service) Revoke(ctx context.Context, actor accounts.Actor, scope Scope) error {
	who, err := s.person(ctx, actor)
	if err != nil {
		return err
	}
	now := s.now()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := accounts.Serialize(ctx, tx, delegationsLock, paceDelegation, now); err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*Delegation)(nil)).Where("delegator_id = ? AND space_id = ? AND category = ? AND revoked_at IS NULL",
			who.ID, scope.SpaceID, scope.Category).Count(ctx)
		if err != nil {
			return fmt.Errorf("read delegation: %w", err)
		}
		if n == 0 {
			return ErrNoneToEnd
		}
		if err := revoke(ctx, tx, who.ID, scope, now); err != nil {
			return err
		}
		return accounts.Record(ctx, tx, now, actor, "decision.revoke", who.ID, scopeText(scope), "")
	})
}

func revoke(ctx context.Context, tx bun.IDB, who string, scope Scope, now time.Time) error {
	_, err := tx.NewUpdate().Model((*Delegation)(nil)).Set("revoked_at = ?", now).
		Where("delegator_id = ? AND space_id = ? AND category = ? AND revoked_at IS NULL", who, scope.SpaceID, scope.Category).Exec(ctx)
	if err != nil {
		return fmt.Errorf("revoke delegation: %w", err)
	}
	return nil
}

func scopeText(sc Scope) string {
	switch {
	case sc.SpaceID == "":
		return "node"
	case sc.Category == "":
		return "space " + sc.SpaceID
	}
	return "space " + sc.SpaceID + " category " + sc.Category
}

func (s *Service) checkScope(ctx context.Context, sc Scope) error {
	if sc.SpaceID == "" {
		if sc.Category != "" {
			return ErrScope
		}
		return nil
	}
	sp, err := s.spaces.ByID(ctx, sc.SpaceID)
	if err != nil {
		return ErrScope
	}
	if sc.Category != "" && !sp.HasCategory(sc.Category) {
		return ErrScope
	}
	return nil
}

// checkCycle follows the delegate's chain as a vote of this scope would
// (the most specific live delegation of each person met) and refuses the
// delegation if it reaches the delegator. Chains that mix scopes can
// still close a cycle for some vote (a node-wide delegation one way, a
// category's the other): the count then loses that weight and shows it
// (Lost.Cycle).
func (s *Service) checkCycle(ctx context.Context, tx bun.IDB, scope Scope, from, to string) error {
	seen := map[string]bool{from: true}
	for cur := to; cur != ""; {
		if seen[cur] {
			if cur == from {
				return ErrCycle
			}
			return nil // an existing cycle further on, not through from
		}
		seen[cur] = true
		var rows []Delegation
		err := tx.NewSelect().Model(&rows).Where("delegator_id = ? AND revoked_at IS NULL", cur).
			Where("(space_id = '' AND category = '') OR (space_id = ? AND (category = '' OR category = ?))", scope.SpaceID, scope.Category).
			Scan(ctx)
		if err != nil {
			return fmt.Errorf("follow delegations: %w", err)
		}
		cur = ""
		best := -1
		for _, d := range rows {
			if r := specificity(d, scope); r > best {
				best, cur = r, d.DelegateID
			}
		}
	}
	return nil
}

// specificity ranks a delegation for a vote of scope: a category's
// over its space's over the node's; -1 when it does not apply.
func specificity(d Delegation, sc Scope) int {
	switch {
	case d.SpaceID == "" && d.Category == "":
		return 0
	case d.SpaceID == sc.SpaceID && d.Category == "":
		return 1
	case d.SpaceID == sc.SpaceID && d.Category == sc.Category && sc.Category != "":
		return 2
	}
	return -1
}

// Delegations lists the resident's live delegations.
func (s *Service) Delegations(ctx context.Context, actor accounts.Actor) ([]Delegation, error) {
	who, err := s.person(ctx, actor)
	if err != nil {
		return nil, err
	}
	var out []Delegation
	if err := s.db.NewSelect().Model(&out).Where("delegator_id = ? AND revoked_at IS NULL", who.ID).
		Order("space_id", "category").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list delegations: %w", err)
	}
	return out, nil
}

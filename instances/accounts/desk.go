package accounts

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// The desk rule: an agent at a desk acts on residents, never on staff.
// Staff is any account holding a role beyond resident (agent, official,
// moderator, steward, admin): their accounts are changed by themselves,
// by an admin from the admin pages, or by the operator at the command
// line. Otherwise an agent could rename an admin, revoke their
// residency, or print a sheet that opens their account.
//
// An act is a desk act when the agent acts for someone present
// (Actor.OnBehalfOf), at a named desk (Actor.Desk), or on another
// account with no authority but the agent role. It applies whatever
// other roles the agent holds: at a desk, an admin who is also an agent
// is an agent.

// ErrStaffTarget refuses a desk act on a staff account. It is also an
// ErrForbidden, so a page that knows only that still answers 403; other
// domains wrap it with their own ErrForbidden.
var ErrStaffTarget = fmt.Errorf("%w: an agent at a desk acts for residents only, never on a staff account", ErrForbidden)

// IsStaff reports whether the account holds a role beyond resident, as
// loaded (CheckDeskTarget reads the database instead).
func (a *Account) IsStaff() bool {
	if a == nil || a.Deleted() {
		return false
	}
	for _, g := range a.Roles {
		if g.Role != Resident {
			return true
		}
	}
	return false
}

// deskAct reports whether actor acts on accountID as an agent at a desk.
func (a Actor) deskAct(accountID string) bool {
	switch {
	case a.Account == nil:
		return false // the node itself, the command line
	case a.OnBehalfOf != nil, a.Desk != "":
		return true
	}
	return a.Account.ID != accountID && !a.Account.Has(Admin)
}

// CheckDeskTarget applies the desk rule: ErrStaffTarget when actor acts
// at a desk on accountID and that account holds a role beyond resident,
// nil otherwise (who may act at all is each act's own check). It reads
// the roles in db, the caller's transaction when it has one, never the
// roles an Account value was loaded with. Every desk act of every
// domain calls it: accounts here, proposals, debates and moderation for
// acts done OnBehalfOf a resident.
func CheckDeskTarget(ctx context.Context, db bun.IDB, actor Actor, accountID string) error {
	if !actor.deskAct(accountID) {
		return nil
	}
	n, err := db.NewSelect().Model((*RoleGrant)(nil)).
		Where("account_id = ? AND role <> ?", accountID, Resident).Count(ctx)
	if err != nil {
		return fmt.Errorf("check desk target: %w", err)
	}
	if n > 0 {
		return ErrStaffTarget
	}
	return nil
}

// ForResident returns whom an act by actor is for: the signed-in account
// acting for itself, or the resident present at an agent's desk. The
// latter needs the agent role, a live resident, and passes the desk
// rule; a refusal is ErrForbidden (or ErrStaffTarget, which is one).
func ForResident(ctx context.Context, db bun.IDB, actor Actor) (*Account, error) {
	if actor.Account == nil || actor.Account.Deleted() {
		return nil, ErrForbidden
	}
	if actor.OnBehalfOf == nil {
		return actor.Account, nil
	}
	if !actor.Account.Has(Agent) || actor.OnBehalfOf.Deleted() {
		return nil, ErrForbidden
	}
	if err := CheckDeskTarget(ctx, db, actor, actor.OnBehalfOf.ID); err != nil {
		return nil, err
	}
	return actor.OnBehalfOf, nil
}

// mayActFor is the check of an act on an account: its owner, or an
// agent at a desk for the resident present (actsFor), and the desk rule.
func (s *Service) mayActFor(ctx context.Context, actor Actor, accountID string) error {
	if !s.actsFor(actor, accountID) {
		return ErrForbidden
	}
	return CheckDeskTarget(ctx, s.db, actor, accountID)
}

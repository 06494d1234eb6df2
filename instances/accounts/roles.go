package accounts

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
)

// SetRole grants or removes a role. Only admins (or the command line) may;
// the audit entry keeps who, when and why.
func (s *Service) SetRole(ctx context.Context, actor Actor, accountID string, role Role, service string, remove bool, reason string) error {
	defer s.sessions.forgetAccount(accountID) // once written: see sessionCache
	if !actor.can(Admin) {
		return ErrForbidden
	}
	role, err := ParseRole(string(role))
	if err != nil {
		return err
	}
	if role == Resident {
		return fmt.Errorf("%w: every account is a resident", ErrUnknownRole)
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		acc, err := s.one(ctx, tx, "id = ? AND deleted_at IS NULL", accountID)
		if err != nil {
			return err
		}
		if remove {
			if _, err := tx.NewDelete().Model((*RoleGrant)(nil)).
				Where("account_id = ? AND role = ?", acc.ID, role).Exec(ctx); err != nil {
				return fmt.Errorf("remove role: %w", err)
			}
			return s.audit(ctx, tx, actor, "role.remove", acc.ID, "role="+string(role), reason)
		}
		return s.grant(ctx, tx, actor, acc, role, service, reason)
	})
}

func (s *Service) grant(ctx context.Context, tx bun.Tx, actor Actor, acc *Account, role Role, service, reason string) error {
	g := &RoleGrant{AccountID: acc.ID, Role: role, Service: strings.TrimSpace(service), GrantedAt: s.now()}
	if _, err := tx.NewInsert().Model(g).
		On("CONFLICT (account_id, role) DO UPDATE").Set("service = EXCLUDED.service").
		Exec(ctx); err != nil {
		return fmt.Errorf("grant role: %w", err)
	}
	details := "role=" + string(role)
	if g.Service != "" {
		details += " service=" + g.Service
	}
	return s.audit(ctx, tx, actor, "role.grant", acc.ID, details, reason)
}

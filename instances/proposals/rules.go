package proposals

import (
	"context"
	"time"

	"agora/instances/accounts"
	"agora/instances/spaces"
)

// The rules of who may do what with proposals, in one place: the service
// applies them to every act, and pages ask them what to offer, so the two
// never disagree.

// AuthorMayEdit reports whether p's author may still edit it (text or
// files) at now: until its first support, within EditWindow of
// publication, while it is published.
func (p *Proposal) AuthorMayEdit(now time.Time) bool {
	return p.State == Published && p.SupportCount == 0 && now.Sub(p.CreatedAt) <= EditWindow
}

// SupportsOpen says whether p may take or lose supports at now:
// ErrClosed when it is hidden or past review, ErrPhase when the space's
// phase does not allow supports, nil when it may.
func SupportsOpen(p *Proposal, sp *spaces.Space, now time.Time) error {
	if p.Hidden() || (p.State != Published && p.State != Review) {
		return ErrClosed
	}
	if !sp.AllowsSupports(now) {
		return ErrPhase
	}
	return nil
}

// MayPropose says whether who may publish a proposal in sp now: ErrPhase
// outside its proposal phase, ErrNotVerified when the space wants
// verified residents and who is not one.
func (s *Service) MayPropose(ctx context.Context, who *accounts.Account, sp *spaces.Space) error {
	if !sp.AllowsProposals(s.now()) {
		return ErrPhase
	}
	if sp.UnverifiedMayPropose {
		return nil
	}
	return s.verified(ctx, who)
}

// verified is nil for a verified resident, ErrNotVerified for others.
func (s *Service) verified(ctx context.Context, who *accounts.Account) error {
	ok, err := s.accounts.IsVerified(ctx, who.ID)
	if err != nil {
		return err
	}
	if !ok {
		return ErrNotVerified
	}
	return nil
}

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

// MaySupport says whether who may give p a support, whatever the phase
// (SupportsOpen says that): ErrOwnProposal for its author, whose
// proposal is theirs already and whose support would count toward the
// threshold; ErrServiceAccount for an official, who speaks for a city
// service and answers proposals rather than supports them;
// ErrNotVerified for a resident whose residency is not verified.
func (s *Service) MaySupport(ctx context.Context, who *accounts.Account, p *Proposal) error {
	if err := supporter(who, p.AuthorID); err != nil {
		return err
	}
	return s.verified(ctx, who)
}

// supporter applies the rules of MaySupport that need no database.
func supporter(who *accounts.Account, authorID string) error {
	switch {
	case who.ID == authorID:
		return ErrOwnProposal
	case who.Has(accounts.Official):
		return ErrServiceAccount
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

// Rights is what one person may do in one space now: nil where they may,
// else the rule that stops them.
type Rights struct {
	Space   *spaces.Space
	Propose error // ErrNotVerified, ErrPhase
	Support error // ErrServiceAccount, ErrNotVerified, ErrPhase
}

// RightsIn says, for each space, whether who may propose and support
// there now, by the same rules as MayPropose and MaySupport (apart from
// the rules about one proposal: its author, its state). Where two rules
// stop them, the one about the person comes first (residency before
// phase): it is the one they can do something about.
func (s *Service) RightsIn(ctx context.Context, who *accounts.Account, sps []spaces.Space) ([]Rights, error) {
	verified, err := s.accounts.IsVerified(ctx, who.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]Rights, len(sps))
	for i := range sps {
		sp := &sps[i]
		r := Rights{Space: sp}
		switch {
		case !verified && !sp.UnverifiedMayPropose:
			r.Propose = ErrNotVerified
		case !sp.AllowsProposals(now):
			r.Propose = ErrPhase
		}
		switch {
		case who.Has(accounts.Official):
			r.Support = ErrServiceAccount
		case !verified:
			r.Support = ErrNotVerified
		case !sp.AllowsSupports(now):
			r.Support = ErrPhase
		}
		out[i] = r
	}
	return out, nil
}

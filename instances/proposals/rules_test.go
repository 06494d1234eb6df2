package proposals_test

import (
	"errors"
	"testing"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

// RightsIn, which the account page shows, says what the acts then do: a
// resident told they may propose can, one told they may not is refused
// with the same reason.
func TestRightsInAgreeWithTheActs(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		open := f.space(t, "ouvert", func(in *spaces.NewSpace) { in.UnverifiedMayPropose = true })
		verifiedOnly := f.space(t, "budget", nil)
		closed := f.space(t, "ferme", func(in *spaces.NewSpace) {
			in.Phases = []spaces.PhaseInput{{Kind: spaces.Evaluation, StartsAt: start, EndsAt: closedFrom}}
		})
		all := []spaces.Space{*open, *verifiedOnly, *closed}
		author := accounts.As(f.resident(t, "autrice"))
		for _, c := range []struct {
			name             string
			who              *accounts.Account
			propose, support []error // by space: open, verified only, closed
		}{
			{"verified resident", f.resident(t, "alice"),
				[]error{nil, nil, proposals.ErrPhase}, []error{nil, nil, proposals.ErrPhase}},
			{"unverified resident", f.account(t, "bob"),
				[]error{nil, proposals.ErrNotVerified, proposals.ErrNotVerified},
				[]error{proposals.ErrNotVerified, proposals.ErrNotVerified, proposals.ErrNotVerified}},
			{"city service", f.resident(t, "voirie", accounts.Official),
				[]error{nil, nil, proposals.ErrPhase},
				[]error{proposals.ErrServiceAccount, proposals.ErrServiceAccount, proposals.ErrServiceAccount}},
		} {
			rights, err := f.svc.RightsIn(f.ctx, c.who, all)
			wantErr(t, err, nil, "RightsIn")
			if len(rights) != len(all) {
				t.Fatalf("%s: %d rights for %d spaces", c.name, len(rights), len(all))
			}
			for i, r := range rights {
				sp := r.Space
				if !errors.Is(r.Propose, c.propose[i]) || (c.propose[i] == nil) != (r.Propose == nil) {
					t.Errorf("%s in %s: propose %v, want %v", c.name, sp.Slug, r.Propose, c.propose[i])
				}
				if !errors.Is(r.Support, c.support[i]) || (c.support[i] == nil) != (r.Support == nil) {
					t.Errorf("%s in %s: support %v, want %v", c.name, sp.Slug, r.Support, c.support[i])
				}
				// The acts agree.
				_, err := f.svc.Create(f.ctx, accounts.As(c.who), sp.ID, proposals.Input{Title: "Un banc", Body: "Pour s'asseoir."})
				if (err == nil) != (r.Propose == nil) || r.Propose != nil && !errors.Is(err, r.Propose) &&
					!(errors.Is(r.Propose, proposals.ErrNotVerified) && errors.Is(err, proposals.ErrPhase)) {
					t.Errorf("%s in %s: Create says %v, the account page %v", c.name, sp.Slug, err, r.Propose)
				}
				if sp.ID != closed.ID {
					p := f.propose(t, author, sp.ID, "De l'autrice")
					err := f.svc.Support(f.ctx, accounts.As(c.who), p.ID)
					if (err == nil) != (r.Support == nil) || r.Support != nil && !errors.Is(err, r.Support) {
						t.Errorf("%s in %s: Support says %v, the account page %v", c.name, sp.Slug, err, r.Support)
					}
				}
			}
		}
	})
}

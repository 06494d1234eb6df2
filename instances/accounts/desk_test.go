package accounts_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// deskTables are the tables a desk act may write, in every domain.
var deskTables = append([]string{
	"proposals", "proposal_supports", "proposal_events", "proposal_attachments",
	"debates", "comments", "comment_versions", "comment_supports", "reports", "outbox_events",
}, tables...)

// deskWorld is everything a desk act may touch: the services of every
// domain, a space taking proposals, and, for each target, a proposal,
// a debate and a comment of theirs.
type deskWorld struct {
	f         *fixture
	proposals *proposals.Service
	debates   *debates.Service
	mod       *moderation.Service
	space     *spaces.Space
	agent     *accounts.Account
	salt      string
	// of each target, by account id
	proposal, debate, comment map[string]string
	passkey                   map[string][]byte
	letter                    map[string]string
	n                         int // targets opened
}

// Every act an agent does at a desk, for or on an account: refused with
// accounts.ErrStaffTarget (also each domain's ErrForbidden) when the
// account holds any role beyond resident, with nothing written in any
// table; the same act on a resident passes, so the refusal is the rule's
// and not a broken fixture's.
func TestDeskActsNeverTouchStaff(t *testing.T) {
	acts := []struct {
		name string
		// prep, if any, is what the target does first, themselves.
		prep func(w *deskWorld, target *accounts.Account) error
		do   func(w *deskWorld, desk accounts.Actor, target *accounts.Account) error
	}{
		{"rename (profile)", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.f.svc.UpdateProfile(w.f.ctx, a, t.ID, accounts.Profile{DisplayName: "Renamed", Language: "fr"})
		}},
		{"verify residency", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.f.svc.VerifyAtDesk(w.f.ctx, accounts.Actor{Account: a.Account, Desk: a.Desk}, t.ID, "passport", accounts.Electoral{})
		}},
		{"revoke residency", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.f.svc.RevokeResidency(w.f.ctx, accounts.Actor{Account: a.Account, Desk: a.Desk}, t.ID, "moved away")
		}},
		{"revoke residency, no desk named", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.f.svc.RevokeResidency(w.f.ctx, accounts.As(a.Account), t.ID, "moved away")
		}},
		{"setup sheet", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			_, err := w.f.svc.NewSetupCode(w.f.ctx, accounts.Actor{Account: a.Account, Desk: a.Desk}, t.ID)
			return err
		}},
		{"recovery codes", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			_, err := w.f.svc.NewRecoveryCodes(w.f.ctx, a, t.ID)
			return err
		}},
		{"add a passkey", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.f.svc.AddPasskey(w.f.ctx, a, &accounts.Passkey{ID: []byte("new-" + t.Handle), AccountID: t.ID,
				PublicKey: []byte("k"), AttestationType: "none"})
		}},
		{"rename a passkey", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.f.svc.RenamePasskey(w.f.ctx, a, t.ID, w.passkey[t.ID], "Renamed")
		}},
		{"remove a passkey", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.f.svc.RemovePasskey(w.f.ctx, a, t.ID, w.passkey[t.ID])
		}},
		{"request deletion", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			_, err := w.f.svc.RequestDeletion(w.f.ctx, a, t.ID)
			return err
		}},
		{"cancel deletion", func(w *deskWorld, t *accounts.Account) error {
			_, err := w.f.svc.RequestDeletion(w.f.ctx, accounts.As(t), t.ID)
			return err
		}, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.f.svc.CancelDeletion(w.f.ctx, a, t.ID)
		}},
		{"letter code", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.f.svc.UseLetterCode(w.f.ctx, a, t.ID, w.letter[t.ID])
		}},
		{"census match", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.f.svc.MatchCensus(w.f.ctx, a, t.ID, identity(t))
		}},
		{"propose", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			_, err := w.proposals.Create(w.f.ctx, a, w.space.ID, proposals.Input{Title: "Un banc", Body: "Place du marché."})
			return err
		}},
		{"support a proposal", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.proposals.Support(w.f.ctx, a, w.proposal[w.agent.ID])
		}},
		{"withdraw a support", func(w *deskWorld, t *accounts.Account) error {
			err := w.proposals.Support(w.f.ctx, accounts.As(t), w.proposal[w.agent.ID])
			if errors.Is(err, proposals.ErrServiceAccount) {
				// An official does not support; one given before the role was granted stays.
				_, err = w.f.db.NewRaw("INSERT INTO proposal_supports (proposal_id, account_id, created_at, desk) VALUES (?, ?, ?, '')",
					w.proposal[w.agent.ID], t.ID, w.f.clock.Now()).Exec(w.f.ctx)
				if err == nil {
					_, err = w.f.db.NewRaw("UPDATE proposals SET support_count = support_count + 1 WHERE id = ?", w.proposal[w.agent.ID]).Exec(w.f.ctx)
				}
			}
			return err
		}, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.proposals.Unsupport(w.f.ctx, a, w.proposal[w.agent.ID])
		}},
		{"withdraw a proposal", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.proposals.Withdraw(w.f.ctx, a, w.proposal[t.ID])
		}},
		{"attach a file", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.proposals.Attach(w.f.ctx, a, w.proposal[t.ID], []proposals.Attachment{
				{BlobKey: "k", Name: "plan.pdf", ContentType: "application/pdf", Size: 10}})
		}},
		{"comment", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			_, err := w.debates.Add(w.f.ctx, a, debates.NewComment{Target: debates.Target{Kind: debates.TargetDebate, ID: w.debate[w.agent.ID]}, Body: "Oui."})
			return err
		}},
		{"edit a comment", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			_, err := w.debates.Edit(w.f.ctx, a, w.comment[t.ID], "Changed.")
			return err
		}},
		{"delete a comment", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.debates.Delete(w.f.ctx, a, w.comment[t.ID])
		}},
		{"support a comment", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.debates.Support(w.f.ctx, a, w.comment[w.agent.ID])
		}},
		{"withdraw a comment support", func(w *deskWorld, t *accounts.Account) error {
			return w.debates.Support(w.f.ctx, accounts.As(t), w.comment[w.agent.ID])
		}, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.debates.Withdraw(w.f.ctx, a, w.comment[w.agent.ID])
		}},
		{"open a debate", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			_, err := w.debates.CreateDebate(w.f.ctx, a, debates.NewDebate{SpaceID: w.space.ID, Question: "Un marché le soir ?"})
			return err
		}},
		{"edit a debate", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			_, err := w.debates.EditDebate(w.f.ctx, a, w.debate[t.ID], debates.DebateEdit{Question: "Changed?"})
			return err
		}},
		{"close a debate", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			_, err := w.debates.CloseDebate(w.f.ctx, a, w.debate[t.ID], "Closed.")
			return err
		}},
		{"delete a debate", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			return w.debates.DeleteDebate(w.f.ctx, a, w.debate[t.ID])
		}},
		{"report", nil, func(w *deskWorld, a accounts.Actor, t *accounts.Account) error {
			_, err := w.mod.Report(w.f.ctx, a, moderation.Target{Kind: moderation.TargetComment, ID: w.comment[w.agent.ID]}, "spam")
			return err
		}},
	}
	staffRoles := []accounts.Role{accounts.Admin, accounts.Agent, accounts.Official, accounts.Moderator, accounts.Steward}

	run(t, func(t *testing.T, f *fixture) {
		w := newDeskWorld(t, f)
		// An agent who is also an admin is an agent at a desk.
		agentAdmin := f.account(t, "agent_admin", accounts.Agent, accounts.Admin)
		staff := map[accounts.Role]*accounts.Account{}
		for _, role := range staffRoles {
			staff[role] = w.target(t, role)
		}
		for _, act := range acts {
			for _, role := range staffRoles {
				for _, agent := range []*accounts.Account{w.agent, agentAdmin} {
					if agent == agentAdmin && (role != accounts.Admin || act.name == "revoke residency, no desk named") {
						continue // once is enough; away from a desk an admin may
					}
					// A refused act changes nothing, so one target per role
					// serves every act but those that prepare something.
					target := staff[role]
					if act.prep != nil {
						target = w.target(t, role)
						if err := act.prep(w, target); err != nil {
							t.Fatalf("%s: %v", act.name, err)
						}
					}
					desk := accounts.Actor{Account: agent, OnBehalfOf: target, Desk: "Mairie du 11e"}
					before := storagetest.TakeSnapshot(t, f.db, deskTables...)
					err := act.do(w, desk, target)
					if !errors.Is(err, accounts.ErrStaffTarget) || !errors.Is(err, forbiddenOf(act.name)) {
						t.Errorf("%s on a %s by %s: %v, want ErrStaffTarget", act.name, role, agent.Handle, err)
						continue
					}
					before.Unchanged(t, f.db, act.name+" on a "+string(role))
				}
			}
			// A resident: the act goes through.
			resident := w.target(t, accounts.Resident)
			if act.prep != nil {
				if err := act.prep(w, resident); err != nil {
					t.Fatalf("%s: %v", act.name, err)
				}
			}
			desk := accounts.Actor{Account: w.agent, OnBehalfOf: resident, Desk: "Mairie du 11e"}
			if err := act.do(w, desk, resident); err != nil {
				t.Errorf("%s on a resident: %v", act.name, err)
			}
		}
	})
}

// forbiddenOf is the ErrForbidden of the domain an act belongs to.
func forbiddenOf(act string) error {
	switch {
	case strings.Contains(act, "propos") || act == "attach a file" || act == "withdraw a support":
		return proposals.ErrForbidden
	case strings.Contains(act, "comment") || strings.Contains(act, "debate"):
		return debates.ErrForbidden
	case act == "report":
		return moderation.ErrForbidden
	}
	return accounts.ErrForbidden
}

func identity(a *accounts.Account) accounts.Identity {
	return accounts.Identity{FamilyName: "Martin", GivenName: a.Handle, BirthDate: "1980-01-02", PostalCode: "75011"}
}

func newDeskWorld(t *testing.T, f *fixture) *deskWorld {
	md := markup.New()
	sp := spaces.NewService(f.db, md, f.clock.Now)
	w := &deskWorld{f: f, proposals: proposals.NewService(f.db, md, f.svc, sp, f.clock.Now),
		debates: debates.NewService(f.db, md, f.clock.Now), mod: moderation.NewService(f.db, f.clock.Now),
		agent: f.account(t, "agent_desk", accounts.Agent), salt: strings.Repeat("s", 32),
		proposal: map[string]string{}, debate: map[string]string{}, comment: map[string]string{},
		passkey: map[string][]byte{}, letter: map[string]string{}}
	space, err := sp.Create(f.ctx, accounts.System, spaces.NewSpace{Slug: "quartier", Title: "Quartier", Kind: spaces.Process,
		Phases: []spaces.PhaseInput{{Kind: spaces.Proposals, StartsAt: start.Add(-time24), EndsAt: start.Add(30 * time24)}}})
	if err != nil {
		t.Fatal(err)
	}
	w.space = space
	w.own(t, w.agent)
	return w
}

// target opens an account holding role (and resident), verified, with
// a passkey, a recovery code, a letter code and a census entry of its
// own, and a proposal, a debate and a comment it wrote.
func (w *deskWorld) target(t *testing.T, role accounts.Role) *accounts.Account {
	f := w.f
	w.n++
	handle := fmt.Sprintf("t_%s_%d", role, w.n)
	acc := f.signUp(t, handle, "key-"+handle)
	if role != accounts.Resident {
		if err := f.svc.SetRole(f.ctx, accounts.System, acc.ID, role, "Voirie", false, "test"); err != nil {
			t.Fatal(err)
		}
	}
	acc, err := f.svc.ByID(f.ctx, acc.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.passkey[acc.ID] = []byte("key-" + handle)
	if err := f.svc.AddPasskey(f.ctx, accounts.As(acc), passkeyFor(acc.ID, "key2-"+handle)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.NewRecoveryCodes(f.ctx, accounts.As(acc), acc.ID); err != nil {
		t.Fatal(err)
	}
	_, codes, err := f.svc.NewLetterBatch(f.ctx, accounts.System, 1, 30*time24)
	if err != nil {
		t.Fatal(err)
	}
	w.letter[acc.ID] = codes[0]
	h, err := accounts.CensusHash(w.salt, identity(acc))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ImportCensus(f.ctx, accounts.System, w.salt, strings.NewReader("hash\n"+h+"\n"), 30*time24); err != nil {
		t.Fatal(err)
	}
	w.own(t, acc)
	return acc
}

// own verifies acc and gives it a proposal, a debate and a comment.
func (w *deskWorld) own(t *testing.T, acc *accounts.Account) {
	ctx := context.Background()
	if err := w.f.svc.VerifyByOperator(ctx, acc.ID, accounts.Electoral{}); err != nil {
		t.Fatal(err)
	}
	p, err := w.proposals.Create(ctx, accounts.As(acc), w.space.ID, proposals.Input{Title: "Proposition de " + acc.Handle, Body: "Texte."})
	if err != nil {
		t.Fatal(err)
	}
	d, err := w.debates.CreateDebate(ctx, accounts.As(acc), debates.NewDebate{SpaceID: w.space.ID, Question: "Question de " + acc.Handle})
	if err != nil {
		t.Fatal(err)
	}
	c, err := w.debates.Add(ctx, accounts.As(acc), debates.NewComment{Target: debates.Target{Kind: debates.TargetProposal, ID: p.ID}, Body: "Commentaire."})
	if err != nil {
		t.Fatal(err)
	}
	w.proposal[acc.ID], w.debate[acc.ID], w.comment[acc.ID] = p.ID, d.ID, c.ID
}

const time24 = 24 * time.Hour

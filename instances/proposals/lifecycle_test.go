package proposals_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/proposals"
	"agora/instances/spaces"
)

func TestEdit(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", func(in *spaces.NewSpace) { in.TitleMax = 20 })
		alice := accounts.As(f.resident(t, "alice"))
		bob := accounts.As(f.resident(t, "bob"))
		mod := f.resident(t, "moderatrice", accounts.Moderator)
		edit := proposals.Input{Title: "Deux bancs", Body: "Sous le **tilleul**. <script>x()</script>"}

		// Within the window the author edits, as often as they like.
		p := f.propose(t, alice, sp.ID, "Un banc")
		f.clock.Advance(14 * time.Minute)
		wantErr(t, f.svc.Edit(f.ctx, alice, p.ID, edit, ""), nil, "Edit after 14 minutes")
		got := f.get(t, p.ID)
		now := f.clock.Now()
		if got.Title != "Deux bancs" || got.Body != edit.Body || strings.Contains(got.BodyHTML, "<script") ||
			!strings.Contains(got.BodyHTML, "<strong>tilleul</strong>") || got.EditedAt == nil || !got.EditedAt.Equal(now) ||
			!got.UpdatedAt.Equal(now) || !got.CreatedAt.Equal(start) {
			t.Errorf("edited %+v", got)
		}
		f.clock.Advance(time.Minute - time.Microsecond) // 15 minutes less a microsecond
		wantErr(t, f.svc.Edit(f.ctx, alice, p.ID, proposals.Input{Title: "Trois bancs", Body: "Trois."}, ""), nil, "Edit at the end of the window")

		// Bad input, someone else, or signed out: nothing changes.
		before := f.State(t)
		f.refused(t, before, f.svc.Edit(f.ctx, alice, p.ID, proposals.Input{Title: strings.Repeat("é", 21), Body: "x"}, ""), proposals.ErrTitle, "Edit with a long title")
		f.refused(t, before, f.svc.Edit(f.ctx, alice, p.ID, proposals.Input{Title: "Un banc", Body: " "}, ""), proposals.ErrBody, "Edit with no body")
		f.refused(t, before, f.svc.Edit(f.ctx, alice, p.ID, proposals.Input{Title: "Un banc", Body: "x", Category: "parcs"}, ""), proposals.ErrCategory, "Edit with a category")
		f.refused(t, before, f.svc.Edit(f.ctx, bob, p.ID, edit, ""), proposals.ErrForbidden, "Edit by another resident")
		f.refused(t, before, f.svc.Edit(f.ctx, bob, p.ID, edit, "because"), proposals.ErrForbidden, "Edit by another resident with a reason")
		f.refused(t, before, f.svc.Edit(f.ctx, accounts.System, p.ID, edit, ""), proposals.ErrSignIn, "Edit signed out")
		f.refused(t, before, f.svc.Edit(f.ctx, alice, "nope", edit, ""), proposals.ErrNotFound, "Edit of nothing")

		// After 15 minutes, the author no longer edits.
		f.clock.Advance(2 * time.Microsecond)
		f.refused(t, before, f.svc.Edit(f.ctx, alice, p.ID, edit, ""), proposals.ErrEditWindow, "Edit after 15 minutes")

		// Moderators edit any time, with a reason.
		f.refused(t, before, f.svc.Edit(f.ctx, accounts.As(mod), p.ID, edit, ""), proposals.ErrReason, "Edit by a moderator without reason")
		f.refused(t, before, f.svc.Edit(f.ctx, accounts.As(mod), p.ID, edit, " \n "), proposals.ErrReason, "Edit by a moderator with a blank reason")
		f.clock.Advance(5 * day)
		wantErr(t, f.svc.Edit(f.ctx, accounts.As(mod), p.ID, proposals.Input{Title: "Bancs", Body: "Des bancs."}, " Adresse personnelle retirée "), nil, "Edit by a moderator")
		if got := f.get(t, p.ID); got.Title != "Bancs" || !got.EditedAt.Equal(f.clock.Now()) || got.AuthorID != alice.Account.ID {
			t.Errorf("moderated %+v", got)
		}

		events, err := f.svc.Timeline(f.ctx, p.ID)
		wantErr(t, err, nil, "Timeline")
		var kinds []string
		for _, e := range events {
			kinds = append(kinds, e.Kind)
		}
		if !slices.Equal(kinds, []string{"published", "edited", "edited", "edited"}) {
			t.Fatalf("timeline %q", kinds)
		}
		if e := events[1]; e.ActorID != alice.Account.ID || e.Reason != "" || e.FromState != proposals.Published || e.ToState != proposals.Published {
			t.Errorf("author's edit %+v", e)
		}
		if e := events[3]; e.ActorID != mod.ID || e.Reason != "Adresse personnelle retirée" || !e.At.Equal(f.clock.Now()) {
			t.Errorf("moderator's edit %+v", e)
		}
		if n := f.Count(t, "outbox_events", "object_id = ? AND kind = 'update'", p.ID); n != 3 {
			t.Errorf("%d outbox updates, want 3", n)
		}

		// A moderator editing their own proposal is its author: the window holds.
		own := f.propose(t, accounts.As(mod), sp.ID, "Le mien")
		f.clock.Advance(16 * time.Minute)
		before = f.State(t)
		f.refused(t, before, f.svc.Edit(f.ctx, accounts.As(mod), own.ID, edit, "I moderate"), proposals.ErrEditWindow, "Edit of one's own proposal late")
	})
}

func TestEditEndsAtTheFirstSupport(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		alice := accounts.As(f.resident(t, "alice"))
		bob := accounts.As(f.resident(t, "bob"))
		p := f.propose(t, alice, sp.ID, "Un banc")
		f.clock.Advance(time.Minute)
		wantErr(t, f.svc.Support(f.ctx, bob, p.ID), nil, "Support")
		before := f.State(t)
		f.refused(t, before, f.svc.Edit(f.ctx, alice, p.ID, proposals.Input{Title: "Deux bancs", Body: "x"}, ""), proposals.ErrEditWindow, "Edit after a support")
		// Even once the support is gone: it was seen supported as written.
		wantErr(t, f.svc.Unsupport(f.ctx, bob, p.ID), nil, "Unsupport")
		if f.get(t, p.ID).SupportCount != 0 {
			t.Fatal("support not withdrawn")
		}
		wantErr(t, f.svc.Edit(f.ctx, alice, p.ID, proposals.Input{Title: "Deux bancs", Body: "x"}, ""), nil, "Edit once unsupported within the window")

		// A withdrawn proposal is not edited by its author.
		q := f.propose(t, alice, sp.ID, "Une fontaine")
		wantErr(t, f.svc.Withdraw(f.ctx, alice, q.ID), nil, "Withdraw")
		before = f.State(t)
		f.refused(t, before, f.svc.Edit(f.ctx, alice, q.ID, proposals.Input{Title: "Deux fontaines", Body: "x"}, ""), proposals.ErrEditWindow, "Edit once withdrawn")
	})
}

func TestWithdraw(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		alice := accounts.As(f.resident(t, "alice"))
		bob := accounts.As(f.resident(t, "bob"))
		mod := accounts.As(f.resident(t, "moderatrice", accounts.Moderator, accounts.Admin))
		official := accounts.As(f.resident(t, "voirie", accounts.Official))
		p := f.propose(t, alice, sp.ID, "Un banc")
		wantErr(t, f.svc.Support(f.ctx, bob, p.ID), nil, "Support")

		before := f.State(t)
		f.refused(t, before, f.svc.Withdraw(f.ctx, bob, p.ID), proposals.ErrForbidden, "Withdraw by another resident")
		f.refused(t, before, f.svc.Withdraw(f.ctx, mod, p.ID), proposals.ErrForbidden, "Withdraw by a moderator")
		f.refused(t, before, f.svc.Withdraw(f.ctx, accounts.System, p.ID), proposals.ErrSignIn, "Withdraw signed out")
		f.refused(t, before, f.svc.Withdraw(f.ctx, alice, "nope"), proposals.ErrNotFound, "Withdraw nothing")

		f.clock.Advance(time.Hour)
		wantErr(t, f.svc.Withdraw(f.ctx, alice, p.ID), nil, "Withdraw")
		got := f.get(t, p.ID)
		if got.State != proposals.Withdrawn || got.SupportCount != 1 || !got.UpdatedAt.Equal(f.clock.Now()) {
			t.Errorf("withdrawn %+v", got)
		}
		events, _ := f.svc.Timeline(f.ctx, p.ID)
		if e := events[len(events)-1]; e.Kind != "withdrawn" || e.ActorID != alice.Account.ID || e.FromState != proposals.Published ||
			e.ToState != proposals.Withdrawn || !e.At.Equal(f.clock.Now()) {
			t.Errorf("event %+v", e)
		}

		// It is final: nothing moves it, nobody supports it any more.
		before = f.State(t)
		f.refused(t, before, f.svc.Withdraw(f.ctx, alice, p.ID), proposals.ErrTransition, "Withdraw twice")
		f.refused(t, before, f.svc.Support(f.ctx, accounts.As(f.resident(t, "carol")), p.ID), proposals.ErrClosed, "Support once withdrawn")
		before = f.State(t)
		f.refused(t, before, f.svc.Unsupport(f.ctx, bob, p.ID), proposals.ErrClosed, "Unsupport once withdrawn")
		f.refused(t, before, f.svc.Answer(f.ctx, official, p.ID, proposals.Accepted, "Oui."), proposals.ErrTransition, "Answer once withdrawn")

		// From review it may be withdrawn, not once answered.
		q := f.propose(t, alice, sp.ID, "Une fontaine")
		wantErr(t, f.svc.Answer(f.ctx, official, q.ID, proposals.Review, "À l'étude."), nil, "Answer review")
		wantErr(t, f.svc.Withdraw(f.ctx, alice, q.ID), nil, "Withdraw under review")
		for _, to := range []proposals.State{proposals.Study, proposals.Accepted, proposals.Rejected} {
			r := f.propose(t, alice, sp.ID, "Réponse "+string(to))
			wantErr(t, f.svc.Answer(f.ctx, official, r.ID, to, "Réponse."), nil, "Answer "+string(to))
			before := f.State(t)
			f.refused(t, before, f.svc.Withdraw(f.ctx, alice, r.ID), proposals.ErrTransition, "Withdraw once "+string(to))
		}

		// An agent at a desk withdraws for the author who is present.
		agent := f.account(t, "agent_mairie", accounts.Agent)
		s := f.propose(t, alice, sp.ID, "Un kiosque")
		before = f.State(t)
		f.refused(t, before, f.svc.Withdraw(f.ctx, accounts.Actor{Account: agent, OnBehalfOf: bob.Account, Desk: "mairie"}, s.ID),
			proposals.ErrForbidden, "Withdraw at a desk for someone else")
		wantErr(t, f.svc.Withdraw(f.ctx, accounts.Actor{Account: agent, OnBehalfOf: alice.Account, Desk: "mairie"}, s.ID), nil, "Withdraw at a desk")
		if got := f.get(t, s.ID); got.State != proposals.Withdrawn {
			t.Errorf("state %s", got.State)
		}
	})
}

func TestSupport(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		alice := accounts.As(f.resident(t, "alice"))
		bob := accounts.As(f.resident(t, "bob"))
		carol := accounts.As(f.resident(t, "carol"))
		dan := accounts.As(f.account(t, "dan"))
		p := f.propose(t, alice, sp.ID, "Un banc")

		before := f.State(t)
		f.refused(t, before, f.svc.Support(f.ctx, dan, p.ID), proposals.ErrNotVerified, "Support by an unverified resident")
		f.refused(t, before, f.svc.Support(f.ctx, accounts.System, p.ID), proposals.ErrSignIn, "Support signed out")
		f.refused(t, before, f.svc.Support(f.ctx, bob, "nope"), proposals.ErrNotFound, "Support of nothing")

		f.clock.Advance(time.Hour)
		wantErr(t, f.svc.Support(f.ctx, bob, p.ID), nil, "Support")
		if got := f.get(t, p.ID); got.SupportCount != 1 || got.State != proposals.Published {
			t.Errorf("after a support: %+v", got)
		}
		if n := f.Count(t, "proposal_supports", "proposal_id = ? AND account_id = ? AND created_at = ? AND entered_by IS NULL AND desk = ''",
			p.ID, bob.Account.ID, f.clock.Now()); n != 1 {
			t.Errorf("%d support rows", n)
		}
		if n := f.Count(t, "outbox_events", "object_id = ? AND kind = 'update' AND actor_id = ?", p.ID, bob.Account.ID); n != 1 {
			t.Errorf("%d outbox updates", n)
		}

		// Once only: the second changes nothing.
		before = f.State(t)
		f.refused(t, before, f.svc.Support(f.ctx, bob, p.ID), proposals.ErrAlreadySupported, "Support twice")

		// The author may not support their own proposal, nor may a city
		// service: refused, nothing written.
		official := accounts.As(f.resident(t, "voirie", accounts.Official))
		before = f.State(t)
		f.refused(t, before, f.svc.Support(f.ctx, alice, p.ID), proposals.ErrOwnProposal, "Support by the author")
		f.refused(t, before, f.svc.Support(f.ctx, official, p.ID), proposals.ErrServiceAccount, "Support by an official")
		for _, c := range []struct {
			name string
			who  *accounts.Account
			want error
		}{
			{"author", alice.Account, proposals.ErrOwnProposal},
			{"official", official.Account, proposals.ErrServiceAccount},
			{"unverified", dan.Account, proposals.ErrNotVerified},
			{"resident", carol.Account, nil},
		} {
			wantErr(t, f.svc.MaySupport(f.ctx, c.who, p), c.want, "MaySupport of "+c.name)
		}

		// During the supports phase; not after.
		f.clock.Set(supportsFrom)
		wantErr(t, f.svc.Support(f.ctx, carol, p.ID), nil, "Support in the supports phase")
		f.clock.Set(evaluationFrom)
		before = f.State(t)
		f.refused(t, before, f.svc.Support(f.ctx, accounts.As(f.resident(t, "erin")), p.ID), proposals.ErrPhase, "Support in the evaluation phase")
		if got := f.get(t, p.ID); got.SupportCount != 2 {
			t.Errorf("support count %d, want 2", got.SupportCount)
		}
		if got, _ := f.svc.Supports(f.ctx, carol.Account.ID, []string{p.ID}); !got[p.ID] {
			t.Error("Supports does not list carol's support")
		}
	})
}

func TestSupportClosed(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		alice := accounts.As(f.resident(t, "alice"))
		bob := accounts.As(f.resident(t, "bob"))
		official := accounts.As(f.resident(t, "voirie", accounts.Official))

		hidden := f.propose(t, alice, sp.ID, "Caché")
		wantErr(t, f.svc.Support(f.ctx, bob, hidden.ID), nil, "Support")
		f.exec(t, "UPDATE proposals SET hidden_at = ?, hidden_reason = 'insultes' WHERE id = ?", start, hidden.ID)
		before := f.State(t)
		f.refused(t, before, f.svc.Support(f.ctx, alice, hidden.ID), proposals.ErrClosed, "Support of a hidden proposal")
		f.refused(t, before, f.svc.Unsupport(f.ctx, bob, hidden.ID), proposals.ErrClosed, "Unsupport of a hidden proposal")

		for _, to := range []proposals.State{proposals.Study, proposals.Accepted, proposals.Rejected} {
			p := f.propose(t, alice, sp.ID, "Réponse "+string(to))
			wantErr(t, f.svc.Answer(f.ctx, official, p.ID, to, "Réponse."), nil, "Answer")
			before := f.State(t)
			f.refused(t, before, f.svc.Support(f.ctx, bob, p.ID), proposals.ErrClosed, "Support once "+string(to))
		}
		merged := f.propose(t, alice, sp.ID, "Fusionné")
		f.exec(t, "UPDATE proposals SET state = 'merged' WHERE id = ?", merged.ID)
		before = f.State(t)
		f.refused(t, before, f.svc.Support(f.ctx, bob, merged.ID), proposals.ErrClosed, "Support once merged")

		// Under review it still takes supports.
		review := f.propose(t, alice, sp.ID, "En revue")
		wantErr(t, f.svc.Answer(f.ctx, official, review.ID, proposals.Review, "Nous regardons."), nil, "Answer review")
		wantErr(t, f.svc.Support(f.ctx, bob, review.ID), nil, "Support under review")
		wantErr(t, f.svc.Unsupport(f.ctx, bob, review.ID), nil, "Unsupport under review")
	})
}

func TestSupportThreshold(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", func(in *spaces.NewSpace) { in.SupportThreshold = 3 })
		alice := accounts.As(f.resident(t, "alice"))
		people := f.residents(t, 6)
		p := f.propose(t, alice, sp.ID, "Un banc")
		for i := range 2 {
			wantErr(t, f.svc.Support(f.ctx, accounts.As(people[i]), p.ID), nil, "Support")
		}
		if got := f.get(t, p.ID); got.State != proposals.Published || got.SupportCount != 2 {
			t.Fatalf("below the threshold: %+v", got)
		}
		f.clock.Advance(time.Hour)
		wantErr(t, f.svc.Support(f.ctx, accounts.As(people[2]), p.ID), nil, "Support reaching the threshold")
		if got := f.get(t, p.ID); got.State != proposals.Review || got.SupportCount != 3 || !got.UpdatedAt.Equal(f.clock.Now()) {
			t.Fatalf("at the threshold: %+v", got)
		}
		events, _ := f.svc.Timeline(f.ctx, p.ID)
		if e := events[len(events)-1]; e.Kind != "review" || e.ActorID != "" || e.FromState != proposals.Published || e.ToState != proposals.Review {
			t.Errorf("review event %+v", e)
		}
		// Going below and back above, or further above, moves nothing again.
		wantErr(t, f.svc.Unsupport(f.ctx, accounts.As(people[0]), p.ID), nil, "Unsupport")
		for i := 3; i < 6; i++ {
			wantErr(t, f.svc.Support(f.ctx, accounts.As(people[i]), p.ID), nil, "Support above the threshold")
		}
		if got := f.get(t, p.ID); got.State != proposals.Review || got.SupportCount != 5 {
			t.Errorf("above the threshold: %+v", got)
		}
		if tl := f.timeline(t, p.ID); !slices.Equal(tl, []string{"published:>published", "review:published>review"}) {
			t.Errorf("timeline %q", tl)
		}

		// No threshold: nothing goes to review by itself.
		none := f.space(t, "sans-seuil", func(in *spaces.NewSpace) { in.SupportThreshold = 0 })
		q := f.propose(t, alice, none.ID, "Une fontaine")
		for _, who := range people {
			wantErr(t, f.svc.Support(f.ctx, accounts.As(who), q.ID), nil, "Support")
		}
		if got := f.get(t, q.ID); got.State != proposals.Published || got.SupportCount != 6 {
			t.Errorf("without a threshold: %+v", got)
		}
	})
}

func TestSupportAtADesk(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		agent := f.account(t, "agent_mairie", accounts.Agent)
		alice := f.resident(t, "alice")
		bob := f.resident(t, "bob")
		dan := f.account(t, "dan")
		p := f.propose(t, accounts.As(alice), sp.ID, "Un banc")

		atDesk := accounts.Actor{Account: agent, OnBehalfOf: bob, Desk: "mairie-annexe"}
		wantErr(t, f.svc.Support(f.ctx, atDesk, p.ID), nil, "Support at a desk")
		if got := f.get(t, p.ID); got.SupportCount != 1 {
			t.Errorf("support count %d", got.SupportCount)
		}
		if n := f.Count(t, "proposal_supports", "proposal_id = ? AND account_id = ? AND entered_by = ? AND desk = 'mairie-annexe'",
			p.ID, bob.ID, agent.ID); n != 1 {
			t.Errorf("%d support rows for bob entered by the agent", n)
		}
		if n := f.Count(t, "proposal_supports", "account_id = ?", agent.ID); n != 0 {
			t.Errorf("the agent supports %d proposals", n)
		}
		got, err := f.svc.Supports(f.ctx, bob.ID, []string{p.ID})
		if err != nil || !got[p.ID] {
			t.Errorf("Supports(bob) = %v, %v", got, err)
		}
		if got, _ := f.svc.Supports(f.ctx, agent.ID, []string{p.ID}); got[p.ID] {
			t.Error("Supports(agent) lists the resident's support")
		}

		before := f.State(t)
		f.refused(t, before, f.svc.Support(f.ctx, accounts.As(bob), p.ID), proposals.ErrAlreadySupported, "Support again by the resident")
		f.refused(t, before, f.svc.Support(f.ctx, atDesk, p.ID), proposals.ErrAlreadySupported, "Support again at the desk")
		f.refused(t, before, f.svc.Support(f.ctx, accounts.Actor{Account: agent, OnBehalfOf: dan, Desk: "mairie-annexe"}, p.ID),
			proposals.ErrNotVerified, "Support at a desk for an unverified resident")
		f.refused(t, before, f.svc.Support(f.ctx, accounts.Actor{Account: alice, OnBehalfOf: dan, Desk: "mairie-annexe"}, p.ID),
			proposals.ErrForbidden, "Support for someone else by a resident")

		// The agent withdraws it for the resident.
		wantErr(t, f.svc.Unsupport(f.ctx, atDesk, p.ID), nil, "Unsupport at a desk")
		if got := f.get(t, p.ID); got.SupportCount != 0 {
			t.Errorf("support count %d", got.SupportCount)
		}
	})
}

func TestUnsupport(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		alice := accounts.As(f.resident(t, "alice"))
		bob := accounts.As(f.resident(t, "bob"))
		carol := accounts.As(f.resident(t, "carol"))
		p := f.propose(t, alice, sp.ID, "Un banc")

		before := f.State(t)
		f.refused(t, before, f.svc.Unsupport(f.ctx, bob, p.ID), proposals.ErrNotSupported, "Unsupport without support")
		f.refused(t, before, f.svc.Unsupport(f.ctx, accounts.System, p.ID), proposals.ErrSignIn, "Unsupport signed out")
		f.refused(t, before, f.svc.Unsupport(f.ctx, bob, "nope"), proposals.ErrNotFound, "Unsupport of nothing")

		wantErr(t, f.svc.Support(f.ctx, bob, p.ID), nil, "Support bob")
		wantErr(t, f.svc.Support(f.ctx, carol, p.ID), nil, "Support carol")
		wantErr(t, f.svc.Unsupport(f.ctx, bob, p.ID), nil, "Unsupport")
		if got := f.get(t, p.ID); got.SupportCount != 1 {
			t.Errorf("support count %d, want 1", got.SupportCount)
		}
		if n := f.Count(t, "proposal_supports", "proposal_id = ?", p.ID); n != 1 {
			t.Errorf("%d support rows", n)
		}
		before = f.State(t)
		f.refused(t, before, f.svc.Unsupport(f.ctx, bob, p.ID), proposals.ErrNotSupported, "Unsupport twice")

		// Supporting again counts again.
		wantErr(t, f.svc.Support(f.ctx, bob, p.ID), nil, "Support again")
		wantErr(t, f.svc.Unsupport(f.ctx, bob, p.ID), nil, "Unsupport again")
		wantErr(t, f.svc.Unsupport(f.ctx, carol, p.ID), nil, "Unsupport carol")
		before = f.State(t)
		f.refused(t, before, f.svc.Unsupport(f.ctx, carol, p.ID), proposals.ErrNotSupported, "Unsupport at zero")
		if got := f.get(t, p.ID); got.SupportCount != 0 {
			t.Errorf("support count %d, want 0", got.SupportCount)
		}

		// A resident whose verification ended may still take a support back.
		wantErr(t, f.svc.Support(f.ctx, bob, p.ID), nil, "Support")
		if err := f.acc.RevokeResidency(f.ctx, accounts.System, bob.Account.ID, "moved away"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, f.svc.Unsupport(f.ctx, bob, p.ID), nil, "Unsupport once revoked")

		// Outside the support phases, supports stay as they are.
		wantErr(t, f.svc.Support(f.ctx, carol, p.ID), nil, "Support")
		f.clock.Set(evaluationFrom)
		before = f.State(t)
		f.refused(t, before, f.svc.Unsupport(f.ctx, carol, p.ID), proposals.ErrPhase, "Unsupport in evaluation")
	})
}

func TestSupportsMap(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", nil)
		alice := accounts.As(f.resident(t, "alice"))
		bob := accounts.As(f.resident(t, "bob"))
		a := f.propose(t, alice, sp.ID, "A")
		b := f.propose(t, alice, sp.ID, "B")
		c := f.propose(t, alice, sp.ID, "C")
		carol := accounts.As(f.resident(t, "carol"))
		wantErr(t, f.svc.Support(f.ctx, bob, a.ID), nil, "Support a")
		wantErr(t, f.svc.Support(f.ctx, bob, c.ID), nil, "Support c")
		wantErr(t, f.svc.Support(f.ctx, carol, b.ID), nil, "Support b by carol")

		got, err := f.svc.Supports(f.ctx, bob.Account.ID, []string{a.ID, b.ID, c.ID, "nope"})
		wantErr(t, err, nil, "Supports")
		if len(got) != 2 || !got[a.ID] || got[b.ID] || !got[c.ID] {
			t.Errorf("Supports(bob) = %v", got)
		}
		got, err = f.svc.Supports(f.ctx, bob.Account.ID, []string{b.ID})
		if err != nil || len(got) != 0 {
			t.Errorf("Supports(bob, b) = %v, %v", got, err)
		}
		for name, ids := range map[string][]string{"no ids": nil, "empty ids": {}} {
			if got, err := f.svc.Supports(f.ctx, bob.Account.ID, ids); err != nil || got == nil || len(got) != 0 {
				t.Errorf("%s: %v, %v", name, got, err)
			}
		}
		if got, err := f.svc.Supports(f.ctx, "", []string{a.ID}); err != nil || got == nil || len(got) != 0 {
			t.Errorf("signed out: %v, %v", got, err)
		}
	})
}

func TestCanAnswer(t *testing.T) {
	allowed := map[proposals.State][]proposals.State{
		proposals.Published: {proposals.Review, proposals.Study, proposals.Accepted, proposals.Rejected},
		proposals.Review:    {proposals.Study, proposals.Accepted, proposals.Rejected},
		proposals.Study:     {proposals.Accepted, proposals.Rejected},
		proposals.Accepted:  {proposals.Implemented},
	}
	for _, from := range proposals.States {
		for _, to := range append(slices.Clone(proposals.States), "", "unknown") {
			if got, want := proposals.CanAnswer(from, to), slices.Contains(allowed[from], to); got != want {
				t.Errorf("CanAnswer(%q, %q) = %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestAnswer(t *testing.T) {
	run(t, func(t *testing.T, f *fixture) {
		sp := f.space(t, "budget", func(in *spaces.NewSpace) { in.SupportThreshold = 2 })
		alice := accounts.As(f.resident(t, "alice"))
		official := f.resident(t, "voirie", accounts.Official)
		people := f.residents(t, 2)
		p := f.propose(t, alice, sp.ID, "Un banc")

		// Only officials answer; the answer is required.
		before := f.State(t)
		for _, who := range []*accounts.Account{
			alice.Account, f.account(t, "moderatrice", accounts.Moderator), f.account(t, "admin_ville", accounts.Admin),
			f.account(t, "agent_mairie", accounts.Agent),
		} {
			f.refused(t, before, f.svc.Answer(f.ctx, accounts.As(who), p.ID, proposals.Review, "Vu."), proposals.ErrForbidden, "Answer by "+who.Handle)
		}
		f.refused(t, before, f.svc.Answer(f.ctx, accounts.System, p.ID, proposals.Review, "Vu."), proposals.ErrSignIn, "Answer signed out")
		f.refused(t, before, f.svc.Answer(f.ctx, accounts.As(official), p.ID, proposals.Review, ""), proposals.ErrAnswer, "Answer without text")
		f.refused(t, before, f.svc.Answer(f.ctx, accounts.As(official), p.ID, proposals.Review, " \n\t"), proposals.ErrAnswer, "Answer with blank text")
		f.refused(t, before, f.svc.Answer(f.ctx, accounts.As(official), p.ID, proposals.Review, strings.Repeat("é", 5001)), proposals.ErrAnswer, "Answer of 5,001 runes")
		f.refused(t, before, f.svc.Answer(f.ctx, accounts.As(official), "nope", proposals.Review, "Vu."), proposals.ErrNotFound, "Answer to nothing")
		for _, to := range []proposals.State{proposals.Published, proposals.Implemented, proposals.Withdrawn, proposals.Merged, "unknown"} {
			f.refused(t, before, f.svc.Answer(f.ctx, accounts.As(official), p.ID, to, "Vu."), proposals.ErrTransition, "Answer published → "+string(to))
		}

		// A whole life: published, edited, review by supports, study,
		// accepted, implemented; each step in order in the timeline.
		f.clock.Advance(time.Minute)
		wantErr(t, f.svc.Edit(f.ctx, alice, p.ID, proposals.Input{Title: "Deux bancs", Body: "Sous le tilleul."}, ""), nil, "Edit")
		for _, who := range people {
			f.clock.Advance(time.Minute)
			wantErr(t, f.svc.Support(f.ctx, accounts.As(who), p.ID), nil, "Support")
		}
		steps := []struct {
			to     proposals.State
			answer string
		}{
			{proposals.Study, "Le service **étudie** la demande.<script>alert(1)</script>"},
			{proposals.Accepted, "Accepté au budget 2027."},
			{proposals.Implemented, strings.Repeat("é", 5000)},
		}
		for _, s := range steps {
			f.clock.Advance(day)
			wantErr(t, f.svc.Answer(f.ctx, accounts.As(official), p.ID, s.to, "  "+s.answer+"  "), nil, "Answer "+string(s.to))
			got := f.get(t, p.ID)
			if got.State != s.to || !got.UpdatedAt.Equal(f.clock.Now()) {
				t.Errorf("after answering %s: %+v", s.to, got)
			}
		}
		before = f.State(t)
		f.refused(t, before, f.svc.Answer(f.ctx, accounts.As(official), p.ID, proposals.Rejected, "Non."), proposals.ErrTransition, "Answer implemented → rejected")

		events, err := f.svc.Timeline(f.ctx, p.ID)
		wantErr(t, err, nil, "Timeline")
		want := []string{"published:>published", "edited:published>published", "review:published>review",
			"answer:review>study", "answer:study>accepted", "answer:accepted>implemented"}
		if got := f.timeline(t, p.ID); !slices.Equal(got, want) {
			t.Fatalf("timeline %q, want %q", got, want)
		}
		for i := 1; i < len(events); i++ {
			if events[i].At.Before(events[i-1].At) || events[i].ID <= events[i-1].ID {
				t.Errorf("event %d (%v) before event %d (%v)", i, events[i].At, i-1, events[i-1].At)
			}
		}
		for i, e := range events[3:] {
			if e.ActorID != official.ID || e.Service != "Voirie" || e.Answer != steps[i].answer {
				t.Errorf("answer %d: %+v", i, e)
			}
			if strings.Contains(e.AnswerHTML, "<script") || e.AnswerHTML == "" {
				t.Errorf("answer_html %q", e.AnswerHTML)
			}
		}
		if h := events[3].AnswerHTML; !strings.Contains(h, "<strong>étudie</strong>") {
			t.Errorf("answer_html does not render Markdown: %q", h)
		}
		for _, e := range events[:3] {
			if e.Answer != "" || e.AnswerHTML != "" || e.Service != "" {
				t.Errorf("event %s carries an answer: %+v", e.Kind, e)
			}
		}
		if n := f.Count(t, "outbox_events", "object_id = ? AND kind = 'update'", p.ID); n != 6 {
			t.Errorf("%d outbox updates, want 6 (edit, 2 supports, 3 answers)", n)
		}

		// The service is the one of the official's role grant.
		if err := f.acc.SetRole(f.ctx, accounts.System, official.ID, accounts.Official, "Espaces verts", false, "moved"); err != nil {
			t.Fatal(err)
		}
		official, err = f.acc.ByID(f.ctx, official.ID)
		wantErr(t, err, nil, "reload official")
		q := f.propose(t, alice, sp.ID, "Une fontaine")
		wantErr(t, f.svc.Answer(f.ctx, accounts.As(official), q.ID, proposals.Rejected, "Non."), nil, "Answer rejected")
		events, _ = f.svc.Timeline(f.ctx, q.ID)
		if e := events[len(events)-1]; e.Service != "Espaces verts" || e.ToState != proposals.Rejected {
			t.Errorf("answer %+v", e)
		}
	})
}

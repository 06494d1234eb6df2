package notifications_test

import (
	"errors"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/markup"
	"agora/instances/notifications"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// TestPersonFollows: a person with a public profile can be followed; their
// new proposals and debates reach their followers, once for someone who
// follows both them and the space; a private profile cannot be followed,
// and a profile made private is followed no more.
func TestPersonFollows(t *testing.T) {
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		n := newNode(t, dialect)
		ctx := n.ctx
		alice, bob, carol := n.resident(t, "alice"), n.resident(t, "bob"), n.resident(t, "carol")
		aliceT := notifications.Target{Kind: notifications.Person, ID: alice.ID}
		if err := n.svc.Follow(ctx, bob.ID, aliceT); !errors.Is(err, notifications.ErrNotFound) {
			t.Fatalf("following a private profile: %v, want ErrNotFound", err)
		}
		if c := countRows(t, n, "follows"); c != 0 {
			t.Fatalf("a refused follow wrote %d rows", c)
		}
		must(t, n.accounts.UpdateProfile(ctx, accounts.As(alice), alice.ID, accounts.Profile{DisplayName: "Alice", Language: "fr", Public: true}))
		must(t, n.svc.Follow(ctx, bob.ID, aliceT))
		must(t, n.svc.Follow(ctx, carol.ID, aliceT))
		must(t, n.svc.Follow(ctx, carol.ID, notifications.Target{Kind: notifications.Space, ID: n.space.ID}))

		_, err := n.proposals.Create(ctx, accounts.As(alice), n.space.ID, proposals.Input{Title: "Un banc", Body: "Au square."})
		must(t, err)
		n.want(t, "proposal", bob, "proposal_by")
		n.want(t, "proposal", carol, "proposal_by") // once, as a follower of alice
		_, err = n.debates.CreateDebate(ctx, accounts.As(alice), debates.NewDebate{SpaceID: n.space.ID, Question: "Où mettre le banc ?"})
		must(t, err)
		n.want(t, "debate", bob, "debate_by")
		n.want(t, "debate", carol, "debate_by")

		// Private again: her followers hear of her no more (the space's
		// followers still do).
		must(t, n.accounts.UpdateProfile(ctx, accounts.As(alice), alice.ID, accounts.Profile{DisplayName: "Alice", Language: "fr", Public: false}))
		n.clock.Advance(time.Hour)
		_, err = n.proposals.Create(ctx, accounts.As(alice), n.space.ID, proposals.Input{Title: "Un arbre", Body: "Au square."})
		must(t, err)
		n.want(t, "private", bob)
		n.want(t, "private", carol, "new_proposal")
	})
}

// TestPhasesAnnounced: the followers of a space hear once that a phase
// began, whoever runs the announcement and however often; a phase that
// began long ago is not announced late.
func TestPhasesAnnounced(t *testing.T) {
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		n := newNode(t, dialect)
		ctx := n.ctx
		sp := spaces.NewService(n.db, markup.New(), n.clock.Now)
		now := n.clock.Now()
		space, err := sp.Create(ctx, accounts.System, spaces.NewSpace{Slug: "budget", Title: "Budget 2027",
			Phases: []spaces.PhaseInput{
				{Kind: spaces.Proposals, StartsAt: now.Add(-30 * 24 * time.Hour), EndsAt: now.Add(time.Hour)},
				{Kind: spaces.Vote, StartsAt: now.Add(time.Hour), EndsAt: now.Add(10 * 24 * time.Hour)},
			}})
		must(t, err)
		bob, carol := n.resident(t, "bob"), n.resident(t, "carol")
		must(t, n.svc.Follow(ctx, bob.ID, notifications.Target{Kind: notifications.Space, ID: space.ID}))

		// The proposals phase began a month ago, the first space (of
		// newNode) an hour ago but nobody follows it.
		if c, err := sp.AnnouncePhases(ctx); err != nil || c != 1 {
			t.Fatalf("AnnouncePhases = %d, %v; want the first space's phase only", c, err)
		}
		n.want(t, "before the vote", bob)
		n.clock.Advance(time.Hour)
		other := spaces.NewService(n.db, markup.New(), n.clock.Now) // another process
		for i, svc := range []*spaces.Service{sp, other, sp} {
			c, err := svc.AnnouncePhases(ctx)
			must(t, err)
			if want := map[int]int{0: 1}[i]; c != want {
				t.Errorf("AnnouncePhases #%d = %d, want %d", i+1, c, want)
			}
		}
		n.want(t, "vote phase", bob, "phase:vote")
		n.want(t, "vote phase", carol)
	})
}

func countRows(t *testing.T, n *node, table string) int {
	t.Helper()
	c, err := n.db.NewSelect().Table(table).Count(n.ctx)
	must(t, err)
	return int(c)
}

package notifications_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/instancestest"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/notifications"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// node is the domain services of one test, on a fresh database.
type node struct {
	ctx       context.Context
	db        *bun.DB
	svc       *notifications.Service
	accounts  *accounts.Service
	proposals *proposals.Service
	debates   *debates.Service
	mod       *moderation.Service
	space     *spaces.Space
	clock     *storagetest.Clock
}

func newNode(t *testing.T, dialect string) *node {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	c := storagetest.NewClock(time.Now().UTC())
	md := markup.New()
	acc := accounts.NewService(db, c.Now)
	sp := spaces.NewService(db, md, c.Now)
	n := &node{ctx: t.Context(), db: db, svc: notifications.NewService(db, c.Now), accounts: acc,
		proposals: proposals.NewService(db, md, acc, sp, c.Now), debates: debates.NewService(db, md, c.Now),
		mod: moderation.NewService(db, c.Now), clock: c}
	now := c.Now()
	space, err := sp.Create(n.ctx, accounts.System, spaces.NewSpace{Slug: "quartier", Title: "Quartier", Description: "Idées.",
		Phases: []spaces.PhaseInput{{Kind: spaces.Proposals, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(30 * 24 * time.Hour)}}})
	if err != nil {
		t.Fatal(err)
	}
	n.space = space
	return n
}

// resident opens a verified resident's account.
func (n *node) resident(t *testing.T, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	a := instancestest.Account(t, n.accounts, handle, roles...)
	if err := n.accounts.VerifyByOperator(n.ctx, a.ID, accounts.Electoral{}); err != nil {
		t.Fatal(err)
	}
	return a
}

// take returns the kinds of a resident's unread notifications, oldest
// first, each with its detail when it has one, and marks them read.
func (n *node) take(t *testing.T, a *accounts.Account) []string {
	t.Helper()
	list, err := n.svc.List(n.ctx, a.ID, 0, notifications.MaxPage)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, x := range slices.Backward(list) {
		if x.Unread() {
			s := string(x.Kind)
			if x.Detail != "" {
				s += ":" + x.Detail
			}
			out = append(out, s)
		}
	}
	n.unread(t, a, len(out))
	if err := n.svc.MarkAllRead(n.ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	n.unread(t, a, 0)
	return out
}

// unread checks the header's figure of a resident (fewer than a page of
// notifications in these tests).
func (n *node) unread(t *testing.T, a *accounts.Account, want int) {
	t.Helper()
	if got, err := n.svc.Unread(n.ctx, a.ID); err != nil || got != want {
		t.Fatalf("Unread(%s) = %d, %v, want %d", a.Handle, got, err, want)
	}
}

func (n *node) want(t *testing.T, step string, a *accounts.Account, want ...string) {
	t.Helper()
	if got := n.take(t, a); !slices.Equal(got, want) {
		t.Errorf("%s: %s was told %q, want %q", step, a.Handle, got, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestEventsNotify: each event the node tells residents of reaches whom
// it should, once, and not whoever acted; a stopped follow stays stopped.
func TestEventsNotify(t *testing.T) {
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		n := newNode(t, dialect)
		ctx := n.ctx
		alice, bob, carol, dan := n.resident(t, "alice"), n.resident(t, "bob"), n.resident(t, "carol"), n.resident(t, "dan")
		official := n.resident(t, "voirie", accounts.Official)
		moderator := n.resident(t, "moderatrice", accounts.Moderator)
		agent := n.resident(t, "guichet_1", accounts.Agent)
		spaceT := notifications.Target{Kind: notifications.Space, ID: n.space.ID}
		must(t, n.svc.Follow(ctx, bob.ID, spaceT))

		// A new proposal in a followed space; its author follows it.
		p, err := n.proposals.Create(ctx, accounts.As(alice), n.space.ID, proposals.Input{Title: "Un banc", Body: "Au square, pour @carol et @nobody."})
		must(t, err)
		n.want(t, "new proposal", bob, "new_proposal")
		n.want(t, "new proposal", carol, "mention")
		n.want(t, "new proposal", alice)
		pT := notifications.Target{Kind: notifications.Proposal, ID: p.ID}
		if ok, err := n.svc.Following(ctx, alice.ID, pT); err != nil || !ok {
			t.Errorf("the author follows their proposal: %t, %v", ok, err)
		}

		// An official answer reaches the proposal's followers.
		must(t, n.proposals.Answer(ctx, accounts.As(official), p.ID, proposals.Review, "Nous l'étudions."))
		n.want(t, "answer", alice, "answer:review")
		n.want(t, "answer", bob)
		n.want(t, "answer", official)

		// A reply reaches the author of the comment replied to; a mention
		// the resident named; repliers follow the thread.
		target := debates.Target{Kind: debates.TargetProposal, ID: p.ID}
		c1, err := n.debates.Add(ctx, accounts.As(bob), debates.NewComment{Target: target, Body: "Bonne idée."})
		must(t, err)
		c2, err := n.debates.Add(ctx, accounts.As(carol), debates.NewComment{ParentID: c1.ID, Body: "D'accord avec toi, @alice et @bob@ailleurs.example."})
		must(t, err)
		n.want(t, "reply", bob, "reply")
		n.want(t, "mention", alice, "mention")
		n.want(t, "reply", carol)

		// Alice stops following; writing again does not start it again.
		must(t, n.svc.Unfollow(ctx, alice.ID, pT))
		_, err = n.debates.Add(ctx, accounts.As(alice), debates.NewComment{Target: target, Body: "Merci à tous."})
		must(t, err)
		must(t, n.proposals.Answer(ctx, accounts.As(official), p.ID, proposals.Accepted, "Accepté."))
		n.want(t, "state change after unfollow", alice)
		n.want(t, "state change", bob, "answer:accepted")
		n.want(t, "state change", carol, "answer:accepted")

		// A moderation decision reaches the author, with the reason.
		must(t, n.mod.Hide(ctx, accounts.As(moderator), moderation.Target{Kind: moderation.TargetComment, ID: c2.ID}, "Propos hors sujet"))
		n.want(t, "moderation", carol, "moderation.hide:Propos hors sujet")
		n.want(t, "moderation", bob)

		// An agent acting at a desk: always told.
		desk := accounts.Actor{Account: agent, OnBehalfOf: dan, Desk: "Mairie du 15e"}
		q, err := n.proposals.Create(ctx, accounts.As(bob), n.space.ID, proposals.Input{Title: "Des arbres", Body: "Rue Lecourbe."})
		must(t, err)
		must(t, n.proposals.Support(ctx, desk, q.ID))
		n.want(t, "desk", dan, "desk:notify.desk.supported")
		must(t, n.svc.Unfollow(ctx, dan.ID, spaceT))
		must(t, n.accounts.UpdateProfile(ctx, desk, dan.ID, accounts.Profile{DisplayName: "Dan", Language: "fr"}))
		n.want(t, "desk profile", dan, "desk:audit.action.account.profile")

		// A new debate in a followed space; a closed debate reaches its
		// followers.
		d, err := n.debates.CreateDebate(ctx, accounts.As(alice), debates.NewDebate{SpaceID: n.space.ID, Question: "Piétonniser la rue ?"})
		must(t, err)
		n.want(t, "new debate", bob, "new_debate")
		_, err = n.debates.CloseDebate(ctx, accounts.As(moderator), d.ID, "La rue sera piétonne le dimanche.")
		must(t, err)
		n.want(t, "closed debate", alice, "state:closed")
	})
}

// TestRecordAtomicAndOnce: notifications go with their transaction, and
// a person reached several ways is told once.
func TestRecordAtomicAndOnce(t *testing.T) {
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		n := newNode(t, dialect)
		ctx := n.ctx
		alice, bob := n.resident(t, "alice"), n.resident(t, "bob")
		spaceT := notifications.Target{Kind: notifications.Space, ID: n.space.ID}
		must(t, n.svc.Follow(ctx, alice.ID, spaceT))
		e := notifications.Event{Kind: notifications.NewProposal, Subject: spaceT, ActorID: bob.ID,
			To: []string{alice.ID, alice.ID, bob.ID}, Handles: []string{"alice", "bob"}, Followers: []notifications.Target{spaceT}}
		boom := errors.New("boom")
		err := n.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := notifications.Record(ctx, tx, e); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		n.want(t, "rolled back", alice)
		must(t, notifications.Record(ctx, n.db, e))
		n.want(t, "recorded", alice, "new_proposal")
		n.want(t, "recorded", bob) // who acted is not told

		// Bad input changes nothing.
		if _, err := notifications.ParseTarget("account", alice.ID); !errors.Is(err, notifications.ErrTarget) {
			t.Errorf("ParseTarget(account) = %v, want ErrTarget", err)
		}
		if err := n.svc.Follow(ctx, alice.ID, notifications.Target{Kind: notifications.Proposal, ID: "nope"}); !errors.Is(err, notifications.ErrNotFound) {
			t.Errorf("Follow(unknown proposal) = %v, want ErrNotFound", err)
		}
		if err := n.svc.MarkRead(ctx, bob.ID, 1); !errors.Is(err, notifications.ErrNotFound) {
			t.Errorf("MarkRead(someone else's) = %v, want ErrNotFound", err)
		}
	})
}

func TestMentions(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Bonjour @Camille, et @bob_2.", []string{"camille", "bob_2"}},
		{"@alice @alice", []string{"alice"}},
		{"écrire à alice@example.org", nil},
		{"@bob@mastodon.social", nil},
		{"(@dan) et @é", []string{"dan"}},
		{"@" + string(make([]byte, 0)) + "abcdefghijklmnopqrstuvwxyz01234", nil}, // 31 characters
		{"", nil},
	} {
		if got := notifications.Mentions(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Mentions(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// An email claimed by a process that died before the SMTP server took it
// is claimed again after ClaimLease, even in a daily digest; one that was
// sent is not.
func TestClaimedEmailSurvivesACrash(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect)
		ctx := n.ctx
		bob, alice := n.resident(t, "bob"), n.resident(t, "alice")
		token, err := n.svc.SetAddress(ctx, bob.ID, "bob@example.org")
		must(t, err)
		_, err = n.svc.Verify(ctx, token)
		must(t, err)
		must(t, n.svc.SetFrequency(ctx, bob.ID, notifications.Daily))
		must(t, n.svc.Follow(ctx, bob.ID, notifications.Target{Kind: notifications.Space, ID: n.space.ID}))
		n.clock.Advance(time.Second)
		_, err = n.proposals.Create(ctx, accounts.As(alice), n.space.ID, proposals.Input{Title: "Un banc", Body: "Au square."})
		must(t, err)
		n.clock.Advance(25 * time.Hour) // the digest is due a day after the choice

		b, err := n.svc.ClaimDue(ctx)
		if err != nil || b == nil || len(b.Notifications) != 1 {
			t.Fatalf("first claim: %+v, %v", b, err)
		}
		// The process dies here: neither Sent nor Failed.
		if again, err := n.svc.ClaimDue(ctx); err != nil || again != nil {
			t.Fatalf("claimed twice within the lease: %+v, %v", again, err)
		}
		n.clock.Advance(notifications.ClaimLease + time.Second)
		again, err := n.svc.ClaimDue(ctx)
		if err != nil || again == nil || len(again.Notifications) != 1 || again.Notifications[0].ID != b.Notifications[0].ID {
			t.Fatalf("after the lease: %+v, %v", again, err)
		}
		must(t, n.svc.Sent(ctx, again))
		n.clock.Advance(notifications.ClaimLease + time.Second)
		if after, err := n.svc.ClaimDue(ctx); err != nil || after != nil {
			t.Fatalf("a sent email claimed again: %+v, %v", after, err)
		}
	})
}

package notifications_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/notifications"
	"agora/storage/storagetest"
)

func TestParseHandle(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"@camille@Mastodon.Social", "@camille@mastodon.social"},
		{"camille@mastodon.social", "@camille@mastodon.social"},
		{"  @camille@127.0.0.2:8080 ", "@camille@127.0.0.2:8080"},
		{"@camille", ""},
		{"camille@", ""},
		{"@@mastodon.social", ""},
		{"https://mastodon.social/@camille", ""},
		{"@camille@host/path", ""},
		{"@camille@.host", ""},
		{"@ca mille@host", ""},
		{"@camille@exemple.café", ""},
		{"@camille@xn--exemple-caf-xeb.fr", "@camille@xn--exemple-caf-xeb.fr"},
		{"@camille@[::1]:8080", "@camille@[::1]:8080"},
		{"@ca\x00mille@host", ""},
		{"@ca\xffmille@host", ""},
		{"0@\xe7\xe7", ""},
	} {
		got, err := notifications.ParseHandle(c.in)
		if got != c.want || (c.want == "") != errors.Is(err, notifications.ErrHandle) {
			t.Errorf("ParseHandle(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func FuzzParseHandle(f *testing.F) {
	for _, s := range []string{"@camille@mastodon.social", "a@b", "@@", "@a@b@c", "@x@[::1]:80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := notifications.ParseHandle(s)
		if err != nil {
			return
		}
		again, err := notifications.ParseHandle(h)
		if err != nil || again != h {
			t.Fatalf("%q → %q → %q, %v: not stable", s, h, again, err)
		}
	})
}

// TestClaimFediverse: a notification is claimed for a direct message
// once, only for a verified and enabled link, only if written since; a
// claim rolled back (a crash before the delivery is queued) leaves it to
// claim again.
func TestClaimFediverse(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect)
		ana, bob := n.resident(t, "ana"), n.resident(t, "bob")
		tell := func(detail string) {
			t.Helper()
			n.clock.Advance(time.Second)
			if err := notifications.Record(n.ctx, n.db, notifications.Event{Kind: notifications.DeskAct, Detail: detail,
				Subject: notifications.Target{Kind: notifications.Account, ID: ana.ID}, To: []string{ana.ID, bob.ID}, At: n.clock.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		claim := func(commit bool) []string {
			t.Helper()
			var got []string
			err := n.db.RunInTx(n.ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				items, err := notifications.ClaimFediverse(ctx, tx, n.clock.Now(), 100)
				for _, it := range items {
					got = append(got, it.AccountID+" "+it.Detail+" "+it.ActorID+" "+it.Language)
				}
				if err == nil && !commit {
					return errors.New("crash")
				}
				return err
			})
			if err != nil && commit {
				t.Fatal(err)
			}
			return got
		}
		tell("before")
		if _, err := n.svc.StartFediverse(n.ctx, ana.ID, "@ana@mastodon.example", "https://mastodon.example/users/ana"); err != nil {
			t.Fatal(err)
		}
		if _, err := n.svc.StartFediverse(n.ctx, ana.ID, "@ana@other.example", "https://other.example/users/ana"); !errors.Is(err, notifications.ErrLinked) {
			t.Errorf("second link: %v", err)
		}
		tell("pending")
		if got := claim(true); len(got) != 0 {
			t.Fatalf("claimed before verification: %v", got)
		}
		n.clock.Advance(time.Second)
		if err := n.svc.VerifyFediverse(n.ctx, ana.ID, "https://other.example/users/ana"); !errors.Is(err, notifications.ErrNoLink) {
			t.Errorf("verify another actor: %v", err)
		}
		if err := n.svc.VerifyFediverse(n.ctx, ana.ID, "https://mastodon.example/users/ana"); err != nil {
			t.Fatal(err)
		}
		tell("one")
		want := ana.ID + " one https://mastodon.example/users/ana fr"
		if got := claim(false); len(got) != 1 || got[0] != want {
			t.Fatalf("claim rolled back: %v, want [%s]", got, want)
		}
		if got := claim(true); len(got) != 1 || got[0] != want {
			t.Fatalf("claim: %v, want [%s]", got, want)
		}
		if got := claim(true); len(got) != 0 {
			t.Fatalf("claimed twice: %v", got)
		}
		if err := n.svc.SetFediverseEnabled(n.ctx, ana.ID, false); err != nil {
			t.Fatal(err)
		}
		tell("off")
		if got := claim(true); len(got) != 0 {
			t.Fatalf("claimed while off: %v", got)
		}
		n.clock.Advance(time.Second)
		if err := n.svc.SetFediverseEnabled(n.ctx, ana.ID, true); err != nil {
			t.Fatal(err)
		}
		tell("on")
		if got := claim(true); len(got) != 1 || got[0] != ana.ID+" on https://mastodon.example/users/ana fr" {
			t.Fatalf("claim after turning on: %v (the one written while off is not sent)", got)
		}
		if err := n.svc.Unlink(n.ctx, ana.ID); err != nil {
			t.Fatal(err)
		}
		if err := n.svc.SetFediverseEnabled(n.ctx, ana.ID, true); !errors.Is(err, notifications.ErrNoLink) {
			t.Errorf("turn on without a link: %v", err)
		}
		tell("unlinked")
		if got := claim(true); len(got) != 0 {
			t.Fatalf("claimed after unlink: %v", got)
		}
	})
}

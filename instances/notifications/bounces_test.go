package notifications_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"agora/instances/notifications"
	"agora/storage/storagetest"
)

// address gives a resident a verified address with immediate email, and
// sets its bounce key to k.
func (n *node) address(t *testing.T, accountID, addr, k string) {
	t.Helper()
	token, err := n.svc.SetAddress(n.ctx, accountID, addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.svc.Verify(n.ctx, token); err != nil {
		t.Fatal(err)
	}
	if err := n.svc.SetFrequency(n.ctx, accountID, notifications.Immediate); err != nil {
		t.Fatal(err)
	}
	if k != "" {
		if _, err := n.db.NewUpdate().Table("notification_email").Set("bounce_key = ?", k).Where("account_id = ?", accountID).Exec(n.ctx); err != nil {
			t.Fatal(err)
		}
	}
}

func bounceFile(t *testing.T, name string) *notifications.Bounce {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "bounces", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := notifications.ParseBounce(f, "")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRecordBounce: a hard bounce stops email to the address its key
// names (and to no other); soft bounces are counted and SoftBounces of
// them stop it; giving the address again starts it afresh with a new
// key; a bounce that names no known address changes nothing.
func TestRecordBounce(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect)
		camille, other, noemie := n.resident(t, "camille"), n.resident(t, "dominique"), n.resident(t, "noemie")
		n.address(t, camille.ID, "camille@example.org", key)
		n.address(t, other.ID, "dominique@exemple.fr", "")
		n.address(t, noemie.ID, "Noemie@Exemple.fr", "")
		email := func(id string) *notifications.EmailSettings {
			e, err := n.svc.Email(n.ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		if e := email(other.ID); len(e.BounceKey) != 24 || e.BounceKey == key {
			t.Errorf("a new address's key %q", e.BounceKey)
		}

		// Soft: counted, email goes on, until SoftBounces.
		soft := bounceFile(t, "postfix-delayed.eml")
		for i := 1; i < notifications.SoftBounces; i++ {
			if got, err := n.svc.RecordBounce(n.ctx, soft); err != nil || got != 1 {
				t.Fatalf("soft bounce %d: %d, %v", i, got, err)
			}
		}
		e := email(camille.ID)
		if e.SoftBounces != notifications.SoftBounces-1 || e.RefusedAt != nil || e.BounceHard || e.BounceStatus != "4.2.2" || e.BouncedAt == nil {
			t.Errorf("after soft bounces: %+v", e)
		}
		if _, err := n.svc.RecordBounce(n.ctx, soft); err != nil {
			t.Fatal(err)
		}
		if e := email(camille.ID); e.RefusedAt == nil || e.BounceHard {
			t.Errorf("%d soft bounces did not stop email: %+v", notifications.SoftBounces, e)
		}

		// A new address (or the same given again): a new key, no bounce.
		n.address(t, camille.ID, "camille@example.org", "")
		if e := email(camille.ID); e.RefusedAt != nil || e.SoftBounces != 0 || e.BouncedAt != nil || e.BounceKey == key {
			t.Errorf("a new address kept the bounces: %+v", e)
		}
		// The old key now names nothing: refused, nothing changes.
		if _, err := n.svc.RecordBounce(n.ctx, bounceFile(t, "postfix-hard.eml")); !errors.Is(err, notifications.ErrBounceUnknown) {
			t.Errorf("a bounce of an old key: %v", err)
		}
		if e := email(camille.ID); e.BouncedAt != nil {
			t.Errorf("an old key's bounce was recorded: %+v", e)
		}

		// Hard, by the address it names (no key): that address only,
		// whatever its capitals.
		hard := bounceFile(t, "exim-plain.eml")
		if got, err := n.svc.RecordBounce(n.ctx, hard); err != nil || got != 1 {
			t.Fatalf("hard bounce: %d, %v", got, err)
		}
		if e := email(noemie.ID); e.RefusedAt == nil || !e.BounceHard || e.BounceDetail != "550 Unrouteable address" {
			t.Errorf("after a hard bounce: %+v", e)
		}
		if e := email(other.ID); e.BouncedAt != nil || e.RefusedAt != nil {
			t.Errorf("another address was touched: %+v", e)
		}
		if _, err := n.svc.RecordBounce(n.ctx, &notifications.Bounce{Hard: true}); !errors.Is(err, notifications.ErrBounceUnknown) {
			t.Errorf("a bounce naming nobody: %v", err)
		}
		// No email is claimed for a bounced address.
		if b, err := n.svc.ClaimDue(n.ctx); err != nil || b != nil && b.Settings.AccountID == noemie.ID {
			t.Errorf("claimed for a hard-bounced address: %+v %v", b, err)
		}
	})
}

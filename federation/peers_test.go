package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
)

// TestPeerBecomesUnreachableAndComesBack: failures for a day mark a peer
// unreachable; then deliveries are skipped but for an hourly probe; one
// answer makes it reachable again.
func TestPeerBecomesUnreachableAndComesBack(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := buildNode(t, dialect, nil)
		s, ctx := n.fed, n.ctx
		now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
		s.now = func() time.Time { return now }
		const host = "down.example"
		state := func() *Peer {
			p, err := s.peer(ctx, host)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		for _, step := range []struct {
			after       time.Duration
			unreachable bool
		}{
			{0, false}, {6 * time.Hour, false}, {12 * time.Hour, false}, {6*time.Hour + time.Minute, true},
		} {
			now = now.Add(step.after)
			if err := s.peerFailed(ctx, host, errors.New("connection refused")); err != nil {
				t.Fatal(err)
			}
			if p := state(); (p.UnreachableSince != nil) != step.unreachable {
				t.Fatalf("after %d failures over %s: unreachable %v, want %v", p.Failures, now.Sub(*p.FirstFailureAt), p.UnreachableSince, step.unreachable)
			}
		}
		p := state()
		if p.Failures != 4 || p.LastError != "connection refused" {
			t.Errorf("peer = %+v", p)
		}
		if !p.skip(now.Add(30 * time.Minute)) {
			t.Error("an unreachable peer is tried again within the hour")
		}
		if p.skip(now.Add(61 * time.Minute)) {
			t.Error("an unreachable peer gets no hourly probe")
		}
		if err := s.peerAnswered(ctx, host); err != nil {
			t.Fatal(err)
		}
		if p := state(); p.UnreachableSince != nil || p.Failures != 0 || p.skip(now) {
			t.Errorf("after an answer: %+v", p)
		}
	})
}

// TestHostLimiter: no more than n deliveries at once to one host; other
// hosts are not held up.
func TestHostLimiter(t *testing.T) {
	h := newHostLimiter(2)
	ctx := context.Background()
	r1, _ := h.acquire(ctx, "a.example")
	r2, _ := h.acquire(ctx, "a.example")
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := h.acquire(short, "a.example"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("third slot on one host: %v, want to wait", err)
	}
	quick, cancelQuick := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancelQuick()
	other, err := h.acquire(quick, "b.example")
	if err != nil {
		t.Fatalf("another host waited: %v", err)
	}
	other()
	r1()
	r3, err := h.acquire(ctx, "a.example")
	if err != nil {
		t.Fatal(err)
	}
	r2()
	r3()
}

// TestInboxDeletedActor: a server announcing that an account is gone
// signs with a key it no longer serves; the node answers 202 and keeps
// nothing, rather than 401 (which only makes the server retry). Any
// other activity whose key cannot be had is still refused.
func TestInboxDeletedActor(t *testing.T) {
	n := buildNode(t, "sqlite", nil)
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "gone", http.StatusGone)
	}))
	t.Cleanup(gone.Close)
	actor := gone.URL + "/users/ada"
	key := newKey()
	before := n.counts(t)
	for _, tc := range []struct {
		activity map[string]any
		want     int
	}{
		{map[string]any{"id": actor + "#delete", "type": "Delete", "actor": actor, "object": actor}, http.StatusAccepted},
		{map[string]any{"id": actor + "/likes/1", "type": "Like", "actor": actor, "object": n.proposalIRI()}, http.StatusUnauthorized},
	} {
		body, _ := json.Marshal(tc.activity)
		if status, reason := n.post(t, send{keyID: actor + "#main-key", key: key, body: body}); status != tc.want {
			t.Errorf("%s: %d %q, want %d", tc.activity["type"], status, reason, tc.want)
		}
	}
	n.sameCounts(t, before)
}

// TestUpdateOfAnActorRefreshesIt: a profile Update makes the node read the
// actor again (its name, inboxes, key), from its own server, not from the
// activity.
func TestUpdateOfAnActorRefreshesIt(t *testing.T) {
	n := newNode(t, "sqlite", nil)
	r := newRemote(t, "127.0.0.2")
	ada := r.actor("ada")
	n.accepted(t, r, activity("Follow", r.base+"/follows/1", ada, n.groupIRI()))
	if _, err := n.db.NewUpdate().Model((*RemoteActor)(nil)).Set("name = 'Old name'").Where("id = ?", ada).Exec(n.ctx); err != nil {
		t.Fatal(err)
	}
	profile := map[string]any{"id": ada, "type": "Person", "name": "Forged name", "inbox": ada + "/inbox"}
	if got := n.accepted(t, r, activity("Update", ada+"#updates/1", ada, profile)); got != "actor refreshed" {
		t.Fatalf("outcome %q", got)
	}
	var a RemoteActor
	if err := n.db.NewSelect().Model(&a).Where("id = ?", ada).Scan(n.ctx); err != nil {
		t.Fatal(err)
	}
	if a.Name != "Remote ada" {
		t.Errorf("name after Update = %q, want the one its server serves", a.Name)
	}
}

// TestAdoptionFromAnotherNode: a signed Add{agora:Adoption} of one of our
// apps is recorded once, as that node's; an Add of anything else changes
// nothing.
func TestAdoptionFromAnotherNode(t *testing.T) {
	n := newNode(t, "sqlite", nil)
	r := newRemote(t, "127.0.0.2")
	yml, err := os.ReadFile("../instances/apps/testdata/minimal.yml")
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := n.apps.Publish(n.ctx, accounts.System, bytes.NewReader(yml))
	if err != nil {
		t.Fatal(err)
	}
	node := r.actor("actor")
	adoption := func(id, target string) map[string]any {
		add := activity("Add", r.base+"/activities/"+id, node, map[string]any{"type": "agora:Adoption", "id": r.base + "/adoptions/" + id,
			"name": "Mairie de Lille", "agora:version": "1.0", "agora:since": "2026-10-01"})
		add["target"] = target
		return add
	}
	if got := n.accepted(t, r, adoption("1", n.base+"/apps/"+a.Slug)); got != "adoption by Mairie de Lille" {
		t.Fatalf("outcome %q", got)
	}
	n.accepted(t, r, adoption("2", n.base+"/apps/"+a.Slug)) // again: updates, not a second city
	if got := n.accepted(t, r, adoption("3", n.proposalIRI())); !strings.HasPrefix(got, "ignored") {
		t.Errorf("Add of a proposal: %q", got)
	}
	users, err := n.apps.Adoptions(n.ctx, a.Slug)
	if err != nil || len(users) != 1 || users[0].Actor != node || users[0].Name != "Mairie de Lille" {
		t.Fatalf("adoptions = %+v, %v", users, err)
	}
}

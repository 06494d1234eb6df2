package federation

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A reply from the fediverse to a local proposal becomes a remote
// comment in its thread, with its author and sanitised content.
func TestInboxCreateNoteReply(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		ada := r.actor("ada")
		note := r.base + "/users/ada/statuses/1"
		create := createNote(ada, note, n.proposalIRI(),
			`<p>Des bancs, <strong>oui</strong>.</p><script>alert("pwned")</script><a href="javascript:alert(1)">lien</a>`)

		if got := n.accepted(t, r, create); !strings.HasPrefix(got, "comment ") {
			t.Fatalf("outcome %q, want a comment", got)
		}
		c := n.remoteComment(t, note)
		if c == nil {
			t.Fatalf("no comment for %s in the thread", note)
		}
		if c.RemoteActor != ada || c.RemoteName != "Remote ada" || c.RemoteURL != note || c.AuthorID != "" {
			t.Errorf("comment by %q (%q), url %q, author %q", c.RemoteActor, c.RemoteName, c.RemoteURL, c.AuthorID)
		}
		if strings.Contains(c.BodyHTML, "<script") || strings.Contains(c.BodyHTML, "pwned") || strings.Contains(c.BodyHTML, "javascript:") {
			t.Errorf("content not sanitised: %q", c.BodyHTML)
		}
		if !strings.Contains(c.BodyHTML, "<strong>oui</strong>") {
			t.Errorf("content lost its markup: %q", c.BodyHTML)
		}
		p, err := n.proposals.ByID(n.ctx, n.proposal.ID)
		if err != nil {
			t.Fatal(err)
		}
		if p.CommentCount != 3 {
			t.Errorf("proposal has %d comments, want 3 (2 local, 1 remote)", p.CommentCount)
		}
	})
}

// Every request the inbox refuses is refused with its status and a short
// reason, before anything is stored or queued.
func TestInboxRefuses(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		other := newRemote(t, "127.0.0.3")
		ada, bob := r.actor("ada"), r.actor("bob")
		valid := func(id, actor string) []byte {
			b, _ := json.Marshal(createNote(actor, id, n.proposalIRI(), "<p>Bonjour</p>"))
			return b
		}
		body := valid(r.base+"/users/ada/statuses/2", ada)
		// Ada's key is known to the node before the refusals: a key
		// fetched during one row cannot hide another's cause.
		if status, reason := n.deliver(t, r, activity("Like", r.base+"/likes/1", ada, n.proposalIRI())); status != http.StatusAccepted {
			t.Fatalf("Like: %d %s", status, reason)
		}
		n.outcome(t, r.base+"/likes/1")

		for _, tc := range []struct {
			name   string
			send   send
			status int
			reason string
		}{
			{"signed with another key than the actor's",
				send{keyID: ada + "#main-key", key: otherKey(), body: body},
				http.StatusUnauthorized, "signature does not verify"},
			{"body changed after signing",
				send{keyID: ada + "#main-key", key: r.key, body: body, sent: bytes.Replace(body, []byte("Bonjour"), []byte("Bonsoir"), 1)},
				http.StatusUnauthorized, "bad body digest"},
			{"Date 13 hours old",
				send{keyID: ada + "#main-key", key: r.key, body: body, date: time.Now().Add(-13 * time.Hour)},
				http.StatusUnauthorized, "signature out of date"},
			{"unsigned",
				send{body: body},
				http.StatusUnauthorized, "not signed"},
			{"actor on another host than the key",
				send{keyID: ada + "#main-key", key: r.key, body: valid(other.base+"/users/ada/statuses/3", other.actor("ada"))},
				http.StatusBadRequest, "the activity's actor is not the signing key's owner"},
			{"actor is not the key's owner",
				send{keyID: ada + "#main-key", key: r.key, body: valid(r.base+"/users/bob/statuses/4", bob)},
				http.StatusBadRequest, "the activity's actor is not the signing key's owner"},
			{"activity id on another host than its actor",
				send{keyID: ada + "#main-key", key: r.key, body: mustJSON(activity("Like", other.base+"/likes/5", ada, n.proposalIRI()))},
				http.StatusBadRequest, "the activity's id is not on its actor's host"},
			{"malformed JSON",
				send{keyID: ada + "#main-key", key: r.key, body: []byte(`{"id": "` + r.base + `/x", "type": "Like",`)},
				http.StatusBadRequest, "not JSON"},
			{"no type",
				send{keyID: ada + "#main-key", key: r.key, body: mustJSON(map[string]any{"id": r.base + "/likes/6", "actor": ada, "object": n.proposalIRI()})},
				http.StatusBadRequest, "no type"},
			{"body over 1 MiB",
				send{keyID: ada + "#main-key", key: r.key, body: valid(r.base+"/users/ada/statuses/7", ada+strings.Repeat("x", maxActivity))},
				http.StatusRequestEntityTooLarge, "over 1 MiB"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := n.counts(t)
				status, reason := n.post(t, tc.send)
				if status != tc.status || !strings.Contains(reason, tc.reason) {
					t.Errorf("got %d %q, want %d with %q", status, reason, tc.status, tc.reason)
				}
				n.sameCounts(t, before)
			})
		}
		if got := other.getCount(); got != 0 {
			t.Errorf("the other host was asked %d times for an actor", got)
		}
	})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// The same activity delivered twice (a retry, or to two inboxes) is
// accepted both times and applied once.
func TestInboxReplay(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		ada := r.actor("ada")
		note := r.base + "/users/ada/statuses/1"
		create := createNote(ada, note, n.proposalIRI(), "<p>Une fois</p>")
		n.accepted(t, r, create)
		if status, reason := n.deliver(t, r, create); status != http.StatusAccepted {
			t.Fatalf("replay: %d %s, want 202", status, reason)
		}
		// Also to a Group's inbox, as a server that does not use the
		// shared inbox would.
		if status, reason := n.post(t, send{path: "/spaces/budget-2027/inbox", keyID: ada + "#main-key", key: r.key,
			body: mustJSON(create)}); status != http.StatusAccepted {
			t.Fatalf("replay to the Group's inbox: %d %s, want 202", status, reason)
		}
		n.idle(t)
		got := 0
		for _, c := range n.thread(t) {
			if c.APID != nil && *c.APID == note {
				got++
			}
		}
		if got != 1 {
			t.Errorf("%d comments for %s, want 1", got, note)
		}
		if c := n.counts(t); c["ap_received"] != 1 || c["ap_inbox jobs"] != 1 {
			t.Errorf("received %d, inbox jobs %d; want 1 each", c["ap_received"], c["ap_inbox jobs"])
		}
	})
}

// A suspended host is refused before its key is fetched; a silenced one
// may follow but its content is not taken.
func TestInboxBlockedHosts(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		suspended := newRemote(t, "127.0.0.2")
		silenced := newRemote(t, "127.0.0.3")
		if err := n.fed.SetBlock(n.ctx, "127.0.0.2", Suspend, "spam", ""); err != nil {
			t.Fatal(err)
		}
		if err := n.fed.SetBlock(n.ctx, "127.0.0.3", Silence, "harassment", ""); err != nil {
			t.Fatal(err)
		}

		t.Run("suspended", func(t *testing.T) {
			before := n.counts(t)
			ada := suspended.actor("ada")
			status, reason := n.deliver(t, suspended, createNote(ada, suspended.base+"/notes/1", n.proposalIRI(), "<p>Spam</p>"))
			if status != http.StatusForbidden || !strings.Contains(reason, "domain blocked") {
				t.Errorf("got %d %q, want 403 domain blocked", status, reason)
			}
			n.sameCounts(t, before)
			if got := suspended.getCount(); got != 0 {
				t.Errorf("the suspended host was asked %d times for an actor", got)
			}
		})

		t.Run("silenced", func(t *testing.T) {
			eve := silenced.actor("eve")
			follow := activity("Follow", silenced.base+"/follows/1", eve, n.groupIRI())
			if got := n.accepted(t, silenced, follow); !strings.HasPrefix(got, "followed ") {
				t.Errorf("follow: outcome %q", got)
			}
			if !n.follows(t, n.groupIRI(), eve) {
				t.Errorf("the silenced host's follow was not recorded")
			}
			note := silenced.base + "/notes/1"
			if got := n.accepted(t, silenced, createNote(eve, note, n.proposalIRI(), "<p>Insultes</p>")); got != "ignored: host silenced" {
				t.Errorf("note: outcome %q, want ignored: host silenced", got)
			}
			if c := n.remoteComment(t, note); c != nil {
				t.Errorf("the silenced host's note became comment %s", c.ID)
			}
			like := activity("Like", silenced.base+"/likes/1", eve, n.proposalIRI())
			if got := n.accepted(t, silenced, like); got != "ignored: host silenced" {
				t.Errorf("like: outcome %q, want ignored: host silenced", got)
			}
		})
	})
}

// follows reports whether the remote follower follows the local actor.
func (n *node) follows(t *testing.T, actor, remote string) bool {
	t.Helper()
	ok, err := n.db.NewSelect().Model((*follower)(nil)).Where("actor = ? AND follower = ?", actor, remote).Exists(n.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

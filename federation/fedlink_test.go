package federation

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"agora/federation/as2"
	"agora/instances/accounts"
	"agora/instances/notifications"
)

// testMessage stands for the pages' words (frontend/notify.Messages):
// the language is in the text, to see the resident's is used.
func testMessage(lang string, n *notifications.Notification) (string, string) {
	return "[" + lang + "] " + string(n.Kind) + " : " + n.Title, "https://agora.example/proposals/" + n.SubjectID
}

// serveWebFinger makes the remote answer WebFinger for name.
func (r *remote) serveWebFinger(name string) string {
	handle := "@" + name + "@" + r.host
	r.put("/.well-known/webfinger?resource="+url.QueryEscape("acct:"+name+"@"+r.host), map[string]any{
		"subject": "acct:" + name + "@" + r.host,
		"links":   []map[string]string{{"rel": "self", "type": "application/activity+json", "href": r.actor(name)}},
	})
	return handle
}

// serveActor serves name's actor with a summary and an outbox.
func (r *remote) serveActor(name, summary string) {
	id := r.actor(name)
	r.put("/users/"+name, map[string]any{
		"@context": []string{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       id, "type": "Person", "preferredUsername": name, "summary": summary,
		"inbox": id + "/inbox", "outbox": id + "/outbox",
		"publicKey": map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": publicPEM(&r.key.PublicKey)},
	})
}

// serveOutbox serves name's outbox: its first page holds one post.
func (r *remote) serveOutbox(name, content string, public bool) {
	id := r.actor(name)
	to := []string{id + "/followers"}
	if public {
		to = []string{as2.Public}
	}
	r.put("/users/"+name+"/outbox", map[string]any{"id": id + "/outbox", "type": "OrderedCollection",
		"totalItems": 1, "first": id + "/outbox?page=true"})
	r.put("/users/"+name+"/outbox?page=true", map[string]any{"id": id + "/outbox?page=true", "type": "OrderedCollectionPage",
		"orderedItems": []any{map[string]any{"id": id + "/statuses/1/activity", "type": "Create", "actor": id, "to": to,
			"object": map[string]any{"id": id + "/statuses/1", "type": "Note", "attributedTo": id, "to": to,
				"content": "<p>" + content + "</p>"}}}})
}

// linkState is a resident's link as a string, to compare before and
// after: "" when none.
func (n *node) linkState(t *testing.T, accountID string) string {
	t.Helper()
	l, err := n.notes.Fediverse(n.ctx, accountID)
	if err != nil {
		t.Fatal(err)
	}
	if l == nil {
		return ""
	}
	return l.ActorID + " " + l.Handle + " " + l.Code + " " + l.Since.String() + " " + ptr(l.VerifiedAt)
}

func ptr(t *time.Time) string {
	if t == nil {
		return "nil"
	}
	return t.String()
}

func TestFediverseLink(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		// Marc reads English: the message is in his language.
		if err := n.accounts.UpdateProfile(n.ctx, accounts.System, n.marc.ID,
			accounts.Profile{DisplayName: n.marc.DisplayName, Language: "en"}); err != nil {
			t.Fatal(err)
		}
		r := newRemote(t, "127.0.0.2")
		handle := r.serveWebFinger("camille")

		// Bad input changes nothing.
		for _, c := range []struct {
			name, handle string
			want         error
		}{
			{"no host", "@camille", notifications.ErrHandle},
			{"a URL", "https://mastodon.example/@camille", notifications.ErrHandle},
			{"unknown account", "@nobody@" + r.host, notifications.ErrUnreachable},
			{"unreachable host", "@camille@127.0.0.9:1", notifications.ErrUnreachable},
		} {
			if _, err := n.fed.LinkFediverse(n.ctx, n.marc.ID, c.handle); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
			if got := n.linkState(t, n.marc.ID); got != "" {
				t.Errorf("%s: link %q stored", c.name, got)
			}
		}
		if err := n.fed.CheckFediverse(n.ctx, n.marc.ID); !errors.Is(err, notifications.ErrNoLink) {
			t.Errorf("check without a link: %v", err)
		}

		l, err := n.fed.LinkFediverse(n.ctx, n.marc.ID, handle)
		if err != nil {
			t.Fatal(err)
		}
		if l.ActorID != r.actor("camille") || l.Handle != handle || l.Verified() || !strings.HasPrefix(l.Code, "agora-") {
			t.Fatalf("link %+v", l)
		}
		if _, err := n.fed.LinkFediverse(n.ctx, n.marc.ID, handle); !errors.Is(err, notifications.ErrLinked) {
			t.Errorf("second link: %v", err)
		}

		// The code is nowhere yet, then only in a private post: not found.
		before := n.linkState(t, n.marc.ID)
		r.serveActor("camille", "<p>Habitante du 15e</p>")
		r.serveOutbox("camille", "Mon code : "+l.Code, false)
		if err := n.fed.CheckFediverse(n.ctx, n.marc.ID); !errors.Is(err, notifications.ErrCodeAbsent) {
			t.Fatalf("check without the code: %v", err)
		}
		if got := n.linkState(t, n.marc.ID); got != before {
			t.Errorf("link changed by a failed check: %q, was %q", got, before)
		}

		// A notification before the link is verified is not sent.
		notify(t, n, "pending")

		// In a public post on the first page of the outbox: found.
		r.serveOutbox("camille", "Mon code : "+l.Code, true)
		if err := n.fed.CheckFediverse(n.ctx, n.marc.ID); err != nil {
			t.Fatalf("check with the code in a post: %v", err)
		}
		if l, _ := n.notes.Fediverse(n.ctx, n.marc.ID); !l.Verified() {
			t.Fatal("not verified")
		}

		// Unlink: gone, and a link by profile works as well.
		if err := n.notes.Unlink(n.ctx, n.marc.ID); err != nil {
			t.Fatal(err)
		}
		if got := n.linkState(t, n.marc.ID); got != "" {
			t.Fatalf("after unlink: %q", got)
		}
		l, err = n.fed.LinkFediverse(n.ctx, n.marc.ID, handle)
		if err != nil {
			t.Fatal(err)
		}
		r.serveActor("camille", "<p>Code Agora : "+l.Code+"</p>")
		r.serveOutbox("camille", "rien", true)
		if err := n.fed.CheckFediverse(n.ctx, n.marc.ID); err != nil {
			t.Fatalf("check with the code in the bio: %v", err)
		}

		// A notification now reaches the inbox of that actor alone, once,
		// as a signed direct message from the instance actor.
		notify(t, n, "verified")
		d := r.waitFor(t, "Create/Note")
		if d.req.URL.Path != "/users/camille/inbox" {
			t.Errorf("delivered to %s, want the actor's own inbox", d.req.URL.Path)
		}
		if signer := n.verify(t, d); signer != n.base+"/actor" {
			t.Errorf("signed by %s, want the instance actor", signer)
		}
		note := d.doc["object"].(map[string]any)
		for _, doc := range []map[string]any{d.doc, note} {
			if to, _ := only(doc["to"]).(string); to != r.actor("camille") {
				t.Errorf("%s to %v, want only %s", doc["type"], doc["to"], r.actor("camille"))
			}
			if doc["cc"] != nil || doc["bto"] != nil || doc["bcc"] != nil {
				t.Errorf("%s has other recipients: cc %v", doc["type"], doc["cc"])
			}
		}
		tag, _ := only(note["tag"]).(map[string]any)
		if tag["type"] != "Mention" || tag["href"] != r.actor("camille") || tag["name"] != handle {
			t.Errorf("tag %v, want a Mention of %s", note["tag"], handle)
		}
		content, _ := note["content"].(string)
		if !strings.Contains(content, "[en] moderation.hide : Des bancs") || !strings.Contains(content, handle) ||
			!strings.Contains(content, "https://agora.example/proposals/"+n.proposal.ID) || strings.Contains(content, "pending") {
			t.Errorf("content %q", content)
		}
		if note["attributedTo"] != n.base+"/actor" || d.doc["actor"] != n.base+"/actor" {
			t.Errorf("from %v / %v", d.doc["actor"], note["attributedTo"])
		}

		// Turned off, then unlinked: nothing more is sent.
		if err := n.notes.SetFediverseEnabled(n.ctx, n.marc.ID, false); err != nil {
			t.Fatal(err)
		}
		notify(t, n, "off")
		if err := n.notes.Unlink(n.ctx, n.marc.ID); err != nil {
			t.Fatal(err)
		}
		notify(t, n, "unlinked")
		time.Sleep(1500 * time.Millisecond) // a dispatch round at least
		n.idle(t)
		if got := countType(r, "Create/Note"); got != 1 {
			t.Errorf("%d direct messages, want 1", got)
		}
	})
}

// notify records a moderation notification for marc about the proposal;
// detail tells them apart.
func notify(t *testing.T, n *node, detail string) {
	t.Helper()
	err := notifications.Record(n.ctx, n.db, notifications.Event{Kind: "moderation.hide", Detail: detail,
		Subject: notifications.Target{Kind: notifications.Proposal, ID: n.proposal.ID}, To: []string{n.marc.ID}})
	if err != nil {
		t.Fatal(err)
	}
}

// only is the one element of a list of one, else nil (a value alone is
// itself).
func only(v any) any {
	if l, ok := v.([]any); ok {
		if len(l) == 1 {
			return l[0]
		}
		return nil
	}
	return v
}

func countType(r *remote, typ string) int {
	c := 0
	for _, d := range r.received() {
		if d.typ() == typ {
			c++
		}
	}
	return c
}

// FuzzPublicPostHolds: any outbox item is read without panic, and a
// code is found only in a public post by the actor.
func FuzzPublicPostHolds(f *testing.F) {
	actor := "https://m.example/users/a"
	f.Add(`{"type":"Create","actor":"https://m.example/users/a","object":{"attributedTo":"https://m.example/users/a","to":["https://www.w3.org/ns/activitystreams#Public"],"content":"agora-00"}}`)
	f.Add(`{"attributedTo":"https://m.example/users/a","cc":"as:Public","content":"agora-00"}`)
	f.Add(`{"object":"https://m.example/1"}`)
	f.Add(`[1,2]`)
	f.Fuzz(func(t *testing.T, raw string) {
		if publicPostHolds([]byte(raw), actor, "agora-00") && !strings.Contains(raw, "agora-00") {
			t.Fatalf("found a code that is not there: %s", raw)
		}
	})
}

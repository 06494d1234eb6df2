package federation

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agora/instances/accounts"
	"agora/instances/moderation"
)

// fixtureHosts are the servers the inbox fixtures come from; each is
// rewritten to the test's remote.
var fixtureHosts = []string{"https://mastodon.example", "https://lemmy.example", "https://misskey.example",
	"https://mbin.example", "https://peertube.example", "https://pleroma.example"}

// fixture reads an inbox fixture of package as2 (what real servers send)
// and points it at this test: the node for paris15.example and its
// proposal and comments, the remote for every other server.
func (n *node) fixture(t *testing.T, r *remote, name string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("as2", "testdata", "inbox", name))
	if err != nil {
		t.Fatal(err)
	}
	pairs := []string{"https://paris15.example", n.base,
		"22h2bnyvinhsbtce4vhmrpih6i", n.proposal.ID, "q3m0c8t1", n.comment.ID, "x9t2p4k7", n.comment2.ID}
	for _, h := range fixtureHosts {
		pairs = append(pairs, h, r.base)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(strings.NewReplacer(pairs...).Replace(string(raw))), &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

// Each fixture, delivered signed by its actor, is accepted and handled:
// it has its effect, or is recorded as ignored. They run in order on one
// node, as a conversation: the Update and Delete follow the Create.
func TestInboxFixtures(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := newNode(t, dialect, nil)
		r := newRemote(t, "127.0.0.2")
		lemmyGroup := r.base + "/c/urbanisme"
		n.followRemote(t, r, lemmyGroup)
		ada := r.base + "/users/ada"
		adaNote := r.base + "/users/ada/statuses/113306831140126616"

		// reply checks that the note became a comment on the proposal
		// (parent "") or a reply to a local comment.
		reply := func(note, parent, text string) func(t *testing.T) {
			return func(t *testing.T) {
				c := n.remoteComment(t, note)
				if c == nil {
					t.Fatalf("no comment for %s", note)
				}
				if c.ParentID != parent || !strings.Contains(c.BodyHTML, text) {
					t.Errorf("comment under %q with %q; want under %q with %q", c.ParentID, c.BodyHTML, parent, text)
				}
			}
		}
		rows := []struct {
			file    string
			outcome string // prefix of the recorded outcome
			effect  func(t *testing.T)
		}{
			{"mastodon_follow.json", "followed " + n.groupIRI(), func(t *testing.T) {
				if !n.follows(t, n.groupIRI(), ada) {
					t.Error("no follower row")
				}
			}},
			{"mastodon_like.json", "like of proposal " + n.proposal.ID, func(t *testing.T) {
				if likes, _, _ := n.fed.Reactions(n.ctx, "proposal", n.proposal.ID); likes != 1 {
					t.Errorf("%d likes", likes)
				}
			}},
			{"mastodon_create_note_reply.json", "comment ", reply(adaNote, "", "Des bancs à l’ombre, oui, et une fontaine")},
			{"mastodon_update_note.json", "comment edited", reply(adaNote, "", "deux fontaines")},
			{"mastodon_delete_note.json", "comment deleted", func(t *testing.T) {
				if c := n.remoteComment(t, adaNote); c != nil {
					t.Errorf("comment %s still there", c.ID)
				}
			}},
			{"mastodon_undo_follow.json", "unfollowed " + n.groupIRI(), func(t *testing.T) {
				if n.follows(t, n.groupIRI(), ada) {
					t.Error("still following")
				}
			}},
			{"mastodon_flag.json", "reports: 2", func(t *testing.T) {
				reports, err := n.moderation.Reports(n.ctx, accounts.System, moderation.ReportFilter{})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]bool{}
				for _, rep := range reports {
					if rep.RemoteActor == r.base+"/actor" && rep.TargetKind == moderation.TargetComment {
						got[rep.TargetID] = true
					}
				}
				if len(reports) != 2 || !got[n.comment.ID] || !got[n.comment2.ID] {
					t.Errorf("reports: %+v", reports)
				}
			}},
			{"mastodon_delete_actor.json", "actor deleted", nil},
			{"lemmy_create_note.json", "comment ", reply(r.base+"/comment/38741", n.comment.ID, "<strong>surtout</strong>")},
			{"lemmy_announce_create_page.json", "create remote Page", func(t *testing.T) {
				objs, err := n.fed.RemoteObjects(n.ctx, lemmyGroup, "", 10)
				if err != nil || len(objs) != 1 {
					t.Fatalf("remote objects of %s: %v, %v", lemmyGroup, objs, err)
				}
				if o := objs[0]; o.ID != r.base+"/post/7" || o.Name != "Des bancs dans tous les squares" || o.AuthorName != "Remote camille" {
					t.Errorf("remote page: %+v", o)
				}
			}},
			// A Like relayed by a followed community carries no object
			// to keep.
			{"lemmy_announce_like.json", "ignored", nil},
			// Mbin's community is not followed: its Announce is neither
			// a share of ours nor content we keep.
			{"mbin_announce_create_note.json", "ignored", nil},
			{"misskey_create_note_quote.json", "ignored: not a reply to this node", nil},
			{"misskey_create_note_source.json", "comment ", reply(r.base+"/notes/9kq4b7c2de", n.comment.ID, "mais pas de béton")},
			{"misskey_create_note_no_content.json", "comment ", reply(r.base+"/notes/9kq5c8d3ef", "", "Trois** bancs suffiraient")},
			{"misskey_create_note_mfm_only.json", "comment ", reply(r.base+"/notes/9kq6d9e4fg", "", "au parking")},
			{"peertube_create_note.json", "ignored: not a reply to this node", nil},
			{"pleroma_create_note.json", "comment ", reply(r.base+"/objects/1a522f2e-d5ab-454b-93d7-e58bc0650c2a", n.comment.ID, "potager")},
			{"pleroma_emoji_react.json", "like of comment " + n.comment.ID, func(t *testing.T) {
				if likes, _, _ := n.fed.Reactions(n.ctx, "comment", n.comment.ID); likes != 1 {
					t.Errorf("%d likes of the comment", likes)
				}
			}},
		}
		covered := map[string]bool{}
		for _, tc := range rows {
			covered[tc.file] = true
			t.Run(strings.TrimSuffix(tc.file, ".json"), func(t *testing.T) {
				got := n.accepted(t, r, n.fixture(t, r, tc.file))
				if !strings.HasPrefix(got, tc.outcome) {
					t.Fatalf("outcome %q, want %q…", got, tc.outcome)
				}
				if tc.effect != nil {
					tc.effect(t)
				}
			})
		}

		files, err := filepath.Glob(filepath.Join("as2", "testdata", "inbox", "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no inbox fixtures: %v", err)
		}
		for _, f := range files {
			if !covered[filepath.Base(f)] {
				t.Errorf("inbox fixture %s has no row here", filepath.Base(f))
			}
		}
	})
}

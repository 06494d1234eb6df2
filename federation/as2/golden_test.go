package as2

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from what the renderers produce")

// goldenDocs are one document of each kind the package renders, from the
// test fixtures: what a peer receives, to read and review in
// testdata/golden.
func goldenDocs() map[string]*Doc {
	r := testRenderer()
	ids := r.IDs
	sp := testSpace()
	page := r.ProposalPage(ProposalInput{Proposal: testProposal(), Space: sp, Author: ids.Person("jeanne"),
		Attachments: testAttachments(), Answer: LatestAnswer(testTimeline())})
	note := r.CommentNote(testComment(), sp, ids.Person("jeanne"), "")
	follow := Follow("https://mastodon.example/1ea87517-63c5-4118-8831-460ee641b2cf", "https://mastodon.example/users/ada", ids.Space(sp.Slug))
	create := Create(ids.Activity("ev-1"), ids.Person("jeanne"), note, []string{Public, ids.Space(sp.Slug)}, []string{Followers(ids.Space(sp.Slug))})
	followers := Followers(ids.Space(sp.Slug))
	return map[string]*Doc{
		"application":   r.Application("Agora Paris 15e", testPEM),
		"group":         r.Group(sp, testSpaceHTML, testPEM),
		"person":        r.Person(testJeanne(), testPEM),
		"page_proposal": page,
		"page_debate":   r.DebatePage(testDebate(), sp, ids.Person("jeanne")),
		"note":          note,
		"note_reply":    r.CommentNote(testReply(), sp, "", ""),
		"tombstone":     Tombstone(ids.Comment("q3m0c8t1"), "Note", at("2026-11-26T00:00:00Z")),
		"create":        Create(ids.Activity("ev-0"), ids.Person("jeanne"), page, []string{Public, ids.Space(sp.Slug)}, []string{followers}),
		"update":        Update(ids.Activity("ev-2"), ids.Person("jeanne"), note, []string{Public, ids.Space(sp.Slug)}, []string{followers}),
		"delete":        Delete(ids.Activity("ev-3"), ids.Person("jeanne"), Tombstone(ids.Comment("q3m0c8t1"), "Note", at("2026-11-26T00:00:00Z")), []string{Public}, nil),
		"announce":      Announce(ids.Activity("ev-1-announce"), ids.Space(sp.Slug), create),
		"follow":        follow,
		"accept":        Accept(ids.Activity("ev-4"), ids.Space(sp.Slug), follow, []string{"https://mastodon.example/users/ada"}),
		"undo":          Undo(ids.Activity("ev-5"), ids.Instance(), Follow(ids.Activity("ev-6"), ids.Instance(), "https://relay.example/actor"), []string{"https://relay.example/actor"}, nil),
		"collection":    OrderedCollection(followers, 1, followers+"?page=1"),
		"collection_page": OrderedCollectionPage(followers+"?page=1", followers,
			[]*Doc{Ref("https://mastodon.example/users/ada")}, "", ""),
	}
}

// TestGolden compares each document, decoded, with its golden file, so a
// change in what peers receive shows in review. go test -update rewrites
// them.
func TestGolden(t *testing.T) {
	docs := goldenDocs()
	if *update {
		for name, d := range docs {
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(decode(t, d)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("testdata/golden", name+".json"), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, _ := filepath.Glob("testdata/golden/*.json")
	if len(files) != len(docs) {
		t.Errorf("%d golden files, %d documents: remove the stale ones or run go test -update", len(files), len(docs))
	}
	for name, d := range docs {
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata/golden", name+".json"))
			if err != nil {
				t.Fatalf("%v (go test -update writes it)", err)
			}
			var golden any
			if err := json.Unmarshal(b, &golden); err != nil {
				t.Fatalf("golden file: %v", err)
			}
			got := decode(t, d)
			if !reflect.DeepEqual(plain(t, got), golden) {
				out, _ := json.MarshalIndent(got, "", "  ")
				t.Errorf("differs from testdata/golden/%s.json (go test -update rewrites it):\n%s", name, out)
			}
			roundTrip(t, got)
		})
	}
}

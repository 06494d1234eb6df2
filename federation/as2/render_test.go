package as2

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-fed/activity/streams"

	"agora/instances/debates"
)

const (
	testGroup    = "https://paris15.example/spaces/budget-2027"
	testPage     = "https://paris15.example/proposals/22h2bnyvinhsbtce4vhmrpih6i"
	testJeanneID = "https://paris15.example/people/jeanne"
)

// decode serialises a document and reads it back as plain data, as a
// peer would.
func decode(t *testing.T, d *Doc) map[string]any {
	t.Helper()
	b, err := Serialize(d)
	if err != nil {
		t.Fatalf("Serialize: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b)
	}
	return m
}

// plain turns Go values into what JSON decoding gives, to compare them.
func plain(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// want checks the properties of a decoded document.
func want(t *testing.T, m map[string]any, props map[string]any) {
	t.Helper()
	for k, v := range props {
		if got, exp := m[k], plain(t, v); !reflect.DeepEqual(got, exp) {
			t.Errorf("%s = %#v, want %#v", k, got, exp)
		}
	}
}

// absent checks that a decoded document lacks properties.
func absent(t *testing.T, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if v, ok := m[k]; ok {
			t.Errorf("%s = %#v, want none", k, v)
		}
	}
}

// roundTrip reads a decoded document with go-fed and serialises it again:
// go-fed must know every type we write, keep every property we add, and
// give back the same document.
func roundTrip(t *testing.T, m map[string]any) {
	t.Helper()
	v, err := streams.ToType(context.Background(), m)
	if err != nil {
		t.Fatalf("streams.ToType: %v", err)
	}
	if v.GetTypeName() != m["type"] {
		t.Errorf("go-fed reads a %s, want %v", v.GetTypeName(), m["type"])
	}
	back, err := streams.Serialize(v)
	if err != nil {
		t.Fatalf("streams.Serialize: %v", err)
	}
	back["@context"] = jsonLDContext()
	normalise(back)
	if got, exp := plain(t, back), plain(t, m); !reflect.DeepEqual(got, exp) {
		g, _ := json.MarshalIndent(got, "", "  ")
		e, _ := json.MarshalIndent(exp, "", "  ")
		t.Errorf("go-fed round trip changed the document:\n%s\nwant\n%s", g, e)
	}
}

func TestContext(t *testing.T) {
	m := decode(t, Tombstone("https://paris15.example/comments/1", "Note", time.Time{}))
	want(t, m, map[string]any{"@context": []any{
		"https://www.w3.org/ns/activitystreams",
		"https://w3id.org/security/v1",
		map[string]any{
			"agora":                     "https://joinagora.fr/ns#",
			"Hashtag":                   "as:Hashtag",
			"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
			"lemmy":                     "https://join-lemmy.org/ns#",
			"postingRestrictedToMods":   "lemmy:postingRestrictedToMods",
			"schema":                    "http://schema.org#",
			"PropertyValue":             "schema:PropertyValue",
			"value":                     "schema:value",
		},
	}})
	absent(t, m, "deleted")
}

func TestProposalPage(t *testing.T) {
	r := testRenderer()
	in := ProposalInput{Proposal: testProposal(), Space: testSpace(), Author: r.IDs.Person("jeanne"),
		Attachments: testAttachments(), Answer: LatestAnswer(testTimeline())}
	m := decode(t, r.ProposalPage(in))
	line := "<p>État : à l’étude · 42 soutiens · Réponse officielle : Les bancs seront posés au printemps, après l’avis des jardiniers.</p>"
	want(t, m, map[string]any{
		"id": testPage, "type": "Page", "url": testPage,
		"name":         "Des bancs à l’ombre au square Violet",
		"summary":      line,
		"content":      "<p>Des bancs <strong>à l’ombre</strong>, près des jeux.</p>\n" + line,
		"mediaType":    "text/html",
		"source":       map[string]any{"content": "Des bancs **à l’ombre**, près des jeux.", "mediaType": "text/markdown"},
		"attributedTo": testJeanneID,
		"audience":     testGroup,
		"to":           []any{Public, testGroup},
		"cc":           []any{testGroup + "/followers"},
		"published":    "2026-10-01T08:00:00Z",
		"updated":      "2026-11-20T10:00:00Z",
		"attachment": []any{
			map[string]any{"type": "Image", "url": testPage + "/attachments/1", "mediaType": "image/jpeg", "name": "square.jpg"},
			map[string]any{"type": "Document", "url": testPage + "/attachments/2", "mediaType": "application/pdf", "name": "plan.pdf"},
		},
		"location": map[string]any{"type": "Place", "name": "Square Violet, 75015 Paris", "latitude": 48.8466, "longitude": 2.2922},
		"tag": []any{map[string]any{"type": "Hashtag", "name": "#espaces_verts",
			"href": testGroup + "/proposals?category=espaces-verts"}},
		"replies":              map[string]any{"id": testPage + "/replies", "type": "Collection", "totalItems": 3},
		"agora:state":          "study",
		"agora:supports":       42,
		"agora:threshold":      50,
		"agora:officialAnswer": "Les bancs seront posés au printemps,\naprès l’avis des jardiniers.",
		"agora:category":       "espaces-verts",
	})
	roundTrip(t, m)

	t.Run("an author who is not public is not named", func(t *testing.T) {
		in := in
		in.Author = ""
		m := decode(t, r.ProposalPage(in))
		want(t, m, map[string]any{"attributedTo": testGroup})
		if strings.Contains(mustJSON(t, m), "jeanne") {
			t.Error("the page names its author")
		}
	})
	t.Run("bare: no answer, no place, no files, one support, never changed", func(t *testing.T) {
		p := testProposal()
		p.Category, p.Address, p.Lat, p.Lon, p.SupportCount, p.State, p.UpdatedAt = "", "", nil, nil, 1, "published", p.CreatedAt
		m := decode(t, r.ProposalPage(ProposalInput{Proposal: p, Space: testSpace()}))
		want(t, m, map[string]any{"summary": "<p>État : publiée · 1 soutien</p>", "agora:supports": 1, "agora:state": "published"})
		absent(t, m, "agora:officialAnswer", "agora:category", "tag", "location", "attachment", "updated")
		roundTrip(t, m)
	})
	t.Run("in English", func(t *testing.T) {
		en := r
		en.Lang = "en"
		m := decode(t, en.ProposalPage(in))
		want(t, m, map[string]any{"summary": "<p>State: in study · 42 supports · Official answer: Les bancs seront posés au printemps, après l’avis des jardiniers.</p>"})
	})
	t.Run("a long answer is cut in the summary, not in agora:officialAnswer", func(t *testing.T) {
		long := *LatestAnswer(testTimeline())
		long.Answer = strings.Repeat("mot ", 100)
		m := decode(t, r.ProposalPage(ProposalInput{Proposal: testProposal(), Space: testSpace(), Answer: &long}))
		s := m["summary"].(string)
		if !strings.HasSuffix(s, "…</p>") || len([]rune(s)) > 300 {
			t.Errorf("summary %q", s)
		}
		want(t, m, map[string]any{"agora:officialAnswer": long.Answer})
	})
	t.Run("markup in an answer is escaped", func(t *testing.T) {
		bad := *LatestAnswer(testTimeline())
		bad.Answer = "<script>alert(1)</script>"
		m := decode(t, r.ProposalPage(ProposalInput{Proposal: testProposal(), Space: testSpace(), Answer: &bad}))
		if s := m["summary"].(string); strings.Contains(s, "<script>") {
			t.Errorf("summary %q", s)
		}
	})
	t.Run("hidden: a Tombstone", func(t *testing.T) {
		p := testProposal()
		p.HiddenAt = ptr(at("2026-11-21T00:00:00Z"))
		m := decode(t, r.ProposalPage(ProposalInput{Proposal: p, Space: testSpace(), Author: testJeanneID}))
		want(t, m, map[string]any{"id": testPage, "type": "Tombstone", "formerType": "Page", "deleted": "2026-11-21T00:00:00Z"})
		absent(t, m, "name", "content", "attributedTo")
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLatestAnswer(t *testing.T) {
	tl := testTimeline()
	if a := LatestAnswer(tl); a == nil || a.ID != 3 {
		t.Errorf("LatestAnswer = %+v", a)
	}
	if a := LatestAnswer(tl[:2]); a != nil {
		t.Errorf("LatestAnswer without answers = %+v", a)
	}
}

func TestCommentNote(t *testing.T) {
	r := testRenderer()
	m := decode(t, r.CommentNote(testComment(), testSpace(), testJeanneID, ""))
	want(t, m, map[string]any{
		"id": "https://paris15.example/comments/q3m0c8t1", "type": "Note",
		"content":         "<p><strong>Pour</strong></p>\n<p>Oui, et <strong>à l’ombre</strong>.</p>",
		"mediaType":       "text/html",
		"source":          map[string]any{"content": "Oui, et **à l’ombre**.", "mediaType": "text/markdown"},
		"attributedTo":    testJeanneID,
		"inReplyTo":       testPage,
		"context":         testPage,
		"audience":        testGroup,
		"to":              []any{Public, testGroup},
		"cc":              []any{testGroup + "/followers"},
		"url":             testPage + "#comment-q3m0c8t1",
		"published":       "2026-11-25T08:00:00Z",
		"agora:alignment": "for",
	})
	absent(t, m, "summary", "updated") // summary would be a content warning in Mastodon
	roundTrip(t, m)

	t.Run("a reply by someone not public", func(t *testing.T) {
		m := decode(t, r.CommentNote(testReply(), testSpace(), "", ""))
		want(t, m, map[string]any{
			"inReplyTo": "https://paris15.example/comments/q3m0c8t1", "context": testPage,
			"attributedTo": testGroup, "content": "<p>Et des arbres.</p>", "updated": "2026-11-25T09:05:00Z",
		})
		absent(t, m, "agora:alignment")
		if strings.Contains(mustJSON(t, m), "marc") {
			t.Error("the note names its author")
		}
	})
	t.Run("a reply to a remote comment", func(t *testing.T) {
		m := decode(t, r.CommentNote(testReply(), testSpace(), "", "https://mastodon.example/users/ada/statuses/1"))
		want(t, m, map[string]any{"inReplyTo": "https://mastodon.example/users/ada/statuses/1", "context": testPage})
	})
	t.Run("on a debate, against, in English", func(t *testing.T) {
		c := testComment()
		c.TargetKind, c.TargetID, c.Alignment = debates.TargetDebate, "d7k2m9q4", debates.AlignAgainst
		en := r
		en.Lang = "en"
		m := decode(t, en.CommentNote(c, testSpace(), testJeanneID, ""))
		debate := "https://paris15.example/debates/d7k2m9q4"
		want(t, m, map[string]any{"inReplyTo": debate, "context": debate, "url": debate + "#comment-q3m0c8t1",
			"agora:alignment": "against"})
		if !strings.HasPrefix(m["content"].(string), "<p><strong>Against</strong></p>") {
			t.Errorf("content %q", m["content"])
		}
	})
	t.Run("a remote comment is announced by its id", func(t *testing.T) {
		c := testReply()
		c.AuthorID, c.Author, c.RemoteActor = "", nil, "https://mastodon.example/users/ada"
		c.APID = ptr("https://mastodon.example/users/ada/statuses/1")
		d := r.CommentNote(c, testSpace(), "", "")
		if _, err := Serialize(d); err == nil || d.ID() != *c.APID {
			t.Errorf("remote comment rendered: id %q, err %v", d.ID(), err)
		}
		m := decode(t, Announce(r.IDs.Activity("ev-1"), testGroup, d))
		want(t, m, map[string]any{"object": *c.APID})
	})
	t.Run("deleted or hidden: a Tombstone", func(t *testing.T) {
		c := testComment()
		c.DeletedAt = ptr(at("2026-11-26T00:00:00Z"))
		want(t, decode(t, r.CommentNote(c, testSpace(), testJeanneID, "")),
			map[string]any{"type": "Tombstone", "formerType": "Note", "deleted": "2026-11-26T00:00:00Z"})
		c = testComment()
		c.HiddenAt = ptr(at("2026-11-27T00:00:00Z"))
		m := decode(t, r.CommentNote(c, testSpace(), testJeanneID, ""))
		want(t, m, map[string]any{"type": "Tombstone", "deleted": "2026-11-27T00:00:00Z"})
		absent(t, m, "content", "attributedTo")
	})
}

func TestDebatePage(t *testing.T) {
	r := testRenderer()
	id := "https://paris15.example/debates/d7k2m9q4"
	m := decode(t, r.DebatePage(testDebate(), testSpace(), testJeanneID))
	want(t, m, map[string]any{
		"id": id, "type": "Page", "url": id, "name": "Faut-il piétonniser la rue du Commerce ?",
		"summary":      "<p>Débat clos</p>",
		"content":      "<p>Le samedi au moins.</p>\n<p>Débat clos</p>\n<p><strong>Conclusion :</strong></p>\n<p>Oui, le samedi.</p>",
		"source":       map[string]any{"content": "Le samedi au moins.", "mediaType": "text/markdown"},
		"attributedTo": testJeanneID, "audience": testGroup,
		"published": "2026-10-05T08:00:00Z", "updated": "2026-11-05T08:00:00Z",
		"replies":     map[string]any{"id": id + "/replies", "type": "Collection", "totalItems": 12},
		"agora:state": "closed",
	})
	roundTrip(t, m)

	d := testDebate()
	d.State, d.ClosedAt, d.Conclusion, d.ConclusionHTML, d.Description, d.DescriptionHTML = debates.DebateOpen, nil, "", "", "", ""
	m = decode(t, r.DebatePage(d, testSpace(), ""))
	want(t, m, map[string]any{"summary": "<p>Débat ouvert</p>", "content": "<p>Débat ouvert</p>",
		"attributedTo": testGroup, "agora:state": "open"})
	absent(t, m, "source", "updated")
}

func TestActors(t *testing.T) {
	r := testRenderer()
	key := func(id string) map[string]any {
		return map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": testPEM}
	}
	collections := func(id string) map[string]any {
		return map[string]any{
			"id": id, "inbox": id + "/inbox", "outbox": id + "/outbox",
			"followers": id + "/followers", "following": id + "/following",
			"endpoints": map[string]any{"sharedInbox": "https://paris15.example/inbox"},
			"publicKey": key(id),
		}
	}
	t.Run("Group", func(t *testing.T) {
		m := decode(t, r.Group(testSpace(), testSpaceHTML, testPEM))
		want(t, m, collections(testGroup))
		want(t, m, map[string]any{
			"type": "Group", "preferredUsername": "budget-2027", "name": "Budget participatif 2027",
			"summary": testSpaceHTML, "url": testGroup,
			"source":                    map[string]any{"content": "Proposez, **soutenez**.", "mediaType": "text/markdown"},
			"published":                 "2026-09-01T08:00:00Z",
			"updated":                   "2026-09-02T08:00:00Z",
			"manuallyApprovesFollowers": false,
			"postingRestrictedToMods":   true,
		})
		roundTrip(t, m)
	})
	t.Run("Person", func(t *testing.T) {
		m := decode(t, r.Person(testJeanne(), testPEM))
		want(t, m, collections(testJeanneID))
		want(t, m, map[string]any{
			"type": "Person", "preferredUsername": "jeanne", "name": "Jeanne Martin", "url": testJeanneID,
			"published": "2026-08-15T10:00:00Z", "manuallyApprovesFollowers": false,
		})
		roundTrip(t, m)
	})
	t.Run("a Person not public, or deleted, is a Tombstone", func(t *testing.T) {
		m := decode(t, r.Person(testMarc(), testPEM))
		want(t, m, map[string]any{"id": "https://paris15.example/people/marc", "type": "Tombstone", "formerType": "Person"})
		absent(t, m, "name", "publicKey", "deleted")
		gone := testJeanne()
		gone.DeletedAt = ptr(at("2026-12-01T00:00:00Z"))
		want(t, decode(t, r.Person(gone, testPEM)), map[string]any{"type": "Tombstone", "deleted": "2026-12-01T00:00:00Z"})
	})
	t.Run("Application", func(t *testing.T) {
		id := "https://paris15.example/actor"
		m := decode(t, r.Application("Agora Paris 15e", testPEM))
		want(t, m, collections(id))
		want(t, m, map[string]any{
			"type": "Application", "preferredUsername": "paris15.example", "name": "Agora Paris 15e",
			"url": "https://paris15.example", "manuallyApprovesFollowers": true,
		})
		roundTrip(t, m)
	})
}

func TestActivities(t *testing.T) {
	r := testRenderer()
	ids := r.IDs
	page := r.ProposalPage(ProposalInput{Proposal: testProposal(), Space: testSpace(), Author: testJeanneID,
		Answer: LatestAnswer(testTimeline())})
	note := r.CommentNote(testComment(), testSpace(), testJeanneID, "")

	t.Run("Create of a Page keeps the Page's own terms", func(t *testing.T) {
		m := decode(t, Create(ids.Activity("ev-1"), testJeanneID, page, []string{Public, testGroup}, []string{testGroup + "/followers"}))
		want(t, m, map[string]any{"id": "https://paris15.example/activities/ev-1", "type": "Create", "actor": testJeanneID,
			"to": []any{Public, testGroup}, "cc": []any{testGroup + "/followers"}})
		obj := m["object"].(map[string]any)
		want(t, obj, map[string]any{"id": testPage, "type": "Page", "agora:supports": 42, "agora:state": "study",
			"source": map[string]any{"content": "Des bancs **à l’ombre**, près des jeux.", "mediaType": "text/markdown"}})
		if _, ok := obj["@context"]; ok {
			t.Error("the inline object has its own @context")
		}
		roundTrip(t, m)

		a, err := Parse([]byte(mustJSON(t, m)))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if a.Type != "Create" || a.Actor != testJeanneID || a.ObjectID != testPage || a.Object == nil ||
			a.Object.Type != "Page" || a.Object.Name != "Des bancs à l’ombre au square Violet" ||
			a.Object.AttributedTo != testJeanneID || a.Object.Audience != testGroup || a.Object.MediaType != "text/html" ||
			!strings.Contains(a.Object.Content, "<strong>à l’ombre</strong>") || !a.Object.Published.Equal(at("2026-10-01T08:00:00Z")) {
			t.Errorf("Parse = %+v, object %+v", a, a.Object)
		}
	})
	t.Run("Announce of the Create of a Note (FEP-1b12)", func(t *testing.T) {
		create := Create(ids.Activity("ev-2"), testJeanneID, note, []string{Public, testGroup}, []string{testGroup + "/followers"})
		m := decode(t, Announce(ids.Activity("ev-2-announce"), testGroup, create))
		want(t, m, map[string]any{"type": "Announce", "actor": testGroup, "to": []any{Public}, "cc": []any{testGroup + "/followers"}})
		inner := m["object"].(map[string]any)["object"].(map[string]any)
		want(t, inner, map[string]any{"type": "Note", "agora:alignment": "for", "context": testPage})
		roundTrip(t, m)

		a, err := Parse([]byte(mustJSON(t, m)))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if a.Type != "Announce" || a.Actor != testGroup || a.Inner == nil || a.Inner.Type != "Create" ||
			a.ObjectID != "https://paris15.example/activities/ev-2" || a.Inner.Object == nil ||
			a.Inner.Object.InReplyTo != testPage || a.Inner.Object.Context != testPage {
			t.Errorf("Parse = %+v, inner %+v", a, a.Inner)
		}
	})
	t.Run("Announce by id", func(t *testing.T) {
		m := decode(t, Announce(ids.Activity("ev-3"), testGroup, Ref("https://mastodon.example/users/ada/statuses/1")))
		want(t, m, map[string]any{"object": "https://mastodon.example/users/ada/statuses/1"})
		roundTrip(t, m)
	})
	t.Run("Update, Delete with a Tombstone, Delete of an actor", func(t *testing.T) {
		m := decode(t, Update(ids.Activity("ev-4"), testJeanneID, note, []string{Public}, nil))
		want(t, m, map[string]any{"type": "Update", "to": []any{Public}})
		absent(t, m, "cc")
		want(t, m["object"].(map[string]any), map[string]any{"agora:alignment": "for"})

		tomb := Tombstone(ids.Comment("q3m0c8t1"), "Note", at("2026-11-26T00:00:00Z"))
		m = decode(t, Delete(ids.Activity("ev-5"), testJeanneID, tomb, []string{Public}, nil))
		want(t, m, map[string]any{"type": "Delete", "object": map[string]any{"id": "https://paris15.example/comments/q3m0c8t1",
			"type": "Tombstone", "formerType": "Note", "deleted": "2026-11-26T00:00:00Z"}})
		roundTrip(t, m)

		m = decode(t, Delete(ids.Activity("ev-6"), testJeanneID, Ref(testJeanneID), []string{Public}, nil))
		want(t, m, map[string]any{"object": testJeanneID, "actor": testJeanneID})
		a, err := Parse([]byte(mustJSON(t, m)))
		if err != nil || a.ObjectID != testJeanneID || a.Object != nil {
			t.Errorf("Parse = %+v, %v", a, err)
		}
	})
	t.Run("Follow, Accept, Undo", func(t *testing.T) {
		f := parseFixture(t, "mastodon_follow.json")
		follow := Follow(f.ID, f.Actor, f.ObjectID)
		m := decode(t, Accept(ids.Activity("ev-7"), testGroup, follow, []string{f.Actor}))
		want(t, m, map[string]any{"type": "Accept", "actor": testGroup, "to": []any{f.Actor},
			"object": map[string]any{"id": f.ID, "type": "Follow", "actor": f.Actor, "object": testGroup, "to": []any{testGroup}}})
		roundTrip(t, m)
		a, err := Parse([]byte(mustJSON(t, m)))
		if err != nil || a.Inner == nil || a.Inner.ID != f.ID || a.Inner.Actor != f.Actor {
			t.Errorf("Parse = %+v, %v", a, err)
		}
		want(t, decode(t, Reject(ids.Activity("ev-8"), testGroup, follow, []string{f.Actor})), map[string]any{"type": "Reject"})

		ours := Follow(ids.Activity("ev-9"), ids.Instance(), "https://relay.example/actor")
		m = decode(t, Undo(ids.Activity("ev-10"), ids.Instance(), ours, []string{"https://relay.example/actor"}, nil))
		want(t, m, map[string]any{"type": "Undo", "object": map[string]any{"id": "https://paris15.example/activities/ev-9",
			"type": "Follow", "actor": "https://paris15.example/actor", "object": "https://relay.example/actor",
			"to": []any{"https://relay.example/actor"}}})
		roundTrip(t, m)
	})
}

func TestCollections(t *testing.T) {
	r := testRenderer()
	followers := Followers(testGroup)
	m := decode(t, OrderedCollection(followers, 2, followers+"?page=1"))
	want(t, m, map[string]any{"id": followers, "type": "OrderedCollection", "totalItems": 2, "first": followers + "?page=1"})
	roundTrip(t, m)

	m = decode(t, OrderedCollection(followers, 0, ""))
	want(t, m, map[string]any{"totalItems": 0})
	absent(t, m, "first")

	t.Run("a page of ids", func(t *testing.T) {
		m := decode(t, OrderedCollectionPage(followers+"?page=1", followers,
			[]*Doc{Ref("https://mastodon.example/users/ada")}, followers+"?page=2", ""))
		want(t, m, map[string]any{"type": "OrderedCollectionPage", "partOf": followers, "next": followers + "?page=2",
			"orderedItems": []any{"https://mastodon.example/users/ada"}}) // one item, still a list
		absent(t, m, "prev")
		roundTrip(t, m)
	})
	t.Run("an empty page", func(t *testing.T) {
		m := decode(t, OrderedCollectionPage(followers+"?page=9", followers, nil, "", followers+"?page=8"))
		want(t, m, map[string]any{"orderedItems": []any{}, "prev": followers + "?page=8"})
	})
	t.Run("an outbox page of activities keeps their terms", func(t *testing.T) {
		outbox := Outbox(testGroup)
		page := r.ProposalPage(ProposalInput{Proposal: testProposal(), Space: testSpace()})
		items := []*Doc{
			Announce(r.IDs.Activity("ev-2"), testGroup, Create(r.IDs.Activity("ev-1"), testGroup, page, []string{Public}, nil)),
			Announce(r.IDs.Activity("ev-3"), testGroup, Ref("https://mastodon.example/users/ada/statuses/1")),
		}
		m := decode(t, OrderedCollectionPage(outbox+"?page=1", outbox, items, "", ""))
		list := m["orderedItems"].([]any)
		if len(list) != 2 {
			t.Fatalf("orderedItems %v", list)
		}
		obj := list[0].(map[string]any)["object"].(map[string]any)["object"].(map[string]any)
		want(t, obj, map[string]any{"agora:state": "study", "tag": []any{map[string]any{"type": "Hashtag",
			"name": "#espaces_verts", "href": testGroup + "/proposals?category=espaces-verts"}}})
		want(t, list[1].(map[string]any), map[string]any{"object": "https://mastodon.example/users/ada/statuses/1"})
		roundTrip(t, m)
	})
}

// Serialising a document twice gives the same bytes, and leaves the
// document as it was.
func TestSerializeStable(t *testing.T) {
	r := testRenderer()
	d := Create(r.IDs.Activity("ev-1"), testJeanneID, r.ProposalPage(ProposalInput{Proposal: testProposal(), Space: testSpace(),
		Attachments: testAttachments(), Answer: LatestAnswer(testTimeline())}), []string{Public}, nil)
	first, err := Serialize(d)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := Serialize(d)
		if err != nil || string(again) != string(first) {
			t.Fatalf("second serialisation differs:\n%s\n%s", first, again)
		}
	}
	if _, err := Serialize(Ref(testPage)); err == nil {
		t.Error("a reference serialised")
	}
	if d.ID() != "https://paris15.example/activities/ev-1" || Ref(testPage).ID() != testPage {
		t.Errorf("ID() = %q, %q", d.ID(), Ref(testPage).ID())
	}
}

func TestIDs(t *testing.T) {
	for _, base := range []string{"https://paris15.example", "https://paris15.example/"} {
		r := testRenderer()
		r.IDs.Base.Path = strings.TrimPrefix(base, "https://paris15.example")
		ids := r.IDs
		got := []string{ids.Instance(), ids.Space("budget-2027"), ids.Person("jeanne"), ids.Proposal("p1"), ids.Debate("d1"),
			ids.Comment("c1"), ids.Activity("a1"), ids.SharedInbox(), ids.Attachment("p1", 2),
			Inbox(ids.Space("s")), Outbox(ids.Space("s")), Followers(ids.Space("s")), Following(ids.Space("s")),
			KeyID(ids.Instance()), Replies(ids.Proposal("p1")), ids.Host()}
		exp := []string{"https://paris15.example/actor", "https://paris15.example/spaces/budget-2027",
			"https://paris15.example/people/jeanne", "https://paris15.example/proposals/p1", "https://paris15.example/debates/d1",
			"https://paris15.example/comments/c1", "https://paris15.example/activities/a1", "https://paris15.example/inbox",
			"https://paris15.example/proposals/p1/attachments/2",
			"https://paris15.example/spaces/s/inbox", "https://paris15.example/spaces/s/outbox",
			"https://paris15.example/spaces/s/followers", "https://paris15.example/spaces/s/following",
			"https://paris15.example/actor#main-key", "https://paris15.example/proposals/p1/replies", "paris15.example"}
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("base %q:\n got %q\nwant %q", base, got, exp)
		}
	}
	if got := testRenderer().IDs.Activity("a b/c"); got != "https://paris15.example/activities/a%20b%2Fc" {
		t.Errorf("an odd id is not escaped: %s", got)
	}
}

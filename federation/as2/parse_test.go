package as2

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// innermost returns the object at the bottom of an activity:
// Announce{Create{Note}} gives the Note.
func innermost(a *Activity) *Object {
	for a.Inner != nil {
		a = a.Inner
	}
	return a.Object
}

// The fixtures in testdata/inbox are written after real payloads of each
// server (the shared fixture collection, and the servers' own renderers
// for Misskey and Mbin), with example hosts and every quirk kept: no
// @context (Lemmy's), actor inside a Note and source as a bare string
// (Pleroma), attributedTo as a list (PeerTube), nulls, contentMap, a
// bare string for to.
func TestParseFixtures(t *testing.T) {
	const (
		ada   = "https://mastodon.example/users/ada"
		page  = "https://paris15.example/proposals/22h2bnyvinhsbtce4vhmrpih6i"
		space = "https://paris15.example/spaces/budget-2027"
		cmt   = "https://paris15.example/comments/q3m0c8t1"
		video = "https://peertube.example/videos/watch/4294a720-f263-4ea4-9392-cf9cea4d5277"
	)
	tests := []struct {
		file         string
		typ, actor   string
		objectID     string
		inner        string // the inner activity's type, if any
		objectType   string // the innermost object's type, "" when the object was an IRI
		inReplyTo    string
		attributedTo string
		content      string // a part of Content; "" when there must be none
		mediaType    string
	}{
		{file: "mastodon_create_note_reply.json", typ: "Create", actor: ada,
			objectID: "https://mastodon.example/users/ada/statuses/113306831140126616", objectType: "Note",
			inReplyTo: page, attributedTo: ada, content: "Des bancs à l’ombre, oui", mediaType: "text/html"},
		{file: "mastodon_like.json", typ: "Like", actor: ada, objectID: page},
		{file: "mastodon_follow.json", typ: "Follow", actor: ada, objectID: space},
		{file: "mastodon_undo_follow.json", typ: "Undo", actor: ada,
			objectID: "https://mastodon.example/1ea87517-63c5-4118-8831-460ee641b2cf", inner: "Follow"},
		{file: "mastodon_delete_note.json", typ: "Delete", actor: ada,
			objectID: "https://mastodon.example/users/ada/statuses/113306831140126616", objectType: "Tombstone"},
		{file: "mastodon_delete_actor.json", typ: "Delete", actor: "https://mastodon.example/users/bob",
			objectID: "https://mastodon.example/users/bob"},
		{file: "mastodon_update_note.json", typ: "Update", actor: ada,
			objectID: "https://mastodon.example/users/ada/statuses/113306831140126616", objectType: "Note",
			inReplyTo: page, attributedTo: ada, content: "deux fontaines", mediaType: "text/html"},
		{file: "mastodon_flag.json", typ: "Flag", actor: "https://mastodon.example/actor",
			objectID: "https://paris15.example/people/marc"},
		{file: "lemmy_announce_create_page.json", typ: "Announce", actor: "https://lemmy.example/c/urbanisme",
			objectID: "https://lemmy.example/activities/create/2807c9ec-3ad8-4859-a9e0-28b59b6e499f", inner: "Create",
			objectType: "Page", attributedTo: "https://lemmy.example/u/camille", content: "Vu sur", mediaType: "text/html"},
		{file: "lemmy_announce_like.json", typ: "Announce", actor: "https://lemmy.example/c/urbanisme",
			objectID: "https://lemmy.example/activities/like/fd61d070-7382-46a9-b2b7-6bb253732877", inner: "Like"},
		{file: "lemmy_create_note.json", typ: "Create", actor: "https://lemmy.example/u/camille",
			objectID: "https://lemmy.example/comment/38741", objectType: "Note", inReplyTo: cmt,
			attributedTo: "https://lemmy.example/u/camille", content: "<strong>surtout</strong>", mediaType: "text/html"},
		{file: "mbin_announce_create_note.json", typ: "Announce", actor: "https://mbin.example/m/paris",
			objectID: "https://mbin.example/f/object/5e4f1b0c-2a55-4b8e-9f0e-0c1d5f7d8a11", inner: "Create",
			objectType: "Note", inReplyTo: "https://mbin.example/m/paris/t/381", attributedTo: "https://mbin.example/u/louise",
			content: "méritent mieux", mediaType: "text/html"},
		{file: "misskey_create_note_quote.json", typ: "Create", actor: "https://misskey.example/users/9jd0a7m2k4",
			objectID: "https://misskey.example/notes/9kq3v2x1ab", objectType: "Note",
			attributedTo: "https://misskey.example/users/9jd0a7m2k4", content: "<span>Je soutiens", mediaType: "text/html"},
		{file: "misskey_create_note_source.json", typ: "Create", actor: "https://misskey.example/users/9jd0a7m2k4",
			objectID: "https://misskey.example/notes/9kq4b7c2de", objectType: "Note", inReplyTo: cmt,
			attributedTo: "https://misskey.example/users/9jd0a7m2k4", content: "<span> d’accord", mediaType: "text/html"},
		{file: "misskey_create_note_no_content.json", typ: "Create", actor: "https://misskey.example/users/9jd0a7m2k4",
			objectID: "https://misskey.example/notes/9kq5c8d3ef", objectType: "Note", inReplyTo: page,
			attributedTo: "https://misskey.example/users/9jd0a7m2k4", content: "**Trois** bancs", mediaType: "text/x.misskeymarkdown"},
		{file: "misskey_create_note_mfm_only.json", typ: "Create", actor: "https://misskey.example/users/9jd0a7m2k4",
			objectID: "https://misskey.example/notes/9kq6d9e4fg", objectType: "Note", inReplyTo: page,
			attributedTo: "https://misskey.example/users/9jd0a7m2k4", content: "$[x2 Non]", mediaType: "text/x.misskeymarkdown"},
		{file: "peertube_create_note.json", typ: "Create", actor: "https://peertube.example/accounts/mairie15",
			objectID: video + "/comments/200873", objectType: "Note", inReplyTo: video,
			attributedTo: "https://peertube.example/accounts/mairie15", content: "à 12:30", mediaType: "text/markdown"},
		{file: "pleroma_emoji_react.json", typ: "EmojiReact", actor: "https://pleroma.example/users/akko", objectID: cmt},
		{file: "pleroma_create_note.json", typ: "Create", actor: "https://pleroma.example/users/akko",
			objectID: "https://pleroma.example/objects/1a522f2e-d5ab-454b-93d7-e58bc0650c2a", objectType: "Note",
			inReplyTo: cmt, attributedTo: "https://pleroma.example/users/akko", content: "un potager", mediaType: "text/html"},
	}
	files, _ := filepath.Glob("testdata/inbox/*.json")
	if len(files) != len(tests) {
		t.Errorf("%d fixtures in testdata/inbox, %d in the table: every fixture needs a row", len(files), len(tests))
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".json"), func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata/inbox", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := Parse(body)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if a.Type != tt.typ || a.Actor != tt.actor || a.ObjectID != tt.objectID {
				t.Errorf("type, actor, object = %q, %q, %q; want %q, %q, %q", a.Type, a.Actor, a.ObjectID, tt.typ, tt.actor, tt.objectID)
			}
			if got := typeOfInner(a); got != tt.inner {
				t.Errorf("inner = %q, want %q", got, tt.inner)
			}
			o := innermost(a)
			if tt.objectType == "" {
				if o != nil {
					t.Fatalf("object = %+v, want none inline", o)
				}
				return
			}
			if o == nil {
				t.Fatalf("no inline object, want a %s", tt.objectType)
			}
			if o.Type != tt.objectType || o.InReplyTo != tt.inReplyTo || o.AttributedTo != tt.attributedTo {
				t.Errorf("object type, inReplyTo, attributedTo = %q, %q, %q; want %q, %q, %q",
					o.Type, o.InReplyTo, o.AttributedTo, tt.objectType, tt.inReplyTo, tt.attributedTo)
			}
			if tt.content == "" && o.Content != "" || !strings.Contains(o.Content, tt.content) {
				t.Errorf("content = %q, want it to hold %q", o.Content, tt.content)
			}
			if o.MediaType != tt.mediaType {
				t.Errorf("media type = %q, want %q", o.MediaType, tt.mediaType)
			}
		})
	}
}

func typeOfInner(a *Activity) string {
	if a.Inner == nil {
		return ""
	}
	return a.Inner.Type
}

// parseFixture reads one fixture of testdata/inbox.
func parseFixture(t *testing.T, name string) *Activity {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata/inbox", name))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Parse(body)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return a
}

// The quirks the table does not show.
func TestParseDetails(t *testing.T) {
	t.Run("Flag lists what it reports and why", func(t *testing.T) {
		a := parseFixture(t, "mastodon_flag.json")
		want := []string{"https://paris15.example/people/marc", "https://paris15.example/comments/q3m0c8t1",
			"https://paris15.example/comments/x9t2p4k7"}
		if !slices.Equal(a.Targets, want) || !strings.Contains(a.Content, "insultants") {
			t.Errorf("targets %q, content %q", a.Targets, a.Content)
		}
		if !slices.Equal(a.To, []string{"https://paris15.example/people/marc"}) { // to as a bare string
			t.Errorf("to = %q", a.To)
		}
	})
	t.Run("Mastodon note: addressing, dates, attachment", func(t *testing.T) {
		a := parseFixture(t, "mastodon_create_note_reply.json")
		o := a.Object
		if !slices.Equal(o.Cc, []string{"https://mastodon.example/users/ada/followers", "https://paris15.example/spaces/budget-2027"}) ||
			!slices.Equal(o.To, []string{Public}) {
			t.Errorf("to %q cc %q", o.To, o.Cc)
		}
		if !o.Published.Equal(time.Date(2026, 11, 25, 9, 12, 44, 0, time.UTC)) || !o.Updated.IsZero() {
			t.Errorf("published %v updated %v", o.Published, o.Updated)
		}
		if len(o.Attachments) != 1 || o.Attachments[0].MediaType != "image/jpeg" || o.Attachments[0].Name != "Un square sans un seul banc." ||
			!strings.HasPrefix(o.Attachments[0].URL, "https://files.mastodon.example/") {
			t.Errorf("attachments %+v", o.Attachments)
		}
		if o.URL != "https://mastodon.example/@ada/113306831140126616" || o.Summary != "" || o.Sensitive {
			t.Errorf("url %q summary %q sensitive %v", o.URL, o.Summary, o.Sensitive)
		}
	})
	t.Run("Mastodon update carries updated", func(t *testing.T) {
		o := parseFixture(t, "mastodon_update_note.json").Object
		if !o.Updated.Equal(time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)) {
			t.Errorf("updated %v", o.Updated)
		}
	})
	t.Run("Undo carries the Follow it takes back", func(t *testing.T) {
		in := parseFixture(t, "mastodon_undo_follow.json").Inner
		if in.Actor != "https://mastodon.example/users/ada" || in.ObjectID != "https://paris15.example/spaces/budget-2027" {
			t.Errorf("inner %+v", in)
		}
	})
	t.Run("Lemmy: audience, Link attachment, quirky inner audience", func(t *testing.T) {
		a := parseFixture(t, "lemmy_create_note.json")
		if a.Object.Audience != "https://paris15.example/spaces/budget-2027" || a.Object.Context != "https://lemmy.example/comment/38741/context" {
			t.Errorf("audience %q context %q", a.Object.Audience, a.Object.Context)
		}
		p := innermost(parseFixture(t, "lemmy_announce_create_page.json"))
		if p.Name != "Des bancs dans tous les squares" || p.Audience != "https://lemmy.example/u/urbanisme" ||
			len(p.Attachments) != 1 || p.Attachments[0].URL != "https://paris15.example/proposals/22h2bnyvinhsbtce4vhmrpih6i" {
			t.Errorf("page %+v", p)
		}
		like := parseFixture(t, "lemmy_announce_like.json").Inner
		if like.Actor != "https://lemmy.example/u/camille" || like.ObjectID != "https://paris15.example/comments/q3m0c8t1" {
			t.Errorf("inner like %+v", like)
		}
	})
	t.Run("Misskey quote and sensitive", func(t *testing.T) {
		o := parseFixture(t, "misskey_create_note_quote.json").Object
		if o.Quote != "https://mastodon.example/users/ada/statuses/113306831140126616" {
			t.Errorf("quote %q", o.Quote)
		}
		if o := parseFixture(t, "misskey_create_note_no_content.json").Object; o.Quote != "" {
			t.Errorf("null quote read as %q", o.Quote)
		}
		o = parseFixture(t, "misskey_create_note_mfm_only.json").Object
		if !o.Sensitive || o.Summary != "gros mots" {
			t.Errorf("sensitive %v summary %q", o.Sensitive, o.Summary)
		}
		o = parseFixture(t, "misskey_create_note_source.json").Object
		if len(o.Attachments) != 1 || o.Attachments[0].MediaType != "image/webp" || o.Attachments[0].Name != "" {
			t.Errorf("attachments %+v", o.Attachments)
		}
	})
	t.Run("Pleroma: context, source as a string", func(t *testing.T) {
		o := parseFixture(t, "pleroma_create_note.json").Object
		if o.Context != "https://pleroma.example/contexts/0b8a3f2e-1c4d-4e5f-9a6b-7c8d9e0f1a2b" {
			t.Errorf("context %q", o.Context)
		}
		if a := parseFixture(t, "pleroma_emoji_react.json"); a.Content != "🌳" {
			t.Errorf("emoji %q", a.Content)
		}
	})
	t.Run("PeerTube's account, whichever comes first", func(t *testing.T) {
		a, err := Parse([]byte(`{"id":"https://peertube.example/a/1","type":"Create","actor":"https://peertube.example/accounts/mairie15",
			"object":{"id":"https://peertube.example/c/1","type":"Note","content":"x",
			"attributedTo":[{"type":"Group","id":"https://peertube.example/video-channels/c"},{"type":"Person","id":"https://peertube.example/accounts/mairie15"}]}}`))
		if err != nil || a.Object.AttributedTo != "https://peertube.example/accounts/mairie15" {
			t.Errorf("err %v, object %+v", err, a)
		}
	})
	t.Run("url as a list of links prefers the page", func(t *testing.T) {
		a, err := Parse([]byte(`{"id":"https://v.example/a/1","type":"Create","actor":"https://v.example/u",
			"object":{"id":"https://v.example/o/1","type":"Video","url":[
			{"type":"Link","mediaType":"application/x-mpegURL","href":"https://v.example/o/1.m3u8"},
			{"type":"Link","mediaType":"text/html","href":"https://v.example/w/1"}]}}`))
		if err != nil || a.Object.URL != "https://v.example/w/1" {
			t.Errorf("err %v, object %+v", err, a)
		}
	})
	t.Run("contentMap when content is missing", func(t *testing.T) {
		a, err := Parse([]byte(`{"id":"https://m.example/a/1","type":"Create","actor":"https://m.example/u",
			"object":{"id":"https://m.example/o/1","type":"Note","contentMap":{"fr":"<p>Bonjour</p>","en":"<p>Hello</p>"}}}`))
		if err != nil || a.Object.Content != "<p>Hello</p>" || a.Object.MediaType != "text/html" {
			t.Errorf("err %v, object %+v", err, a)
		}
	})
	t.Run("actor as an object", func(t *testing.T) {
		a, err := Parse([]byte(`{"id":"https://m.example/a/1","type":"Like","actor":{"type":"Person","id":"https://m.example/u"},"object":"https://paris15.example/comments/1"}`))
		if err != nil || a.Actor != "https://m.example/u" {
			t.Errorf("err %v, activity %+v", err, a)
		}
	})
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name, body, reason string
	}{
		{"not JSON", `{"id": `, "not JSON"},
		{"empty", ``, "not JSON"},
		{"a JSON array", `[{"type":"Create"}]`, "not a JSON object but an array"},
		{"a JSON string", `"Create"`, "not a JSON object but a string"},
		{"no type", `{"id":"https://m.example/a/1","actor":"https://m.example/u","object":"https://m.example/o"}`, "no type"},
		{"no id", `{"type":"Like","actor":"https://m.example/u","object":"https://m.example/o"}`, "no id"},
		{"id not a URL", `{"id":"urn:uuid:1","type":"Like","actor":"https://m.example/u","object":"https://m.example/o"}`, "not an http(s) URL"},
		{"no actor", `{"id":"https://m.example/a/1","type":"Like","object":"https://m.example/o"}`, "no actor"},
		{"actor without id", `{"id":"https://m.example/a/1","type":"Like","actor":{"type":"Person"},"object":"https://m.example/o"}`, "no actor"},
		{"no object", `{"id":"https://m.example/a/1","type":"Like","actor":"https://m.example/u"}`, "has no object"},
		{"object null", `{"id":"https://m.example/a/1","type":"Like","actor":"https://m.example/u","object":null}`, "has no object"},
		{"object a number", `{"id":"https://m.example/a/1","type":"Like","actor":"https://m.example/u","object":42}`, "object is a number"},
		{"object a boolean", `{"id":"https://m.example/a/1","type":"Like","actor":"https://m.example/u","object":true}`, "object is a boolean"},
		{"object an empty list", `{"id":"https://m.example/a/1","type":"Flag","actor":"https://m.example/u","object":[]}`, "empty list"},
		{"inline object without id", `{"id":"https://m.example/a/1","type":"Create","actor":"https://m.example/u","object":{"type":"Note","content":"x"}}`, "no object id"},
		{"inner activity without actor", `{"id":"https://m.example/a/1","type":"Undo","actor":"https://m.example/u","object":{"id":"https://m.example/f/1","type":"Follow","object":"https://paris15.example/spaces/x"}}`, "inner Follow: no actor"},
		{"nested too deep", `{"id":"https://m.example/a/1","type":"Announce","actor":"https://m.example/u","object":
			{"id":"https://m.example/a/2","type":"Announce","actor":"https://m.example/u","object":
			{"id":"https://m.example/a/3","type":"Announce","actor":"https://m.example/u","object":
			{"id":"https://m.example/a/4","type":"Like","actor":"https://m.example/u","object":"https://m.example/o"}}}}`, "nested more than 3 deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := Parse([]byte(tt.body))
			var me *MalformedError
			if !errors.Is(err, ErrMalformed) || !errors.As(err, &me) {
				t.Fatalf("Parse = %+v, %v; want a MalformedError", a, err)
			}
			if !strings.Contains(me.Reason, tt.reason) {
				t.Errorf("reason %q, want it to say %q", me.Reason, tt.reason)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	body := []byte(`{"id":"https://m.example/a/1","type":"Create","actor":"https://m.example/u","object":{"id":"https://m.example/o/1","type":"Note","content":"` +
		strings.Repeat("a", MaxDocument) + `"}}`)
	if _, err := Parse(body); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Parse of %d bytes: %v, want ErrTooLarge", len(body), err)
	}
	// Just under the limit is read.
	body = body[:0]
	body = append(body, `{"id":"https://m.example/a/1","type":"Create","actor":"https://m.example/u","object":{"id":"https://m.example/o/1","type":"Note","content":"`...)
	body = append(body, strings.Repeat("a", MaxDocument-len(body)-4)...)
	body = append(body, `"}}`...)
	if _, err := Parse(body); err != nil {
		t.Fatalf("Parse of %d bytes: %v", len(body), err)
	}
}

// A collection is read the way servers serve outboxes: Agora's (a first
// page by link, ids), Mastodon's (activities), Lemmy's (the items on the
// collection itself, Announce{Create{Page}}), or a first page inline.
func TestParseCollection(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		items     []string
		next      string
	}{
		{"a collection linking its first page",
			`{"type":"OrderedCollection","totalItems":3,"first":"https://a.example/apps/outbox?page=1"}`,
			nil, "https://a.example/apps/outbox?page=1"},
		{"a page of ids",
			`{"type":"OrderedCollectionPage","orderedItems":["https://a.example/apps/x","https://a.example/apps/y"],"next":"https://a.example/apps/outbox?page=2"}`,
			[]string{"https://a.example/apps/x", "https://a.example/apps/y"}, "https://a.example/apps/outbox?page=2"},
		{"activities stand for their objects",
			`{"type":"OrderedCollection","orderedItems":[
				{"type":"Announce","id":"https://l.example/a/1","object":{"type":"Create","id":"https://l.example/c/1","object":{"type":"Page","id":"https://l.example/post/1"}}},
				{"type":"Create","id":"https://m.example/c/2","object":"https://m.example/notes/2"},
				{"type":"Page","id":"https://l.example/post/3"}]}`,
			[]string{"https://l.example/post/1", "https://m.example/notes/2", "https://l.example/post/3"}, ""},
		{"a first page inline",
			`{"type":"OrderedCollection","first":{"type":"OrderedCollectionPage","items":["https://a.example/1"],"next":{"id":"https://a.example/o?page=2"}}}`,
			[]string{"https://a.example/1"}, "https://a.example/o?page=2"},
		{"a first page inline by id only",
			`{"type":"OrderedCollection","first":{"type":"OrderedCollectionPage","id":"https://a.example/o?page=1"}}`,
			nil, "https://a.example/o?page=1"},
		{"what is no URL is skipped",
			`{"type":"OrderedCollectionPage","orderedItems":["urn:x",{"type":"Page"},42,"https://a.example/ok",{"type":"Announce","object":{"type":"Announce","object":{"type":"Announce","object":"https://a.example/deep"}}}]}`,
			[]string{"https://a.example/ok"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseCollection([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Items, tc.items) || p.Next != tc.next {
				t.Errorf("items %q next %q; want %q, %q", p.Items, p.Next, tc.items, tc.next)
			}
		})
	}
	for _, bad := range []string{`[]`, `{"first":"ftp://a.example/1"}`, strings.Repeat(" ", MaxDocument+1)} {
		if _, err := ParseCollection([]byte(bad)); err == nil {
			t.Errorf("ParseCollection(%.40q) accepted", bad)
		}
	}
}

// An object fetched by id is read like an inline one, with the document
// as sent for Agora's terms; an activity is no object.
func TestParseObject(t *testing.T) {
	o, raw, err := ParseObject([]byte(`{"id":"https://a.example/apps/x","type":"Page","name":"X","agora:publiccodeYml":"name: X"}`))
	if err != nil || o.ID != "https://a.example/apps/x" || o.Type != "Page" || o.Name != "X" || raw[TermPublicCode] != "name: X" {
		t.Errorf("ParseObject = %+v, %v, %v", o, raw, err)
	}
	for _, bad := range []string{`{"type":"Page"}`, `{"id":"https://a.example/1","type":"Create","object":"https://a.example/2"}`, `"x"`} {
		if _, _, err := ParseObject([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("ParseObject(%s) = %v, want malformed", bad, err)
		}
	}
}

package as2

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"
)

// MaxDocument is the largest document Parse reads, in bytes. The inbox
// limits bodies before this; Parse refuses on its own all the same.
const MaxDocument = 1 << 20

// maxDepth bounds activities inside activities: Announce{Create{Note}}
// has two levels, Announce{Undo{Like}} too.
const maxDepth = 3

// Errors of Parse. A *MalformedError says why; errors.Is(err,
// ErrMalformed) holds for it.
var (
	ErrMalformed = errors.New("as2: malformed activity")
	ErrTooLarge  = errors.New("as2: document larger than 1 MiB")
)

// MalformedError is a document that is not an activity Agora can read.
type MalformedError struct {
	Reason string
}

func (e *MalformedError) Error() string { return "as2: malformed activity: " + e.Reason }
func (e *MalformedError) Unwrap() error { return ErrMalformed }

func malformed(format string, args ...any) error {
	return &MalformedError{Reason: fmt.Sprintf(format, args...)}
}

// Activity is an incoming activity, normalised from what Mastodon, Lemmy,
// Mbin, Misskey, PeerTube, Pleroma and others send.
type Activity struct {
	ID, Type, Actor string // Type as sent: Create, Like, EmojiReact…

	// ObjectID is the id of the object, whether it came inline or as an
	// IRI. Object is the object when it came inline and is not itself an
	// activity; Inner is the activity when one came inline
	// (Announce{Create{Note}}, Undo{Follow}, Accept{Follow}).
	ObjectID string
	Object   *Object
	Inner    *Activity

	Targets []string // when object is a list (Flag: the actor and the posts reported)
	Content string   // Flag: the reason; EmojiReact: the emoji
	To, Cc  []string
	Raw     map[string]any // the activity as sent
}

// Object is an incoming object, a Note or a Page mostly.
type Object struct {
	ID, Type string
	// AttributedTo is the author: for PeerTube's [Person, channel Group],
	// the Person.
	AttributedTo string
	InReplyTo    string
	Context      string // FEP-7888 context, or Pleroma's conversation
	Audience     string // Lemmy's and Mbin's community
	Name         string
	URL          string // the page for people, text/html when there is a choice

	// Content is the HTML as sent, for the caller to sanitise; when a
	// server sent none, the first of contentMap, source.content and
	// Misskey's _misskey_content. MediaType says which it is:
	// "text/html", "text/markdown" (PeerTube, Lemmy's source),
	// "text/x.misskeymarkdown"…
	Content   string
	MediaType string
	Summary   string // a content warning, for Mastodon and Misskey
	Sensitive bool
	Quote     string // the object quoted (quote, _misskey_quote, quoteUrl, quoteUri)

	Published, Updated time.Time
	To, Cc             []string
	Attachments        []Attachment
}

// Attachment is a file joined to an object.
type Attachment struct {
	URL, MediaType, Name string
}

// activityTypes are the types whose inline object is read as an activity
// (Inner) rather than as an object. Question, an activity in AS2, is
// Mastodon's poll: an object here.
var activityTypes = map[string]bool{
	"Accept": true, "Add": true, "Announce": true, "Block": true, "Create": true, "Delete": true,
	"Dislike": true, "EmojiReact": true, "Flag": true, "Follow": true, "Ignore": true, "Invite": true,
	"Join": true, "Leave": true, "Like": true, "Lock": true, "Move": true, "Offer": true, "Read": true,
	"Reject": true, "Remove": true, "TentativeAccept": true, "TentativeReject": true, "Undo": true,
	"Update": true, "View": true,
}

// Parse reads an activity. It needs an id, a type, an actor and an
// object; it ignores every property it does not know, and takes each one
// it knows in the shapes servers send (a string or a list, an IRI or an
// object).
func Parse(body []byte) (*Activity, error) {
	if len(body) > MaxDocument {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, len(body))
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, malformed("not JSON: %v", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, malformed("not a JSON object but %s", kind(v))
	}
	return parseActivity(m, 1)
}

func parseActivity(m map[string]any, depth int) (*Activity, error) {
	a := &Activity{Raw: m, Type: typeOf(m["type"]), Content: str(m["content"]),
		To: refs(m["to"]), Cc: refs(m["cc"])}
	var err error
	if a.ID, err = requireURL("id", str(m["id"])); err != nil {
		return nil, err
	}
	if a.Type == "" {
		return nil, malformed("no type")
	}
	if a.Actor, err = requireURL("actor", ref(m["actor"])); err != nil {
		return nil, err
	}
	switch o := m["object"].(type) {
	case nil:
		return nil, malformed("%s %s has no object", a.Type, a.ID)
	case string:
		a.ObjectID = o
	case map[string]any:
		if !activityTypes[typeOf(o["type"])] {
			if a.Object, err = parseObject(o); err != nil {
				return nil, err
			}
			a.ObjectID = a.Object.ID
			break
		}
		if depth >= maxDepth {
			return nil, malformed("activities nested more than %d deep", maxDepth)
		}
		if a.Inner, err = parseActivity(o, depth+1); err != nil {
			var me *MalformedError
			if errors.As(err, &me) {
				return nil, malformed("inner %s: %s", typeOf(o["type"]), me.Reason)
			}
			return nil, err
		}
		a.ObjectID = a.Inner.ID
	case []any:
		a.Targets = refs(o)
		if len(a.Targets) == 0 {
			return nil, malformed("object is an empty list")
		}
		for _, t := range a.Targets {
			if _, err := requireURL("object", t); err != nil {
				return nil, err
			}
		}
		a.ObjectID = a.Targets[0]
	default:
		return nil, malformed("object is %s", kind(o))
	}
	if _, err := requireURL("object", a.ObjectID); err != nil {
		return nil, err
	}
	return a, nil
}

func parseObject(m map[string]any) (*Object, error) {
	id, err := requireURL("object id", str(m["id"]))
	if err != nil {
		return nil, err
	}
	o := &Object{
		ID: id, Type: typeOf(m["type"]),
		AttributedTo: author(m["attributedTo"]),
		InReplyTo:    ref(m["inReplyTo"]),
		Context:      ref(m["context"]),
		Audience:     ref(m["audience"]),
		Name:         str(m["name"]),
		URL:          href(m["url"]),
		Summary:      str(m["summary"]),
		Published:    when(m["published"]),
		Updated:      when(m["updated"]),
		To:           refs(m["to"]),
		Cc:           refs(m["cc"]),
	}
	o.Sensitive, _ = m["sensitive"].(bool)
	for _, k := range []string{"quote", "_misskey_quote", "quoteUrl", "quoteUri"} {
		if o.Quote = ref(m[k]); o.Quote != "" {
			break
		}
	}
	o.Content, o.MediaType = content(m)
	for _, x := range asList(m["attachment"]) {
		var at Attachment
		switch x := x.(type) {
		case string:
			at.URL = x
		case map[string]any:
			at = Attachment{URL: href(x["url"]), MediaType: str(x["mediaType"]), Name: str(x["name"])}
			if at.URL == "" {
				at.URL = str(x["href"]) // Lemmy's Link
			}
		}
		if at.URL != "" { // Mastodon's profile fields (PropertyValue) have none
			o.Attachments = append(o.Attachments, at)
		}
	}
	return o, nil
}

// content returns an object's text and its media type: content, else the
// first of contentMap (by language, for a stable choice), else the source
// as written (an object, or Pleroma's bare string), else Misskey's MFM.
func content(m map[string]any) (string, string) {
	if c := str(m["content"]); c != "" {
		return c, cmp.Or(str(m["mediaType"]), "text/html")
	}
	if cm, ok := m["contentMap"].(map[string]any); ok {
		langs := make([]string, 0, len(cm))
		for l := range cm {
			langs = append(langs, l)
		}
		slices.Sort(langs)
		for _, l := range langs {
			if c := str(cm[l]); c != "" {
				return c, "text/html"
			}
		}
	}
	switch s := m["source"].(type) {
	case map[string]any:
		if c := str(s["content"]); c != "" {
			return c, cmp.Or(str(s["mediaType"]), "text/plain")
		}
	case string:
		if s != "" {
			return s, "text/plain"
		}
	}
	if c := str(m["_misskey_content"]); c != "" {
		return c, "text/x.misskeymarkdown"
	}
	return "", ""
}

// requireURL checks that an id is an absolute http(s) URL: the caller
// compares its host with the signer's.
func requireURL(what, s string) (string, error) {
	if s == "" {
		return "", malformed("no %s", what)
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", malformed("%s %q is not an http(s) URL", what, s)
	}
	return s, nil
}

// str returns v if it is a string, else "" (null included).
func str(v any) string {
	s, _ := v.(string)
	return s
}

// typeOf returns a type: a string, or the first of a list of them.
func typeOf(v any) string {
	if l, ok := v.([]any); ok && len(l) > 0 {
		return str(l[0])
	}
	return str(v)
}

// ref returns the id in v: an IRI, an object's id, or the first of a
// list of either.
func ref(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		return str(v["id"])
	case []any:
		for _, x := range v {
			if r := ref(x); r != "" {
				return r
			}
		}
	}
	return ""
}

// refs returns every id in v, a single value or a list.
func refs(v any) []string {
	var out []string
	for _, x := range asList(v) {
		if r := ref(x); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// author returns the Person of a list of actors (PeerTube's video and
// comment name the account and its channel), else the first one.
func author(v any) string {
	for _, x := range asList(v) {
		if m, ok := x.(map[string]any); ok && typeOf(m["type"]) == "Person" {
			if id := str(m["id"]); id != "" {
				return id
			}
		}
	}
	return ref(v)
}

// href returns a url: an IRI, a Link's href, or from a list the link to
// the page for people (text/html) if one says so, else the first.
func href(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		return cmp.Or(str(v["href"]), str(v["id"]))
	case []any:
		for _, x := range v {
			if m, ok := x.(map[string]any); ok && str(m["mediaType"]) == "text/html" {
				return href(m)
			}
		}
		for _, x := range v {
			if h := href(x); h != "" {
				return h
			}
		}
	}
	return ""
}

// when reads a date, zero when it is missing or unreadable.
func when(v any) time.Time {
	t, err := time.Parse(time.RFC3339Nano, str(v))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

// kind names a JSON value's type, for errors.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	}
	return "an object"
}

// ParseObject reads an object fetched by its id (a Page, a Note), in the
// same shapes as an inline one. It also returns the document as sent,
// for the properties Object does not carry (Agora's own terms).
func ParseObject(body []byte) (*Object, map[string]any, error) {
	if len(body) > MaxDocument {
		return nil, nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, len(body))
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, nil, malformed("not a JSON object: %v", err)
	}
	if activityTypes[typeOf(m["type"])] {
		return nil, nil, malformed("%s is an activity, not an object", typeOf(m["type"]))
	}
	o, err := parseObject(m)
	if err != nil {
		return nil, nil, err
	}
	return o, m, nil
}

// Page is one page of a collection as read: the ids of the objects it
// lists and the page after it.
type Page struct {
	// Items are the ids listed, in order. An activity listed (Mastodon's
	// and Lemmy's outboxes list Create, Announce{Create}) stands for its
	// object.
	Items []string
	// Next is the page to read after this one: a page's next, or a
	// collection's first; "" at the end.
	Next string
}

// ParseCollection reads a collection or one of its pages. A first page
// given inline is read with the collection.
func ParseCollection(body []byte) (*Page, error) {
	if len(body) > MaxDocument {
		return nil, fmt.Errorf("%w (%d bytes)", ErrTooLarge, len(body))
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, malformed("not a JSON object: %v", err)
	}
	p := &Page{}
	p.add(m)
	p.Next = ref(m["next"])
	switch first := m["first"].(type) {
	case string:
		p.Next = first
	case map[string]any:
		if len(asList(first["orderedItems"]))+len(asList(first["items"])) == 0 {
			p.Next = str(first["id"]) // a link to it, not the page itself
			break
		}
		p.add(first)
		p.Next = ref(first["next"])
	}
	if p.Next != "" {
		if _, err := requireURL("next page", p.Next); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// add appends the items of a page (or of a collection that lists them).
func (p *Page) add(m map[string]any) {
	for _, key := range []string{"orderedItems", "items"} {
		for _, it := range asList(m[key]) {
			if id := itemID(it, 1); id != "" {
				p.Items = append(p.Items, id)
			}
		}
	}
}

// itemID is the id of what a collection lists: an IRI, an object's id,
// or for an activity that carries one, its object's.
func itemID(v any, depth int) string {
	m, ok := v.(map[string]any)
	if !ok {
		id, _ := requireURL("item", str(v))
		return id
	}
	switch typeOf(m["type"]) {
	case "Create", "Update", "Announce":
		if depth >= maxDepth {
			return ""
		}
		return itemID(m["object"], depth+1)
	}
	id, _ := requireURL("item", str(m["id"]))
	return id
}

package as2

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// Namespace is the IRI of Agora's own JSON-LD terms. Documents declare it
// as the prefix "agora" and write the terms as compact IRIs
// ("agora:state"), so no reader confuses them with another vocabulary's
// "state" (PeerTube has one).
const Namespace = "https://joinagora.fr/ns#"

// Agora's terms. Readers that do not know them ignore them.
const (
	TermState          = "agora:state"          // a proposal's State, a debate's DebateState
	TermSupports       = "agora:supports"       // a proposal's count of supports (integer)
	TermThreshold      = "agora:threshold"      // the space's threshold of supports (integer, 0 for none)
	TermOfficialAnswer = "agora:officialAnswer" // the latest official answer, as written
	TermCategory       = "agora:category"       // the slug of a proposal's category
	TermAlignment      = "agora:alignment"      // for, against or neutral, on a comment
)

// jsonLDContext returns the @context of every document, a new value each
// time so that no caller can change another's.
func jsonLDContext() []any {
	return []any{
		"https://www.w3.org/ns/activitystreams",
		"https://w3id.org/security/v1",
		map[string]any{
			"agora":                     Namespace,
			"Hashtag":                   "as:Hashtag",
			"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
			"lemmy":                     "https://join-lemmy.org/ns#",
			"postingRestrictedToMods":   "lemmy:postingRestrictedToMods",
			// Mastodon's profile fields, on a budget project's figures.
			"schema":        "http://schema.org#",
			"PropertyValue": "schema:PropertyValue",
			"value":         "schema:value",
		},
	}
}

// Doc is a rendered document: the go-fed value, and the properties go-fed
// v1.0.0 has no vocabulary for, which Serialize adds to the map go-fed
// produces. A Doc made by Ref is a bare reference to an id.
type Doc struct {
	Value vocab.Type

	iri    string
	extra  map[string]any
	object *Doc   // an activity's object, whose extras go into "object"
	items  []*Doc // a collection page's items, whose extras go into "orderedItems"
	page   bool   // a collection page: "orderedItems" is written even when empty
}

// Ref is a reference to a document by its id, for an activity's object or
// a collection's item that is not inlined.
func Ref(iri string) *Doc { return &Doc{iri: iri} }

// ID returns the document's id.
func (d *Doc) ID() string {
	if d.Value == nil {
		return d.iri
	}
	if t, ok := d.Value.(interface{ GetJSONLDId() vocab.JSONLDIdProperty }); ok && t.GetJSONLDId() != nil {
		return t.GetJSONLDId().Get().String()
	}
	return ""
}

// Serialize returns the JSON of a document, with Agora's @context.
func Serialize(d *Doc) ([]byte, error) {
	m, err := d.Map()
	if err != nil {
		return nil, err
	}
	// HTML stays as written: json.Marshal's \u003c escapes are valid
	// JSON, but bloat content and make it unreadable in logs.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("as2: encode: %w", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Map returns a document as plain data, with Agora's @context.
func (d *Doc) Map() (map[string]any, error) {
	if d == nil || d.Value == nil {
		return nil, errors.New("as2: a reference has no document to serialise")
	}
	m, err := streams.Serialize(d.Value)
	if err != nil {
		return nil, fmt.Errorf("as2: serialise %s: %w", d.Value.GetTypeName(), err)
	}
	d.patch(m)
	// go-fed builds @context from a map, in random order: ours is fixed,
	// and declares the terms added above.
	m["@context"] = jsonLDContext()
	normalise(m)
	return m, nil
}

// patch adds the extras of d, and of its inline object and items, to m.
func (d *Doc) patch(m map[string]any) {
	for k, v := range d.extra {
		m[k] = clone(v)
	}
	if d.object != nil && d.object.Value != nil {
		if om, ok := m["object"].(map[string]any); ok {
			d.object.patch(om)
		}
	}
	if !d.page {
		return
	}
	items := asList(m["orderedItems"])
	for i, it := range d.items {
		if i >= len(items) {
			break
		}
		if im, ok := items[i].(map[string]any); ok && it.Value != nil {
			it.patch(im)
		}
	}
	m["orderedItems"] = items
}

// listKeys are the properties written as arrays even when they hold one
// value: go-fed writes one value bare, which AS2 allows, but Lemmy reads
// attachment and tag only as arrays, and arrays are what every server
// reads for the rest.
var listKeys = map[string]bool{"to": true, "cc": true, "bto": true, "bcc": true,
	"attachment": true, "tag": true, "orderedItems": true, "items": true}

// normalise writes listKeys as arrays, in m and every object inside it.
func normalise(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if listKeys[k] && x != nil {
				x = asList(x)
				v[k] = x
			}
			normalise(x)
		}
	case []any:
		for _, x := range v {
			normalise(x)
		}
	}
}

// asList returns v as a list: itself if it is one, else a list of it.
func asList(v any) []any {
	switch v := v.(type) {
	case nil:
		return []any{}
	case []any:
		return v
	}
	return []any{v}
}

// clone copies plain JSON data, so that serialising a Doc twice never
// shares (and normalise never changes) the Doc's own extras.
func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(v))
		for k, x := range v {
			c[k] = clone(x)
		}
		return c
	case []any:
		c := make([]any, len(v))
		for i, x := range v {
			c[i] = clone(x)
		}
		return c
	}
	return v
}

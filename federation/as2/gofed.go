package as2

import (
	"net/url"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// Small setters over go-fed's generated types: each takes the one method
// it needs, so one helper serves every type that has the property, and
// leaves the property out when the value is empty.

// iri parses an id. Ids are ours or were checked on the way in; one that
// does not parse is kept as written rather than dropped.
func iri(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{Opaque: s}
	}
	return u
}

func setID(t interface{ SetJSONLDId(vocab.JSONLDIdProperty) }, id string) {
	p := streams.NewJSONLDIdProperty()
	p.Set(iri(id))
	t.SetJSONLDId(p)
}

func setName(t interface {
	SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
}, s string) {
	if s == "" {
		return
	}
	p := streams.NewActivityStreamsNameProperty()
	p.AppendXMLSchemaString(s)
	t.SetActivityStreamsName(p)
}

func setContent(t interface {
	SetActivityStreamsContent(vocab.ActivityStreamsContentProperty)
}, s string) {
	if s == "" {
		return
	}
	p := streams.NewActivityStreamsContentProperty()
	p.AppendXMLSchemaString(s)
	t.SetActivityStreamsContent(p)
}

func setSummary(t interface {
	SetActivityStreamsSummary(vocab.ActivityStreamsSummaryProperty)
}, s string) {
	if s == "" {
		return
	}
	p := streams.NewActivityStreamsSummaryProperty()
	p.AppendXMLSchemaString(s)
	t.SetActivityStreamsSummary(p)
}

func setMediaType(t interface {
	SetActivityStreamsMediaType(vocab.ActivityStreamsMediaTypeProperty)
}, s string) {
	if s == "" {
		return
	}
	p := streams.NewActivityStreamsMediaTypeProperty()
	p.Set(s)
	t.SetActivityStreamsMediaType(p)
}

func setURL(t interface {
	SetActivityStreamsUrl(vocab.ActivityStreamsUrlProperty)
}, s string) {
	if s == "" {
		return
	}
	p := streams.NewActivityStreamsUrlProperty()
	p.AppendIRI(iri(s))
	t.SetActivityStreamsUrl(p)
}

func setAttributedTo(t interface {
	SetActivityStreamsAttributedTo(vocab.ActivityStreamsAttributedToProperty)
}, s string) {
	if s == "" {
		return
	}
	p := streams.NewActivityStreamsAttributedToProperty()
	p.AppendIRI(iri(s))
	t.SetActivityStreamsAttributedTo(p)
}

func setAudience(t interface {
	SetActivityStreamsAudience(vocab.ActivityStreamsAudienceProperty)
}, s string) {
	if s == "" {
		return
	}
	p := streams.NewActivityStreamsAudienceProperty()
	p.AppendIRI(iri(s))
	t.SetActivityStreamsAudience(p)
}

func setInReplyTo(t interface {
	SetActivityStreamsInReplyTo(vocab.ActivityStreamsInReplyToProperty)
}, s string) {
	if s == "" {
		return
	}
	p := streams.NewActivityStreamsInReplyToProperty()
	p.AppendIRI(iri(s))
	t.SetActivityStreamsInReplyTo(p)
}

func setContext(t interface {
	SetActivityStreamsContext(vocab.ActivityStreamsContextProperty)
}, s string) {
	if s == "" {
		return
	}
	p := streams.NewActivityStreamsContextProperty()
	p.AppendIRI(iri(s))
	t.SetActivityStreamsContext(p)
}

func setTo(t interface {
	SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
}, ids []string) {
	if len(ids) == 0 {
		return
	}
	p := streams.NewActivityStreamsToProperty()
	for _, id := range ids {
		p.AppendIRI(iri(id))
	}
	t.SetActivityStreamsTo(p)
}

func setCc(t interface {
	SetActivityStreamsCc(vocab.ActivityStreamsCcProperty)
}, ids []string) {
	if len(ids) == 0 {
		return
	}
	p := streams.NewActivityStreamsCcProperty()
	for _, id := range ids {
		p.AppendIRI(iri(id))
	}
	t.SetActivityStreamsCc(p)
}

func setPublished(t interface {
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
}, at time.Time) {
	if at.IsZero() {
		return
	}
	p := streams.NewActivityStreamsPublishedProperty()
	p.Set(at.UTC())
	t.SetActivityStreamsPublished(p)
}

// setUpdated writes updated only when it is later than published, to the
// second go-fed writes: Mastodon shows an object with updated as edited.
func setUpdated(t interface {
	SetActivityStreamsUpdated(vocab.ActivityStreamsUpdatedProperty)
}, published, at time.Time) {
	if at.IsZero() || !at.Truncate(time.Second).After(published.Truncate(time.Second)) {
		return
	}
	p := streams.NewActivityStreamsUpdatedProperty()
	p.Set(at.UTC())
	t.SetActivityStreamsUpdated(p)
}

// setActor sets an activity's actor.
func setActor(t interface {
	SetActivityStreamsActor(vocab.ActivityStreamsActorProperty)
}, s string) {
	p := streams.NewActivityStreamsActorProperty()
	p.AppendIRI(iri(s))
	t.SetActivityStreamsActor(p)
}

// setObject sets an activity's object: inline, or by id for a Ref.
func setObject(t interface {
	SetActivityStreamsObject(vocab.ActivityStreamsObjectProperty)
}, d *Doc) error {
	p := streams.NewActivityStreamsObjectProperty()
	if d.Value == nil {
		p.AppendIRI(iri(d.iri))
	} else if err := p.AppendType(d.Value); err != nil {
		return err
	}
	t.SetActivityStreamsObject(p)
	return nil
}

// collection is a Collection with an id and a count of its items, inlined
// as a Page's replies.
func collection(id string, total int) vocab.ActivityStreamsCollection {
	c := streams.NewActivityStreamsCollection()
	setID(c, id)
	n := streams.NewActivityStreamsTotalItemsProperty()
	n.Set(total)
	c.SetActivityStreamsTotalItems(n)
	return c
}

// source is the text as written, which Lemmy and others show for editing.
func source(content, mediaType string) map[string]any {
	return map[string]any{"content": content, "mediaType": mediaType}
}

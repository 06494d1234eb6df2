package as2

import (
	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// activityType is what the activities below have in common.
type activityType interface {
	vocab.Type
	SetJSONLDId(vocab.JSONLDIdProperty)
	SetActivityStreamsActor(vocab.ActivityStreamsActorProperty)
	SetActivityStreamsObject(vocab.ActivityStreamsObjectProperty)
	SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
	SetActivityStreamsCc(vocab.ActivityStreamsCcProperty)
}

// activity fills an activity. object is inline, or a Ref.
func activity(t activityType, id, actor string, object *Doc, to, cc []string) *Doc {
	setID(t, id)
	setActor(t, actor)
	if err := setObject(t, object); err != nil {
		// go-fed takes every type this package makes; a foreign one is
		// sent by id rather than not at all.
		setObject(t, Ref(object.ID()))
		object = nil
	}
	setTo(t, to)
	setCc(t, cc)
	return &Doc{Value: t, object: object}
}

// Create says actor published object; to and cc are usually the object's
// own (a Page's or a Note's: Public, the Group, its followers).
func Create(id, actor string, object *Doc, to, cc []string) *Doc {
	return activity(streams.NewActivityStreamsCreate(), id, actor, object, to, cc)
}

// Update says object changed: Mastodon and Lemmy replace their copy.
func Update(id, actor string, object *Doc, to, cc []string) *Doc {
	return activity(streams.NewActivityStreamsUpdate(), id, actor, object, to, cc)
}

// Delete says object is gone: a Tombstone, as Mastodon sends for a
// status, or a Ref to an actor deleting itself.
func Delete(id, actor string, object *Doc, to, cc []string) *Doc {
	return activity(streams.NewActivityStreamsDelete(), id, actor, object, to, cc)
}

// Undo takes back one of actor's activities (a Follow, an Announce),
// inline so the receiver need not fetch it.
func Undo(id, actor string, object *Doc, to, cc []string) *Doc {
	return activity(streams.NewActivityStreamsUndo(), id, actor, object, to, cc)
}

// Accept answers a Follow: object is the Follow as received (rebuilt with
// Follow from the parsed activity), to its actor.
func Accept(id, actor string, follow *Doc, to []string) *Doc {
	return activity(streams.NewActivityStreamsAccept(), id, actor, follow, to, nil)
}

// Reject refuses a Follow, like Accept.
func Reject(id, actor string, follow *Doc, to []string) *Doc {
	return activity(streams.NewActivityStreamsReject(), id, actor, follow, to, nil)
}

// Follow asks to follow object (an actor's id), addressed to it.
func Follow(id, actor, object string) *Doc {
	return activity(streams.NewActivityStreamsFollow(), id, actor, Ref(object), []string{object}, nil)
}

// Announce is a space's Group passing an activity on to its followers
// (FEP-1b12): the Create of a Page or a Note, an Update, a Delete, a Like.
// It is public and goes to the Group's followers.
func Announce(id, group string, object *Doc) *Doc {
	return activity(streams.NewActivityStreamsAnnounce(), id, group, object, []string{Public}, []string{Followers(group)})
}

// OrderedCollection is a collection's entry point: how many items it has
// and its first page, as Mastodon serves followers and outboxes. first
// may be "" for an empty collection.
func OrderedCollection(id string, total int, first string) *Doc {
	c := streams.NewActivityStreamsOrderedCollection()
	setID(c, id)
	n := streams.NewActivityStreamsTotalItemsProperty()
	n.Set(total)
	c.SetActivityStreamsTotalItems(n)
	if first != "" {
		f := streams.NewActivityStreamsFirstProperty()
		f.SetIRI(iri(first))
		c.SetActivityStreamsFirst(f)
	}
	return &Doc{Value: c}
}

// OrderedCollectionPage is one page of a collection: items are Refs (a
// followers page) or inline documents (an outbox page), in order; next
// and prev are the neighbouring pages, "" for none.
func OrderedCollectionPage(id, partOf string, items []*Doc, next, prev string) *Doc {
	c := streams.NewActivityStreamsOrderedCollectionPage()
	setID(c, id)
	part := streams.NewActivityStreamsPartOfProperty()
	part.SetIRI(iri(partOf))
	c.SetActivityStreamsPartOf(part)
	if next != "" {
		p := streams.NewActivityStreamsNextProperty()
		p.SetIRI(iri(next))
		c.SetActivityStreamsNext(p)
	}
	if prev != "" {
		p := streams.NewActivityStreamsPrevProperty()
		p.SetIRI(iri(prev))
		c.SetActivityStreamsPrev(p)
	}
	kept := make([]*Doc, 0, len(items))
	if len(items) > 0 {
		prop := streams.NewActivityStreamsOrderedItemsProperty()
		for _, it := range items {
			if it.Value == nil {
				prop.AppendIRI(iri(it.iri))
			} else if err := prop.AppendType(it.Value); err != nil {
				prop.AppendIRI(iri(it.ID())) // as in activity
				it = Ref(it.ID())
			}
			kept = append(kept, it)
		}
		c.SetActivityStreamsOrderedItems(prop)
	}
	return &Doc{Value: c, items: kept, page: true}
}

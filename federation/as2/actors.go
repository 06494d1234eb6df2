package as2

import (
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"agora/instances/accounts"
	"agora/instances/spaces"
)

// Renderer renders a node's things as documents. Lang picks the language
// of the few words added for readers in Mastodon and the like: "fr" (and
// "", the default) or "en".
type Renderer struct {
	IDs  IDs
	Lang string
}

// actorType is what Application, Group and Person have in common.
type actorType interface {
	vocab.Type
	SetJSONLDId(vocab.JSONLDIdProperty)
	SetActivityStreamsPreferredUsername(vocab.ActivityStreamsPreferredUsernameProperty)
	SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
	SetActivityStreamsUrl(vocab.ActivityStreamsUrlProperty)
	SetActivityStreamsInbox(vocab.ActivityStreamsInboxProperty)
	SetActivityStreamsOutbox(vocab.ActivityStreamsOutboxProperty)
	SetActivityStreamsFollowers(vocab.ActivityStreamsFollowersProperty)
	SetActivityStreamsFollowing(vocab.ActivityStreamsFollowingProperty)
	SetW3IDSecurityV1PublicKey(vocab.W3IDSecurityV1PublicKeyProperty)
}

// actor fills what every actor has: collections, key and endpoints.
// manual is manuallyApprovesFollowers.
func (r Renderer) actor(t actorType, id, page, username, name, publicKeyPEM string, manual bool) *Doc {
	setID(t, id)
	u := streams.NewActivityStreamsPreferredUsernameProperty()
	u.SetXMLSchemaString(username)
	t.SetActivityStreamsPreferredUsername(u)
	setName(t, name)
	setURL(t, page)

	inbox := streams.NewActivityStreamsInboxProperty()
	inbox.SetIRI(iri(Inbox(id)))
	t.SetActivityStreamsInbox(inbox)
	outbox := streams.NewActivityStreamsOutboxProperty()
	outbox.SetIRI(iri(Outbox(id)))
	t.SetActivityStreamsOutbox(outbox)
	followers := streams.NewActivityStreamsFollowersProperty()
	followers.SetIRI(iri(Followers(id)))
	t.SetActivityStreamsFollowers(followers)
	following := streams.NewActivityStreamsFollowingProperty()
	following.SetIRI(iri(Following(id)))
	t.SetActivityStreamsFollowing(following)

	key := streams.NewW3IDSecurityV1PublicKey()
	setID(key, KeyID(id))
	owner := streams.NewW3IDSecurityV1OwnerProperty()
	owner.Set(iri(id))
	key.SetW3IDSecurityV1Owner(owner)
	pem := streams.NewW3IDSecurityV1PublicKeyPemProperty()
	pem.Set(publicKeyPEM)
	key.SetW3IDSecurityV1PublicKeyPem(pem)
	keys := streams.NewW3IDSecurityV1PublicKeyProperty()
	keys.AppendW3IDSecurityV1PublicKey(key)
	t.SetW3IDSecurityV1PublicKey(keys)

	return &Doc{Value: t, extra: map[string]any{
		"endpoints":                 map[string]any{"sharedInbox": r.IDs.SharedInbox()},
		"manuallyApprovesFollowers": manual,
	}}
}

// Application is the node's own actor, which signs the fetches and the
// deliveries that are nobody's in particular. Like Mastodon's instance
// actor it takes no followers without approval.
func (r Renderer) Application(name, publicKeyPEM string) *Doc {
	return r.actor(streams.NewActivityStreamsApplication(), r.IDs.Instance(), r.IDs.abs(),
		r.IDs.Host(), name, publicKeyPEM, true)
}

// Group is a space, which anyone may follow from Mastodon or Lemmy, and
// which announces what happens in it (FEP-1b12). descriptionHTML is the
// space's description rendered and sanitised (spaces.Service
// DescriptionHTML). Only the node posts in it: postingRestrictedToMods
// tells Lemmy so.
func (r Renderer) Group(sp *spaces.Space, descriptionHTML, publicKeyPEM string) *Doc {
	g := streams.NewActivityStreamsGroup()
	id := r.IDs.Space(sp.Slug)
	d := r.actor(g, id, id, sp.Slug, sp.Title, publicKeyPEM, false)
	setSummary(g, descriptionHTML)
	setPublished(g, sp.CreatedAt)
	setUpdated(g, sp.CreatedAt, sp.UpdatedAt)
	if sp.Description != "" {
		d.extra["source"] = source(sp.Description, "text/markdown")
	}
	d.extra["postingRestrictedToMods"] = true
	return d
}

// Person is an account that chose to be public. Any other, or a deleted
// one, is rendered as a Tombstone that names nobody: a caller that serves
// it by mistake leaks nothing.
func (r Renderer) Person(a *accounts.Account, publicKeyPEM string) *Doc {
	id := r.IDs.Person(a.Handle)
	if a.Deleted() {
		return Tombstone(id, "Person", *a.DeletedAt)
	}
	if !a.Public {
		return Tombstone(id, "Person", time.Time{})
	}
	p := streams.NewActivityStreamsPerson()
	d := r.actor(p, id, id, a.Handle, a.DisplayName, publicKeyPEM, false)
	setPublished(p, a.CreatedAt)
	return d
}

package as2

import (
	"net/url"
	"strconv"
	"strings"
)

// Public is the special collection that makes a document public.
const Public = "https://www.w3.org/ns/activitystreams#Public"

// IDs makes the ActivityPub ids of a node's things: absolute URLs under
// Base, e.g. https://paris15.example. An id is also the address of the
// thing's HTML page, so people who follow a link land on it.
type IDs struct {
	Base *url.URL
}

// abs joins escaped path segments to the base URL.
func (ids IDs) abs(segments ...string) string {
	var b strings.Builder
	b.WriteString(strings.TrimRight(ids.Base.String(), "/"))
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// Instance is the node's own actor, an Application.
func (ids IDs) Instance() string { return ids.abs("actor") }

// Host is the node's host name, the instance actor's preferredUsername.
func (ids IDs) Host() string { return ids.Base.Hostname() }

// Space is a space's Group actor.
func (ids IDs) Space(slug string) string { return ids.abs("spaces", slug) }

// Person is a public account's Person actor.
func (ids IDs) Person(handle string) string { return ids.abs("people", handle) }

// Proposal is a proposal's Page.
func (ids IDs) Proposal(id string) string { return ids.abs("proposals", id) }

// Debate is a standalone debate's Page.
func (ids IDs) Debate(id string) string { return ids.abs("debates", id) }

// Comment is a comment's Note.
func (ids IDs) Comment(id string) string { return ids.abs("comments", id) }

// Note is a comment a resident sent to another city (federation.CommentRemote).
func (ids IDs) Note(id string) string { return ids.abs("notes", id) }

// BudgetStep is a step of a budget project's follow-up, a Note of the
// budget space's Group.
func (ids IDs) BudgetStep(id string) string { return ids.abs("budgets", "steps", id) }

// BudgetProject is a budget project's page.
func (ids IDs) BudgetProject(id string) string { return ids.abs("budgets", "projects", id) }

// Activity is an activity the node sends; id is opaque and chosen by the
// caller (the outbox event's, say), so that sending it twice sends the
// same id.
func (ids IDs) Activity(id string) string { return ids.abs("activities", id) }

// SharedInbox is the node's inbox for every local actor.
func (ids IDs) SharedInbox() string { return ids.abs("inbox") }

// Attachment is the n-th file (from 1) of a proposal.
func (ids IDs) Attachment(proposalID string, n int) string {
	return ids.Proposal(proposalID) + "/attachments/" + strconv.Itoa(n)
}

// Replies is the collection of the comments on a proposal or a debate
// page (its id).
func Replies(page string) string { return page + "/replies" }

// Inbox, Outbox, Followers and Following are an actor's collections;
// KeyID names its public key. They hang off the actor's id, which is ours.
func Inbox(actor string) string     { return actor + "/inbox" }
func Outbox(actor string) string    { return actor + "/outbox" }
func Followers(actor string) string { return actor + "/followers" }
func Following(actor string) string { return actor + "/following" }
func KeyID(actor string) string     { return actor + "#main-key" }

package web

import (
	"net/url"

	"agora/instances/accounts"
	"agora/instances/debates"
)

// Person is an author's name as pages show it, with the handle of their
// public profile ("" for a private or erased account, or a remote
// author: the name is then shown alone). The "person" partial renders it.
type Person struct {
	Name, Handle string
}

// ProfileHandle is the handle an account's name links to: its public
// profile's, or "" when it has none (private, erased, unknown).
func ProfileHandle(a *accounts.Account) string {
	if a == nil || !a.Public || a.Deleted() {
		return ""
	}
	return a.Handle
}

// CommentProfile is the handle of a comment's local author's public
// profile, or "".
func CommentProfile(c *debates.Comment) string {
	if c.Remote() || c.Author == nil || !c.Author.Public || c.Author.DeletedAt != nil {
		return ""
	}
	return c.Author.Handle
}

// ProfileURL is the page of a public profile.
func ProfileURL(handle string) string { return "/people/" + url.PathEscape(handle) }

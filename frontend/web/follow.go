package web

import "agora/frontend/i18n"

// FollowButton is the follow or unfollow form of a page that a signed-in
// resident may follow (a space, a proposal, a debate): the "follow"
// partial renders it, a POST to /follow or /unfollow that comes back to
// Back.
type FollowButton struct {
	L         *i18n.Printer
	Kind, ID  string
	Back      string // the page's path
	Following bool
	Done      string // "followed" or "unfollowed" just now, or ""
}

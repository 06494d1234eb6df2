package web

import "context"

// UnreadCounter counts a signed-in account's unread notifications, for
// the header.
type UnreadCounter func(ctx context.Context, accountID string) (int, error)

// Unread makes the header show, to signed-in readers, a link to their
// notifications with how many are unread (the surface that serves them
// sets it). Signed-in pages are never kept by the page cache, so no
// reader is shown another's count.
func (k *Kit) Unread(count UnreadCounter) { k.unread = count }

// unreadOf is the figure of the header for account id: 0 when no
// surface counts or counting failed (logged: a page is not refused for
// its header).
func (k *Kit) unreadOf(ctx context.Context, id string) int {
	if k.unread == nil || id == "" {
		return 0
	}
	n, err := k.unread(ctx, id)
	if err != nil {
		k.log.WarnContext(ctx, "count unread notifications", "err", err)
		return 0
	}
	return n
}

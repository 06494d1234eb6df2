package web

import (
	"context"
	"sync"
	"time"
)

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

// unreadKept keeps each reader's unread count for the page cache's time,
// for the header of the pages the cache shares with signed-in readers
// (see Kit.CacheForReaders): such a page then costs no database round
// trip at all. Only there: every other page counts afresh, so the
// notifications page, where a reader marks them read, never shows a
// stale count. A count is only ever shown to the account it was counted
// for (keyed by its id).
type unreadKept struct {
	ttl time.Duration
	now func() time.Time

	mu     sync.Mutex
	counts map[string]keptCount
}

type keptCount struct {
	n     int
	until time.Time
}

// unreadKeptMax bounds the kept counts; past it they start again.
const unreadKeptMax = 50_000

// sharedUnreadOf is unreadOf for the header of a shared page: kept for
// the page cache's time.
func (k *Kit) sharedUnreadOf(ctx context.Context, id string) int {
	c := k.unreadCache
	if c == nil || k.unread == nil || id == "" {
		return k.unreadOf(ctx, id)
	}
	now := c.now()
	c.mu.Lock()
	e, ok := c.counts[id]
	c.mu.Unlock()
	if ok && now.Before(e.until) {
		return e.n
	}
	n, err := k.unread(ctx, id)
	if err != nil {
		k.log.WarnContext(ctx, "count unread notifications", "err", err)
		return 0
	}
	c.mu.Lock()
	if len(c.counts) >= unreadKeptMax {
		clear(c.counts)
	}
	c.counts[id] = keptCount{n: n, until: now.Add(c.ttl)}
	c.mu.Unlock()
	return n
}

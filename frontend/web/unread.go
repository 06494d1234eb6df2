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
// sets it). Signed-in pages are never kept by the page cache; on the
// pages it shares with signed-in readers, each reader's header is kept
// under their own account id (unreadKept), so no reader is shown
// another's count.
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

// unreadKept keeps, for the page cache's time, each signed-in reader's
// header as the pages the cache shares with them show it (see
// Kit.CacheForReaders): their unread count and the rendering of
// "reader-nav", so such a page costs no database round trip and no
// template. Only there: every other page counts afresh, so the
// notifications page, where a reader marks them read, never shows a
// stale count. An entry is keyed by the account's id, with the language
// and the roles it was rendered for (a role granted or removed shows at
// once), and is only ever shown to that account.
type unreadKept struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[string]keptNav
}

type keptNav struct {
	key   string // language and roles
	nav   []byte
	until time.Time
}

// unreadKeptMax bounds the kept headers; past it they start again.
const unreadKeptMax = 50_000

// nav returns the kept header of account id for key, or renders and
// keeps it. With no cache (the page cache off), it renders every time.
func (c *unreadKept) nav(ctx context.Context, id, key string, render func(context.Context) ([]byte, error)) ([]byte, error) {
	if c == nil {
		return render(ctx)
	}
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[id]
	c.mu.Unlock()
	if ok && e.key == key && now.Before(e.until) {
		return e.nav, nil
	}
	nav, err := render(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.entries) >= unreadKeptMax {
		clear(c.entries)
	}
	c.entries[id] = keptNav{key: key, nav: nav, until: now.Add(c.ttl)}
	c.mu.Unlock()
	return nav, nil
}

package accounts

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// sessionCache keeps, for a moment, what Authenticate found for a token
// (its session and account with roles), so a signed-in reader's request
// costs no database round trip for who they are. Keyed by the token's
// hash, as the sessions table is.
//
// This process forgets an entry at once when it ends the session
// (SignOut, EndSession, EndAllSessions) or changes the account (roles,
// profile, deletion): a revoked session stops working here on the next
// request. Another process running on the same database keeps its own
// entry up to ttl: a session ended there, or a role removed there, is
// still honoured here for at most ttl (see docs/ARCHITECTURE.md). Expiry
// and idle time are checked on every use, and last use is still
// recorded (touchEvery), as without the cache.
type sessionCache struct {
	ttl time.Duration
	max int

	mu      sync.Mutex
	gen     uint64 // moved by every forget: a lookup begun before it is not kept
	entries map[string]sessionEntry
}

type sessionEntry struct {
	acc   *Account
	sess  Session
	until time.Time
}

// sessionCacheMax bounds the entries; past it the cache starts empty
// again (refilling costs one lookup per signed-in reader).
const sessionCacheMax = 50_000

// CacheSessions makes Authenticate keep what it found for ttl in this
// process (0 turns it off, the default). Call it before serving.
func (s *Service) CacheSessions(ttl time.Duration) {
	if ttl <= 0 {
		s.sessions = nil
		return
	}
	s.sessions = &sessionCache{ttl: ttl, max: sessionCacheMax, entries: map[string]sessionEntry{}}
}

// generation is the cache's generation before a lookup.
func (c *sessionCache) generation() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// get returns copies of the kept account and session of hash, if any.
func (c *sessionCache) get(hash string, now time.Time) (*Account, *Session, bool) {
	if c == nil {
		return nil, nil, false
	}
	c.mu.Lock()
	e, ok := c.entries[hash]
	c.mu.Unlock()
	if !ok || !now.Before(e.until) {
		return nil, nil, false
	}
	sess := e.sess
	return cloneAccount(e.acc), &sess, true
}

// put keeps what a lookup begun at generation gen found, unless
// something was forgotten since.
func (c *sessionCache) put(gen uint64, hash string, acc *Account, sess *Session, now time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if len(c.entries) >= c.max {
		clear(c.entries)
	}
	c.entries[hash] = sessionEntry{acc: cloneAccount(acc), sess: *sess, until: now.Add(c.ttl)}
}

// touched records a session's new last use in its entry.
func (c *sessionCache) touched(hash string, at time.Time) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[hash]; ok {
		e.sess.LastSeenAt = at
		c.entries[hash] = e
	}
}

// forgetSession drops the entry of one token hash.
func (c *sessionCache) forgetSession(hash string) {
	c.forget(func(h string, _ sessionEntry) bool { return h == hash })
}

// forgetAccount drops every entry of an account.
func (c *sessionCache) forgetAccount(accountID string) {
	c.forget(func(_ string, e sessionEntry) bool { return e.sess.AccountID == accountID })
}

func (c *sessionCache) forget(match func(string, sessionEntry) bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	maps.DeleteFunc(c.entries, match)
}

// cloneAccount copies an account so that no caller shares the cache's.
func cloneAccount(a *Account) *Account {
	c := *a
	c.Roles = slices.Clone(a.Roles)
	c.WebAuthnID = slices.Clone(a.WebAuthnID)
	return &c
}

package federation

import (
	"context"
	"sync"
	"time"

	"agora/federation/signature"
)

// keyCacheTTL is how long a remote key is used from the process's memory
// before it is read from the database again: another process may have
// fetched the actor anew (a rotated key) in the meantime. A signature
// that does not verify with a cached key goes around the cache (refetch).
const keyCacheTTL = time.Minute

// keyCache keeps remote actors' public keys by keyId, parsed, so that a
// flood of activities from known actors costs no database read and no
// PEM parsing per request. Safe to lose; bounded by keyStateMax.
type keyCache struct {
	mu   sync.Mutex
	keys map[string]cachedKey
}

type cachedKey struct {
	key       *signature.Key
	fetchedAt time.Time // when the node fetched the actor
	until     time.Time // when the entry must be read again
}

func newKeyCache() *keyCache { return &keyCache{keys: map[string]cachedKey{}} }

func (c *keyCache) get(keyID string, now time.Time) (cachedKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.keys[keyID]
	if ok && !now.Before(k.until) {
		delete(c.keys, keyID)
		return cachedKey{}, false
	}
	return k, ok
}

func (c *keyCache) put(key *signature.Key, fetchedAt, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.keys) >= keyStateMax {
		for id, k := range c.keys {
			if !now.Before(k.until) {
				delete(c.keys, id)
			}
		}
		if len(c.keys) >= keyStateMax {
			clear(c.keys)
		}
	}
	c.keys[key.ID] = cachedKey{key: key, fetchedAt: fetchedAt, until: now.Add(keyCacheTTL)}
}

// forget drops every key of owner (its actor was fetched again).
func (c *keyCache) forget(owner string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, k := range c.keys {
		if k.key.Owner == owner {
			delete(c.keys, id)
		}
	}
}

// keyFetchNote records, for one inbox request, the hosts whose key-fetch
// token it took: once its signature verifies, they are given back (see
// keyFetches.refund).
type keyFetchNote struct {
	mu    sync.Mutex
	hosts []string
}

type keyFetchNoteKey struct{}

func withKeyFetchNote(ctx context.Context) (context.Context, *keyFetchNote) {
	n := &keyFetchNote{}
	return context.WithValue(ctx, keyFetchNoteKey{}, n), n
}

// noteKeyFetch records that ctx's request took a token of host, and
// reports whether it could (the request settles it later).
func noteKeyFetch(ctx context.Context, host string) bool {
	n, ok := ctx.Value(keyFetchNoteKey{}).(*keyFetchNote)
	if ok {
		n.mu.Lock()
		n.hosts = append(n.hosts, host)
		n.mu.Unlock()
	}
	return ok
}

// settle ends the request's fetches: their tokens are given back if its
// signature verified with the keys fetched (the fetch was the host's own
// doing: a new actor of a busy server), kept if not (a bad signature
// made the node fetch).
func (n *keyFetchNote) settle(k *keyFetches, verified bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, h := range n.hosts {
		k.settle(h, verified)
	}
	n.hosts = nil
}

// settle ends a fetch of host's, giving its token back if refund.
func (k *keyFetches) settle(host string, refund bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if b := k.buckets[host]; b != nil {
		b.inFlight = max(0, b.inFlight-1)
		if refund {
			b.tokens = min(keyFetchBurst, b.tokens+1)
		}
	}
}

// keyFetchWait is how long a request waits for a token of its host's
// bucket when it is empty while fetches from that host are in flight:
// those give their tokens back once their signatures verify (a busy
// server's new actors arriving all at once). With none in flight, the
// answer is at once.
const keyFetchWait = 10 * time.Second

// allowWithin is allow, waiting up to wait for a token while other
// fetches from host are in flight.
func (k *keyFetches) allowWithin(ctx context.Context, host string, wait time.Duration) bool {
	deadline := time.Now().Add(wait)
	for {
		ok, inFlight := k.take(host)
		if ok {
			return true
		}
		if inFlight == 0 || time.Now().After(deadline) {
			return false
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// take is allow, counting the fetch in flight until settled, and says
// how many are.
func (k *keyFetches) take(host string) (bool, int) {
	ok := k.allow(host)
	k.mu.Lock()
	defer k.mu.Unlock()
	b := k.buckets[host]
	if b == nil {
		return ok, 0
	}
	if ok {
		b.inFlight++
	}
	return ok, b.inFlight
}

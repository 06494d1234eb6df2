package federation

import (
	"errors"
	"sync"
	"time"
)

// What a request with a bad signature can make the node fetch is bounded,
// so that the node cannot be turned against a host (amplification): each
// keyId that could not be had is not asked for again for keyFailureTTL;
// each host is asked for at most keyFetchBurst keys at once, then one
// every keyFetchEvery; and a key the node already has is fetched again
// (the actor may have rotated it) at most once per keyRefetchAfter. The
// state is in the process (safe to lose): several processes each keep
// their own, which multiplies these bounds by their number, no more.
const (
	keyFetchBurst   = 20
	keyFetchEvery   = 3 * time.Second
	keyFailureTTL   = 10 * time.Minute
	keyRefetchAfter = 5 * time.Minute
	// keyStateMax bounds the hosts and keys remembered; past it the
	// oldest knowledge is dropped (a full bucket, an expired failure).
	keyStateMax = 10000
)

var (
	errKeyFailedRecently = errors.New("key could not be had a moment ago: not asked again yet")
	errKeyFetchLimit     = errors.New("too many key fetches from this host: not asked now")
)

// keyFetches holds the per-host token buckets and the recent failures.
type keyFetches struct {
	now func() time.Time

	mu       sync.Mutex
	buckets  map[string]*bucket   // by host
	failures map[string]time.Time // by keyId: until when not to ask
}

// bucket is a token bucket: tokens at time at.
type bucket struct {
	tokens   float64
	at       time.Time
	inFlight int // fetches taken and not yet settled (keycache.go)
}

func newKeyFetches(now func() time.Time) *keyFetches {
	return &keyFetches{now: now, buckets: map[string]*bucket{}, failures: map[string]time.Time{}}
}

// allow takes a token of host's bucket, if it has one.
func (k *keyFetches) allow(host string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	b := k.buckets[host]
	if b == nil {
		if len(k.buckets) >= keyStateMax {
			k.pruneBuckets(now)
		}
		b = &bucket{tokens: keyFetchBurst, at: now}
		k.buckets[host] = b
	}
	b.refill(now)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (b *bucket) refill(now time.Time) {
	if now.After(b.at) {
		b.tokens = min(keyFetchBurst, b.tokens+float64(now.Sub(b.at))/float64(keyFetchEvery))
		b.at = now
	}
}

// pruneBuckets forgets full buckets (nothing lost: a new one is full), or
// every bucket if none is full (an attack on many hosts at once).
func (k *keyFetches) pruneBuckets(now time.Time) {
	for h, b := range k.buckets {
		if b.refill(now); b.tokens >= keyFetchBurst {
			delete(k.buckets, h)
		}
	}
	if len(k.buckets) >= keyStateMax {
		clear(k.buckets)
	}
}

// failedRecently reports whether keyID could not be had within
// keyFailureTTL.
func (k *keyFetches) failedRecently(keyID string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	until, ok := k.failures[keyID]
	return ok && k.now().Before(until)
}

// failed remembers that keyID could not be had.
func (k *keyFetches) failed(keyID string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	now := k.now()
	if len(k.failures) >= keyStateMax {
		for id, until := range k.failures {
			if !now.Before(until) {
				delete(k.failures, id)
			}
		}
		if len(k.failures) >= keyStateMax {
			clear(k.failures)
		}
	}
	k.failures[keyID] = now.Add(keyFailureTTL)
}

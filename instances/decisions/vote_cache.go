package decisions

import (
	"context"
	"sync"
	"time"
)

// voteCache keeps votes read for ballots, for a moment: while a vote is
// open every ballot needs its method and options, and reading them is
// two of a ballot's round trips. A stale entry never records a ballot
// against old options: CastIn compares the entry's updated_at with the
// row's under the row's lock and reads the vote again when they differ.
// Entries expire after voteCacheTTL so that a change made by another
// process (closing times) shows here soon; this process forgets an
// entry at once when it updates or closes the vote.
type voteCache struct {
	mu      sync.Mutex
	entries map[string]voteEntry
}

type voteEntry struct {
	v     *Vote
	until time.Time
}

const (
	voteCacheTTL = 2 * time.Second
	voteCacheMax = 1000 // past it the cache starts empty again
)

func (c *voteCache) get(id string) (*Vote, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[id]
	if !ok || time.Now().After(e.until) {
		return nil, false
	}
	return e.v, true
}

func (c *voteCache) put(v *Vote) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= voteCacheMax {
		c.entries = map[string]voteEntry{}
	}
	c.entries[v.ID] = voteEntry{v: v, until: time.Now().Add(voteCacheTTL)}
}

func (c *voteCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, id)
}

// ForBallot returns a vote as ByID does, from a cache kept for ballots
// (see voteCache): for a caller that reads it to check a ballot and then
// passes it to CastIn. The vote is shared: do not change it.
func (s *Service) ForBallot(ctx context.Context, id string) (*Vote, error) {
	if v, ok := s.votes.get(id); ok {
		return v, nil
	}
	v, err := s.ByID(ctx, id)
	if err != nil {
		return nil, err
	}
	s.votes.put(v)
	return v, nil
}

package reports

import (
	"context"
	"sync"
	"time"
)

// AnswerTTL is how long an answer of the map's box query (Pins) or of
// the Open311 list (Requests) is served again to the next identical
// query. A write through this Service drops every answer at once, so
// this process shows its own changes immediately; a change made by
// another process (several serve processes on one PostgreSQL) or
// straight into the database shows within AnswerTTL.
const AnswerTTL = 2 * time.Second

// maxAnswers bounds the cache: past it, expired answers are dropped,
// then all of them if none was.
const maxAnswers = 4096

// answers is a short-lived cache of the public read queries' answers,
// keyed on the normalised query, with one query at a time per key: a
// crowd asking the same thing at once waits for one answer. An answer
// past half its lifetime that is asked again is read anew in the
// background while it is still served, so a key asked steadily is never
// waited for; none is served past its lifetime.
type answers struct {
	ttl  time.Duration
	mu   sync.Mutex
	gen  uint64 // bumped by every write: an answer read before it is not kept
	m    map[string]*answer
	now  func() time.Time // real time, not the node's clock (tests move that one)
	hits uint64
	// refreshes are the background reads running (tests wait for them).
	refreshes sync.WaitGroup
}

type answer struct {
	done       chan struct{} // closed when v and err are set
	at         time.Time
	v          any
	err        error
	refreshing bool
}

// loader reads an answer; ctx is the asker's, or for a background
// refresh one detached from it with refreshTimeout.
type loader func(ctx context.Context) (any, error)

// refreshTimeout bounds a background refresh.
const refreshTimeout = 10 * time.Second

func newAnswers(ttl time.Duration) *answers {
	return &answers{ttl: ttl, m: map[string]*answer{}, now: time.Now}
}

// get returns the answer to key: a fresh one from the cache, the one
// being computed by another caller, or load's.
func (a *answers) get(ctx context.Context, key string, load loader) (any, error) {
	a.mu.Lock()
	if a.ttl <= 0 {
		a.mu.Unlock()
		return load(ctx)
	}
	now := a.now()
	if e, ok := a.m[key]; ok && (e.at.IsZero() || now.Sub(e.at) < a.ttl) {
		a.hits++
		if !e.at.IsZero() && now.Sub(e.at) >= a.ttl/2 && !e.refreshing {
			e.refreshing = true
			a.refresh(ctx, key, e, load)
		}
		a.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err == nil {
			return e.v, nil
		}
		// The other caller's failure may be its own (its context
		// ended): ask again.
		return load(ctx)
	}
	if len(a.m) >= maxAnswers {
		a.prune(now)
	}
	e := &answer{done: make(chan struct{})}
	a.m[key] = e
	gen := a.gen
	a.mu.Unlock()

	v, err := load(ctx)
	a.mu.Lock()
	e.v, e.err = v, err
	e.at = a.now()
	if err != nil || a.gen != gen {
		// Not kept: a failure, or read while something was written.
		if a.m[key] == e {
			delete(a.m, key)
		}
	}
	a.mu.Unlock()
	close(e.done)
	return v, err
}

// refresh reads old's key anew in the background and puts the answer
// in its place, unless something was written meanwhile; a.mu is held.
func (a *answers) refresh(ctx context.Context, key string, old *answer, load loader) {
	gen := a.gen
	a.refreshes.Add(1)
	go func() {
		defer a.refreshes.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
		defer cancel()
		v, err := load(ctx)
		done := make(chan struct{})
		close(done)
		a.mu.Lock()
		defer a.mu.Unlock()
		if err != nil || a.gen != gen || a.m[key] != old {
			old.refreshing = false
			return
		}
		a.m[key] = &answer{done: done, at: a.now(), v: v}
	}()
}

// prune drops the expired answers, or all if none was; a.mu is held.
func (a *answers) prune(now time.Time) {
	for k, e := range a.m {
		if !e.at.IsZero() && now.Sub(e.at) >= a.ttl {
			delete(a.m, k)
		}
	}
	if len(a.m) >= maxAnswers {
		clear(a.m)
	}
}

// invalidate drops every answer: something was written.
func (a *answers) invalidate() {
	a.mu.Lock()
	a.gen++
	clear(a.m)
	a.mu.Unlock()
}

// changed is called after every write of the service.
// The map's cells hold only what a pin shows: the writes that change it
// (a report sent, a state changed) drop their report's cell themselves
// (moved), so that one city service's answer does not make every
// cell of the map be read again.
func (s *Service) changed() {
	s.answers.invalidate()
	s.categories.invalidate()
}

// moved is called after a write that changed what the map shows of a
// report in cell (nil: the report has no point).
func (s *Service) moved(cell *int64) {
	if cell != nil {
		s.pinCells.drop(*cell)
	}
}

// answerTTL is how long answers are kept now (0: not cached).
func (s *Service) answerTTL() time.Duration {
	s.answers.mu.Lock()
	defer s.answers.mu.Unlock()
	return s.answers.ttl
}

// SetAnswerTTL changes how long answers are kept (0: not cached), for
// the benchmark's figures without the cache; the default is AnswerTTL.
func (s *Service) SetAnswerTTL(ttl time.Duration) {
	for _, a := range []*answers{s.answers, s.categories} {
		a.mu.Lock()
		a.ttl = ttl
		clear(a.m)
		a.mu.Unlock()
	}
	s.pinCells.dropAll()
}

// AnswerHits is how many queries were answered from the cache, or for
// the map from the cells kept (the benchmark reports it).
func (s *Service) AnswerHits() uint64 {
	s.answers.mu.Lock()
	hits := s.answers.hits
	s.answers.mu.Unlock()
	s.pinCells.mu.Lock()
	defer s.pinCells.mu.Unlock()
	return hits + s.pinCells.hits
}

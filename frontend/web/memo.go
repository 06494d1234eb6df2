package web

import (
	"net/http"
	"sync"
	"time"
)

// readerMemo keeps, for the page cache's time, what a page read about
// its signed-in reader (their supports, follows, residency: see
// Kit.Memo), so a resident reloading a kept page costs no database round
// trip. Any request other than GET or HEAD by the reader forgets what is
// kept of them, before it is handled and again once it is (a read made
// meanwhile is not kept: a generation counter), so their own acts show
// at once. What others change for them (an agent at a desk, another
// process) shows within the cache's time, as with sessions.
type readerMemo struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	readers map[string]*memoReader
}

type memoReader struct {
	gen  uint64
	vals map[string]memoValue
}

type memoValue struct {
	v     any
	gen   uint64
	until time.Time
}

// memoReaders bounds the readers kept, memoPerReader what is kept of
// one (a reader going through many pages in the cache's time); past
// either, expired values go, then everything.
const (
	memoReaders   = 50_000
	memoPerReader = 32
)

// reader is the entry of account id, made if need be (m.mu held).
func (m *readerMemo) reader(id string) *memoReader {
	e := m.readers[id]
	if e == nil {
		if len(m.readers) >= memoReaders {
			clear(m.readers)
		}
		e = &memoReader{vals: map[string]memoValue{}}
		m.readers[id] = e
	}
	return e
}

func (m *readerMemo) forget(id string) {
	m.mu.Lock()
	e := m.reader(id)
	e.gen++
	clear(e.vals)
	m.mu.Unlock()
}

func (m *readerMemo) get(id, key string, load func() (any, error)) (any, error) {
	now := m.now()
	m.mu.Lock()
	e := m.reader(id)
	gen := e.gen
	if v, ok := e.vals[key]; ok && v.gen == gen && now.Before(v.until) {
		m.mu.Unlock()
		return v.v, nil
	}
	m.mu.Unlock()
	v, err := load()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if e := m.reader(id); e.gen == gen {
		if len(e.vals) >= memoPerReader {
			for k, old := range e.vals {
				if !now.Before(old.until) {
					delete(e.vals, k)
				}
			}
			if len(e.vals) >= memoPerReader {
				clear(e.vals)
			}
		}
		e.vals[key] = memoValue{v: v, gen: gen, until: now.Add(m.ttl)}
	}
	m.mu.Unlock()
	return v, nil
}

// forgetWriters forgets what is kept of a signed-in reader around each
// of their requests that may change something.
func (m *readerMemo) forgetWriters(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		acc := CurrentAccount(r)
		if acc == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		m.forget(acc.ID)
		defer m.forget(acc.ID)
		next.ServeHTTP(w, r)
	})
}

// Memo returns what load reads about the signed-in reader of r under
// key (e.g. "proposal-reader:ID"), kept for the page cache's time and
// forgotten as soon as the reader posts anything (see readerMemo). For
// the parts of a kept page filled per reader (ReaderPage): every other
// page reads afresh. Without a reader or a page cache, it loads.
func (k *Kit) Memo(r *http.Request, key string, load func() (any, error)) (any, error) {
	acc := CurrentAccount(r)
	if k.memo == nil || acc == nil {
		return load()
	}
	return k.memo.get(acc.ID, key, load)
}

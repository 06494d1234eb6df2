package web

import (
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"hash/crc32"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"agora/instances/accounts"
)

// pageCache keeps, for a moment, the pages and API answers anonymous
// visitors read most (lists, proposals, debates), so a crowd reading the
// same page costs one rendering per moment, not one per visitor. Signed-in
// visitors are not served from it, what they see depending on them (their
// supports, their forms), except on the pages declared with
// Kit.CacheForReaders, which depend on them through the header alone:
// they get the kept page with their own header in it (serveReader). It lives in the process and is safe to lose;
// a page is at most its TTL (AGORA_PAGE_CACHE, 2 s by default) stale.
type pageCache struct {
	ttl      time.Duration
	maxItems int
	maxBody  int
	prefixes []string // the paths whose GETs may be cached

	// Signed-in readers of the paths matching forReaders get the cached
	// page with readerNav's rendering between the first open and the
	// next close mark (see Kit.CacheForReaders).
	forReaders  []string
	readerNav   func(*http.Request) ([]byte, error)
	open, close []byte

	mu      sync.Mutex
	items   map[string]*cachedPage
	pending map[string]*sync.WaitGroup // one rendering per key at a time
}

type cachedPage struct {
	status int
	header http.Header
	body   []byte
	until  time.Time

	// The body gzipped, made by the first hit that accepts gzip: a crowd
	// on one page costs one compression, not one per visitor.
	gzipOnce sync.Once
	gz       []byte // nil when not worth compressing

	// The body cut at its reader marks, for signed-in readers (see
	// serveReader), made by the first such reader.
	readerOnce sync.Once
	reader     *readerParts // nil when the body has no marks
}

// readerParts is a kept page cut around the place of a reader's header:
// head ends with the open mark, tail starts with the close mark. For
// readers who accept gzip, each side is compressed once, as raw deflate
// that can be joined: head ends with a sync flush (byte-aligned, not
// final), tail with the final block; the reader's header goes between
// them as a stored block, and only the CRC of the whole is computed per
// request.
type readerParts struct {
	head, tail     []byte
	gzHead, gzTail []byte // nil when not worth compressing
	crcHead        uint32
}

const (
	pageCacheItems = 2000
	pageCacheBody  = 512 << 10
)

// newPageCache keeps the GETs under the path prefixes (surfaces name
// theirs with Kit.Cache).
func newPageCache(ttl time.Duration, prefixes []string) *pageCache {
	return &pageCache{ttl: ttl, maxItems: pageCacheItems, maxBody: pageCacheBody, prefixes: prefixes,
		items: map[string]*cachedPage{}, pending: map[string]*sync.WaitGroup{}}
}

// key returns the cache key of a request, or "" when it must not be cached.
func (c *pageCache) key(r *http.Request, sessionCookie string) string {
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		return ""
	}
	return c.anonymousKey(r)
}

// anonymousKey is the key of the page an anonymous visitor sending r
// would get, whatever session r carries, or "" when it must not be cached.
func (c *pageCache) anonymousKey(r *http.Request) string {
	if r.Method != http.MethodGet || c.ttl <= 0 {
		return ""
	}
	if strings.Contains(r.URL.Path, "/attachments/") {
		return ""
	}
	cached := false
	for _, p := range c.prefixes {
		if strings.HasPrefix(r.URL.Path, p) {
			cached = true
			break
		}
	}
	if !cached {
		return ""
	}
	// Everything a page may depend on for an anonymous visitor: the URL,
	// the language asked for, the visitor's shuffle seed and what they
	// accept (HTML or ActivityStreams JSON on the same URL).
	var b strings.Builder
	b.WriteString(r.URL.RequestURI())
	for _, name := range []string{"lang", "agora_seed"} {
		b.WriteByte('|')
		if ck, err := r.Cookie(name); err == nil {
			b.WriteString(ck.Value)
		}
	}
	b.WriteByte('|')
	b.WriteString(r.Header.Get("Accept-Language"))
	b.WriteByte('|')
	b.WriteString(r.Header.Get("Accept"))
	return b.String()
}

// readerKey is the key of the anonymous page a signed-in reader may get
// with their own header, or "".
func (c *pageCache) readerKey(r *http.Request) string {
	if c.readerNav == nil || CurrentAccount(r) == nil {
		return ""
	}
	for _, p := range c.forReaders {
		if pathMatch(p, r.URL.Path) {
			return c.anonymousKey(r)
		}
	}
	return ""
}

func (c *pageCache) middleware(sessionCookie string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if key := c.key(r, sessionCookie); key != "" {
				if p, rec := c.get(key, next, r); p != nil {
					p.write(w, r)
				} else {
					rec.flushTo(w)
				}
				return
			}
			if key := c.readerKey(r); key != "" && c.serveReader(w, r, key, next, sessionCookie) {
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// get returns the page of key, rendered by next for r if it is not
// kept; when the rendering cannot be kept, it comes back as rec.
func (c *pageCache) get(key string, next http.Handler, r *http.Request) (*cachedPage, *recorder) {
	for {
		c.mu.Lock()
		if p, ok := c.items[key]; ok && time.Now().Before(p.until) {
			c.mu.Unlock()
			return p, nil
		}
		if wg, busy := c.pending[key]; busy {
			c.mu.Unlock()
			wg.Wait() // another request renders it: take its result
			continue
		}
		wg := new(sync.WaitGroup)
		wg.Add(1)
		c.pending[key] = wg
		c.mu.Unlock()
		rec := &recorder{header: http.Header{}, status: http.StatusOK, limit: c.maxBody}
		var kept *cachedPage
		func() {
			defer func() {
				c.mu.Lock()
				delete(c.pending, key)
				if rec.cacheable() {
					if len(c.items) >= c.maxItems {
						c.evict()
					}
					kept = &cachedPage{status: rec.status, header: rec.header, body: rec.buf.Bytes(), until: time.Now().Add(c.ttl)}
					c.items[key] = kept
				}
				c.mu.Unlock()
				wg.Done()
			}()
			next.ServeHTTP(rec, r)
		}()
		if kept != nil {
			return kept, nil
		}
		return nil, rec
	}
}

// serveReader answers a signed-in reader with the page anonymous
// visitors get (kept, or rendered for no one now) and the reader's own
// header in it. It reports false, having written nothing, when it
// cannot (a page that cannot be kept, or without the marks): the caller
// then renders the page for the reader as usual.
func (c *pageCache) serveReader(w http.ResponseWriter, r *http.Request, key string, next http.Handler, sessionCookie string) bool {
	p, _ := c.get(key, next, anonymous(r, sessionCookie))
	if p == nil {
		return false
	}
	p.readerOnce.Do(func() { p.reader = cutAtMarks(p.header, p.body, c.open, c.close) })
	parts := p.reader
	if parts == nil {
		return false
	}
	nav, err := c.readerNav(r)
	if err != nil || len(nav) > 0xffff {
		return false
	}
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	if parts.gzHead != nil && r.Method != http.MethodHead && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		crc := crc32.Update(parts.crcHead, crc32.IEEETable, nav)
		crc = crc32.Update(crc, crc32.IEEETable, parts.tail)
		size := len(parts.head) + len(nav) + len(parts.tail)
		n := len(nav)
		stored := []byte{0, byte(n), byte(n >> 8), ^byte(n), ^byte(n >> 8)} // a stored block, not final
		trailer := binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, crc), uint32(size))
		markGzipped(h)
		h.Set("Content-Length", strconv.Itoa(len(gzipHeader)+len(parts.gzHead)+len(stored)+n+len(parts.gzTail)+len(trailer)))
		w.WriteHeader(p.status)
		for _, b := range [][]byte{gzipHeader, parts.gzHead, stored, nav, parts.gzTail, trailer} {
			w.Write(b)
		}
		return true
	}
	h.Set("Content-Length", strconv.Itoa(len(parts.head)+len(nav)+len(parts.tail)))
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		w.Write(parts.head)
		w.Write(nav)
		w.Write(parts.tail)
	}
	return true
}

// gzipHeader opens a gzip member with no name, time or extra field.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// cutAtMarks cuts body around the first open mark and the next close
// mark, compressing each side when an answer with header h is worth it;
// nil when the marks are not there.
func cutAtMarks(h http.Header, body, open, close []byte) *readerParts {
	i := bytes.Index(body, open)
	if i < 0 {
		return nil
	}
	i += len(open)
	j := bytes.Index(body[i:], close)
	if j < 0 {
		return nil
	}
	j += i
	parts := &readerParts{head: body[:i], tail: body[j:]}
	mediaType, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if !compressibleTypes[mediaType] || h.Get("Content-Encoding") != "" || len(body) < minCompress {
		return parts // not worth it, as Compress would judge
	}
	var head, tail bytes.Buffer
	fw := flateWriters.Get().(*flate.Writer)
	fw.Reset(&head)
	fw.Write(parts.head)
	fw.Flush()
	fw.Reset(&tail)
	fw.Write(parts.tail)
	fw.Close()
	fw.Reset(io.Discard)
	flateWriters.Put(fw)
	parts.gzHead, parts.gzTail = head.Bytes(), tail.Bytes()
	parts.crcHead = crc32.ChecksumIEEE(parts.head)
	return parts
}

var flateWriters = sync.Pool{New: func() any {
	fw, _ := flate.NewWriter(io.Discard, flate.BestSpeed)
	return fw
}}

// anonymous is r as a visitor who is not signed in sends it: no account
// bound, no session cookie.
func anonymous(r *http.Request, sessionCookie string) *http.Request {
	ctx := context.WithValue(r.Context(), accountKey, (*accounts.Account)(nil))
	ctx = context.WithValue(ctx, sessionKey, (*accounts.Session)(nil))
	a := r.Clone(ctx)
	a.Header.Del("Cookie")
	for _, ck := range r.Cookies() {
		if ck.Name != sessionCookie {
			a.AddCookie(ck)
		}
	}
	return a
}

// evict drops expired pages, or everything when none has expired: the
// cache only saves work, and refilling it is cheap.
func (c *pageCache) evict() {
	now := time.Now()
	for k, p := range c.items {
		if now.After(p.until) {
			delete(c.items, k)
		}
	}
	if len(c.items) >= c.maxItems {
		clear(c.items)
	}
}

func (p *cachedPage) write(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	body := p.body
	if r.Method != http.MethodHead && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		p.gzipOnce.Do(func() { p.gz = gzipped(p.header, p.body) })
		if p.gz != nil {
			markGzipped(h) // replaces values: the cached header is untouched
			h.Set("Content-Length", strconv.Itoa(len(p.gz)))
			body = p.gz
		}
	}
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// recorder buffers a response to cache it, up to a size limit.
type recorder struct {
	header      http.Header
	status      int
	buf         bytes.Buffer
	limit       int
	over        bool
	wroteHeader bool
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	if r.buf.Len()+len(b) > r.limit {
		r.over = true
	}
	return r.buf.Write(b)
}

// cacheable: a whole, successful page that sets no cookie.
func (r *recorder) cacheable() bool {
	return r.status == http.StatusOK && !r.over && len(r.header.Values("Set-Cookie")) == 0
}

func (r *recorder) flushTo(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	w.WriteHeader(r.status)
	w.Write(r.buf.Bytes())
}

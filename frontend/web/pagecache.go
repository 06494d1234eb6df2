package web

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klauspost/compress/flate"

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
	// page with their own rendering of each of its slots (see
	// Kit.CacheForReaders): readerNav fills the header's ("nav"), the
	// route's ReaderPage the others.
	forReaders []readerRoute
	readerNav  func(*http.Request) ([]byte, error)
	slots      Slots

	mu      sync.Mutex
	items   map[string]*cachedPage
	pending map[string]*sync.WaitGroup // one rendering per key at a time
}

// readerRoute is a pattern of pages signed-in readers get from the cache,
// and what fills their slots other than the header (nil: none).
type readerRoute struct {
	pattern string
	page    ReaderPage
}

// A ReaderPage fills, for the signed-in reader of r, the slots of a page
// kept for anonymous visitors (marked with Slots, the header's excepted),
// from kept, what the page's rendering handed to KeepForReaders. It
// returns a nil fill, and no error, when the page must be rendered for
// the reader instead (a reader whose roles change more than its slots);
// fill reports false for a slot it does not know, which has the same
// effect. fill is called once per slot, in the page's order, within the
// request.
type ReaderPage func(r *http.Request, kept any) (fill func(slot string) (Fill, bool), err error)

// A Fill is a reader's rendering of one slot. A large one that the page
// keeps for the reader across requests (a comment thread) is made with
// CompressedFill, so that a gzipped answer carries it compressed, once
// for all those requests; a small one goes in as is.
type Fill struct {
	HTML     []byte
	deflated []byte // HTML as raw deflate ending in a sync flush, or nil
	crc      uint32 // of HTML, when deflated is set
}

// CompressedFill is a Fill of html compressed now, for a part kept
// across requests.
func CompressedFill(html []byte) Fill {
	f := Fill{HTML: html}
	if len(html) >= minCompress {
		var b bytes.Buffer
		fw := flateWriters.Get().(*flate.Writer)
		fw.Reset(&b)
		fw.Write(html)
		fw.Flush()
		fw.Reset(io.Discard)
		flateWriters.Put(fw)
		f.deflated = b.Bytes()
		f.crc = crc32.ChecksumIEEE(html)
	}
	return f
}

type cachedPage struct {
	status int
	header http.Header
	body   []byte
	until  time.Time
	kept   any // what the rendering handed to KeepForReaders

	// The body gzipped, made by the first hit that accepts gzip: a crowd
	// on one page costs one compression, not one per visitor.
	gzipOnce sync.Once
	gz       []byte // nil when not worth compressing

	// The body cut at its slots, for signed-in readers (see
	// serveReader), made by the first such reader.
	readerOnce sync.Once
	reader     *readerParts // nil when the body has no slots
}

// readerParts is a kept page cut around its slots: static segments, and
// between two of them, the name of the slot a reader's own rendering
// goes in (the anonymous rendering of the slot is dropped). Each segment
// ends with the mark that opens the next slot and starts with the mark
// that closed the previous one, so a reader's page keeps the marks. For
// readers who accept gzip, each segment is compressed once as raw deflate
// of its own (no reference reaches into what precedes it, which differs
// per reader), ending with a sync flush, byte-aligned and not final, the
// last one with the final block; the reader's fills go between them as
// stored blocks and only the CRC of the whole is computed per request.
type readerParts struct {
	segs  [][]byte
	names []string // len(segs)-1
	gz    [][]byte // nil when not worth compressing
	crcs  []uint32 // each segment's CRC-32, with gz
	size  int      // of the segments
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

// readerRoute is the route of the anonymous page a signed-in reader of
// r may get with their own slots, and its key; "" when none.
func (c *pageCache) readerRoute(r *http.Request) (readerRoute, string) {
	if c.readerNav == nil || CurrentAccount(r) == nil {
		return readerRoute{}, ""
	}
	for _, rt := range c.forReaders {
		if pathMatch(rt.pattern, r.URL.Path) {
			return rt, c.anonymousKey(r)
		}
	}
	return readerRoute{}, ""
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
			if rt, key := c.readerRoute(r); key != "" && c.serveReader(w, r, key, rt.page, next, sessionCookie) {
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
		hold := new(keptHolder)
		var kept *cachedPage
		func() {
			defer func() {
				c.mu.Lock()
				delete(c.pending, key)
				if rec.cacheable() {
					if len(c.items) >= c.maxItems {
						c.evict()
					}
					kept = &cachedPage{status: rec.status, header: rec.header, body: rec.buf.Bytes(), until: time.Now().Add(c.ttl), kept: hold.v}
					c.items[key] = kept
				}
				c.mu.Unlock()
				wg.Done()
			}()
			next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), keptKey, hold)))
		}()
		if kept != nil {
			return kept, nil
		}
		return nil, rec
	}
}

// serveReader answers a signed-in reader with the page anonymous
// visitors get (kept, or rendered for no one now) and the reader's own
// rendering of each slot in it. It reports false, having written
// nothing, when it cannot (a page that cannot be kept, or without slots,
// or one its ReaderPage declines for this reader): the caller then
// renders the page for the reader as usual.
func (c *pageCache) serveReader(w http.ResponseWriter, r *http.Request, key string, page ReaderPage, next http.Handler, sessionCookie string) bool {
	p, _ := c.get(key, next, anonymous(r, sessionCookie))
	if p == nil {
		return false
	}
	p.readerOnce.Do(func() { p.reader = cutAtSlots(p.header, p.body, c.slots) })
	parts := p.reader
	if parts == nil {
		return false
	}
	var fill func(string) (Fill, bool)
	fills := make([]Fill, len(parts.names))
	size := parts.size
	for i, name := range parts.names {
		var b Fill
		if name == "nav" {
			var err error
			if b.HTML, err = c.readerNav(r); err != nil {
				return false
			}
		} else {
			if fill == nil {
				if page == nil {
					return false
				}
				var err error
				if fill, err = page(r, p.kept); err != nil || fill == nil {
					return false
				}
			}
			var ok bool
			if b, ok = fill(name); !ok {
				return false
			}
		}
		fills[i] = b
		size += len(b.HTML)
	}
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	if parts.gz != nil && r.Method != http.MethodHead && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		body := gzipBuffers.Get().(*bytes.Buffer)
		defer gzipBuffers.Put(body)
		body.Reset()
		body.Write(gzipHeader)
		// The trailer's CRC from the kept parts' own (crcCombine).
		crc := uint32(0)
		for i, seg := range parts.segs {
			body.Write(parts.gz[i])
			crc = crcCombine(crc, parts.crcs[i], len(seg))
			if i < len(fills) {
				f := fills[i]
				fillCRC := f.crc
				if f.deflated != nil {
					body.Write(f.deflated)
				} else {
					writeStored(body, f.HTML)
					fillCRC = crc32.ChecksumIEEE(f.HTML)
				}
				crc = crcCombine(crc, fillCRC, len(f.HTML))
			}
		}
		body.Write(binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, crc), uint32(size)))
		markGzipped(h)
		h.Set("Content-Length", strconv.Itoa(body.Len()))
		w.WriteHeader(p.status)
		w.Write(body.Bytes())
		return true
	}
	h.Set("Content-Length", strconv.Itoa(size))
	w.WriteHeader(p.status)
	if r.Method != http.MethodHead {
		for i, seg := range parts.segs {
			w.Write(seg)
			if i < len(fills) {
				w.Write(fills[i].HTML)
			}
		}
	}
	return true
}

var gzipBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeStored writes b as deflate stored blocks, none final.
func writeStored(w *bytes.Buffer, b []byte) {
	for len(b) > 0 {
		n := min(len(b), 0xffff)
		w.Write([]byte{0, byte(n), byte(n >> 8), ^byte(n), ^byte(n >> 8)})
		w.Write(b[:n])
		b = b[n:]
	}
}

// gzipHeader opens a gzip member with no name, time or extra field.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}

// cutAtSlots cuts body around its slots, compressing each segment when
// an answer with header h is worth it; nil when there is no slot, or a
// slot is not closed.
func cutAtSlots(h http.Header, body []byte, slots Slots) *readerParts {
	open, close := []byte(slots.open), []byte(slots.close)
	parts := &readerParts{}
	rest := body
	for {
		i := bytes.Index(rest, open)
		if i < 0 {
			break
		}
		end := bytes.Index(rest[i+len(open):], []byte("-->"))
		if end < 0 {
			return nil
		}
		name := string(rest[i+len(open) : i+len(open)+end])
		start := i + len(open) + end + len("-->")
		j := bytes.Index(rest[start:], close)
		if j < 0 {
			return nil
		}
		parts.segs = append(parts.segs, rest[:start])
		parts.names = append(parts.names, name)
		rest = rest[start+j:]
	}
	if len(parts.names) == 0 {
		return nil
	}
	parts.segs = append(parts.segs, rest)
	for _, seg := range parts.segs {
		parts.size += len(seg)
	}
	if !worthCompressing(h, len(body)) {
		return parts // not worth it, as Compress would judge
	}
	fw := flateWriters.Get().(*flate.Writer)
	for i, seg := range parts.segs {
		var b bytes.Buffer
		fw.Reset(&b)
		fw.Write(seg)
		if i < len(parts.names) {
			fw.Flush()
		} else {
			fw.Close()
		}
		parts.gz = append(parts.gz, b.Bytes())
		parts.crcs = append(parts.crcs, crc32.ChecksumIEEE(seg))
	}
	fw.Reset(io.Discard)
	flateWriters.Put(fw)
	return parts
}

// keptHolder receives, while a page is rendered for the cache, what its
// ReaderPage will need (KeepForReaders).
type keptHolder struct{ v any }

type keptKeyType struct{}

var keptKey keptKeyType

// KeepForReaders hands the page cache, with the page r is rendering for
// anonymous visitors, what the route's ReaderPage needs to fill the
// page's slots for a signed-in reader (the proposal it showed, say), so
// that the fills agree with the kept page and cost no second read. It
// does nothing when the page is not being rendered for the cache.
func KeepForReaders(r *http.Request, v any) {
	if h, ok := r.Context().Value(keptKey).(*keptHolder); ok {
		h.v = v
	}
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

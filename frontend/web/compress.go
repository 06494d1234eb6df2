package web

import (
	"bufio"
	"bytes"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// Compress gzips the answers worth it (HTML, JSON, CSS, JavaScript, SVG,
// Atom, plain text; at least minCompress bytes, or of unknown length) for
// clients that accept gzip, and adds "Vary: Accept-Encoding" to every
// answer of those types, compressed or not, so a shared cache keeps the
// two apart. Answers already encoded, ranges (206), bodiless statuses
// and HEAD pass untouched. Compression is at gzip's fastest level: on
// loopback and LAN the CPU matters more than the last bytes.
func Compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead || r.Header.Get("Range") != "" {
			next.ServeHTTP(w, r)
			return
		}
		cw := &compressWriter{ResponseWriter: w, accepts: acceptsGzip(r.Header.Get("Accept-Encoding"))}
		defer cw.close()
		next.ServeHTTP(cw, r)
	})
}

// minCompress is the smallest body worth compressing.
const minCompress = 1024

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

// compressibleTypes are the media types compressed.
var compressibleTypes = map[string]bool{
	"text/html": true, "text/css": true, "text/plain": true, "text/javascript": true, "text/xml": true,
	"application/javascript": true, "application/json": true, "application/activity+json": true,
	"application/ld+json": true, "application/jrd+json": true, "application/xrd+xml": true,
	"application/atom+xml": true, "application/xml": true, "image/svg+xml": true,
	"application/manifest+json": true, "application/problem+json": true,
}

// acceptsGzip reads Accept-Encoding: gzip (or x-gzip, or *) with a
// quality above 0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.ReplaceAll(strings.TrimSpace(params), " ", ""), "q="); ok {
			q, _ = strconv.ParseFloat(v, 64)
		}
		if q > 0 {
			return true
		}
	}
	return false
}

type compressWriter struct {
	http.ResponseWriter
	accepts     bool
	wroteHeader bool
	zw          *gzip.Writer // set when the body is compressed
}

// WriteHeader decides, from the headers the handler set, whether the body
// is compressed.
func (c *compressWriter) WriteHeader(status int) {
	if c.wroteHeader {
		c.ResponseWriter.WriteHeader(status)
		return
	}
	c.wroteHeader = true
	h := c.Header()
	mediaType, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	if !compressibleTypes[mediaType] || status < 200 || status == http.StatusNoContent ||
		status == http.StatusNotModified || status == http.StatusPartialContent {
		c.ResponseWriter.WriteHeader(status)
		return
	}
	h.Add("Vary", "Accept-Encoding")
	if !c.accepts || h.Get("Content-Encoding") != "" {
		c.ResponseWriter.WriteHeader(status)
		return
	}
	if cl := h.Get("Content-Length"); cl != "" {
		if n, err := strconv.Atoi(cl); err == nil && n < minCompress {
			c.ResponseWriter.WriteHeader(status)
			return
		}
	}
	markGzipped(h)
	c.zw = gzipWriters.Get().(*gzip.Writer)
	c.zw.Reset(c.ResponseWriter)
	c.ResponseWriter.WriteHeader(status)
}

func (c *compressWriter) Write(p []byte) (int, error) {
	if !c.wroteHeader {
		if c.Header().Get("Content-Type") == "" {
			c.Header().Set("Content-Type", http.DetectContentType(p))
		}
		c.WriteHeader(http.StatusOK)
	}
	if c.zw != nil {
		return c.zw.Write(p)
	}
	return c.ResponseWriter.Write(p)
}

// Flush sends what is compressed so far.
func (c *compressWriter) Flush() {
	if c.zw != nil {
		c.zw.Flush()
	}
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection (deadlines).
func (c *compressWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// Hijack is the underlying writer's, for the rare handler that needs it.
func (c *compressWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(c.ResponseWriter).Hijack()
}

func (c *compressWriter) close() {
	if c.zw != nil {
		c.zw.Close()
		c.zw.Reset(io.Discard)
		gzipWriters.Put(c.zw)
		c.zw = nil
	}
}

// markGzipped sets the headers of a gzipped body: its encoding, no
// length of the identity body, and a weak ETag (the bytes differ from the
// identity answer's, so a strong one must too; a weak one still matches
// If-None-Match).
func markGzipped(h http.Header) {
	h.Del("Content-Length")
	h.Set("Content-Encoding", "gzip")
	if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
		h.Set("ETag", "W/"+etag)
	}
}

// gzipped is body compressed, when an answer with header h is worth
// compressing (see Compress), or nil.
// worthCompressing says whether an answer with header h and a body of n
// bytes is compressed: a compressible type, not already encoded, and
// large enough.
func worthCompressing(h http.Header, n int) bool {
	mediaType, _, _ := mime.ParseMediaType(h.Get("Content-Type"))
	return compressibleTypes[mediaType] && h.Get("Content-Encoding") == "" && n >= minCompress
}

func gzipped(h http.Header, body []byte) []byte {
	if !worthCompressing(h, len(body)) {
		return nil
	}
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(body)
	zw.Close()
	zw.Reset(io.Discard)
	gzipWriters.Put(zw)
	return buf.Bytes()
}

package frontend

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// How long shared caches and clients may keep a public answer: short,
// so a support or an answer shows up within the minute, long enough to
// absorb a burst of readers of the same page.
const (
	apiMaxAge  = 30
	feedMaxAge = 300
)

// apiJSON answers v as JSON (public, cacheable, with an ETag).
func (s *server) apiJSON(w http.ResponseWriter, r *http.Request, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		s.render.fail(w, r, err)
		return
	}
	serveCached(w, r, "application/json; charset=utf-8", buf.Bytes(), apiMaxAge)
}

// serveCached answers a public body with its ETag (a hash of the bytes,
// so it follows the language and every change), or 304 Not Modified when
// the client already holds it. The body is built either way: the saving
// is the transfer, which is what matters on a slow link.
func serveCached(w http.ResponseWriter, r *http.Request, contentType string, body []byte, maxAge int) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(maxAge))
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// etagMatches applies If-None-Match's weak comparison (RFC 9110 13.1.2).
func etagMatches(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}

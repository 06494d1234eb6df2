package web

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
	APIMaxAge  = 30
	FeedMaxAge = 300
)

// PublicJSON answers v as JSON (public, cacheable, with an ETag).
func (k *Kit) PublicJSON(w http.ResponseWriter, r *http.Request, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		k.Fail(w, r, err)
		return
	}
	ServeCached(w, r, "application/json; charset=utf-8", buf.Bytes(), APIMaxAge)
}

// ServeCached answers a public body with its ETag (a hash of the bytes,
// so it follows the language and every change), or 304 Not Modified when
// the client already holds it. The body is built either way: the saving
// is the transfer, which is what matters on a slow link.
func ServeCached(w http.ResponseWriter, r *http.Request, contentType string, body []byte, maxAge int) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age="+strconv.Itoa(maxAge))
	if ETagMatches(r.Header.Get("If-None-Match"), etag) {
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

// ETagMatches applies If-None-Match's weak comparison (RFC 9110 13.1.2).
func ETagMatches(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}

// OpenData serves h at path as open data: GET and HEAD readable from any
// origin (the data is public and no request carries credentials, which
// the wildcard origin forbids), with the CORS preflight a client that
// sends If-None-Match or Accept-Language by hand needs.
//
// Such routes sit on the main router rather than on a PathPrefix
// subrouter: gorilla/mux 1.8 turns a subrouter's 405 into a 404 once it
// holds two routes.
func (k *Kit) OpenData(path string, h http.HandlerFunc) {
	k.router.Handle(path, openData(h)).Methods(http.MethodGet, http.MethodHead)
	k.router.Handle(path, openData(http.HandlerFunc(preflight))).Methods(http.MethodOptions)
}

func openData(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "ETag")
		next.ServeHTTP(w, r)
	})
}

func preflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Accept, Accept-Language, If-None-Match")
	h.Set("Access-Control-Max-Age", "86400")
	h.Set("Allow", "GET, HEAD, OPTIONS")
	w.WriteHeader(http.StatusNoContent)
}

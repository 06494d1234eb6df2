package web_test

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"agora/frontend/web"
)

// BenchmarkCompress gzips a page of about 11 KB as Compress serves it
// (klauspost/compress at its fastest level), beside the standard
// library's gzip at the same level writing the same page (what Compress
// used before 2026-12-08), so the two are compared in the same run.
//
//	go test -run '^$' -bench Compress -benchmem ./frontend/web/
func BenchmarkCompress(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Reçu de vote</title><link rel="stylesheet" href="/static/agora.css"></head><body><header><nav aria-label="Principal"><ul>`)
	for i := range 12 {
		fmt.Fprintf(&sb, `<li><a href="/spaces/%d">Espace %d</a></li>`, i, i)
	}
	sb.WriteString(`</ul></nav></header><main id="main">`)
	for i := 0; sb.Len() < 11_000; i++ {
		fmt.Fprintf(&sb, `<section class="card"><h2 id="s%d">Votre vote a été enregistré</h2><p>Gardez ce code : <strong>7QK2-M9ZD-R4TA-%04d</strong>. Il permet de vérifier que votre bulletin a été compté, une fois le vote clos.</p></section>`, i, i)
	}
	sb.WriteString(`</main><footer><p>Agora, logiciel libre.</p></footer></body></html>`)
	page := sb.String()
	b.Run("node", func(b *testing.B) {
		h := web.Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Content-Length", strconv.Itoa(len(page)))
			io.WriteString(w, page)
		}))
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", "gzip")
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			w := &discardWriter{h: http.Header{}}
			h.ServeHTTP(w, r)
		}
	})
	b.Run("stdlib-gzip", func(b *testing.B) {
		zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			zw.Reset(io.Discard)
			io.WriteString(zw, page)
			zw.Close()
		}
	})
}

// discardWriter is a ResponseWriter that keeps nothing of the body.
type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}

package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPageCache(t *testing.T) {
	var renders atomic.Int64
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := renders.Add(1)
		if r.URL.Query().Get("cookie") == "1" {
			http.SetCookie(w, &http.Cookie{Name: "x", Value: "y"})
		}
		if r.URL.Query().Get("fail") == "1" {
			w.WriteHeader(http.StatusInternalServerError)
		}
		w.Header().Set("Content-Type", "text/html")
		time.Sleep(10 * time.Millisecond)
		w.Write([]byte("page " + string(rune('0'+n%10))))
	})
	c := newPageCache(time.Hour, []string{"/spaces", "/proposals/"})
	h := c.middleware("agora_session")(page)
	get := func(target string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", target, nil)
		for _, ck := range cookies {
			r.AddCookie(ck)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	tests := []struct {
		name       string
		first      func() *httptest.ResponseRecorder
		again      func() *httptest.ResponseRecorder
		wantCached bool
	}{
		{"anonymous page", func() *httptest.ResponseRecorder { return get("/proposals/a") }, func() *httptest.ResponseRecorder { return get("/proposals/a") }, true},
		{"signed-in visitor", func() *httptest.ResponseRecorder {
			return get("/proposals/b", &http.Cookie{Name: "agora_session", Value: "t"})
		}, func() *httptest.ResponseRecorder {
			return get("/proposals/b", &http.Cookie{Name: "agora_session", Value: "t"})
		}, false},
		{"another seed", func() *httptest.ResponseRecorder {
			return get("/spaces/s/proposals", &http.Cookie{Name: "agora_seed", Value: "1"})
		}, func() *httptest.ResponseRecorder {
			return get("/spaces/s/proposals", &http.Cookie{Name: "agora_seed", Value: "2"})
		}, false},
		{"a page that sets a cookie", func() *httptest.ResponseRecorder { return get("/proposals/c?cookie=1") }, func() *httptest.ResponseRecorder { return get("/proposals/c?cookie=1") }, false},
		{"an error", func() *httptest.ResponseRecorder { return get("/proposals/d?fail=1") }, func() *httptest.ResponseRecorder { return get("/proposals/d?fail=1") }, false},
		{"a path not cached", func() *httptest.ResponseRecorder { return get("/account") }, func() *httptest.ResponseRecorder { return get("/account") }, false},
		{"an attachment", func() *httptest.ResponseRecorder { return get("/proposals/e/attachments/0") }, func() *httptest.ResponseRecorder { return get("/proposals/e/attachments/0") }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := renders.Load()
			a := tt.first()
			b := tt.again()
			rendered := renders.Load() - before
			if tt.wantCached && (rendered != 1 || a.Body.String() != b.Body.String() || b.Header().Get("Content-Type") != "text/html") {
				t.Errorf("rendered %d times, bodies %q %q; want one rendering served twice", rendered, a.Body, b.Body)
			}
			if !tt.wantCached && rendered != 2 {
				t.Errorf("rendered %d times, want 2 (not cached)", rendered)
			}
		})
	}

	// A crowd arriving at once costs one rendering.
	before := renders.Load()
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); get("/proposals/crowd") }()
	}
	wg.Wait()
	if n := renders.Load() - before; n != 1 {
		t.Errorf("20 simultaneous visitors rendered the page %d times, want 1", n)
	}

	// Past its time a page is rendered again.
	short := newPageCache(time.Millisecond, []string{"/proposals/"})
	hs := short.middleware("agora_session")(page)
	before = renders.Load()
	for i := 0; i < 2; i++ {
		hs.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/proposals/z", nil))
		time.Sleep(5 * time.Millisecond)
	}
	if n := renders.Load() - before; n != 2 {
		t.Errorf("expired page rendered %d times, want 2", n)
	}
}

// A cached page is compressed once, for every visitor that accepts gzip;
// others get it as it was rendered, and the entry is not changed.
func TestPageCacheGzip(t *testing.T) {
	page := strings.Repeat("<p>Des bancs rue du Commerce.</p>\n", 100)
	var renders atomic.Int64
	h := Compress(newPageCache(time.Hour, []string{"/proposals/"}).middleware("agora_session")(http.HandlerFunc(
		func(w http.ResponseWriter, r *http.Request) {
			renders.Add(1)
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, page)
		})))
	for i, accept := range []string{"gzip", "gzip", "", "gzip, br", ""} {
		r := httptest.NewRequest("GET", "/proposals/a", nil)
		if accept != "" {
			r.Header.Set("Accept-Encoding", accept)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body := w.Body.Bytes()
		gz := w.Header().Get("Content-Encoding") == "gzip"
		if gz != (accept != "") {
			t.Fatalf("request %d (Accept-Encoding %q): Content-Encoding %q", i, accept, w.Header().Get("Content-Encoding"))
		}
		if gz {
			if cl := w.Header().Get("Content-Length"); i > 0 && cl != strconv.Itoa(len(body)) {
				t.Errorf("request %d: Content-Length %s for %d bytes", i, cl, len(body))
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
			body, _ = io.ReadAll(zr)
		}
		if string(body) != page {
			t.Errorf("request %d: body of %d bytes, want the page's %d", i, len(body), len(page))
		}
		if !strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Accept-Encoding") {
			t.Errorf("request %d: Vary %q", i, w.Header().Values("Vary"))
		}
	}
	if n := renders.Load(); n != 1 {
		t.Errorf("%d renders, want 1", n)
	}
}

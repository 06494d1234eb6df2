package web

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"agora/instances/accounts"
)

// Signed-in readers of a page declared for readers get the kept
// anonymous rendering with their own header between the marks, as
// identity or as one valid gzip stream; nobody gets another's header,
// and a page without marks is rendered for the reader.
func TestPageCacheForReaders(t *testing.T) {
	const open, close = "<!--reader-n-->", "<!--/reader-n-->"
	var renders atomic.Int64
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if strings.HasSuffix(r.URL.Path, "/nomarks") {
			who := "nobody"
			if a := CurrentAccount(r); a != nil {
				who = a.Handle
			}
			io.WriteString(w, "no marks, for "+who)
			return
		}
		if CurrentAccount(r) != nil {
			t.Errorf("the shared rendering saw account %v", CurrentAccount(r).Handle)
		}
		if c, err := r.Cookie("agora_session"); err == nil {
			t.Errorf("the shared rendering saw the session cookie %q", c.Value)
		}
		io.WriteString(w, "<header>"+open+"<a href=/login>login</a>"+close+"</header>"+strings.Repeat("<p>the same list for everyone</p>", 200))
	})
	c := newPageCache(time.Hour, []string{"/spaces"})
	c.forReaders = []string{"/spaces/*/proposals", "/spaces/*/nomarks"}
	c.open, c.close = []byte(open), []byte(close)
	c.readerNav = func(r *http.Request) ([]byte, error) {
		return []byte("<a href=/account>" + CurrentAccount(r).Handle + "</a>"), nil
	}
	h := c.middleware("agora_session")(page)
	get := func(target string, reader string, gz bool) (string, *httptest.ResponseRecorder) {
		r := httptest.NewRequest("GET", target, nil)
		if reader != "" {
			r.AddCookie(&http.Cookie{Name: "agora_session", Value: "token-of-" + reader})
			r = r.WithContext(context.WithValue(r.Context(), accountKey, &accounts.Account{ID: reader, Handle: reader}))
		}
		if gz {
			r.Header.Set("Accept-Encoding", "gzip")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		body := w.Body.String()
		if w.Header().Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("%s as %q: broken gzip: %v", target, reader, err)
			}
			body = string(b)
		}
		return body, w
	}
	list := "/spaces/s/proposals"
	anon, _ := get(list, "", false)
	for _, tc := range []struct {
		reader string
		gz     bool
	}{{"alice", false}, {"bob", true}, {"alice", true}, {"bob", false}} {
		body, w := get(list, tc.reader, tc.gz)
		want := strings.Replace(anon, "<a href=/login>login</a>", "<a href=/account>"+tc.reader+"</a>", 1)
		if body != want {
			t.Errorf("%s (gzip %v): got\n%.200s\nwant\n%.200s", tc.reader, tc.gz, body, want)
		}
		if tc.gz != (w.Header().Get("Content-Encoding") == "gzip") || w.Header().Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
			t.Errorf("%s (gzip %v): headers %v for %d bytes", tc.reader, tc.gz, w.Header(), w.Body.Len())
		}
	}
	if n := renders.Load(); n != 1 {
		t.Errorf("%d renderings for one anonymous visitor and four readers, want 1", n)
	}
	if again, _ := get(list, "", true); again != anon {
		t.Errorf("anonymous visitor after the readers got %q", again)
	}
	// No marks: the page is rendered for the reader, not shared.
	if body, _ := get("/spaces/s/nomarks", "alice", false); body != "no marks, for alice" {
		t.Errorf("page without marks: %q", body)
	}
	if body, _ := get("/spaces/s/nomarks", "", false); body != "no marks, for nobody" {
		t.Errorf("page without marks, anonymous: %q", body)
	}
}

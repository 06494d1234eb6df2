package web

import (
	"compress/gzip"
	"context"
	"fmt"
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
// anonymous rendering with their own rendering of each slot (the header,
// the page's own), as identity or as one valid gzip stream; nobody gets
// another's, a reader the page declines and a page without slots are
// rendered for the reader.
func TestPageCacheForReaders(t *testing.T) {
	slots := newSlots("n")
	var renders atomic.Int64
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renders.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		who := "nobody"
		if a := CurrentAccount(r); a != nil {
			who = a.Handle
		}
		if strings.HasSuffix(r.URL.Path, "/nomarks") {
			io.WriteString(w, "no marks, for "+who)
			return
		}
		shared := who != "carol" && !strings.HasSuffix(r.URL.Path, "/headeronly") // those are rendered for the reader
		if CurrentAccount(r) != nil && shared {
			t.Errorf("the shared rendering saw account %v", CurrentAccount(r).Handle)
		}
		if c, err := r.Cookie("agora_session"); err == nil && shared {
			t.Errorf("the shared rendering saw the session cookie %q", c.Value)
		}
		KeepForReaders(r, "kept:"+r.URL.Path)
		var b strings.Builder
		b.WriteString("<header>" + string(slots.Open("nav")) + "<a href=/login>login</a>" + string(slots.Close()) + "</header>")
		b.WriteString(strings.Repeat("<p>the same list for everyone</p>", 200))
		b.WriteString(string(slots.Open("box")) + "<a href=/login>sign in to support</a>" + string(slots.Close()))
		for i := range 3 {
			b.WriteString(fmt.Sprintf("<p>comment %d</p>%s%s", i, slots.Open(fmt.Sprintf("acts:%d", i)), slots.Close()))
		}
		b.WriteString("<footer>end</footer>")
		io.WriteString(w, b.String())
	})
	c := newPageCache(time.Hour, []string{"/spaces"})
	big := strings.Repeat("x", 70_000) // more than one stored block
	fills := func(r *http.Request, kept any) (func(string) (Fill, bool), error) {
		who := CurrentAccount(r).Handle
		if who == "carol" {
			return nil, nil // rendered for her
		}
		if kept != "kept:"+r.URL.Path {
			t.Errorf("kept %v for %s", kept, r.URL.Path)
		}
		return func(slot string) (Fill, bool) {
			switch {
			case slot == "box" && who == "dora":
				return Fill{HTML: []byte(big)}, true
			case slot == "box" && who == "eve":
				return CompressedFill([]byte(big)), true // kept compressed
			case slot == "box":
				return Fill{HTML: []byte("<form>support, " + who + "</form>")}, true
			case strings.HasPrefix(slot, "acts:"):
				return Fill{HTML: []byte("<a>reply as " + who + " to " + slot + "</a>")}, true
			}
			return Fill{}, false
		}, nil
	}
	c.forReaders = []readerRoute{{"/spaces/*/proposals", fills}, {"/spaces/*/nomarks", fills}, {"/spaces/*/headeronly", nil}}
	c.slots = slots
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
	}{{"alice", false}, {"bob", true}, {"alice", true}, {"bob", false}, {"dora", true}, {"dora", false}, {"eve", true}, {"eve", false}} {
		body, w := get(list, tc.reader, tc.gz)
		want := strings.Replace(anon, "<a href=/login>login</a>", "<a href=/account>"+tc.reader+"</a>", 1)
		box := "<form>support, " + tc.reader + "</form>"
		if tc.reader == "dora" || tc.reader == "eve" {
			box = big
		}
		want = strings.Replace(want, "<a href=/login>sign in to support</a>", box, 1)
		for i := range 3 {
			slot := fmt.Sprintf("acts:%d", i)
			want = strings.Replace(want, string(slots.Open(slot)), string(slots.Open(slot))+"<a>reply as "+tc.reader+" to "+slot+"</a>", 1)
		}
		if body != want {
			t.Errorf("%s (gzip %v): got\n%.300s\nwant\n%.300s", tc.reader, tc.gz, body, want)
		}
		if tc.gz != (w.Header().Get("Content-Encoding") == "gzip") || w.Header().Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
			t.Errorf("%s (gzip %v): headers %v for %d bytes", tc.reader, tc.gz, w.Header(), w.Body.Len())
		}
	}
	if n := renders.Load(); n != 1 {
		t.Errorf("%d renderings for one anonymous visitor and eight readers, want 1", n)
	}
	if again, _ := get(list, "", true); again != anon {
		t.Errorf("anonymous visitor after the readers got %q", again)
	}
	// A reader the page declines gets it rendered for them.
	if body, _ := get(list, "carol", true); !strings.Contains(body, "<a href=/login>sign in to support</a>") || renders.Load() != 2 {
		t.Errorf("declined reader: %d renderings, got %.100s", renders.Load(), body)
	}
	// A page declared for the header alone, with other slots: rendered
	// for the reader.
	get("/spaces/s/headeronly", "", false)
	before := renders.Load()
	if get("/spaces/s/headeronly", "alice", false); renders.Load() != before+1 {
		t.Errorf("a page with slots nobody fills was not rendered for the reader")
	}
	// No marks: the page is rendered for the reader, not shared.
	if body, _ := get("/spaces/s/nomarks", "alice", false); body != "no marks, for alice" {
		t.Errorf("page without marks: %q", body)
	}
	if body, _ := get("/spaces/s/nomarks", "", false); body != "no marks, for nobody" {
		t.Errorf("page without marks, anonymous: %q", body)
	}
}

// What is kept of a reader is forgotten around their writes, is not
// kept when read across one, and stays bounded however many pages they
// read.
func TestReaderMemo(t *testing.T) {
	now := time.Unix(0, 0)
	m := &readerMemo{ttl: time.Second, now: func() time.Time { return now }, readers: map[string]*memoReader{}}
	loads := 0
	load := func(v string) func() (any, error) { return func() (any, error) { loads++; return v, nil } }
	if v, _ := m.get("ann", "k", load("a")); v != "a" || loads != 1 {
		t.Fatalf("first read: %v, %d loads", v, loads)
	}
	if v, _ := m.get("ann", "k", load("b")); v != "a" || loads != 1 {
		t.Errorf("kept read: %v, %d loads", v, loads)
	}
	if v, _ := m.get("bob", "k", load("b")); v != "b" {
		t.Errorf("another reader got %v", v)
	}
	m.forget("ann")
	if v, _ := m.get("ann", "k", load("c")); v != "c" {
		t.Errorf("after a write: %v", v)
	}
	// A read that began before a write is not kept.
	m.get("ann", "slow", func() (any, error) { m.forget("ann"); return "stale", nil })
	if v, _ := m.get("ann", "slow", load("fresh")); v != "fresh" {
		t.Errorf("a read across a write was kept: %v", v)
	}
	now = now.Add(2 * time.Second)
	if v, _ := m.get("ann", "k", load("d")); v != "d" {
		t.Errorf("after the cache's time: %v", v)
	}
	for i := range 10 * memoPerReader {
		m.get("ann", fmt.Sprint("page", i), load("x"))
	}
	if n := len(m.readers["ann"].vals); n > memoPerReader {
		t.Errorf("%d values kept of one reader, want at most %d", n, memoPerReader)
	}
}

package as2

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// Fuzz targets for what peers send. Seeds: the inbox fixtures and the
// shapes of real servers' payloads (testdata/shapes, written after the
// collection in the workspace's fixtures, with hosts, names and texts
// replaced). Run one for longer with, e.g.,
//
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 10m ./federation/as2

// addSeeds adds every JSON file of the folders to f's corpus.
func addSeeds(f *testing.F, dirs ...string) {
	f.Helper()
	n := 0
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
			n++
		}
	}
	if n == 0 {
		f.Fatalf("no seeds in %v", dirs)
	}
}

// httpURL reports whether s is an absolute http(s) URL, as Parse promises.
func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Parse never panics, refuses only with its own errors, and what it
// accepts keeps its promises: http(s) ids and actor, an object id, an
// inline object whose id is the object id, activities nested at most
// maxDepth deep.
func FuzzParse(f *testing.F) {
	addSeeds(f, "testdata/inbox", "testdata/shapes")
	f.Add([]byte(`{"id":"https://a.example/1","type":"Undo","actor":"https://a.example/u","object":{"id":"https://a.example/2","type":"Announce","actor":"https://a.example/u","object":{"id":"https://a.example/3","type":"Like","actor":"https://a.example/u","object":"https://b.example/p"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := Parse(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		for depth := 1; a != nil; depth++ {
			if depth > maxDepth {
				t.Fatalf("activities nested %d deep", depth)
			}
			if !httpURL(a.ID) || !httpURL(a.Actor) || !httpURL(a.ObjectID) || a.Type == "" {
				t.Fatalf("accepted %+v", a)
			}
			if a.Object != nil && a.Object.ID != a.ObjectID {
				t.Fatalf("object %q, object id %q", a.Object.ID, a.ObjectID)
			}
			if a.Inner != nil && a.Inner.ID != a.ObjectID {
				t.Fatalf("inner %q, object id %q", a.Inner.ID, a.ObjectID)
			}
			a = a.Inner
		}
	})
}

// ParseObject (a fetched object) never panics and gives an object with
// an http(s) id.
func FuzzParseObject(f *testing.F) {
	addSeeds(f, "testdata/shapes")
	f.Fuzz(func(t *testing.T, body []byte) {
		o, raw, err := ParseObject(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		if !httpURL(o.ID) || raw == nil {
			t.Fatalf("accepted %+v", o)
		}
	})
}

// ParseCollection (an outbox page) never panics; its next page is an
// http(s) URL or nothing.
func FuzzParseCollection(f *testing.F) {
	addSeeds(f, "testdata/shapes")
	f.Fuzz(func(t *testing.T, body []byte) {
		p, err := ParseCollection(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error of another kind: %v", err)
			}
			return
		}
		if p.Next != "" && !httpURL(p.Next) {
			t.Fatalf("next %q", p.Next)
		}
		for _, id := range p.Items {
			if !httpURL(id) {
				t.Fatalf("item %q", id)
			}
		}
	})
}

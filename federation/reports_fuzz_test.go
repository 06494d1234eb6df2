package federation

import (
	"net/url"
	"testing"

	"agora/federation/as2"
)

// FuzzLocal reads any IRI a peer names (a Follow's object, a WebFinger
// resource) as one of the node's things without panicking, and a report
// category it finds is the one whose id it was.
func FuzzLocal(f *testing.F) {
	base, _ := url.Parse("https://paris15.example")
	s := &Service{cfg: Config{BaseURL: base}, ids: as2.IDs{Base: base}}
	for _, seed := range []string{
		"https://paris15.example/reports/categories/nid-de-poule",
		"https://paris15.example/reports/categories/nid%2Fde/inbox",
		"https://paris15.example/reports/categories/",
		"https://paris15.example/reports/r3p0rt/states/42",
		"https://paris15.example/spaces/budget#main-key",
		"https://other.example/reports/categories/x",
		"https://paris15.example/reports/categories/%zz",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, iri string) {
		kind, id, ok := s.local(iri)
		if !ok || kind != "reportcategory" {
			return
		}
		if k, again, ok := s.local(s.ids.ReportCategory(id)); !ok || k != kind || again != id {
			t.Errorf("%q is category %q, whose id %q reads as %q %q %v", iri, id, s.ids.ReportCategory(id), k, again, ok)
		}
	})
}

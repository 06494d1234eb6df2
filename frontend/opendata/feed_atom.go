package opendata

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"time"

	"agora/frontend/web"
)

// The Atom format (RFC 4287), as much of it as the feeds use. Text is
// escaped by encoding/xml; content of type "html" is sanitised HTML,
// escaped once more as XML text, which is what readers expect.

type atomFeed struct {
	XMLName   xml.Name       `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string         `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID        string         `xml:"id"`
	Title     atomText       `xml:"title"`
	Subtitle  *atomText      `xml:"subtitle,omitempty"`
	Updated   string         `xml:"updated"`
	Links     []atomLink     `xml:"link"`
	Author    *atomPerson    `xml:"author,omitempty"`
	Generator *atomGenerator `xml:"generator,omitempty"`
	Entries   []atomEntry    `xml:"entry"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Authors    []atomPerson   `xml:"author"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Content    *atomText      `xml:"content,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"` // "text" when empty, or "html"
	Body string `xml:",chardata"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Href     string `xml:"href,attr"`
	Hreflang string `xml:"hreflang,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"` // a fediverse author's profile
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomGenerator struct {
	URI  string `xml:"uri,attr,omitempty"`
	Name string `xml:",chardata"`
}

func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func atomHTML(html string) *atomText { return &atomText{Type: "html", Body: html} }

// serveAtom answers a feed, with an ETag so readers that poll it often
// transfer it only when it changed.
func (s *surface) serveAtom(w http.ResponseWriter, r *http.Request, f *atomFeed) {
	f.Generator = &atomGenerator{Name: "Agora"}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		s.Fail(w, r, err)
		return
	}
	buf.WriteByte('\n')
	web.ServeCached(w, r, "application/atom+xml; charset=utf-8", buf.Bytes(), web.FeedMaxAge)
}

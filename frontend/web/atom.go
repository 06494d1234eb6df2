package web

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"time"
)

// The Atom format (RFC 4287), as much of it as the feeds use. Text is
// escaped by encoding/xml; content of type "html" is sanitised HTML,
// escaped once more as XML text, which is what readers expect. The
// types are the feeds' of every surface.

// AtomFeed is an Atom feed.
type AtomFeed struct {
	XMLName   xml.Name       `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string         `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID        string         `xml:"id"`
	Title     AtomText       `xml:"title"`
	Subtitle  *AtomText      `xml:"subtitle,omitempty"`
	Updated   string         `xml:"updated"`
	Links     []AtomLink     `xml:"link"`
	Author    *AtomPerson    `xml:"author,omitempty"`
	Generator *AtomGenerator `xml:"generator,omitempty"`
	Entries   []AtomEntry    `xml:"entry"`
}

// AtomEntry is an Atom entry.
type AtomEntry struct {
	ID         string         `xml:"id"`
	Title      AtomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Authors    []AtomPerson   `xml:"author"`
	Links      []AtomLink     `xml:"link"`
	Categories []AtomCategory `xml:"category"`
	Content    *AtomText      `xml:"content,omitempty"`
}

// AtomText is an Atom text construct.
type AtomText struct {
	Type string `xml:"type,attr,omitempty"` // "text" when empty, or "html"
	Body string `xml:",chardata"`
}

// AtomLink is an Atom link.
type AtomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Href     string `xml:"href,attr"`
	Hreflang string `xml:"hreflang,attr,omitempty"`
}

// AtomPerson is an Atom person.
type AtomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"` // a fediverse author's profile
}

// AtomCategory is an Atom category.
type AtomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// AtomGenerator is an Atom generator.
type AtomGenerator struct {
	URI  string `xml:"uri,attr,omitempty"`
	Name string `xml:",chardata"`
}

// AtomTime writes a time as Atom does (RFC 3339, UTC).
func AtomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// AtomHTML is content of type html: sanitised HTML.
func AtomHTML(html string) *AtomText { return &AtomText{Type: "html", Body: html} }

// ServeAtom answers a feed, with an ETag so readers that poll it often
// transfer it only when it changed.
func (k *Kit) ServeAtom(w http.ResponseWriter, r *http.Request, f *AtomFeed) {
	f.Generator = &AtomGenerator{Name: "Agora"}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		k.Fail(w, r, err)
		return
	}
	buf.WriteByte('\n')
	ServeCached(w, r, "application/atom+xml; charset=utf-8", buf.Bytes(), FeedMaxAge)
}

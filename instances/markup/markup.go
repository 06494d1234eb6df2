// Package markup turns what people write into HTML that is safe to show:
// Markdown from residents, and HTML from fediverse peers, both through the
// same allow-list sanitiser.
package markup

import (
	"bytes"
	stdhtml "html"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// Renderer renders Markdown and sanitises HTML. It is safe for concurrent
// use; build one and share it.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New returns a Renderer. Raw HTML in Markdown is dropped, links get
// rel="nofollow noopener" and open no new window, images are not allowed
// (attachments are shown apart, checked and stripped of metadata).
func New() *Renderer {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "strong", "em", "del", "blockquote", "ul", "ol", "li", "code", "pre", "hr", "h3", "h4")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	return &Renderer{
		md: goldmark.New(
			goldmark.WithExtensions(extension.Strikethrough, extension.Linkify),
			goldmark.WithRendererOptions(html.WithHardWraps()), // a line break typed is a line break shown
		),
		policy: p,
	}
}

// Markdown renders Markdown to sanitised HTML. Headings are shifted down to
// h3 and h4 so a resident's text never competes with the page's own.
// Quotes and lists nested deeper than maxNesting, and brackets left open
// past maxOpenBrackets, are shown as text (see tame), so the time and
// room it takes grow with the text, not faster.
func (r *Renderer) Markdown(src string) string {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(tame(src)), &buf); err != nil {
		// goldmark only fails on writer errors, which a buffer never has.
		return r.policy.Sanitize("<p>" + src + "</p>")
	}
	return r.Sanitize(shiftHeadings(buf.String()))
}

// Sanitize keeps only the allowed elements of HTML from elsewhere (a
// fediverse peer), dropping scripts, styles, event handlers and the rest.
func (r *Renderer) Sanitize(htmlSrc string) string {
	return strings.TrimSpace(r.policy.Sanitize(htmlSrc))
}

// Text returns the plain text of HTML, for summaries, feeds and search.
func (r *Renderer) Text(htmlSrc string) string {
	return strings.Join(strings.Fields(bluemonday.StrictPolicy().Sanitize(htmlSrc)), " ")
}

var headingShift = strings.NewReplacer(
	"<h1", "<h3", "</h1>", "</h3>", "<h2", "<h3", "</h2>", "</h3>",
	"<h5", "<h4", "</h5>", "</h4>", "<h6", "<h4", "</h6>", "</h4>",
)

func shiftHeadings(s string) string { return headingShift.Replace(s) }

// Plain returns text with no markup at all, for fields shown as plain
// text (a name, a version, a contact): tags are dropped (scripts and
// styles with their content), entities decoded, and again until nothing
// changes, so that escaped markup (&lt;script&gt;) does not come back as
// markup once decoded. Control characters go; runs of spaces become one,
// and with multiline, line breaks are kept (at most one empty line in a
// row), otherwise they become spaces too.
func (r *Renderer) Plain(s string, multiline bool) string {
	return PlainText(s, multiline)
}

// blockTag is a tag after which text starts a new line.
var blockTag = regexp.MustCompile(`(?i)<(?:br|/?(?:p|div|li|ul|ol|h[1-6]|blockquote|pre|tr|td|th|section|article))\b`)

// PlainText is Plain, without a Renderer.
func PlainText(s string, multiline bool) string {
	// Controls go first: dropped after the tags, "<\x00a>" became "<a>".
	s = dropControls(strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\r\n", "\n"))
	// A tag that ends a paragraph or a line ends a word too: "<p>a</p><p>b</p>"
	// reads "a b", not "ab".
	s = blockTag.ReplaceAllString(s, "\n$0")
	strict := bluemonday.StrictPolicy()
	for i := 0; ; i++ {
		t := dropControls(stdhtml.UnescapeString(strict.Sanitize(s))) // "&#1;" decodes to one
		if t == s {
			break
		}
		if i == 4 { // still changing: drop what could start a tag
			s = strings.NewReplacer("<", "", ">", "").Replace(t)
			break
		}
		s = t
	}
	s = dropControls(strings.ReplaceAll(s, "\r\n", "\n")) // entities may have decoded into some
	if !multiline {
		return strings.Join(strings.Fields(s), " ")
	}
	var out []string
	blank := true // no empty line first
	for _, line := range strings.Split(s, "\n") {
		line = strings.Join(strings.Fields(line), " ")
		if line == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, line)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// dropControls removes control characters but line breaks and tabs, and
// the bidi overrides that reorder what follows.
func dropControls(s string) string {
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\n' || c == '\t':
			return c
		case c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069:
			return -1
		}
		return c
	}, s)
}

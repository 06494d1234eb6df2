// Package markup turns what people write into HTML that is safe to show:
// Markdown from residents, and HTML from fediverse peers, both through the
// same allow-list sanitiser.
package markup

import (
	"bytes"
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
func (r *Renderer) Markdown(src string) string {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
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

package as2

import (
	"html"
	"time"

	"github.com/go-fed/activity/streams"
)

// DirectNote is a private message from actor (the instance actor) to one
// remote actor, to, whose handle (@name@host) it mentions: addressed to
// them alone (no Public, no followers), so Mastodon shows it as a direct
// mention. text is plain; link, when set, is the page it is about.
func DirectNote(id, actor, to, handle, text, link string, published time.Time) *Doc {
	content := `<p><span class="h-card"><a href="` + html.EscapeString(to) + `" class="u-url mention">` +
		html.EscapeString(handle) + `</a></span> ` + html.EscapeString(text) + `</p>`
	if link != "" {
		content += `<p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(link) + `</a></p>`
	}
	n := streams.NewActivityStreamsNote()
	setID(n, id)
	setAttributedTo(n, actor)
	setContent(n, content)
	setMediaType(n, "text/html")
	setTo(n, []string{to})
	if link != "" {
		setURL(n, link)
	}
	setPublished(n, published)
	m := streams.NewActivityStreamsMention()
	href := streams.NewActivityStreamsHrefProperty()
	href.Set(iri(to))
	m.SetActivityStreamsHref(href)
	setName(m, handle)
	tag := streams.NewActivityStreamsTagProperty()
	tag.AppendActivityStreamsMention(m)
	n.SetActivityStreamsTag(tag)
	return &Doc{Value: n}
}

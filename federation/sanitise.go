package federation

import (
	"html"
	"net/url"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"agora/federation/as2"
)

// Every text a peer sends is sanitised once, here, on the way in, with
// the policy of local Markdown (instances/markup): a plain field (a name,
// a version, a reason) becomes text with no markup at all; a rich field (a
// summary, content) becomes HTML that policy allows. What is stored is
// safe to show as it is; pages never need to trust a peer.

// Bounds on what is kept of a peer's text.
const (
	maxPeerName    = 200      // runes: names, titles, usernames
	maxPeerLine    = 500      // runes: versions, states, contacts
	maxPeerText    = 10000    // runes: multi-line plain text
	maxPeerHTML    = 64 << 10 // bytes of sanitised HTML
	maxPeerURL     = 2048
	maxYAMLDepth   = 64
	maxYAMLScalars = 10000
)

// plain is a peer's plain field, cut to max runes.
func (s *Service) plain(v string, max int) string {
	return cut(s.markup.Plain(v, false), max)
}

// plainLines is a peer's multi-line plain text, cut to max runes.
func (s *Service) plainLines(v string, max int) string {
	return cut(s.markup.Plain(v, true), max)
}

// rich is a peer's HTML, sanitised; too long, it is dropped rather than
// cut in the middle of an element.
func (s *Service) rich(v string) string {
	out := s.markup.Sanitize(strings.ToValidUTF8(strings.ReplaceAll(v, "\x00", ""), "\uFFFD"))
	if len(out) > maxPeerHTML {
		return "<p>" + html.EscapeString(cut(s.markup.Text(out), maxPeerText)) + "</p>"
	}
	return out
}

// textHTML is plain text (Markdown, MFM…) shown as such, in paragraphs.
func (s *Service) textHTML(v string) string {
	var paras []string
	for _, p := range strings.Split(s.plainLines(v, maxPeerText), "\n\n") {
		paras = append(paras, "<p>"+strings.ReplaceAll(html.EscapeString(p), "\n", "<br>")+"</p>")
	}
	return s.rich(strings.Join(paras, ""))
}

// webURL is an http(s) URL a person may follow, or "".
func webURL(v string) string {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || len(v) > maxPeerURL {
		return ""
	}
	return v
}

func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:max]))
}

// cleanActor sanitises what an actor document says of itself.
func (s *Service) cleanActor(a *RemoteActor) {
	a.Name = s.plain(a.Name, maxPeerName)
	a.Summary = s.rich(a.Summary)
	a.PreferredUsername = strings.Map(func(c rune) rune {
		if c == '@' || c == '/' || c == ' ' {
			return -1
		}
		return c
	}, s.plain(a.PreferredUsername, maxPeerName))
	a.Type = s.plain(a.Type, maxPeerName)
	a.URL = webURL(a.URL)
}

// cleanObject sanitises an object's texts in place: its content becomes
// sanitised HTML (text/html), whatever it came as.
func (s *Service) cleanObject(o *as2.Object) {
	if o == nil {
		return
	}
	o.Name = s.plain(o.Name, maxPeerName)
	o.Summary = s.plain(o.Summary, maxPeerLine)
	switch o.MediaType {
	case "", "text/html":
		o.Content = s.rich(o.Content)
	default: // Markdown, MFM, plain text: shown as text
		o.Content = s.textHTML(o.Content)
	}
	o.MediaType = "text/html"
	o.URL = webURL(o.URL)
	for i := range o.Attachments {
		at := &o.Attachments[i]
		at.Name = s.plain(at.Name, maxPeerName)
		at.MediaType = s.plain(at.MediaType, maxPeerName)
		at.URL = webURL(at.URL)
	}
}

// cleanActivity sanitises an activity's own text (a Flag's reason, an
// EmojiReact's emoji), its object and its inner activities.
func (s *Service) cleanActivity(a *as2.Activity) {
	for ; a != nil; a = a.Inner {
		a.Content = s.plainLines(a.Content, maxPeerText)
		s.cleanObject(a.Object)
	}
}

// cleanPublicCode makes every string of a peer's publiccode.yml plain
// text, keeping its structure. A document that does not parse is left as
// it is, for the catalogue to refuse. Aliases are not followed.
func (s *Service) cleanPublicCode(yml string) string {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(yml), &doc); err != nil {
		return yml
	}
	n := 0
	var walk func(*yaml.Node, int) bool
	walk = func(node *yaml.Node, depth int) bool {
		if depth > maxYAMLDepth || n > maxYAMLScalars {
			return false
		}
		n++
		if node.Kind == yaml.ScalarNode && (node.Tag == "!!str" || node.Tag == "") {
			node.Value = s.plainLines(node.Value, maxPeerText)
			if !strings.Contains(node.Value, "\n") && (node.Style == yaml.LiteralStyle || node.Style == yaml.FoldedStyle) {
				node.Style = 0
			}
		}
		if node.Kind == yaml.AliasNode {
			return true
		}
		for _, c := range node.Content {
			if !walk(c, depth+1) {
				return false
			}
		}
		return true
	}
	if !walk(&doc, 0) {
		return yml
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return yml
	}
	return string(out)
}

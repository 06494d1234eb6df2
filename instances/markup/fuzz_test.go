package markup

import (
	"flag"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// maxFuzzInput is the largest input FuzzRender renders: ten times the
// longest text a resident may write, and what a peer's field may hold
// once cut.
const maxFuzzInput = 64 << 10

// outputFactor bounds how much larger than its input the output may be:
// a bare address linked ("www.a " becomes 55 bytes of <a href=...>) is
// the worst honest case. Nested quotes made 27 times their size before
// their depth was bounded (testdata/fuzz/FuzzRender/deep-quotes).
const outputFactor = 12

// FuzzRender feeds the Markdown renderer, the sanitiser and Plain anything: they
// never panic, and what they return holds only allowed elements and
// attributes, never a script, an event handler, a style attribute, a
// <meta>, <form> or <iframe>, nor a link whose scheme is not http,
// https or mailto; its size is bounded by the input's. While fuzzing
// (not on the seed corpus, which runs in CI), one input taking more than
// ten seconds fails too (a hang, not a slow machine). Run it longer with
//
//	go test ./instances/markup -run '^$' -fuzz '^FuzzRender$' -fuzztime 5m
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"Des **arbres** et *de l’ombre* :\n\n- rue A\n- rue B",
		"Bonjour <script>alert(1)</script>",
		`<img src=x onerror="alert(1)"><b onclick="x()">gras</b>`,
		"[clic](javascript:alert(1))",
		"[clic](JaVaScRiPt&#58;alert(1))",
		"[clic](java\tscript:alert(1))",
		"<a href=\"javascript:alert(1)\">x</a>",
		`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
		`<form action="/admin/roles" method="post"><button>Gagner</button></form>`,
		`<iframe src="https://evil.example"></iframe>`,
		`<p style="position:fixed;top:0">x</p>`,
		"[mairie](https://www.paris.fr)\n\nVoir https://example.org/plan et www.example.org",
		"# Titre\n## Sous-titre\n###### six",
		"![plan](https://example.org/a.png)",
		"ligne 1\nligne 2\n\n> cité\n>> deux fois\n\n1. un\n2. deux\n\n```\ncode <b>\n```",
		"<svg><script>alert(1)</script></svg>",
		"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
		"[a](<javascript:alert(1)>) [b](mailto:a@example.org) [c](data:text/html,<script>)",
		"<p>Bravo <span class=\"h-card\"><a href=\"https://social.example/@ana\">@ana</a></span></p>",
		strings.Repeat(">", 200) + " deep",
		strings.Repeat("- ", 200) + "deep",
		strings.Repeat("[", 500) + strings.Repeat("]", 500),
		strings.Repeat("*a **", 300),
	} {
		f.Add(s)
	}
	r := New()
	fuzzing := flag.Lookup("test.fuzz").Value.String() != ""
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > maxFuzzInput {
			t.Skip("larger than any text rendered")
		}
		for name, render := range map[string]func(string) string{"Markdown": r.Markdown, "Sanitize": r.Sanitize} {
			start := time.Now()
			out := render(src)
			if d := time.Since(start); fuzzing && d > 10*time.Second {
				t.Fatalf("%s took %v for %d bytes", name, d, len(src))
			}
			if len(out) > outputFactor*len(src)+1024 {
				t.Fatalf("%s: %d bytes out of %d in", name, len(out), len(src))
			}
			if problem := unsafeHTML(out); problem != "" {
				t.Fatalf("%s(%q) = %q: %s", name, src, out, problem)
			}
		}
		_ = r.Text(src)
		for _, multiline := range []bool{false, true} {
			out := r.Plain(src, multiline)
			if len(out) > 3*len(src) { // an invalid byte becomes U+FFFD, three bytes
				t.Fatalf("Plain: %d bytes out of %d in", len(out), len(src))
			}
			if tag := firstTag(out); tag != "" {
				t.Fatalf("Plain(%q) = %q: holds the tag %s", src, out, tag)
			}
		}
	})
}

// allowed are the elements and attributes the policy of New keeps.
var allowed = map[string][]string{
	"p": nil, "br": nil, "strong": nil, "em": nil, "del": nil, "blockquote": nil, "ul": nil,
	"ol": {"start"}, "li": nil, "code": nil, "pre": nil, "hr": nil, "h3": nil, "h4": nil,
	"a": {"href", "rel"},
}

// unsafeHTML tokenises out as a browser would and says what in it is
// not allowed, "" when nothing.
func unsafeHTML(out string) string {
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			attrs, ok := allowed[tok.Data]
			if !ok {
				return "element <" + tok.Data + ">"
			}
			for _, a := range tok.Attr {
				name := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(name, "on"):
					return "event handler " + name
				case name == "style":
					return "style attribute"
				case !contains(attrs, name):
					return "attribute " + name + " on <" + tok.Data + ">"
				case name == "href":
					if p := badURL(a.Val); p != "" {
						return p
					}
				}
			}
		}
	}
}

// badURL says what is wrong with a link target (already unescaped by the
// tokeniser), "" when it is http, https or mailto, or relative.
func badURL(v string) string {
	clean := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1 // what browsers strip from a scheme
		}
		return r
	}, strings.ToLower(v))
	if strings.HasPrefix(clean, "javascript:") || strings.HasPrefix(clean, "vbscript:") || strings.HasPrefix(clean, "data:") {
		return "link " + v
	}
	u, err := url.Parse(v)
	if err != nil {
		return "unparseable link " + v
	}
	switch u.Scheme {
	case "", "http", "https", "mailto":
		return ""
	}
	return "link scheme " + u.Scheme
}

// firstTag returns the first tag a browser would read in s, "" if none.
func firstTag(s string) string {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			return z.Token().String()
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

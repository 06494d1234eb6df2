package frontend_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"agora/frontend/i18n"
	"agora/instances/apps"
)

// englishCheck finds, in a French page, what only an English reader
// should meet, and internal codes no reader should: texts of the English
// catalogue that differ from the French one (whole, or with their
// arguments filled), message keys, key=value codes, publiccode.yml codes,
// and fragments the domain writes in English.
type englishCheck struct {
	exact    map[string]string // English text -> its key
	patterns []keyPattern      // English texts with arguments
	keys     map[string]bool   // every message key
	french   map[string]bool   // every French text without arguments
	codes    map[string]bool   // vocabulary codes shown raw
}

type keyPattern struct {
	key string
	re  *regexp.Regexp
}

// englishFragments are pieces of English the domain writes (messages
// for logs and the command line) that must never reach a French page.
var englishFragments = []string{
	"is not in the publiccode.yml", "characters, want", "(required)", "is not one of", "want a ",
	"opened by the node", "opened at a desk", "self sign-up", "at creation", "nothing is left",
}

var (
	verb       = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[sdvqf]`)
	keyLike    = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)
	factLike   = regexp.MustCompile(`(^|\s)[a-z_]{2,}=\S`)
	spaceRuns  = regexp.MustCompile(`\s+`)
	lettersRun = regexp.MustCompile(`\p{L}`)
)

func newEnglishCheck(t testing.TB) *englishCheck {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	fr, en := cat.Printer("fr"), cat.Printer("en")
	c := &englishCheck{exact: map[string]string{}, keys: map[string]bool{}, codes: map[string]bool{}, french: map[string]bool{}}
	for _, key := range cat.Keys("fr") {
		c.french[normalise(fr.T(key))] = true
	}
	for _, key := range cat.Keys("en") {
		c.keys[key] = true
		e, f := en.T(key), fr.T(key)
		if e == f || len(lettersRun.FindAllString(e, -1)) < 3 {
			continue
		}
		if !verb.MatchString(e) {
			c.exact[normalise(e)] = key
			continue
		}
		// A text with arguments: its fixed words must be long enough
		// that a French sentence cannot match by chance.
		parts := verb.Split(normalise(e), -1)
		fixed := strings.Join(parts, "")
		if len(lettersRun.FindAllString(fixed, -1)) < 8 {
			continue
		}
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		c.patterns = append(c.patterns, keyPattern{key, regexp.MustCompile(`^` + strings.Join(parts, `.+?`) + `$`)})
	}
	for _, code := range apps.Categories {
		c.codes[code] = true
	}
	for _, code := range apps.SoftwareTypes {
		c.codes[code] = true
	}
	return c
}

func normalise(s string) string { return strings.TrimSpace(spaceRuns.ReplaceAllString(s, " ")) }

// problem says what is wrong with one text of a French page, or "".
func (c *englishCheck) problem(text string) string {
	text = normalise(text)
	if text == "" {
		return ""
	}
	if key, ok := c.exact[text]; ok && !c.french[text] { // "Description" is French too
		return fmt.Sprintf("English text of %s", key)
	}
	for _, p := range c.patterns {
		if p.re.MatchString(text) {
			return fmt.Sprintf("English text of %s", p.key)
		}
	}
	if c.keys[text] || keyLike.MatchString(text) && strings.Count(text, ".") >= 2 {
		return "a message key"
	}
	if factLike.MatchString(text) {
		return "a key=value code"
	}
	if c.codes[text] {
		return "a publiccode.yml code"
	}
	for _, f := range englishFragments {
		if strings.Contains(text, f) {
			return fmt.Sprintf("English fragment %q", f)
		}
	}
	return ""
}

// problems walks a French page's text and the attributes people hear or
// see (labels, titles, alternatives, placeholders), leaving out code,
// scripts and whatever is marked as another language.
func (c *englishCheck) problems(doc *html.Node) []string {
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "code", "pre", "textarea":
				return
			}
			for _, a := range n.Attr {
				if a.Key == "lang" && a.Val != "fr" {
					return
				}
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "aria-label", "title", "alt", "placeholder", "label":
					if p := c.problem(a.Val); p != "" {
						out = append(out, fmt.Sprintf("%s=%q: %s", a.Key, a.Val, p))
					}
				}
			}
		}
		if n.Type == html.TextNode {
			if p := c.problem(n.Data); p != "" {
				out = append(out, fmt.Sprintf("%q: %s", normalise(n.Data), p))
			}
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
	}
	walk(doc)
	return out
}

// The check finds what it is meant to find: a French page that carries
// an English message, a key, a code or an English fragment fails.
func TestEnglishCheckFinds(t *testing.T) {
	c := newEnglishCheck(t)
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	en := cat.Printer("en")
	for _, tc := range []struct {
		page string
		want bool
	}{
		{"<p>" + en.T("admin.audit.title") + "</p>", true},
		{"<p>" + en.T("home.title", "Paris 15e") + "</p>", true},
		{`<p>Voir <a href="/x" title="` + en.T("site.skip") + `">ici</a></p>`, true},
		{"<td>audit.action.site.update</td>", true},
		{"<td>via=link</td>", true},
		{"<dd>digital-citizenship, survey</dd>", false}, // a list is not a code alone
		{"<dd>digital-citizenship</dd>", true},
		{"<li>categories[2] : « x » is not in the publiccode.yml list of categories</li>", true},
		{"<li>raison : at creation</li>", true},
		{"<p>Bienvenue sur la plateforme de participation de Paris 15e</p>", false},
		{`<p lang="en">` + en.T("admin.audit.title") + `</p>`, false},
		{"<code>via=link</code>", false},
		{"<h2>Description</h2>", false}, // English and French alike
	} {
		doc, err := html.Parse(strings.NewReader("<html><body>" + tc.page + "</body></html>"))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.problems(doc); (len(got) > 0) != tc.want {
			t.Errorf("%s: problems %v, want some: %v", tc.page, got, tc.want)
		}
	}
}

// Every French page of the demo reachable by its links, as an anonymous
// visitor, the admin, a moderator and a resident, speaks French only:
// no English message, no message key, no internal code.
func TestDemoPagesSpeakFrench(t *testing.T) {
	n := newDemoNode(t)
	c := newEnglishCheck(t)
	for _, v := range n.visitors() {
		t.Run(v.name, func(t *testing.T) {
			token := ""
			if v.acc != nil {
				token = n.Session(t, v.acc)
			}
			pages := n.crawl(t, token, demoStart, func(path string, doc *html.Node) {
				if lang := htmlLang(doc); lang != "fr" {
					t.Errorf("%s: page in %q, want fr", path, lang)
				}
				for _, p := range c.problems(doc) {
					t.Errorf("%s: %s", path, p)
				}
			})
			for _, want := range []string{"/", "/moderation", "/apps", "/cities", "/plan-du-site"} {
				if !slices.Contains(pages, want) {
					t.Errorf("the walk did not reach %s (reached %v)", want, pages)
				}
			}
			if v.name == "admin" && !slices.Contains(pages, "/admin/audit") {
				t.Errorf("the admin's walk did not reach the audit log")
			}
		})
	}
}

func htmlLang(doc *html.Node) string {
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "html" {
			for _, a := range n.Attr {
				if a.Key == "lang" {
					return a.Val
				}
			}
		}
	}
	return ""
}

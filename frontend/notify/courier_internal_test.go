package notify

import (
	"bytes"
	"html/template"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"agora/frontend/i18n"
)

// templateHTML is the html/template that mailHTML replaced, kept as the
// reference of what an email's HTML says.
var templateHTML = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="{{.L.Lang}}"><head><meta charset="utf-8"></head>
<body>
<p>{{.Greeting}}</p>
<p>{{.Intro}}</p>
<ul>
{{range .Items}}<li>{{.Text}}{{if .Title}} : <a href="{{.URL}}">{{.Title}}</a>{{end}}{{with .Detail}}<br>{{.}}{{end}}<br><small>{{.Time}}</small></li>
{{end}}</ul>
<p><a href="{{.List}}">{{.L.T "notify.mail.all"}}</a></p>
<p><small>{{.Footer}} <a href="{{.Settings}}">{{.L.T "notify.mail.settings"}}</a> · <a href="{{.Unsub}}">{{.L.T "notify.mail.unsubscribe"}}</a></small></p>
</body></html>
`))

// tokens is what an HTML document says: its tokens, texts and attribute
// values unescaped.
func tokens(t *testing.T, doc string) []html.Token {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(doc))
	var out []html.Token
	for z.Next() != html.ErrorToken {
		out = append(out, z.Token())
	}
	return out
}

// TestMailHTML: the hand-written HTML of an email reads as the template's
// did, hostile titles and details included (escaped, never markup).
func TestMailHTML(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	hostile := `<script>alert("x")</script> & 'q' + </li><a href="javascript:x">`
	for _, lang := range []string{"fr", "en"} {
		l := cat.Printer(lang)
		d := mailData{L: l, List: "https://paris15.example/notifications", Settings: "https://paris15.example/notifications/settings",
			Unsub: "https://paris15.example/notifications/unsubscribe/abc%22def", Greeting: l.T("notify.mail.hello"),
			Intro: l.Plural("notify.mail.intro", 3), Footer: l.T("notify.mail.footer", `Paris <15e> & "co"`),
			Items: []item{
				{Text: "Réponse officielle", Title: hostile, URL: "https://paris15.example/p/1?a=1&b=2#c", Detail: hostile, Time: "7 déc."},
				{Text: hostile, Time: "8 déc."},
				{Text: "Mention", Title: "Un banc", URL: "https://paris15.example/p/%C3%A9", Time: "9 déc."},
			}}
		var want bytes.Buffer
		if err := templateHTML.Execute(&want, d); err != nil {
			t.Fatal(err)
		}
		got := mailHTML(&d)
		if g, w := tokens(t, got), tokens(t, want.String()); !reflect.DeepEqual(g, w) {
			t.Errorf("%s: HTML differs from the template's:\n%s\nwant\n%s", lang, got, want.String())
		}
		if strings.Contains(got, "<script") || strings.Contains(got, `href="javascript`) {
			t.Errorf("%s: markup from a title went through:\n%s", lang, got)
		}
	}
}

package markup

import (
	"strings"
	"testing"
)

func TestMarkdown(t *testing.T) {
	r := New()
	tests := []struct {
		name, in      string
		want, notWant []string
	}{
		{"emphasis and lists", "Des **arbres** et *de l’ombre* :\n\n- rue A\n- rue B", []string{"<strong>arbres</strong>", "<em>de l’ombre</em>", "<li>rue A</li>"}, nil},
		{"script dropped, its text inert", "Bonjour <script>alert(1)</script>", []string{"Bonjour"}, []string{"<script", "</script"}},
		{"raw HTML dropped", `<img src=x onerror="alert(1)"><b onclick="x()">gras</b>`, nil, []string{"<img", "onerror", "onclick"}},
		{"javascript link dropped", "[clic](javascript:alert(1))", nil, []string{"javascript:"}},
		{"links are nofollow", "[mairie](https://www.paris.fr)", []string{`href="https://www.paris.fr"`, `rel="nofollow noreferrer"`}, nil},
		{"bare URLs linked", "Voir https://example.org/plan", []string{`href="https://example.org/plan"`}, nil},
		{"headings shifted below the page's", "# Titre\n## Sous-titre", []string{"<h3", "Titre</h3>"}, []string{"<h1", "<h2"}},
		{"images not allowed", "![plan](https://example.org/a.png)", nil, []string{"<img"}},
		{"line breaks kept", "ligne 1\nligne 2", []string{"<br"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Markdown(tt.in)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("%q contains %q", got, w)
				}
			}
		})
	}
}

func TestSanitizeAndText(t *testing.T) {
	r := New()
	in := `<p>Bravo <span class="h-card"><a href="https://social.example/@ana" onclick="x()">@ana</a></span></p><style>p{}</style><iframe src="https://evil.example"></iframe>`
	got := r.Sanitize(in)
	if strings.Contains(got, "onclick") || strings.Contains(got, "<iframe") || strings.Contains(got, "<style") || !strings.Contains(got, "@ana") {
		t.Errorf("Sanitize = %q", got)
	}
	if txt := r.Text(got); txt != "Bravo @ana" {
		t.Errorf("Text = %q", txt)
	}
}

func TestPlain(t *testing.T) {
	r := New()
	for _, tt := range []struct {
		in        string
		multiline bool
		want      string
	}{
		{"Jeanne <b>Martin</b>", false, "Jeanne Martin"},
		{`<meta http-equiv=refresh content="0;url=https://evil.example">Mairie`, false, "Mairie"},
		{"&lt;script&gt;alert(1)&lt;/script&gt;Nom", false, "Nom"},
		{"&amp;lt;img src=x onerror=alert(1)&amp;gt;", false, ""},
		{"Tom & Jerry < 3", false, "Tom & Jerry < 3"},
		{"a\u202eb\x00c\x1b", false, "abc"},
		{"ligne 1\r\n\r\n\r\nligne   2\n", true, "ligne 1\n\nligne 2"},
		{"ligne 1\nligne 2", false, "ligne 1 ligne 2"},
	} {
		if got := r.Plain(tt.in, tt.multiline); got != tt.want {
			t.Errorf("Plain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// Deep nesting is rendered in room (and time) in proportion to the text:
// 64,000 ">" made 1.7 MB of HTML in 24 s, 20,000 "1. " 440 KB in 9 s.
// Ten levels still nest; deeper markers are shown as typed.
func TestMarkdownNestingBounded(t *testing.T) {
	r := New()
	for name, src := range map[string]string{
		"quotes":         strings.Repeat(">", 64000),
		"spaced quotes":  strings.Repeat("> ", 32000) + "x",
		"bullets":        strings.Repeat("- ", 32000) + "x",
		"numbered":       strings.Repeat("1. ", 20000) + "x",
		"mixed":          strings.Repeat("> - 2) ", 9000) + "x",
		"one per line":   strings.Repeat("> > > > > > > > > > > > > > > x\n", 2000),
		"open brackets":  strings.Repeat("[", 32000) + strings.Repeat("]", 32000),
		"escaped alread": strings.Repeat(`\[`, 30000),
	} {
		out := r.Markdown(src)
		if len(out) > 5*len(src)+1024 {
			t.Errorf("%s: %d bytes of HTML for %d of text", name, len(out), len(src))
		}
	}
	ten := strings.Repeat("> ", 10) + "dix"
	if out := r.Markdown(ten); strings.Count(out, "<blockquote>") != 10 || !strings.Contains(out, "dix") {
		t.Errorf("ten quotes: %q", out)
	}
	out := r.Markdown(strings.Repeat("> ", 12) + "douze")
	if strings.Count(out, "<blockquote>") != 10 || !strings.Contains(out, "&gt; &gt; douze") {
		t.Errorf("twelve quotes: %q", out)
	}
	if out := r.Markdown("1. un\n   - deux\n     > trois [lien](https://example.org) [x]"); !strings.Contains(out, `<a href="https://example.org"`) || !strings.Contains(out, "[x]") {
		t.Errorf("ordinary nesting changed: %q", out)
	}
}

func TestTameKeepsText(t *testing.T) {
	for _, src := range []string{"", "a > b", "- x\n- y\n", "3) z", "2026. année", `\> déjà`, "[a](b) [c]", "x\r\n> y"} {
		if got := tame(src); got != src {
			t.Errorf("tame(%q) = %q", src, got)
		}
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"Quartier Saint-Lambert", 40, "quartier-saint-lambert"},
		{"Cœur de l’Été", 40, "coeur-de-l-ete"},
		{"  --Tout le 15e !  ", 40, "tout-le-15e"},
		{"Ærø Straße", 40, "aero-strasse"},
		{"abc def", 4, "abc"},
		{"abcdef", 4, "abcd"},
		{"¿?", 40, ""},
	} {
		if got := Slug(tc.in, tc.max); got != tc.want {
			t.Errorf("Slug(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
}

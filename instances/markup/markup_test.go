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

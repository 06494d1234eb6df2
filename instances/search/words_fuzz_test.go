package search

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzWords: whatever a visitor types, a search is refused or is 1 to
// MaxWords distinct words of letters and digits of MinWord or more, so
// nothing reaches FTS5 or PostgreSQL as query syntax.
func FuzzWords(f *testing.F) {
	for _, s := range []string{"école", `"a" OR b*`, "NEAR(x y)", "-nord", "a", strings.Repeat("mot ", 60), "Œuvre d’art", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		words, err := Words(q)
		if err != nil {
			return
		}
		if len(words) < 1 || len(words) > MaxWords {
			t.Fatalf("Words(%q) = %d words", q, len(words))
		}
		seen := map[string]bool{}
		for _, w := range words {
			if utf8.RuneCountInString(w) < MinWord || seen[w] {
				t.Fatalf("Words(%q): word %q too short or repeated", q, w)
			}
			seen[w] = true
			for _, r := range w {
				if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
					t.Fatalf("Words(%q): %q holds %q", q, w, r)
				}
			}
		}
		if fq := ftsQuery(words); strings.Count(fq, `"`) != 2*len(words) {
			t.Fatalf("ftsQuery(%q) = %q", words, fq)
		}
	})
}

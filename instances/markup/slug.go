package markup

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// ligatures are the letters NFD does not split into a base letter.
var ligatures = strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae", "ß", "ss", "ø", "o", "Ø", "o")

// Fold lowercases s and removes its accents, for search and slugs.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, ligatures.Replace(s))
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// Slug makes a URL segment of a name: ASCII letters and digits, hyphens
// between words, at most max bytes; "" when the name has none.
// "Cœur de l'Été" is "coeur-de-l-ete".
func Slug(name string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range Fold(name) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				if b.Len()+2 > max {
					return b.String()
				}
				b.WriteByte('-')
			}
			dash = false
			if b.Len()+1 > max {
				return b.String()
			}
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

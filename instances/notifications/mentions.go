package notifications

import (
	"strings"
	"unicode"
)

// MaxMentions is the most handles one text notifies.
const MaxMentions = 20

// Mentions returns the local handles a text names as @handle (lower case,
// each once, at most MaxMentions). A handle followed by @host names an
// account of another server, and an @ inside a word (an email address)
// names no one.
func Mentions(text string) []string {
	var out []string
	for i := 0; i < len(text) && len(out) < MaxMentions; i++ {
		if text[i] != '@' {
			continue
		}
		if i > 0 {
			prev := rune(text[i-1])
			if prev < 0x80 && (unicode.IsLetter(prev) || unicode.IsDigit(prev) || prev == '_' || prev == '@' || prev == '/' || prev == '.') {
				continue
			}
			if prev >= 0x80 { // a byte of a multi-byte letter: inside a word
				continue
			}
		}
		j := i + 1
		for j < len(text) && j-i <= 31 && isHandleByte(text[j]) {
			j++
		}
		n := j - i - 1
		if n < 1 || n > 30 || j < len(text) && (isHandleByte(text[j]) || text[j] == '@') {
			i = j - 1
			continue
		}
		h := strings.ToLower(text[i+1 : j])
		if !contains(out, h) {
			out = append(out, h)
		}
		i = j - 1
	}
	return out
}

func isHandleByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

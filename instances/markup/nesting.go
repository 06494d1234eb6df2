package markup

import "strings"

// maxNesting is how many block containers (quotes, list items) a line
// may open before the rest of its markers are shown as text. goldmark's
// work grows faster than the text with nesting: 64,000 ">" took 24 s
// and 27 times their size in HTML. Nobody quotes or nests lists ten
// deep on purpose.
const maxNesting = 10

// maxOpenBrackets is how many "[" may wait for their "]" before further
// ones are shown as text: goldmark looks back over the open ones at each
// "]", so 32,000 of each took 4.5 s.
const maxOpenBrackets = 32

// tame escapes, with a backslash, the container markers of a line past
// maxNesting and the "[" past maxOpenBrackets still open, so that
// rendering takes time and room in proportion to the text. What it
// escapes is shown as typed.
func tame(src string) string {
	if !strings.ContainsAny(src, ">-+*0123456789[") {
		return src
	}
	var b strings.Builder
	b.Grow(len(src) + 16)
	open := 0
	for line := range strings.Lines(src) {
		i, depth := 0, 0
		for i < len(line) {
			j := i
			for k := 0; k < 3 && j < len(line) && line[j] == ' '; k++ {
				j++ // up to three spaces before a marker
			}
			n := marker(line[j:])
			if n == 0 {
				break
			}
			b.WriteString(line[i:j])
			if depth++; depth > maxNesting {
				// Escape the marker's punctuation: "\>", "\-", "12\.".
				m := line[j : j+n]
				p := strings.LastIndexAny(m, ">-+*.)")
				b.WriteString(m[:p] + `\` + m[p:])
			} else {
				b.WriteString(line[j : j+n])
			}
			i = j + n
		}
		for ; i < len(line); i++ {
			c := line[i]
			switch {
			case c == '\\' && i+1 < len(line):
				b.WriteByte(c)
				i++
				c = line[i]
			case c == '[':
				if open++; open > maxOpenBrackets {
					b.WriteByte('\\')
				}
			case c == ']' && open > 0:
				open--
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// marker returns the length of the block container marker s starts
// with, with the space after it, or 0: "> ", ">", "- ", "* ", "+ ",
// "1. ", "12) ".
func marker(s string) int {
	if s == "" {
		return 0
	}
	spaceAfter := func(k int) int {
		switch {
		case k == len(s):
			return k
		case s[k] == ' ' || s[k] == '\t':
			return k + 1
		case s[k] == '\n' || s[k] == '\r':
			return k
		}
		return 0
	}
	switch c := s[0]; {
	case c == '>':
		if len(s) > 1 && (s[1] == ' ' || s[1] == '\t') {
			return 2
		}
		return 1
	case c == '-' || c == '*' || c == '+':
		return spaceAfter(1)
	case c >= '0' && c <= '9':
		k := 0
		for k < len(s) && k < 9 && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		if k < len(s) && (s[k] == '.' || s[k] == ')') {
			return spaceAfter(k + 1)
		}
	}
	return 0
}

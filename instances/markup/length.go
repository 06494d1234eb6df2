package markup

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// LengthError is a text a person wrote that is refused for its length,
// with the figures a page needs to say what is wrong: how many
// characters were written and the bounds. errors.Is(err, Err) holds for
// the domain's own error (proposals.ErrTitle, debates.ErrBody...).
type LengthError struct {
	Err      error // the domain's error for the field
	N        int   // characters written, spaces at both ends left out
	Min, Max int   // the bounds, in characters
	// Cleaned is set when the text was long enough but nothing is left
	// to show once the markup the node does not keep (HTML, scripts)
	// is removed.
	Cleaned bool
}

func (e *LengthError) Error() string {
	if e.Cleaned {
		return fmt.Sprintf("%v (nothing is left to show once cleaned)", e.Err)
	}
	return fmt.Sprintf("%v (%d characters, want %d to %d)", e.Err, e.N, e.Min, e.Max)
}

func (e *LengthError) Unwrap() error { return e.Err }

// Empty reports whether nothing was written (spaces aside).
func (e *LengthError) Empty() bool { return e.N == 0 && !e.Cleaned }

// TooLong reports whether more was written than the bound allows.
func (e *LengthError) TooLong() bool { return e.N > e.Max }

// CheckLength returns a *LengthError wrapping bad when s, trimmed, is
// not min to max characters long, and nil otherwise.
func CheckLength(bad error, s string, min, max int) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(s)); n < min || n > max {
		return &LengthError{Err: bad, N: n, Min: min, Max: max}
	}
	return nil
}

// Package invalid is how a domain refuses an input that breaks several
// rules at once, so that a form shows every message together: each rule
// broken with the field it is about, and one error that errors.Is
// matches to each rule.
package invalid

import "strings"

// Field is one rule an input breaks: the field it is about and the rule,
// one of the domain's errors.
type Field struct {
	Field string
	Err   error
}

// Error is every Field of one input of a kind of thing (What: "space",
// "vote"). errors.Is matches it to each of their rules.
type Error struct {
	What   string
	Errors []Field
}

func (e *Error) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Field + ": " + fe.Err.Error()
	}
	return "invalid " + e.What + ": " + strings.Join(parts, "; ")
}

// Unwrap returns the rules broken, for errors.Is.
func (e *Error) Unwrap() []error {
	out := make([]error, len(e.Errors))
	for i, fe := range e.Errors {
		out[i] = fe.Err
	}
	return out
}

// Fields gathers the rules an input breaks, in the order found.
type Fields []Field

// Add records that field breaks err.
func (p *Fields) Add(field string, err error) { *p = append(*p, Field{Field: field, Err: err}) }

// Has reports whether field already broke a rule.
func (p Fields) Has(field string) bool {
	for _, fe := range p {
		if fe.Field == field {
			return true
		}
	}
	return false
}

// Err is nil when nothing is wrong, an *Error about what otherwise.
func (p Fields) Err(what string) error {
	if len(p) == 0 {
		return nil
	}
	return &Error{What: what, Errors: p}
}

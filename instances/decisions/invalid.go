package decisions

import "strings"

// FieldError is one rule a vote's Input breaks: the field it is about
// ("question", "description", "category", "method", "options", "costs",
// "closes_at", "score", "budget_total", "status_quo", "quorum") and the
// rule, one of the errors of this package (ErrQuestion, ErrOptions, …).
type FieldError struct {
	Field string
	Err   error
}

// InvalidError is every FieldError of one Input, so that a form shows
// them all at once. errors.Is matches it to each of their rules.
type InvalidError struct{ Errors []FieldError }

func (e *InvalidError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Field + ": " + fe.Err.Error()
	}
	return "invalid vote: " + strings.Join(parts, "; ")
}

// Unwrap returns the rules broken, for errors.Is.
func (e *InvalidError) Unwrap() []error {
	out := make([]error, len(e.Errors))
	for i, fe := range e.Errors {
		out[i] = fe.Err
	}
	return out
}

// problems gathers FieldErrors.
type problems []FieldError

func (p *problems) add(field string, err error) { *p = append(*p, FieldError{Field: field, Err: err}) }

func (p problems) has(field string) bool {
	for _, fe := range p {
		if fe.Field == field {
			return true
		}
	}
	return false
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &InvalidError{Errors: p}
}

package projects

import (
	"slices"
	"strings"
	"unicode/utf8"

	"agora/instances/budgets"
)

// Problem codes: what is wrong with a field, for pages to word.
const (
	ProblemEmpty   = "empty"
	ProblemTooLong = "too_long"
	ProblemControl = "control" // control characters
	ProblemAmount  = "amount"  // not a positive amount within budgets.MaxAmount
	ProblemUnknown = "unknown" // not one of the values allowed
	ProblemRange   = "range"   // a number out of its bounds
	ProblemCount   = "count"   // too many or too few
	ProblemTaken   = "taken"   // already used
)

// Problems names each field at fault with a problem code; an input is
// refused with every problem at once.
type Problems map[string]string

// Err is nil when there is no problem, an *InvalidError otherwise.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &InvalidError{Problems: p}
}

func (p Problems) text(field, v string, max int, required bool) Problems {
	switch {
	case required && strings.TrimSpace(v) == "":
		p[field] = ProblemEmpty
	case utf8.RuneCountInString(v) > max:
		p[field] = ProblemTooLong
	case !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' }):
		p[field] = ProblemControl
	}
	return p
}

func (p Problems) amount(field string, v int64) Problems {
	if v <= 0 || v > budgets.MaxAmount {
		p[field] = ProblemAmount
	}
	return p
}

// InvalidError refuses input, naming each field at fault; it is
// ErrInvalid.
type InvalidError struct {
	Problems Problems
}

func (e *InvalidError) Error() string {
	keys := make([]string, 0, len(e.Problems))
	for k, v := range e.Problems {
		keys = append(keys, k+": "+v)
	}
	slices.Sort(keys)
	return ErrInvalid.Error() + ": " + strings.Join(keys, ", ")
}

// Is makes errors.Is(err, ErrInvalid) hold.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }

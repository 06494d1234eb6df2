package decisions

import "agora/instances/invalid"

// FieldError is one rule a vote's Input breaks: the field it is about
// ("question", "description", "category", "method", "options", "costs",
// "closes_at", "score", "budget_total", "status_quo", "quorum",
// "min_age", "district") and the rule, one of the errors of this package
// (ErrQuestion, ErrOptions, …).
type FieldError = invalid.Field

// InvalidError is every FieldError of one Input, so that a form shows
// them all at once. errors.Is matches it to each of their rules.
type InvalidError = invalid.Error

// problems gathers FieldErrors.
type problems = invalid.Fields

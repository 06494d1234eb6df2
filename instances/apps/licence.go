package apps

import (
	"regexp"
	"slices"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
)

// maxLicenceLen bounds an SPDX expression; real ones are a few words.
const maxLicenceLen = 500

// Licence is what the catalogue knows of legal.license.
type Licence struct {
	Expression string   // normalised: canonical identifiers, e.g. "AGPL-3.0-or-later"
	IDs        []string // the licences it names, sorted, without exceptions
	// OSIApproved reports whether the software may be used under
	// OSI-approved licences alone: every licence of an AND, at least one
	// of an OR. An exception (WITH) only adds permissions, so it is
	// ignored; LicenseRef-* is never approved.
	OSIApproved bool
}

// withException matches " WITH exception-id" in a normalised expression.
var withException = regexp.MustCompile(`\s+WITH\s+[A-Za-z0-9.+-]+`)

// ParseLicence checks an SPDX licence expression (SPDX License List
// 3.29.0, through github.com/github/go-spdx): identifiers are matched
// regardless of case, deprecated ones accepted, LicenseRef-* allowed.
// The error says what is wrong, for a person to read.
func ParseLicence(expr string) (Licence, error) {
	if len(expr) > maxLicenceLen {
		return Licence{}, errLicence("the expression is too long")
	}
	norm, invalid := spdxexp.ValidateAndNormalizeLicensesWithOptions([]string{expr}, spdxexp.ValidateLicensesOptions{})
	if len(invalid) > 0 || len(norm) != 1 {
		// ExtractLicenses parses again to say why: an unknown licence
		// ("unknown license 'AGPL-4.0' at offset 0") or bad syntax.
		if _, err := spdxexp.ExtractLicenses(expr); err != nil {
			return Licence{}, errLicence(err.Error())
		}
		return Licence{}, errLicence("not a valid SPDX expression")
	}
	l := Licence{Expression: norm[0]}
	ids, err := spdxexp.ExtractLicenses(withException.ReplaceAllString(l.Expression, ""))
	if err != nil {
		return Licence{}, errLicence(err.Error())
	}
	slices.Sort(ids)
	l.IDs = ids
	l.OSIApproved = osiApproved(withException.ReplaceAllString(l.Expression, ""))
	return l, nil
}

// osiApproved evaluates a normalised expression without exceptions:
// each licence against the OSI list (through go-spdx, which knows "+"
// and deprecated identifiers), AND as all, OR as any. It does not call
// spdxexp.Satisfies on the whole expression: that expands it into
// disjunctive normal form first, 2^k terms for k "(A OR B)" groups
// joined by AND, so a 490-character expression takes hours and
// gigabytes. Here it is one pass (shunting-yard, no recursion) over at
// most maxLicenceLen bytes.
func osiApproved(expr string) bool {
	tokens := strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ").Replace(expr))
	prec := map[string]int{"OR": 1, "AND": 2}
	var ops []string
	var vals []bool
	apply := func() bool {
		if len(vals) < 2 {
			return false
		}
		a, b := vals[len(vals)-2], vals[len(vals)-1]
		vals = vals[:len(vals)-2]
		if ops[len(ops)-1] == "AND" {
			vals = append(vals, a && b)
		} else {
			vals = append(vals, a || b)
		}
		ops = ops[:len(ops)-1]
		return true
	}
	for _, t := range tokens {
		switch up := strings.ToUpper(t); {
		case t == "(":
			ops = append(ops, t)
		case t == ")":
			for len(ops) > 0 && ops[len(ops)-1] != "(" {
				if !apply() {
					return false
				}
			}
			if len(ops) == 0 {
				return false
			}
			ops = ops[:len(ops)-1]
		case prec[up] > 0:
			for len(ops) > 0 && prec[ops[len(ops)-1]] >= prec[up] {
				if !apply() {
					return false
				}
			}
			ops = append(ops, up)
		default:
			ok, err := spdxexp.Satisfies(t, osiLicences)
			vals = append(vals, err == nil && ok)
		}
	}
	for len(ops) > 0 {
		if ops[len(ops)-1] == "(" || !apply() {
			return false
		}
	}
	return len(vals) == 1 && vals[0]
}

type licenceError string

func (e licenceError) Error() string { return "invalid SPDX licence expression: " + string(e) }

func errLicence(s string) error { return licenceError(s) }

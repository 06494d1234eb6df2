package apps

import (
	"regexp"
	"slices"

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
	ok, err := spdxexp.Satisfies(withException.ReplaceAllString(l.Expression, ""), osiLicences)
	l.OSIApproved = err == nil && ok
	return l, nil
}

type licenceError string

func (e licenceError) Error() string { return "invalid SPDX licence expression: " + string(e) }

func errLicence(s string) error { return licenceError(s) }

package apps

import (
	"cmp"
	"errors"
	"net/http"
	"strings"

	"agora/frontend/web"

	"agora/frontend/i18n"
	"agora/instances/apps"
)

// errorTable is what a reader is told of the errors of instances/apps.
// ErrTooLarge comes before ErrInvalid: a publiccode.yml over the limit is
// both, and 413 says more.
var errorTable = []web.DomainError{
	web.MapError(apps.ErrNotFound, http.StatusNotFound, "app.error.not_found", ""),
	web.MapError(apps.ErrGone, http.StatusGone, "app.error.gone", ""),
	web.MapError(apps.ErrForbidden, http.StatusForbidden, "app.error.forbidden", ""),
	web.MapError(apps.ErrTooLarge, http.StatusRequestEntityTooLarge, "app.error.too_large", ""),
	web.MapError(apps.ErrInvalid, http.StatusBadRequest, "app.error.invalid", ""),
	web.MapError(apps.ErrConflict, http.StatusConflict, "app.error.conflict", ""),
	web.MapError(apps.ErrRemote, http.StatusConflict, "app.error.remote", ""),
	web.MapError(apps.ErrMediaType, http.StatusBadRequest, "app.error.media_type", "image"),
	web.MapError(apps.ErrChecklist, http.StatusConflict, "app.error.checklist", ""),
	web.MapError(apps.ErrOwnSubmission, http.StatusForbidden, "rules.app.certify_own", ""),
	web.MapError(apps.ErrNotAdopted, http.StatusNotFound, "app.error.not_adopted", ""),
}

// fieldErrorView is one problem of a publiccode.yml or a form of the
// catalogue, as the error summary lists it: where (field path and line)
// and what, in the reader's language.
type fieldErrorView struct {
	Path, Line, What string
}

// fieldErrors returns the field errors err carries, if any.
func fieldErrors(err error) []apps.FieldError {
	var inv *apps.InvalidError
	if errors.As(err, &inv) {
		return inv.Errors
	}
	return nil
}

// fieldErrorViews writes field errors for the reader.
func fieldErrorViews(l *i18n.Printer, fes []apps.FieldError) []fieldErrorView {
	out := make([]fieldErrorView, 0, len(fes))
	for _, fe := range fes {
		v := fieldErrorView{Path: fe.Path, What: problemText(l, fe)}
		if fe.Line > 0 {
			v.Line = l.Int(int64(fe.Line))
		}
		out = append(out, v)
	}
	return out
}

// problemText says what is wrong with a field, from the problem and its
// values (never the service's English message). A problem this page
// does not know yet is said by its group (Code).
func problemText(l *i18n.Printer, fe apps.FieldError) string {
	n := func(v int) string { return l.Int(int64(v)) }
	quoted := l.T("words.quoted", fe.Value)
	var args []any
	switch fe.Problem {
	case apps.NotOneOf:
		args = []any{quoted, strings.Join(fe.Allowed, ", ")}
	case apps.NotURL, apps.NotWebURL, apps.NotDate, apps.UnknownVersion, apps.UnknownCategory,
		apps.BadLanguage, apps.BadLicence, apps.NotOSI, apps.DuplicateName, apps.BadMediaType:
		args = []any{quoted}
	case apps.WantMapping, apps.WantString, apps.WantList, apps.WantBool:
		args = []any{l.T("words.found." + cmp.Or(fe.Found, "nothing"))}
	case apps.TooLong, apps.TooManyEntries:
		args = []any{n(fe.N), n(fe.Max)}
	case apps.TooMany:
		if fe.N == 0 {
			return l.T("words.problem.too_many_max", n(fe.Max))
		}
		args = []any{n(fe.N), n(fe.Max)}
	case apps.LengthOutside:
		args = []any{n(fe.N), n(fe.Min), n(fe.Max)}
	case apps.OneLine, apps.BadFileName, apps.MergeTooDeep, apps.TooDeep, apps.AliasGrowth, apps.FileTooLarge:
		args = []any{n(fe.Max)}
	case apps.DuplicateKey:
		args = []any{n(fe.FirstLine)}
	}
	key := "words.problem." + string(fe.Problem)
	if text := l.T(key, args...); fe.Problem != "" && !strings.HasPrefix(text, "words.problem.") {
		return text
	}
	if text := l.T("app.field." + fe.Code); text != "app.field."+fe.Code {
		return text
	}
	return l.T("app.field.other")
}

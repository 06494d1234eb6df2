package apps

import (
	"errors"
	"net/http"
	"strconv"

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
// catalogue, as the error summary lists it: where (field path and line),
// what in the reader's language, and the service's own words (English),
// marked as such for screen readers.
type fieldErrorView struct {
	Path, Line, What, Detail string
	DetailLang               string // "en" when the page is in another language
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
		v := fieldErrorView{Path: fe.Path, What: l.T("app.field." + fe.Code), Detail: fe.Message}
		if v.What == "app.field."+fe.Code { // a code this page does not know yet
			v.What = l.T("app.field.other")
		}
		if fe.Line > 0 {
			v.Line = strconv.Itoa(fe.Line)
		}
		if l.Lang == "en" {
			v.What = "" // the service's words say it already
		} else {
			v.DetailLang = "en"
		}
		out = append(out, v)
	}
	return out
}

package apps

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/apps"
)

// appPublishData is the publish form.
type appPublishData struct {
	Form   *web.Form
	Errors []fieldErrorView
}

func (s *surface) appNewPage(w http.ResponseWriter, r *http.Request) {
	if !s.mayCurate(w, r) {
		return
	}
	s.renderAppNew(w, r, http.StatusOK, web.EmptyForm(), nil)
}

func (s *surface) renderAppNew(w http.ResponseWriter, r *http.Request, status int, f *web.Form, fes []apps.FieldError) {
	l := s.Printer(r)
	s.HTML(w, r, status, "app_publish", l.T("app.new.title"), appPublishData{Form: f, Errors: fieldErrorViews(l, fes)})
}

// mayCurate answers 403 unless the signed-in reader may change the
// catalogue, as the service decides: before a form is read, so a refused
// upload costs no transfer. (The service checks again.)
func (s *surface) mayCurate(w http.ResponseWriter, r *http.Request) bool {
	actor, err := appActor(r)
	if err == nil && !s.apps.MayCurate(actor) {
		err = apps.ErrForbidden
	}
	if err != nil {
		s.Fail(w, r, err)
		return false
	}
	return true
}

// appNewSave publishes an app from a publiccode.yml pasted or uploaded.
// A file that does not pass stores nothing: the form comes back with
// every problem, its field path and line, above it.
func (s *surface) appNewSave(w http.ResponseWriter, r *http.Request) {
	s.savePublicCode(w, r, "published", s.apps.Publish, func(status int, f *web.Form, fes []apps.FieldError) {
		s.renderAppNew(w, r, status, f, fes)
	})
}

// appUpdateSave replaces a local app's publiccode.yml, checked as a new
// one is.
func (s *surface) appUpdateSave(w http.ResponseWriter, r *http.Request) {
	slug := mux.Vars(r)["slug"]
	update := func(ctx context.Context, actor accounts.Actor, yml io.Reader) (*apps.App, []apps.FieldError, error) {
		return s.apps.Update(ctx, actor, slug, yml)
	}
	s.savePublicCode(w, r, "updated", update, func(status int, f *web.Form, fes []apps.FieldError) {
		s.renderApp(w, r, status, slug, f, "update", fes)
	})
}

// savePublicCode reads the publiccode.yml form and hands the file to
// save: on success the app's page says done; a refusal shows the form
// again (again) with what went wrong.
func (s *surface) savePublicCode(w http.ResponseWriter, r *http.Request, done string,
	save func(context.Context, accounts.Actor, io.Reader) (*apps.App, []apps.FieldError, error),
	again func(status int, f *web.Form, fes []apps.FieldError)) {
	l := s.Printer(r)
	if !s.mayCurate(w, r) {
		return
	}
	actor, err := appActor(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f, yml, err := readPublicCodeForm(r)
	switch {
	case web.IsTooLarge(err):
		w.Header().Set("Connection", "close")
		f.Error = l.T("app.error.body_too_large", appPublicCodeLimit>>20)
		again(http.StatusRequestEntityTooLarge, f, nil)
		return
	case err != nil:
		s.Fail(w, r, err)
		return
	case yml == nil:
		f.Errors["publiccode"] = l.T("app.publish.missing")
		again(http.StatusBadRequest, f, nil)
		return
	}
	a, fes, err := save(r.Context(), actor, bytes.NewReader(yml))
	if err != nil {
		e := s.AsError(err)
		if e.Status >= 500 || e.Status == http.StatusNotFound || e.Status == http.StatusGone || errors.Is(err, apps.ErrForbidden) {
			s.Fail(w, r, err)
			return
		}
		if len(fes) == 0 {
			fes = fieldErrors(err)
		}
		if len(fes) > 0 {
			f.Error = l.T("app.error.fields", len(fes))
		} else {
			s.FailForm(r, f, err)
		}
		again(e.Status, f, fes)
		return
	}
	http.Redirect(w, r, appDoneURL(a.Slug, done, "content"), http.StatusSeeOther)
}

// readPublicCodeForm reads the publish or update form: a publiccode.yml
// pasted (field publiccode) or uploaded (field file; the file wins when
// both are given). Each is read up to one byte past the service's limit,
// so that the service refuses a larger one with its own message; nil
// means neither was given. A multipart form is read as a stream.
func readPublicCodeForm(r *http.Request) (*web.Form, []byte, error) {
	f := web.EmptyForm()
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var pasted, file []byte
	if ct != "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			return f, nil, web.HTTPError(http.StatusBadRequest, err)
		}
		pasted = []byte(r.PostForm.Get("publiccode"))
	} else {
		mr, err := web.ReadMultipart(r)
		if err != nil {
			return f, nil, err
		}
		for {
			part, err := mr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return f, nil, err
			}
			b, err := io.ReadAll(io.LimitReader(part, apps.MaxPublicCodeSize+1))
			if err != nil {
				return f, nil, err
			}
			switch part.FormName() {
			case "publiccode":
				pasted = b
			case "file":
				file = b
			}
			if len(b) > apps.MaxPublicCodeSize {
				break // the service says it is too large; the rest is not read
			}
		}
	}
	if len(pasted) <= appPasteShown {
		f.Values["publiccode"] = string(pasted)
	}
	switch {
	case len(bytes.TrimSpace(file)) > 0:
		return f, file, nil
	case len(bytes.TrimSpace(pasted)) > 0:
		return f, pasted, nil
	}
	return f, nil, nil
}

// appPasteShown is the longest pasted publiccode.yml the form shows
// again after an error; a larger one is refused anyway.
const appPasteShown = apps.MaxPublicCodeSize

// appSlugPath is an app's page path.
func appSlugPath(slug string) string { return "/apps/" + url.PathEscape(slug) }

// errFieldTooLong is a text field of a multipart form over appFieldMax.
func errFieldTooLong(name string) error {
	return web.HTTPError(http.StatusBadRequest, fmt.Errorf("field %q over %d bytes", strings.ToValidUTF8(name, "?"), appFieldMax))
}

package frontend

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/mux"

	"agora/instances/apps"
)

// appPublishData is the publish form.
type appPublishData struct {
	Form   *form
	Errors []fieldErrorView
}

func (s *server) appNewPage(w http.ResponseWriter, r *http.Request) {
	if !s.mayCurate(w, r) {
		return
	}
	s.renderAppNew(w, r, http.StatusOK, emptyForm(), nil)
}

func (s *server) renderAppNew(w http.ResponseWriter, r *http.Request, status int, f *form, fes []apps.FieldError) {
	l := s.render.printer(r)
	s.render.html(w, r, status, "app_publish", l.T("app.new.title"), appPublishData{Form: f, Errors: fieldErrorViews(l, fes)})
}

// mayCurate answers 403 unless the signed-in reader may change the
// catalogue, as the service decides: before a form is read, so a refused
// upload costs no transfer. (The service checks again.)
func (s *server) mayCurate(w http.ResponseWriter, r *http.Request) bool {
	actor, err := appActor(r)
	if err == nil && !s.apps.MayCurate(actor) {
		err = apps.ErrForbidden
	}
	if err != nil {
		s.render.fail(w, r, err)
		return false
	}
	return true
}

// appNewSave publishes an app from a publiccode.yml pasted or uploaded.
// A file that does not pass stores nothing: the form comes back with
// every problem, its field path and line, above it.
func (s *server) appNewSave(w http.ResponseWriter, r *http.Request) {
	l := s.render.printer(r)
	if !s.mayCurate(w, r) {
		return
	}
	actor, err := appActor(r)
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	f, yml, err := readPublicCodeForm(r)
	if err != nil {
		if isTooLarge(err) {
			w.Header().Set("Connection", "close")
			f.Error = l.T("app.error.body_too_large", appPublicCodeLimit>>20)
			s.renderAppNew(w, r, http.StatusRequestEntityTooLarge, f, nil)
			return
		}
		s.render.fail(w, r, err)
		return
	}
	if yml == nil {
		f.Errors["publiccode"] = l.T("app.publish.missing")
		s.renderAppNew(w, r, http.StatusBadRequest, f, nil)
		return
	}
	a, fes, err := s.apps.Publish(r.Context(), actor, bytes.NewReader(yml))
	if err != nil {
		e := asError(err)
		if e.Status >= 500 || errors.Is(err, apps.ErrForbidden) {
			s.render.fail(w, r, err)
			return
		}
		if len(fes) == 0 {
			fes = fieldErrors(err)
		}
		if len(fes) > 0 {
			f.Error = l.T("app.error.fields", len(fes))
		} else {
			f.fail(l, err)
		}
		s.renderAppNew(w, r, e.Status, f, fes)
		return
	}
	http.Redirect(w, r, appDoneURL(a.Slug, "published", "content"), http.StatusSeeOther)
}

// appUpdateSave replaces an app's publiccode.yml.
func (s *server) appUpdateSave(w http.ResponseWriter, r *http.Request) {
	l := s.render.printer(r)
	slug := mux.Vars(r)["slug"]
	if !s.mayCurate(w, r) {
		return
	}
	actor, err := appActor(r)
	if err != nil {
		s.render.fail(w, r, err)
		return
	}
	f, yml, err := readPublicCodeForm(r)
	if err != nil {
		if isTooLarge(err) {
			w.Header().Set("Connection", "close")
			f.Error = l.T("app.error.body_too_large", appPublicCodeLimit>>20)
			s.renderApp(w, r, http.StatusRequestEntityTooLarge, slug, f, "update", nil)
			return
		}
		s.render.fail(w, r, err)
		return
	}
	if yml == nil {
		f.Errors["publiccode"] = l.T("app.publish.missing")
		s.renderApp(w, r, http.StatusBadRequest, slug, f, "update", nil)
		return
	}
	a, fes, err := s.apps.Update(r.Context(), actor, slug, bytes.NewReader(yml))
	if err != nil {
		if len(fes) > 0 && len(fieldErrors(err)) == 0 {
			err = &apps.InvalidError{Errors: fes}
		}
		s.appFailed(w, r, slug, f, "update", err)
		return
	}
	http.Redirect(w, r, appDoneURL(a.Slug, "updated", "content"), http.StatusSeeOther)
}

// readPublicCodeForm reads the publish or update form: a publiccode.yml
// pasted (field publiccode) or uploaded (field file; the file wins when
// both are given). Each is read up to one byte past the service's limit,
// so that the service refuses a larger one with its own message; nil
// means neither was given. A multipart form is read as a stream.
func readPublicCodeForm(r *http.Request) (*form, []byte, error) {
	f := emptyForm()
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var pasted, file []byte
	if ct != "multipart/form-data" {
		if err := r.ParseForm(); err != nil {
			return f, nil, httpError(http.StatusBadRequest, err)
		}
		pasted = []byte(r.PostForm.Get("publiccode"))
	} else {
		mr, err := r.MultipartReader()
		if err != nil {
			return f, nil, httpError(http.StatusBadRequest, err)
		}
		for {
			part, err := mr.NextPart()
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
	return httpError(http.StatusBadRequest, fmt.Errorf("field %q over %d bytes", strings.ToValidUTF8(name, "?"), appFieldMax))
}

package apps

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/accounts"
	"agora/instances/apps"
)

func (s *surface) appLogoSave(w http.ResponseWriter, r *http.Request) {
	s.appImageSave(w, r, "logo", s.apps.SetLogo)
}

func (s *surface) appScreenshotSave(w http.ResponseWriter, r *http.Request) {
	s.appImageSave(w, r, "screenshot", s.apps.AddScreenshot)
}

// appImageSave stores the image of the form's "image" field, streamed
// from the request to the service, which detects its type from its
// content and refuses it past the image limit.
func (s *surface) appImageSave(w http.ResponseWriter, r *http.Request, done string,
	store func(context.Context, accounts.Actor, string, io.Reader) (*apps.Media, error)) {
	l := s.Printer(r)
	slug := mux.Vars(r)["slug"]
	f := web.EmptyForm()
	if !s.mayCurate(w, r) {
		return
	}
	actor, err := appActor(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		s.Fail(w, r, web.HTTPError(http.StatusBadRequest, errors.New("an image form is multipart")))
		return
	}
	mr, err := web.ReadMultipart(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	for {
		part, err := mr.Next()
		if err == io.EOF {
			f.Errors["image"] = l.T("app.media.missing")
			s.renderApp(w, r, http.StatusBadRequest, slug, f, done, nil)
			return
		}
		if err != nil {
			s.imageFailed(w, r, slug, f, done, err)
			return
		}
		if part.FormName() != "image" || part.FileName() == "" {
			continue
		}
		if _, err := store(r.Context(), actor, slug, part); err != nil {
			s.imageFailed(w, r, slug, f, done, err)
			return
		}
		break
	}
	http.Redirect(w, r, appDoneURL(slug, done, "images"), http.StatusSeeOther)
}

func (s *surface) imageFailed(w http.ResponseWriter, r *http.Request, slug string, f *web.Form, failed string, err error) {
	l := s.Printer(r)
	switch {
	case web.IsTooLarge(err), errors.Is(err, apps.ErrTooLarge):
		_, imageMax := s.apps.Limits()
		w.Header().Set("Connection", "close")
		f.Errors["image"] = l.T("app.media.too_large", l.Size(imageMax))
		s.renderApp(w, r, http.StatusRequestEntityTooLarge, slug, f, failed, nil)
		return
	case errors.Is(err, apps.ErrMediaType):
		finishBody(w, r)
	}
	if fes := fieldErrors(err); len(fes) > 0 {
		f.Errors["image"] = l.T("app.media.count", apps.MaxScreenshots)
		finishBody(w, r)
		s.renderApp(w, r, http.StatusBadRequest, slug, f, failed, nil)
		return
	}
	s.appFailed(w, r, slug, f, failed, err)
}

// appMediaRemove removes a logo or screenshot.
func (s *surface) appMediaRemove(w http.ResponseWriter, r *http.Request) {
	vars := mux.Vars(r)
	actor, err := appActor(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if err := s.apps.RemoveMedia(r.Context(), actor, vars["slug"], vars["id"]); err != nil {
		s.appFailed(w, r, vars["slug"], web.EmptyForm(), "media", err)
		return
	}
	http.Redirect(w, r, appDoneURL(vars["slug"], "media_removed", "images"), http.StatusSeeOther)
}

package apps

import (
	"bufio"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"agora/frontend/web"

	"github.com/gorilla/mux"

	"agora/instances/apps"
)

// appUploadBuffer is the read buffer under the release form's multipart
// reader, per upload.
const appUploadBuffer = 256 << 10

// appReleaseData is the form of a new release.
type appReleaseData struct {
	App           *apps.App
	Form          *web.Form
	Errors        []fieldErrorView
	ArtifactLimit string
	MaxFiles      int
	FilesAgain    bool // files were sent: the browser does not keep them
}

func (s *surface) appReleasePage(w http.ResponseWriter, r *http.Request) {
	if !s.mayCurate(w, r) {
		return
	}
	a, err := s.localApp(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f := web.EmptyForm()
	f.Values["date"] = s.Now().Format(time.DateOnly)
	s.renderAppRelease(w, r, http.StatusOK, a, f, nil, false)
}

// localApp loads the app of the URL, refusing one another node publishes.
func (s *surface) localApp(r *http.Request) (*apps.App, error) {
	a, err := s.apps.BySlug(r.Context(), mux.Vars(r)["slug"])
	if err == nil && a.Remote() {
		err = apps.ErrRemote
	}
	return a, err
}

func (s *surface) renderAppRelease(w http.ResponseWriter, r *http.Request, status int, a *apps.App, f *web.Form, fes []apps.FieldError, again bool) {
	l := s.Printer(r)
	artifactMax, _ := s.apps.Limits()
	d := appReleaseData{App: a, Form: f, Errors: fieldErrorViews(l, fes), ArtifactLimit: l.Size(artifactMax),
		MaxFiles: apps.MaxArtifactsPerRelease, FilesAgain: again}
	s.HTML(w, r, status, "app_release", l.T("app.release.title", a.Name), d)
}

// appReleaseSave adds a release. The form is read as a stream: its text
// fields first (the form puts them before the files), then each file
// goes from the request straight to the blob store through AddRelease,
// which measures its SHA-256 and size and refuses it past the
// catalogue's artifact limit. The handler holds no file whole, in
// memory or on disk (no ParseMultipartForm), and a refused release
// leaves no row and no file.
func (s *surface) appReleaseSave(w http.ResponseWriter, r *http.Request) {
	l := s.Printer(r)
	if !s.mayCurate(w, r) {
		return
	}
	actor, err := appActor(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	a, err := s.localApp(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		s.Fail(w, r, web.HTTPError(http.StatusBadRequest, errors.New("the release form is multipart")))
		return
	}
	// The multipart reader reads its input 4 KiB at a time; a larger
	// buffer under it turns those into copies from memory rather than
	// as many reads from the connection.
	r.Body = struct {
		io.Reader
		io.Closer
	}{bufio.NewReaderSize(r.Body, appUploadBuffer), r.Body}
	mr, err := web.ReadMultipart(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	f := web.EmptyForm()
	next, sent, err := artifactParts(mr, f)
	if err != nil {
		s.releaseFailed(w, r, a, f, *sent, err)
		return
	}
	in := apps.ReleaseInput{Version: f.Values["version"], Changelog: f.Values["changelog"], More: next}
	if v := f.Values["date"]; v != "" {
		if in.Date, err = time.Parse(time.DateOnly, v); err != nil {
			f.Errors["date"] = l.T("app.release.bad_date")
			finishBody(w, r)
			s.renderAppRelease(w, r, http.StatusBadRequest, a, f, nil, *sent)
			return
		}
	}
	if _, err := s.apps.AddRelease(r.Context(), actor, a.Slug, in); err != nil {
		s.releaseFailed(w, r, a, f, *sent, err)
		return
	}
	http.Redirect(w, r, appDoneURL(a.Slug, "released", "releases"), http.StatusSeeOther)
}

// artifactParts reads the text fields of the release form into f up to
// its first file, and returns the function that gives the files one at
// a time, each a part of the request read as AddRelease stores it.
// Empty file inputs are skipped, and text fields after the files
// ignored. sent reports whether a file came.
func artifactParts(mr *web.Multipart, f *web.Form) (next func() (*apps.ArtifactInput, error), sent *bool, err error) {
	sent = new(bool)
	var first *multipart.Part
	nextFile := func() (*multipart.Part, error) {
		for {
			part, err := mr.Next()
			if err != nil {
				return nil, err
			}
			if part.FormName() == "artifacts" && part.FileName() != "" {
				*sent = true
				return part, nil
			}
			if part.FormName() == "artifacts" || *sent {
				if _, err := io.Copy(io.Discard, io.LimitReader(part, appFieldMax)); err != nil {
					return nil, err
				}
				continue
			}
			b, err := io.ReadAll(io.LimitReader(part, appFieldMax+1))
			if err != nil {
				return nil, err
			}
			if len(b) > appFieldMax {
				return nil, errFieldTooLong(part.FormName())
			}
			f.Values[part.FormName()] = strings.TrimSpace(string(b))
		}
	}
	first, err = nextFile()
	if err != nil && err != io.EOF {
		return nil, sent, err
	}
	done := err == io.EOF
	next = func() (*apps.ArtifactInput, error) {
		part := first
		first = nil
		if part == nil && !done {
			var err error
			if part, err = nextFile(); err == io.EOF {
				done = true
			} else if err != nil {
				return nil, err
			}
		}
		if part == nil {
			return nil, nil
		}
		return &apps.ArtifactInput{Name: part.FileName(), MediaType: part.Header.Get("Content-Type"), Body: part}, nil
	}
	return next, sent, nil
}

// releaseFailed shows the release form again with what went wrong:
// every field error with its path, a file over the limit, a version
// that exists already, a body too large.
func (s *surface) releaseFailed(w http.ResponseWriter, r *http.Request, a *apps.App, f *web.Form, sent bool, err error) {
	l := s.Printer(r)
	e := s.AsError(err)
	fes := fieldErrors(err)
	switch {
	case web.IsTooLarge(err):
		e.Status = http.StatusRequestEntityTooLarge
		w.Header().Set("Connection", "close")
		f.Errors["artifacts"] = l.T("app.error.body_too_large", s.UploadLimit(r)>>20)
	case errors.Is(err, apps.ErrTooLarge):
		artifactMax, _ := s.apps.Limits()
		f.Errors["artifacts"] = l.T("app.release.too_large", l.Size(artifactMax))
	case errors.Is(err, apps.ErrConflict):
		f.Errors["version"] = l.T("app.release.version_taken")
	case len(fes) > 0:
		f.Error = l.T("app.error.fields", len(fes))
		for _, fe := range fes {
			if fe.Path == "version" || fe.Path == "changelog" {
				f.Errors[fe.Path] = problemText(l, fe)
			}
		}
	case e.Status >= 500 || e.Status == http.StatusNotFound || e.Status == http.StatusGone || errors.Is(err, apps.ErrForbidden):
		s.Fail(w, r, err)
		return
	default:
		s.FailForm(r, f, err)
	}
	finishBody(w, r)
	s.renderAppRelease(w, r, e.Status, a, f, fes, sent)
}

// finishBody reads what is left of a refused upload, up to a bound, so
// the browser gets the page rather than a reset connection; past the
// bound the connection is closed after the answer.
func finishBody(w http.ResponseWriter, r *http.Request) {
	const drain = 32 << 20
	if n, _ := io.CopyN(io.Discard, r.Body, drain); n == drain {
		w.Header().Set("Connection", "close")
	}
}

package apps

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/apps"
)

// artifactPutAnswer is what a release added by PUT answers (201).
type artifactPutAnswer struct {
	Version  string `json:"version"`
	Date     string `json:"date"`
	Name     string `json:"name"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	URL      string `json:"url"`
	Location string `json:"release_url"`
}

// appArtifactPut adds a release of one file whose body is the request's
// own, for scripts and CI (curl -T file URL): PUT
// /apps/{slug}/releases/{version}/{name}, with the file's type in
// Content-Type and, in the query, an optional changelog and date
// (YYYY-MM-DD, today by default). The body goes from the connection
// straight to the blob store through AddRelease, as the form's files do
// (SHA-256 and size measured on the way, the catalogue's artifact limit,
// the route's body limit), with no multipart framing to parse. Same
// rights as the form: a signed-in steward (session cookie). A refusal
// leaves no row and no file, and answers JSON with the problems.
func (s *surface) appArtifactPut(w http.ResponseWriter, r *http.Request) {
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
	vars, q := mux.Vars(r), r.URL.Query()
	in := apps.ReleaseInput{Version: vars["version"], Changelog: q.Get("changelog"),
		Artifacts: []apps.ArtifactInput{{Name: vars["name"], MediaType: r.Header.Get("Content-Type"), Body: r.Body}}}
	if v := q.Get("date"); v != "" {
		if in.Date, err = time.Parse(time.DateOnly, v); err != nil {
			s.putFailed(w, r, &apps.InvalidError{Errors: []apps.FieldError{{Path: "date", Code: "value",
				Message: "a date is YYYY-MM-DD"}}})
			return
		}
	}
	rel, err := s.apps.AddRelease(r.Context(), actor, a.Slug, in)
	if err != nil {
		s.putFailed(w, r, err)
		return
	}
	f := rel.Artifacts[0]
	ans := artifactPutAnswer{Version: rel.Version, Date: rel.Date.Format(time.DateOnly), Name: f.Name, Size: f.Size, SHA256: f.SHA256,
		URL:      s.BaseURL().JoinPath("apps", a.Slug, "artifacts", f.ID).String(),
		Location: s.BaseURL().JoinPath("apps", a.Slug).String() + "#releases"}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Location", ans.URL)
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(ans)
}

// putFailed answers a refused PUT in JSON: the status and message the
// form would show, and each field's problem. What is left of a refused
// body is read up to a bound, as for the form.
func (s *surface) putFailed(w http.ResponseWriter, r *http.Request, err error) {
	e := s.AsError(err)
	if web.IsTooLarge(err) {
		e.Status = http.StatusRequestEntityTooLarge
		w.Header().Set("Connection", "close")
	}
	if e.Status >= 500 {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	type problem struct {
		Path    string `json:"path"`
		Message string `json:"message"`
	}
	out := struct {
		Error    string    `json:"error"`
		Status   int       `json:"status"`
		Problems []problem `json:"problems,omitempty"`
	}{Error: e.Message(l), Status: e.Status}
	for _, fe := range fieldErrors(err) {
		out.Problems = append(out.Problems, problem{Path: fe.Path, Message: problemText(l, fe)})
	}
	if errors.Is(err, apps.ErrTooLarge) {
		artifactMax, _ := s.apps.Limits()
		out.Problems = append(out.Problems, problem{Path: "artifacts", Message: l.T("app.release.too_large", l.Size(artifactMax))})
	}
	finishBody(w, r)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(e.Status)
	json.NewEncoder(w).Encode(out)
}

package participation_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"agora/frontend/frontendtest"
)

// propFile is a file of a multipart post.
type propFile struct {
	name, contentType string
	data              []byte
}

// propPost posts the new-proposal form of a space as a browser does:
// multipart, with the files in the attachments field.
func propPost(n *frontendtest.Node, slug, token string, fields url.Values, files ...propFile) *httptest.ResponseRecorder {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="attachments"; filename="`+f.name+`"`)
		ct := f.contentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		h.Set("Content-Type", ct)
		pw, _ := mw.CreatePart(h)
		pw.Write(f.data)
	}
	mw.Close()
	r := httptest.NewRequest("POST", "/proposals/new?space="+url.QueryEscape(slug), &buf)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	if token != "" {
		r.AddCookie(&http.Cookie{Name: "agora_session", Value: token})
	}
	w := httptest.NewRecorder()
	n.H.ServeHTTP(w, r)
	return w
}

// propFields are the fields of a good proposal.
func propFields(title string) url.Values {
	return url.Values{"title": {title}, "body": {"Planter des arbres le long de la rue, pour l’ombre en été."}, "category": {"nature"}}
}

// propCreated returns the id of the proposal a successful post redirected
// to, failing the test on any other answer.
func propCreated(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	frontendtest.WantStatus(t, w, http.StatusSeeOther)
	loc := w.Header().Get("Location")
	id, ok := strings.CutPrefix(loc, "/proposals/")
	if !ok {
		t.Fatalf("redirected to %q, want a proposal", loc)
	}
	id, _, _ = strings.Cut(id, "?")
	return id
}

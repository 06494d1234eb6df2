package apps_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"agora/frontend/frontendtest"

	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/storage/storagetest"
)

// putRelease sends body as the one file of a release by PUT, as curl -T
// does, signed in with token unless it is empty.
func (n *appNode) putRelease(target, token, contentType string, body io.Reader) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPut, target, body)
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		r.AddCookie(&http.Cookie{Name: "agora_session", Value: token})
	}
	w := httptest.NewRecorder()
	n.H.ServeHTTP(w, r)
	return w
}

// A release added by PUT with the file as the body, on both databases
// and on local disk and S3: stored as the form stores it, served back
// the same, and every refusal answered in JSON with nothing stored.
func TestAppReleasePut(t *testing.T) {
	t.Parallel()
	for _, dialect := range storagetest.Dialects {
		for _, kind := range []string{"local", "s3"} {
			t.Run(dialect+"/"+kind, func(t *testing.T) {
				t.Parallel()
				n := newAppNode(t, dialect, kind, apps.Options{MaxArtifactSize: 3 << 20})
				a := appPublish(t, n, "Signalements")
				admin := n.Session(t, n.Staff[accounts.Admin])
				tarball := make([]byte, 2<<20+123)
				rand.Read(tarball)
				base := "/apps/" + a.Slug + "/releases/"

				w := n.putRelease(base+"2.0.0/signalements-2.0.0.tar.gz?date=2026-11-20&changelog=-+%2A%2ACarte%2A%2A", admin,
					"application/gzip", bytes.NewReader(tarball))
				frontendtest.WantStatus(t, w, http.StatusCreated)
				var got struct {
					Version, Date, Name, SHA256, URL string
					Size                             int64
				}
				if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
					t.Fatalf("answer %q: %v", w.Body, err)
				}
				rels, err := n.apps.Releases(t.Context(), a.Slug)
				if err != nil || len(rels) != 1 || len(rels[0].Artifacts) != 1 {
					t.Fatalf("releases %+v %v", rels, err)
				}
				f := rels[0].Artifacts[0]
				if got.Version != "2.0.0" || got.Date != "2026-11-20" || got.Name != "signalements-2.0.0.tar.gz" || got.Size != int64(len(tarball)) ||
					got.SHA256 != hexSum(tarball) || f.SHA256 != got.SHA256 || f.MediaType != "application/gzip" ||
					got.URL != "http://localhost/apps/"+a.Slug+"/artifacts/"+f.ID || w.Header().Get("Location") != got.URL {
					t.Errorf("answer %+v (Location %q), stored %+v", got, w.Header().Get("Location"), f)
				}
				page := n.Request("GET", "/apps/"+a.Slug, "", nil)
				frontendtest.WantBody(t, page, "Version 2.0.0", "<strong>Carte</strong>", "signalements-2.0.0.tar.gz", f.SHA256)
				dl := n.Request("GET", "/apps/"+a.Slug+"/artifacts/"+f.ID, "", nil)
				if dl.Code != http.StatusOK || hexSum(dl.Body.Bytes()) != f.SHA256 {
					t.Errorf("download: %d, SHA-256 %s", dl.Code, hexSum(dl.Body.Bytes()))
				}

				before := storagetest.TakeSnapshot(t, n.DB, appTables...)
				stored := len(n.appBlobs(t))
				resident := n.Session(t, n.Account(t, "camille"))
				small := []byte("Notes de version.\n")
				for _, tc := range []struct {
					name, target, token string
					body                []byte
					status              int
					problem             string // a field path of the answer's problems, if any
				}{
					{"over the limit", base + "2.1.0/gros.bin", admin, make([]byte, 3<<20+1), 413, "artifacts"},
					{"same version", base + "2.0.0/a.txt", admin, small, 409, ""},
					{"bad date", base + "2.2.0/a.txt?date=hier", admin, small, 400, "date"},
					{"blank version", base + "%20/a.txt", admin, small, 400, "version"},
					{"bad file name", base + "2.3.0/a%5Cb.txt", admin, small, 400, "artifacts[0].name"},
					{"long changelog", base + "2.4.0/a.txt?changelog=" + string(bytes.Repeat([]byte("a"), 20_001)), admin, small, 400, "changelog"},
					{"a resident", base + "2.5.0/a.txt", resident, small, 403, ""},
					{"nobody signed in", base + "2.5.0/a.txt", "", small, 401, ""},
					{"an app that does not exist", "/apps/inconnue/releases/1/a.txt", admin, small, 404, ""},
				} {
					w := n.putRelease(tc.target, tc.token, "", bytes.NewReader(tc.body))
					if w.Code != tc.status || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
						t.Errorf("%s: %d %q, want %d in JSON\n%.600s", tc.name, w.Code, w.Header().Get("Content-Type"), tc.status, w.Body)
						continue
					}
					var ans struct {
						Error    string
						Status   int
						Problems []struct{ Path, Message string }
					}
					if err := json.Unmarshal(w.Body.Bytes(), &ans); err != nil || ans.Error == "" || ans.Status != tc.status {
						t.Errorf("%s: answer %q (%v)", tc.name, w.Body, err)
					}
					if tc.problem != "" && (len(ans.Problems) == 0 || ans.Problems[0].Path != tc.problem || ans.Problems[0].Message == "") {
						t.Errorf("%s: problems %+v, want one about %s", tc.name, ans.Problems, tc.problem)
					}
					before.Unchanged(t, n.DB, tc.name)
					if got := len(n.appBlobs(t)); got != stored {
						t.Errorf("%s: the store holds %d files, had %d", tc.name, got, stored)
					}
				}
			})
		}
	}
}

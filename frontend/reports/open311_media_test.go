package reports_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"agora/frontend"
	"agora/frontend/frontendtest"
	"agora/instances/accounts"
	"agora/storage/ratelimit"
	"agora/storage/storagetest"
)

// createMultipart posts a request as FixMyStreet's Open311 client does
// when its user joined a photo: a multipart/form-data body with the
// parameters as fields and the photo as the file of "media".
func (c *open311Client) createMultipart(path string, form url.Values, media ...file) (int, []byte) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range media {
		fw, err := mw.CreateFormFile("media", f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		fw.Write(f.data)
	}
	mw.Close()
	return c.send("POST", c.base+path+"."+c.format, mw.FormDataContentType(), &buf)
}

// errorsOf reads Open311's error document.
func (c *open311Client) errorsOf(b []byte) []specError {
	var out []specError
	c.decode(b, "error", &out)
	return out
}

// TestOpen311Media: a request sent with a photo in "media" (multipart)
// gets it re-encoded without its EXIF and GPS position, and lists and
// reads of requests give its media_url; a file that is not a photo, a
// decompression bomb or a second file is refused with Open311's error
// and nothing is stored; media_url sent by a client is not fetched.
func TestOpen311Media(t *testing.T) {
	frontendtest.OnEachDialect(t, frontendtest.NewNode, func(t *testing.T, n *frontendtest.Node) {
		setUp(t, n)
		client := n.Account(t, "appli_fms")
		key, err := n.Reports.CreateKey(t.Context(), accounts.System, "FixMyStreet", client.ID)
		if err != nil {
			t.Fatal(err)
		}
		valid := func(format string) url.Values {
			return url.Values{"api_key": {key}, "service_code": {"nid-de-poule"}, "lat": {"48.8606"}, "long": {"2.3795"},
				"description": {"Trou avec photo (" + format + ")."}}
		}
		for _, format := range []string{"json", "xml"} {
			c := &open311Client{t: t, h: n.H, format: format}
			c.discover()

			for _, bad := range []struct {
				name   string
				media  []file
				status int
				says   string
			}{
				{"not an image", []file{{"photo.jpg", []byte("not an image at all")}}, http.StatusBadRequest, "photo.jpg"},
				{"a PDF", []file{{"plan.pdf", []byte("%PDF-1.4\n%%EOF\n")}}, http.StatusBadRequest, "plan.pdf"},
				{"a decompression bomb", []file{{"bomb.png", frontendtest.HugePNG(50000, 50000)}}, http.StatusBadRequest, "bomb.png"},
				{"two photos", []file{{"a.jpg", frontendtest.JPEG(t, 8, 8, 1)}, {"b.jpg", frontendtest.JPEG(t, 8, 8, 1)}}, http.StatusBadRequest, "media"},
				{"too big", []file{{"big.jpg", bytes.Repeat([]byte{0xff}, 10<<20+1)}}, http.StatusRequestEntityTooLarge, "big.jpg"},
			} {
				before := storagetest.TakeSnapshot(t, n.DB, "street_reports", "report_photos")
				code, b := c.createMultipart("/requests", valid(format), bad.media...)
				errs := c.errorsOf(b)
				if code != bad.status || len(errs) != 1 || errs[0].Code != bad.status || !strings.Contains(errs[0].Description, bad.says) {
					t.Errorf("%s %s: %d %+v, want %d saying %q", format, bad.name, code, errs, bad.status, bad.says)
				}
				before.Unchanged(t, n.DB, format+" "+bad.name)
			}

			code, b := c.createMultipart("/requests", valid(format), file{"IMG_2041.jpg", frontendtest.JPEG(t, 40, 20, 6)})
			var created []specRequest
			if code == http.StatusCreated {
				c.decode(b, "request", &created)
			}
			if len(created) != 1 || created[0].ServiceRequestID == "" {
				t.Fatalf("%s create with media: %d %s", format, code, b)
			}
			id := created[0].ServiceRequestID
			_, got := c.get("/requests/" + id)
			_, listed := c.requests("?service_request_id=" + id)
			want := "http://localhost/reports/" + id + "/photos/1"
			if len(got) != 1 || got[0].MediaURL != want || len(listed) != 1 || listed[0].MediaURL != want {
				t.Fatalf("%s media_url: %+v, listed %+v; want %s", format, got, listed, want)
			}
			u, _ := url.Parse(got[0].MediaURL)
			w := httptest.NewRecorder()
			n.H.ServeHTTP(w, httptest.NewRequest("GET", u.Path, nil))
			if body := w.Body.Bytes(); w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/jpeg" ||
				bytes.Contains(body, []byte("Exif")) || bytes.Contains(body, []byte("GPS 48.8414N")) {
				t.Errorf("%s the photo at media_url: %d %q, or kept its metadata", format, w.Code, w.Header().Get("Content-Type"))
			}

			// media_url given by the client is not fetched; a multipart form
			// without a file is a request without a photo.
			form := valid(format)
			form.Set("media_url", "http://127.0.0.1:9/secret.jpg")
			for _, send := range []func() (int, []byte){
				func() (int, []byte) { return c.do("POST", c.base+"/requests."+format, form) },
				func() (int, []byte) { return c.createMultipart("/requests", form) },
			} {
				before := n.Count(t, "report_photos")
				code, b := send()
				var made []specRequest
				c.decode(b, "request", &made)
				if code != http.StatusCreated || len(made) != 1 {
					t.Fatalf("%s create with media_url: %d %s", format, code, b)
				}
				if _, got := c.get("/requests/" + made[0].ServiceRequestID); len(got) != 1 || got[0].MediaURL != "" || n.Count(t, "report_photos") != before {
					t.Errorf("%s media_url was taken: %+v", format, got)
				}
			}

			// An update sent as multipart with a photo: the message is added,
			// the photo dropped.
			before := n.Count(t, "report_photos")
			code, b = c.createMultipart("/servicerequestupdates", url.Values{"api_key": {key}, "service_request_id": {id},
				"description": {"Toujours là (" + format + ")."}}, file{"again.jpg", frontendtest.JPEG(t, 8, 8, 1)})
			if code != http.StatusCreated || !strings.Contains(string(b), "update_id") || n.Count(t, "report_photos") != before {
				t.Errorf("%s multipart update: %d %s", format, code, b)
			}
		}
	})
}

// TestOpen311RateLimit: a key creates at most its limits' worth of
// requests and updates together; one more is a 429 with Retry-After and
// Open311's error document, stores nothing (not even its photo), and
// leaves other keys alone; when the window has passed the key creates
// again.
func TestOpen311RateLimit(t *testing.T) {
	limited := func(t testing.TB, dialect string) *frontendtest.Node {
		return frontendtest.NewNodeOn(t, storagetest.MigratedDB(t, dialect), func(d *frontend.Deps) {
			d.Open311Limits = []ratelimit.Rule{{Max: 3, Window: time.Minute}, {Max: 5, Window: time.Hour}}
		})
	}
	frontendtest.OnEachDialect(t, limited, func(t *testing.T, n *frontendtest.Node) {
		setUp(t, n)
		keys := map[string]string{}
		for _, name := range []string{"json", "xml", "other"} {
			acc := n.Account(t, "appli_"+name)
			k, err := n.Reports.CreateKey(t.Context(), accounts.System, "Appli "+name, acc.ID)
			if err != nil {
				t.Fatal(err)
			}
			keys[name] = k
		}
		for _, format := range []string{"json", "xml"} {
			c := &open311Client{t: t, h: n.H, format: format}
			c.discover()
			key := keys[format]
			form := url.Values{"api_key": {key}, "service_code": {"graffiti"}, "lat": {"48.861"}, "long": {"2.38"},
				"description": {"Tag (" + format + ")."}}
			// A bad key and a bad parameter do not count.
			bad := url.Values{"api_key": {"o311_nope"}, "service_code": {"graffiti"}, "lat": {"48.861"}, "long": {"2.38"}, "description": {"x"}}
			if code, _, _ := c.create(bad); code != http.StatusForbidden {
				t.Errorf("%s bad key: %d", format, code)
			}
			code, created, _ := c.create(form)
			if code != http.StatusCreated {
				t.Fatalf("%s first: %d", format, code)
			}
			id := created[0].ServiceRequestID
			if code, _, _ := c.create(form); code != http.StatusCreated {
				t.Fatalf("%s second: %d", format, code)
			}
			if code, b := c.do("POST", c.base+"/servicerequestupdates."+format, url.Values{"api_key": {key},
				"service_request_id": {id}, "description": {"Encore là."}}); code != http.StatusCreated {
				t.Fatalf("%s update: %d %s", format, code, b)
			}

			before := storagetest.TakeSnapshot(t, n.DB, "street_reports", "report_photos", "report_events")
			for _, send := range []func() (int, []byte){
				func() (int, []byte) { return c.do("POST", c.base+"/requests."+format, form) },
				func() (int, []byte) {
					return c.createMultipart("/requests", form, file{"IMG.jpg", frontendtest.JPEG(t, 8, 8, 1)})
				},
				func() (int, []byte) {
					return c.do("POST", c.base+"/servicerequestupdates."+format, url.Values{"api_key": {key},
						"service_request_id": {id}, "description": {"Toujours là."}})
				},
			} {
				code, b := send()
				errs := c.errorsOf(b)
				retry, err := strconv.Atoi(c.last.Get("Retry-After"))
				if code != http.StatusTooManyRequests || len(errs) != 1 || errs[0].Code != 429 || errs[0].Description == "" ||
					err != nil || retry < 1 || retry > 60 {
					t.Errorf("%s over the limit: %d %+v, Retry-After %q", format, code, errs, c.last.Get("Retry-After"))
				}
			}
			before.Unchanged(t, n.DB, format+" refused by the rate limit")

			// Another key is not limited by this one.
			f2 := url.Values{}
			for k, v := range form {
				f2[k] = v
			}
			f2.Set("api_key", keys["other"])
			if code, _, errs := c.create(f2); code != http.StatusCreated {
				t.Errorf("%s another key: %d %+v", format, code, errs)
			}
			n.Clock.Advance(61 * time.Second)
			if code, _, errs := c.create(form); code != http.StatusCreated {
				t.Errorf("%s after the window: %d %+v", format, code, errs)
			}
			// The hour's limit (5) is then reached: 4 counted, one more allowed.
			if code, _, _ := c.create(form); code != http.StatusCreated {
				t.Errorf("%s fifth in the hour: %d", format, code)
			}
			n.Clock.Advance(61 * time.Second)
			if code, _, _ := c.create(form); code != http.StatusTooManyRequests {
				t.Errorf("%s sixth in the hour: %d, want 429", format, code)
			} else if retry, _ := strconv.Atoi(c.last.Get("Retry-After")); retry <= 60 {
				t.Errorf("%s the hour's Retry-After: %d", format, retry)
			}
		}
	})
}

package web_test

import (
	"cmp"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"agora/frontend/web"
)

func TestCompress(t *testing.T) {
	big := strings.Repeat("<p>Des bancs et des arbres rue du Commerce.</p>\n", 100)
	for _, tc := range []struct {
		name, method, accept, contentType, encoding, etag, body string
		status                                                  int
		wantGzip, wantVary                                      bool
		wantETag                                                string
	}{
		{name: "html, gzip accepted", accept: "gzip, deflate, br", contentType: "text/html; charset=utf-8", body: big, wantGzip: true, wantVary: true},
		{name: "json with a strong ETag", accept: "gzip", contentType: "application/json", etag: `"abc"`, body: big, wantGzip: true, wantVary: true, wantETag: `W/"abc"`},
		{name: "activity json", accept: "gzip", contentType: "application/activity+json", body: big, wantGzip: true, wantVary: true},
		{name: "css, q=0.5", accept: "br;q=1, gzip;q=0.5", contentType: "text/css", body: big, wantGzip: true, wantVary: true},
		{name: "gzip refused by q=0", accept: "gzip;q=0", contentType: "text/html", body: big, wantVary: true},
		{name: "no Accept-Encoding", contentType: "text/html", body: big, wantVary: true},
		{name: "small body", accept: "gzip", contentType: "text/html", body: "<p>court</p>", wantVary: true},
		{name: "image", accept: "gzip", contentType: "image/png", body: big},
		{name: "already encoded", accept: "gzip", contentType: "text/css", encoding: "br", body: big, wantVary: true},
		{name: "not modified", accept: "gzip", contentType: "text/html", status: http.StatusNotModified},
		{name: "HEAD", method: http.MethodHead, accept: "gzip", contentType: "text/html", body: big},
		{name: "error page", accept: "gzip", contentType: "text/html", status: http.StatusNotFound, body: big, wantGzip: true, wantVary: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := web.Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.Header().Set("Content-Length", strconv.Itoa(len(tc.body)))
				if tc.encoding != "" {
					w.Header().Set("Content-Encoding", tc.encoding)
				}
				if tc.etag != "" {
					w.Header().Set("ETag", tc.etag)
				}
				w.WriteHeader(max(tc.status, http.StatusOK))
				if r.Method != http.MethodHead && tc.status != http.StatusNotModified {
					io.WriteString(w, tc.body[:len(tc.body)/2])
					io.WriteString(w, tc.body[len(tc.body)/2:])
				}
			}))
			srv := httptest.NewServer(h)
			defer srv.Close()
			req, _ := http.NewRequest(cmp.Or(tc.method, http.MethodGet), srv.URL, nil)
			if tc.accept != "" {
				req.Header.Set("Accept-Encoding", tc.accept)
			}
			resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			gz := resp.Header.Get("Content-Encoding") == "gzip"
			if gz != tc.wantGzip {
				t.Fatalf("Content-Encoding %q, want gzip: %v", resp.Header.Get("Content-Encoding"), tc.wantGzip)
			}
			if vary := strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding"); vary != tc.wantVary {
				t.Errorf("Vary %q, want Accept-Encoding: %v", resp.Header.Get("Vary"), tc.wantVary)
			}
			if tc.wantETag != "" && resp.Header.Get("ETag") != tc.wantETag {
				t.Errorf("ETag %q, want %q", resp.Header.Get("ETag"), tc.wantETag)
			}
			var body io.Reader = resp.Body
			if gz {
				if resp.Header.Get("Content-Length") != "" && resp.ContentLength == int64(len(tc.body)) {
					t.Errorf("Content-Length of the identity body kept: %s", resp.Header.Get("Content-Length"))
				}
				zr, err := gzip.NewReader(resp.Body)
				if err != nil {
					t.Fatal(err)
				}
				body = zr
			}
			got, err := io.ReadAll(body)
			if err != nil {
				t.Fatal(err)
			}
			want := tc.body
			if tc.method == http.MethodHead || tc.status == http.StatusNotModified {
				want = ""
			}
			if string(got) != want {
				t.Errorf("body of %d bytes, want %d", len(got), len(want))
			}
		})
	}
}

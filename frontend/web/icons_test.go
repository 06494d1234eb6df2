package web

import (
	"bytes"
	"encoding/binary"
	"image/png"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// The first requests of any browser and crawler find an answer: an icon
// (SVG for the pages, a small ICO at /favicon.ico) and a robots.txt that
// keeps private pages and sign-in flows out of search engines.
func TestIconAndRobots(t *testing.T) {
	base, _ := url.Parse("https://participation.example.org")
	k, err := New(Config{NodeName: "Paris 15e", BaseURL: base}, Deps{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := k.Handler()
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
		return w
	}
	tests := []struct {
		path, contentType string
		check             func(t *testing.T, body []byte)
	}{
		{"/favicon.ico", "image/x-icon", func(t *testing.T, b []byte) {
			if len(b) > 600 {
				t.Errorf("favicon is %d bytes, want a few hundred", len(b))
			}
			var dir struct{ Reserved, Type, Count uint16 }
			if err := binary.Read(bytes.NewReader(b), binary.LittleEndian, &dir); err != nil || dir.Type != 1 || dir.Count != 1 {
				t.Fatalf("not an ICO file: %+v %v", dir, err)
			}
			size, offset := binary.LittleEndian.Uint32(b[14:]), binary.LittleEndian.Uint32(b[18:])
			if int(offset+size) != len(b) {
				t.Fatalf("ICO entry says %d bytes at %d, file has %d", size, offset, len(b))
			}
			img, err := png.Decode(bytes.NewReader(b[offset:]))
			if err != nil {
				t.Fatalf("ICO image: %v", err)
			}
			if img.Bounds().Dx() != 32 || img.Bounds().Dy() != 32 || int(b[6]) != 32 {
				t.Errorf("icon is %v, want 32×32", img.Bounds())
			}
			// The design: white centre, accent background, transparent corners.
			for _, p := range []struct {
				x, y       int
				r, g, b, a uint32
			}{{16, 16, 0xffff, 0xffff, 0xffff, 0xffff}, {16, 2, 0x0a0a, 0x4f4f, 0xa6a6, 0xffff}, {0, 0, 0, 0, 0, 0}} {
				r, g, bl, a := img.At(p.x, p.y).RGBA()
				if r != p.r || g != p.g || bl != p.b || a != p.a {
					t.Errorf("pixel (%d,%d) = %x %x %x %x", p.x, p.y, r, g, bl, a)
				}
			}
		}},
		{"/static/icon.svg", "image/svg+xml", func(t *testing.T, b []byte) {
			if !bytes.HasPrefix(b, []byte("<svg ")) || !bytes.Contains(b, []byte("#0a4fa6")) {
				t.Errorf("icon.svg: %s", b)
			}
		}},
		{"/robots.txt", "text/plain; charset=utf-8", func(t *testing.T, b []byte) {
			s := string(b)
			for _, want := range []string{"User-agent: *\n", "Disallow: /admin\n", "Disallow: /desk\n", "Disallow: /account\n",
				"Disallow: /login\n", "Disallow: /signup\n", "Disallow: /webauthn\n", "Allow: /\n",
				"Sitemap: https://participation.example.org/plan-du-site\n"} {
				if !strings.Contains(s, want) {
					t.Errorf("robots.txt lacks %q:\n%s", want, s)
				}
			}
			// Public pages stay indexable.
			for _, public := range []string{"/spaces", "/proposals", "/debates", "/apps", "/cities", "/moderation", "/"} {
				if strings.Contains(s, "Disallow: "+public+"\n") {
					t.Errorf("robots.txt hides the public %s", public)
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			w := get(tt.path)
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s = %d", tt.path, w.Code)
			}
			if got := w.Header().Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type %q, want %q", got, tt.contentType)
			}
			tt.check(t, w.Body.Bytes())
		})
	}
	if layout, _ := fs.ReadFile(templateFiles, "templates/layout.html"); !bytes.Contains(layout, []byte(`<link rel="icon" href="/static/icon.svg"`)) {
		t.Error("pages do not link the icon")
	}
}

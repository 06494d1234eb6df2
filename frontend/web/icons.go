package web

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strings"
)

// The node's icon and its robots.txt: every browser asks for
// /favicon.ico and every crawler for /robots.txt before anything else.

// robotsDisallowed are the paths no search engine should index: private
// pages, sign-in flows and operations endpoints. Everything else (spaces,
// proposals, debates, the catalogue, the moderation log) is public.
var robotsDisallowed = []string{
	"/account", "/admin", "/desk", "/login", "/logout", "/signup", "/recover", "/setup",
	"/webauthn", "/metrics", "/healthz", "/readyz",
}

// robotsTxt is the robots.txt of a node at base.
func robotsTxt(base string) []byte {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range robotsDisallowed {
		fmt.Fprintf(&b, "Disallow: %s\n", p)
	}
	b.WriteString("Allow: /\n\n")
	fmt.Fprintf(&b, "Sitemap: %s/plan-du-site\n", strings.TrimSuffix(base, "/"))
	return []byte(b.String())
}

// iconColor is the default accent of app.css, as in static/icon.svg.
var iconColor = color.NRGBA{0x0a, 0x4f, 0xa6, 0xff}

// faviconICO draws static/icon.svg's design at 32×32 (a ring and a dot,
// white on the accent: people gathered around a centre) and wraps the
// PNG in an ICO file, which every browser since 2007 reads.
func faviconICO() ([]byte, error) {
	const size = 32
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			// Distance from the centre of pixel (x, y) to the icon's centre.
			dx, dy := float64(x)+0.5-16, float64(y)+0.5-16
			d2 := dx*dx + dy*dy
			switch {
			case d2 <= 3*3, d2 >= 7.5*7.5 && d2 <= 10.5*10.5:
				img.SetNRGBA(x, y, color.NRGBA{0xff, 0xff, 0xff, 0xff})
			case inRoundedSquare(x, y, size, 6):
				img.SetNRGBA(x, y, iconColor)
			}
		}
	}
	var p bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&p, img); err != nil {
		return nil, fmt.Errorf("favicon: %w", err)
	}
	var ico bytes.Buffer
	// ICONDIR: reserved, type 1 (icon), one image; then its entry:
	// width, height (32), no palette, reserved, 1 plane, 32 bits, the
	// PNG's size and its offset (6 + 16 bytes of headers).
	binary.Write(&ico, binary.LittleEndian, []uint16{0, 1, 1})
	ico.Write([]byte{size, size, 0, 0})
	binary.Write(&ico, binary.LittleEndian, []uint16{1, 32})
	binary.Write(&ico, binary.LittleEndian, []uint32{uint32(p.Len()), 22})
	ico.Write(p.Bytes())
	return ico.Bytes(), nil
}

// inRoundedSquare reports whether pixel (x, y) lies in a size×size
// square whose corners are rounded with radius r.
func inRoundedSquare(x, y, size, r int) bool {
	cx, cy := x, y
	if x < r {
		cx = r
	} else if x >= size-r {
		cx = size - r - 1
	}
	if y < r {
		cy = r
	} else if y >= size-r {
		cy = size - r - 1
	}
	dx, dy := float64(x-cx), float64(y-cy)
	return dx*dx+dy*dy <= float64(r*r)
}

// iconRoutes serves /favicon.ico, /robots.txt and, for the SVG icon the
// pages link to, /static/icon.svg (with the other static files).
func (k *Kit) iconRoutes() error {
	ico, err := faviconICO()
	if err != nil {
		return err
	}
	robots := robotsTxt(k.cfg.BaseURL.String())
	serve := func(body []byte, contentType string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.Header().Set("Cache-Control", "public, max-age=86400")
			w.Write(body)
		}
	}
	k.router.Handle("/favicon.ico", serve(ico, "image/x-icon")).Methods(http.MethodGet, http.MethodHead)
	k.router.Handle("/robots.txt", serve(robots, "text/plain; charset=utf-8")).Methods(http.MethodGet, http.MethodHead)
	return nil
}

package demo

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
)

// The demo's project photos are drawn here, small and plain, so the
// repository holds no image file: a street scene of sky, pavement and
// what the project puts there. Their alt texts say they are drawings.

// scene is what a picture shows.
type scene int

const (
	trees     scene = iota // a row of trees along the street
	bikeLane               // a road with a green lane beside it
	fountains              // drinking fountains on a square
	court                  // a sports court
	works                  // a building site behind barriers
)

var (
	sky      = color.RGBA{0xbf, 0xdc, 0xf0, 0xff}
	pavement = color.RGBA{0xc8, 0xc2, 0xb8, 0xff}
	road     = color.RGBA{0x5a, 0x5a, 0x5a, 0xff}
	leaves   = color.RGBA{0x2e, 0x7d, 0x32, 0xff}
	trunk    = color.RGBA{0x6d, 0x4c, 0x41, 0xff}
	water    = color.RGBA{0x1e, 0x6f, 0xc8, 0xff}
	orange   = color.RGBA{0xe0, 0x6c, 0x00, 0xff}
	white    = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// picture draws a scene as a 320×200 PNG.
func picture(s scene) ([]byte, error) {
	const w, h = 320, 200
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(img, image.Rect(0, 0, w, 120), sky)
	fill(img, image.Rect(0, 120, w, h), pavement)
	switch s {
	case trees:
		for x := 30; x < w; x += 70 {
			fill(img, image.Rect(x-4, 80, x+4, 130), trunk)
			disc(img, x, 70, 26, leaves)
		}
	case bikeLane:
		fill(img, image.Rect(0, 135, w, 185), road)
		fill(img, image.Rect(0, 125, w, 135), leaves)
		for x := 10; x < w; x += 40 {
			fill(img, image.Rect(x, 158, x+20, 162), white)
		}
	case fountains:
		for _, x := range []int{80, 160, 240} {
			fill(img, image.Rect(x-6, 110, x+6, 160), water)
			disc(img, x, 105, 10, water)
		}
	case court:
		fill(img, image.Rect(40, 130, 280, 190), orange)
		fill(img, image.Rect(158, 130, 162, 190), white)
		disc(img, 160, 160, 14, white)
		disc(img, 160, 160, 11, orange)
	case works:
		fill(img, image.Rect(60, 70, 200, 120), road)
		for x := 20; x < w-20; x += 60 {
			fill(img, image.Rect(x, 140, x+50, 150), orange)
			fill(img, image.Rect(x, 150, x+50, 160), white)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

func disc(img *image.RGBA, cx, cy, radius int, c color.RGBA) {
	for y := cy - radius; y <= cy+radius; y++ {
		for x := cx - radius; x <= cx+radius; x++ {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= radius*radius && image.Pt(x, y).In(img.Bounds()) {
				img.SetRGBA(x, y, c)
			}
		}
	}
}

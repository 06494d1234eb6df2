package site

import (
	"math"
	"strconv"
)

// Readable reports whether a colour #rrggbb can carry text: dark text of
// its colour on the white page, and white text on it (buttons), both at
// the 4.5:1 contrast WCAG 2.1 AA asks of normal text. Against white the
// two are the same ratio.
func Readable(hex string) bool { return Contrast(hex, "#ffffff") >= 4.5 }

// Contrast is the WCAG 2.1 contrast ratio of two colours #rrggbb, from 1
// to 21; 0 when either is not such a colour.
func Contrast(a, b string) float64 {
	la, ok1 := luminance(a)
	lb, ok2 := luminance(b)
	if !ok1 || !ok2 {
		return 0
	}
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is a colour's relative luminance (WCAG 2.1, 1.4.3).
func luminance(hex string) (float64, bool) {
	if len(hex) != 7 || hex[0] != '#' {
		return 0, false
	}
	var c [3]float64
	for i := range c {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			return 0, false
		}
		s := float64(v) / 255
		if s <= 0.04045 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2], true
}

// Darker is the colour darkened by the share given (0.3: 30% towards
// black), for the hover state of links and buttons.
func Darker(hex string, share float64) string {
	if _, ok := luminance(hex); !ok {
		return hex
	}
	out := []byte("#")
	for i := range 3 {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		d := uint64(math.Round(float64(v) * (1 - share)))
		out = append(out, "0123456789abcdef"[d>>4], "0123456789abcdef"[d&15])
	}
	return string(out)
}

package reports_test

import (
	"testing"

	streetreports "agora/frontend/reports"
)

// FuzzParsePoint: whatever is typed, a point read is a point on Earth.
func FuzzParsePoint(f *testing.F) {
	for _, s := range [][2]string{{"48,8606", "2,3795"}, {" 48.86 ", "2.38"}, {"", ""}, {"NaN", "1"}, {"1e308", "0x1p3"}, {"-90", "180"}, {"inf", "2"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, lat, lon string) {
		p, ok := streetreports.ParsePoint(lat, lon)
		if ok && p != nil && !p.Valid() {
			t.Fatalf("ParsePoint(%q, %q) = %v, off Earth", lat, lon, *p)
		}
		if !ok && p != nil {
			t.Fatalf("refused with a point")
		}
	})
}

// FuzzParsePolygon: a territory read is written back and read again the
// same.
func FuzzParsePolygon(f *testing.F) {
	for _, s := range []string{"48.85, 2.36\n48,87 2,36\n48.87;2.40\n", "", "\n\n", "1,2", "a,b\n", "48.85 2.36 3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		poly, err := streetreports.ParsePolygon(text)
		if err != nil {
			return
		}
		again, err := streetreports.ParsePolygon(streetreports.FormatPolygon(poly))
		if err != nil || len(again) != len(poly) {
			t.Fatalf("%q read as %v, written and read again as %v, %v", text, poly, again, err)
		}
		for i := range poly {
			if again[i] != poly[i] || !poly[i].Valid() {
				t.Fatalf("point %d: %v then %v", i, poly[i], again[i])
			}
		}
	})
}

package web_test

import (
	"testing"

	"agora/frontend/web"
)

// FuzzParsePoint: whatever is typed, a point read is a point on Earth.
func FuzzParsePoint(f *testing.F) {
	for _, s := range [][2]string{{"48,8606", "2,3795"}, {" 48.86 ", "2.38"}, {"", ""}, {"NaN", "1"}, {"1e308", "0x1p3"}, {"-90", "180"}, {"inf", "2"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, lat, lon string) {
		p, ok := web.ParsePoint(lat, lon)
		if ok && p != nil && !p.Valid() {
			t.Fatalf("ParsePoint(%q, %q) = %v, off Earth", lat, lon, *p)
		}
		if !ok && p != nil {
			t.Fatalf("refused with a point")
		}
	})
}

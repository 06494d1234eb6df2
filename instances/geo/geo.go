// Package geo holds what several domains need of a position on Earth: a
// point in WGS 84 degrees, whether it is one, and the distance between
// two. Street reports (with their grid index) and budget projects (on the
// edition's map) share it.
package geo

import "math"

// Point is a position in WGS 84 degrees.
type Point struct{ Lat, Lon float64 }

// Valid reports whether p is a position on Earth.
func (p Point) Valid() bool {
	return !math.IsNaN(p.Lat) && !math.IsNaN(p.Lon) && p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// E6 is a coordinate as the database stores it: integer microdegrees
// (about 11 cm).
func E6(deg float64) int64 { return int64(math.Round(deg * 1e6)) }

// FromE6 is a stored coordinate in degrees.
func FromE6(v int64) float64 { return float64(v) / 1e6 }

// Distance is the distance in metres between two points (haversine).
func Distance(a, b Point) float64 {
	const r = 6_371_000
	φ1, φ2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dφ, dλ := φ2-φ1, (b.Lon-a.Lon)*math.Pi/180
	h := math.Sin(dφ/2)*math.Sin(dφ/2) + math.Cos(φ1)*math.Cos(φ2)*math.Sin(dλ/2)*math.Sin(dλ/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

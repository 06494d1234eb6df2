package reports

import (
	"errors"
	"math"

	"agora/instances/geo"
)

// Point is a position in WGS 84 degrees (package geo's, which budget
// projects share).
type Point = geo.Point

// Box is a rectangle in degrees, South-West to North-East.
type Box struct{ South, West, North, East float64 }

// ErrPoint is a latitude or longitude out of range, or not a number.
var ErrPoint = errors.New("a point is a latitude from -90 to 90 and a longitude from -180 to 180")

// e6 is a coordinate as stored: integer microdegrees (about 11 cm).
func e6(deg float64) int64 { return geo.E6(deg) }

func fromE6(v int64) float64 { return geo.FromE6(v) }

// The grid: fine cells are 0.01° squares, coarse cells 0.1° squares,
// numbered row by row from the South-West corner of the world.
const (
	fineStep   = 10_000  // microdegrees
	coarseStep = 100_000 // microdegrees
	fineCols   = 360_000_000 / fineStep
	coarseCols = 360_000_000 / coarseStep
)

func cellRow(latE6, step int64) int64 { return min((latE6+90_000_000)/step, 180_000_000/step-1) }
func cellCol(lonE6, step int64) int64 { return min((lonE6+180_000_000)/step, 360_000_000/step-1) }

// cells returns the fine and coarse cells of a point.
func cells(latE6, lonE6 int64) (fine, coarse int64) {
	return cellRow(latE6, fineStep)*fineCols + cellCol(lonE6, fineStep),
		cellRow(latE6, coarseStep)*coarseCols + cellCol(lonE6, coarseStep)
}

// boxCells lists the cells of a grid (step, cols) a box touches, or nil
// when they are more than max.
func boxCells(b Box, step, cols int64, max int) []int64 {
	r0, r1 := cellRow(e6(b.South), step), cellRow(e6(b.North), step)
	c0, c1 := cellCol(e6(b.West), step), cellCol(e6(b.East), step)
	if n := (r1 - r0 + 1) * (c1 - c0 + 1); n > int64(max) {
		return nil
	}
	out := make([]int64, 0, (r1-r0+1)*(c1-c0+1))
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			out = append(out, r*cols+c)
		}
	}
	return out
}

// Valid reports whether the box is a rectangle on Earth, not crossing the
// antimeridian.
func (b Box) Valid() bool {
	return Point{Lat: b.South, Lon: b.West}.Valid() && Point{Lat: b.North, Lon: b.East}.Valid() && b.South <= b.North && b.West <= b.East
}

// Contains reports whether p is in the box, edges included.
func (b Box) Contains(p Point) bool {
	return p.Lat >= b.South && p.Lat <= b.North && p.Lon >= b.West && p.Lon <= b.East
}

// Around is the box of the points within metres of p.
func Around(p Point, metres float64) Box {
	dLat := metres / 111_320
	cos := math.Cos(p.Lat * math.Pi / 180)
	dLon := 180.0
	if cos > 1e-6 {
		dLon = min(metres/(111_320*cos), 180)
	}
	return Box{South: max(p.Lat-dLat, -90), North: min(p.Lat+dLat, 90),
		West: max(p.Lon-dLon, -180), East: min(p.Lon+dLon, 180)}
}

// Distance is the distance in metres between two points (haversine).
func Distance(a, b Point) float64 { return geo.Distance(a, b) }

// Polygon is a territory's outline: at least three points, closed
// implicitly (the last joins the first).
type Polygon []Point

// Contains reports whether p is inside the polygon (even-odd rule; a
// point on an edge may fall either way).
func (poly Polygon) Contains(p Point) bool {
	in := false
	for i, j := 0, len(poly)-1; i < len(poly); j, i = i, i+1 {
		a, b := poly[i], poly[j]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) &&
			p.Lon < (b.Lon-a.Lon)*(p.Lat-a.Lat)/(b.Lat-a.Lat)+a.Lon {
			in = !in
		}
	}
	return in
}

// Bounds is the smallest box holding the polygon.
func (poly Polygon) Bounds() Box {
	b := Box{South: 90, West: 180, North: -90, East: -180}
	for _, p := range poly {
		b.South, b.North = min(b.South, p.Lat), max(b.North, p.Lat)
		b.West, b.East = min(b.West, p.Lon), max(b.East, p.Lon)
	}
	return b
}

// Cells returns the fine and coarse grid cells of a point in
// microdegrees, for code that writes reports in bulk (the benchmark, a
// migration of another system's data).
func Cells(latE6, lonE6 int64) (fine, coarse int64) { return cells(latE6, lonE6) }

// SnapBox widens a box to a grid of about an eighth of its larger side
// (1, 2 or 5 times a power of ten microdegrees, at least 10), so that
// maps looking at about the same place ask for the same box and share
// the cached answer (answers.go). The node's map script
// (frontend/web/static/map.js, snap) does the same before asking
// /reports/map.json; the benchmark's clients use this one.
func SnapBox(b Box) Box {
	w, s, e, n := e6(b.West), e6(b.South), e6(b.East), e6(b.North)
	span := float64(max(e-w, n-s)) / 8
	step := int64(10)
	for p := int64(10); p <= 100_000_000; p *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if float64(m*p) <= span {
				step = m * p
			}
		}
	}
	down := func(v, lo int64) float64 {
		return fromE6(max(int64(math.Floor(float64(v)/float64(step)))*step, lo))
	}
	up := func(v, hi int64) float64 {
		return fromE6(min(int64(math.Ceil(float64(v)/float64(step)))*step, hi))
	}
	return Box{West: down(w, -180_000_000), South: down(s, -90_000_000), East: up(e, 180_000_000), North: up(n, 90_000_000)}
}

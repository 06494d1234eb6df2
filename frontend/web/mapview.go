package web

import (
	"strconv"
	"strings"

	"agora/instances/geo"
)

// MapView is what the "map" partial draws with Leaflet and
// /static/map.js, when the node has tiles (MapTiles). Kinds:
//   - "pins": the pins of the box on screen, read from the Pins URL
//     (?bbox=west,south,east,north), as the street reports' map does;
//   - "points": the points given in Points (JSON: a list of
//     {lat, lon, label, url, colour}), for a page that knows them all
//     (an edition's projects);
//   - "picker": a click fills the fields f-lat and f-lon.
//
// Without JavaScript the map stays hidden: pages keep fields and lists
// that do the same job.
type MapView struct {
	ID, Kind string
	Tiles    *MapTiles
	Bounds   string // south,west,north,east to show first ("" for the default view)
	Label    string // the map region's accessible name
	Help     string // shown above the map when it shows
	More     string // "pins": shown when the box holds more than drawn
	Pins     string // "pins": the URL of the pins
	Points   string // "points": the points, as JSON
}

// BoundsOf is the bounds a map shows first for points: the smallest box
// holding them, "" when there are none.
func BoundsOf(points []geo.Point) string {
	if len(points) == 0 {
		return ""
	}
	s, w, n, e := 90.0, 180.0, -90.0, -180.0
	for _, p := range points {
		s, n = min(s, p.Lat), max(n, p.Lat)
		w, e = min(w, p.Lon), max(e, p.Lon)
	}
	return strings.Join([]string{Coord(s), Coord(w), Coord(n), Coord(e)}, ",")
}

// Coord writes a coordinate in degrees to the microdegree.
func Coord(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

// ParsePoint reads a latitude and a longitude as people type them: a
// dot or a comma for decimals, spaces around. Both empty is no point
// (ok, nil); one without the other, or a value that is not a number in
// range, is not ok.
func ParsePoint(lat, lon string) (*geo.Point, bool) {
	lat, lon = strings.TrimSpace(lat), strings.TrimSpace(lon)
	if lat == "" && lon == "" {
		return nil, true
	}
	a, okA := degrees(lat)
	b, okB := degrees(lon)
	if !okA || !okB {
		return nil, false
	}
	p := geo.Point{Lat: a, Lon: b}
	if !p.Valid() {
		return nil, false
	}
	return &p, true
}

func degrees(s string) (float64, bool) {
	if s == "" || len(s) > 30 {
		return 0, false
	}
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || v != v {
		return 0, false
	}
	return v, true
}

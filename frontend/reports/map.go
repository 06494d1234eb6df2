package reports

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"agora/frontend/web"
	"agora/instances/reports"
)

// The maps (docs/REPORTS.md): Leaflet, served from the node's own static
// files, draws the pins of /reports/map.json for the box on screen, and
// on the report form fills the latitude and longitude fields where one
// clicks. Without tiles configured (AGORA_MAP_TILES) no map is shown;
// without JavaScript the map stays hidden: the fields and the lists by
// distance do the same job.

// newMap is a page's map (kind "pins" or "picker", web.MapView), nil
// when the node has no tiles.
func (s *surface) newMap(r *http.Request, id, kind string) *web.MapView {
	t := s.MapTiles()
	if t == nil {
		return nil
	}
	l := s.Printer(r)
	m := &web.MapView{ID: id, Kind: kind, Tiles: t}
	if kind == "picker" {
		m.Label, m.Help = l.T("reportsmap.map.picker_label"), l.T("reportsmap.map.picker_help")
	} else {
		m.Label, m.Help = l.T("reportsmap.map.reports_label"), l.T("reportsmap.map.reports_help")
		m.More, m.Pins = l.T("reportsmap.map.more"), "/reports/map.json"
	}
	if poly, err := s.reports.Territory(r.Context()); err == nil && len(poly) > 0 {
		b := poly.Bounds()
		m.Bounds = strings.Join([]string{coord(b.South), coord(b.West), coord(b.North), coord(b.East)}, ",")
	}
	return m
}

// ParseBBox reads a box as GeoJSON and Open311 clients write it:
// west,south,east,north in degrees.
func ParseBBox(s string) (reports.Box, bool) {
	if len(s) > 120 {
		return reports.Box{}, false
	}
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return reports.Box{}, false
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || f != f {
			return reports.Box{}, false
		}
		v[i] = f
	}
	b := reports.Box{West: v[0], South: v[1], East: v[2], North: v[3]}
	return b, b.Valid()
}

// mapPin is a report on the map.
type mapPin struct {
	ID    string  `json:"id"`
	Lat   float64 `json:"lat"`
	Lon   float64 `json:"lon"`
	Open  bool    `json:"open"`
	Label string  `json:"label"`
	URL   string  `json:"url"`
}

// mapWork is a planned work on the map.
type mapWork struct {
	ID    string  `json:"id"`
	Lat   float64 `json:"lat"`
	Lon   float64 `json:"lon"`
	Label string  `json:"label"`
	URL   string  `json:"url"`
}

type mapAnswer struct {
	Pins  []mapPin  `json:"pins"`
	More  bool      `json:"more"` // more reports in the box than shown: zoom in
	Works []mapWork `json:"works"`
}

// mapData answers the problems (up to 500) and the planned works in
// ?bbox=west,south,east,north, in an optional ?category.
func (s *surface) mapData(w http.ResponseWriter, r *http.Request) {
	s.mapOf(w, r, reports.Problem)
}

// suggestionsMap answers the suggestions of new amenities in the box:
// the map of the suggestions' list, apart from problems and works.
func (s *surface) suggestionsMap(w http.ResponseWriter, r *http.Request) {
	s.mapOf(w, r, reports.Suggestion)
}

func (s *surface) mapOf(w http.ResponseWriter, r *http.Request, kind reports.Kind) {
	box, ok := ParseBBox(r.URL.Query().Get("bbox"))
	if !ok {
		s.Fail(w, r, web.HTTPError(http.StatusBadRequest, errors.New("bbox is west,south,east,north")))
		return
	}
	pins, more, err := s.reports.Pins(r.Context(), box, reports.Filter{Category: r.URL.Query().Get("category"), Kind: kind}, reports.MaxBoxResults)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	var works []reports.Work
	if kind == reports.Problem {
		works, err = s.reports.WorksInBox(r.Context(), box)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
	}
	names, err := s.categoryNames(r)
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	l := s.Printer(r)
	out := mapAnswer{Pins: make([]mapPin, len(pins)), More: more, Works: make([]mapWork, len(works))}
	for i, p := range pins {
		at := p.Point()
		out.Pins[i] = mapPin{ID: p.ID, Lat: at.Lat, Lon: at.Lon, Open: p.State.Open(),
			Label: names[p.Category] + " – " + l.T("street.state."+string(p.State)), URL: "/reports/" + url.PathEscape(p.ID)}
	}
	for i, wk := range works {
		at := wk.Point()
		out.Works[i] = mapWork{ID: wk.ID, Lat: at.Lat, Lon: at.Lon, URL: "/reports/works/" + url.PathEscape(wk.ID),
			Label: l.T("reportsmap.work.label", wk.Title, l.Date(wk.StartsOn), l.Date(wk.EndsOn))}
	}
	s.PublicJSON(w, r, out)
}

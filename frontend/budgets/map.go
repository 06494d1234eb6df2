package budgets

import (
	"cmp"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"agora/frontend/i18n"
	"agora/frontend/web"
	"agora/instances/geo"
	"agora/instances/projects"
)

// The map of an edition (/budgets/{id}/map): once the result is out, its
// funded projects by follow-up status (study, tender, works, done,
// abandoned); before, the projects on the ballot. The page is a list
// grouped by status, each group under its heading, which works without
// JavaScript and without tiles; a point typed in the form (?lat=&lon=)
// orders each group by distance from it. With tiles (AGORA_MAP_TILES)
// and JavaScript, the kit's Leaflet map shows the projects that have a
// point, coloured by status, with a legend in words.

// statusColours are the pins' colours. The legend names each status, so
// colour is never the only cue.
var statusColours = map[string]string{
	string(projects.Study): "#6a4c93", string(projects.Tender): "#a35200", string(projects.Works): "#0a4fa6",
	string(projects.Done): "#2e7d32", string(projects.Abandoned): "#595959", "ballot": "#a3241b",
}

type mapData struct {
	Budget  *projects.Budget
	Decided bool
	Form    *web.Form // the point to order by distance
	Near    bool      // the lists are ordered by distance
	Groups  []statusGroup
	Placed  int // projects with a point
	Map     *web.MapView
}

type statusGroup struct {
	Key, Name, Colour string
	Projects          []mapLine
}

type mapLine struct {
	ID, Title, Heading, Address, Point, Distance string
	Progress                                     int
}

type mapPoint struct {
	Lat    float64 `json:"lat"`
	Lon    float64 `json:"lon"`
	Label  string  `json:"label"`
	URL    string  `json:"url"`
	Colour string  `json:"colour"`
}

func (s *surface) mapPage(w http.ResponseWriter, r *http.Request) {
	b, list, ok := s.load(w, r)
	if !ok {
		return
	}
	l := s.Printer(r)
	q := r.URL.Query()
	f := web.EmptyForm()
	f.Values["lat"], f.Values["lon"] = strings.TrimSpace(q.Get("lat")), strings.TrimSpace(q.Get("lon"))
	status := http.StatusOK
	from := readPoint(l, f)
	if f.Invalid() {
		status = http.StatusBadRequest
	}
	d := mapData{Budget: b, Decided: !b.ResultsAt.IsZero(), Form: f, Near: from != nil}
	headings := map[string]string{}
	for _, h := range b.Headings {
		headings[h.Slug] = h.Name
	}
	keys := []string{"ballot"}
	if d.Decided {
		keys = keys[:0]
		for _, st := range projects.Statuses {
			keys = append(keys, string(st))
		}
	}
	groups := map[string]*statusGroup{}
	for _, k := range keys {
		name := l.T("budgetpics.map.ballot")
		if k != "ballot" {
			name = l.T("budget.status." + k)
		}
		groups[k] = &statusGroup{Key: k, Name: name, Colour: statusColours[k]}
	}
	type placed struct {
		line   mapLine
		metres float64 // -1: no point
	}
	lines := map[string][]placed{}
	var points []mapPoint
	var at []geo.Point
	for _, p := range list {
		key := "ballot"
		if d.Decided {
			if !p.Funded {
				continue
			}
			// A funded project with no step yet is being studied.
			key = cmp.Or(string(p.Status), string(projects.Study))
		}
		g := groups[key]
		line := mapLine{ID: p.ID, Title: p.Title, Heading: headings[p.Heading], Address: p.Address, Progress: p.Progress}
		metres := -1.0
		if pt, ok := p.Point(); ok {
			line.Point = web.Coord(pt.Lat) + ", " + web.Coord(pt.Lon)
			if from != nil {
				metres = geo.Distance(*from, pt)
				line.Distance = distance(l, metres)
			}
			points = append(points, mapPoint{Lat: pt.Lat, Lon: pt.Lon, Label: p.Title + " – " + g.Name, URL: "/budgets/projects/" + p.ID, Colour: g.Colour})
			at = append(at, pt)
		}
		lines[key] = append(lines[key], placed{line, metres})
	}
	for _, k := range keys {
		ls := lines[k]
		if from != nil { // nearest first, those without a point last
			slices.SortStableFunc(ls, func(a, b placed) int {
				if (a.metres < 0) != (b.metres < 0) {
					return map[bool]int{true: 1, false: -1}[a.metres < 0]
				}
				return cmp.Compare(a.metres, b.metres)
			})
		}
		for _, p := range ls {
			groups[k].Projects = append(groups[k].Projects, p.line)
		}
		d.Groups = append(d.Groups, *groups[k])
	}
	d.Placed = len(points)
	if t := s.MapTiles(); t != nil && len(points) > 0 {
		js, err := json.Marshal(points)
		if err != nil {
			s.Fail(w, r, err)
			return
		}
		d.Map = &web.MapView{ID: "projects-map", Kind: "points", Tiles: t, Bounds: web.BoundsOf(at), Points: string(js),
			Label: l.T("budgetpics.map.label", b.Title), Help: l.T("budgetpics.map.help")}
	}
	s.HTML(w, r, status, "budget_map", l.T("budgetpics.map.title", b.Title), d)
}

// distance words how far a project is: metres up to a kilometre, then
// kilometres to the tenth.
func distance(l *i18n.Printer, metres float64) string {
	if metres < 1000 {
		return l.T("budgetpics.metres", int(metres+0.5))
	}
	return l.T("budgetpics.km", l.Decimal(metres/1000, 1))
}

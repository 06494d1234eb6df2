package reports

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/reports"
)

// Live open data (docs/REPORTS.md): every report as CSV and GeoJSON,
// read from the database at each request and streamed as it is read
// (never the whole set in memory), and the counts per service and state.
// Anonymised: no reporter, no description, and when the reporter chose
// not to be named, the point rounded and no address.

const dataRoot = "/reports/data/"

func (s *surface) openDataRoutes() {
	s.OpenData(dataRoot+"reports.csv", s.dataCSV)
	s.OpenData(dataRoot+"reports.geojson", s.dataGeoJSON)
	s.OpenData(dataRoot+"counts.{format:json|csv}", s.dataCounts)
}

// csvHeader names the columns of reports.csv.
var csvHeader = []string{"id", "url", "service_code", "service", "state", "status", "lat", "long", "rounded",
	"address", "confirmations", "scheduled_for", "created_at", "updated_at"}

// streamHeaders are the headers of a streamed export: always current, so
// not kept by caches.
func streamHeaders(w http.ResponseWriter, contentType, name string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", `inline; filename="`+name+`"`)
	h.Set("Cache-Control", "no-cache")
}

func (s *surface) dataCSV(w http.ResponseWriter, r *http.Request) {
	streamHeaders(w, "text/csv; charset=utf-8", "signalements.csv")
	if r.Method == http.MethodHead {
		return
	}
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	links := s.Links()
	rec := make([]string, len(csvHeader))
	err := s.reports.Export(r.Context(), func(o reports.OpenRecord) error {
		rec[0], rec[1], rec[2], rec[3], rec[4], rec[5] = o.ID, links.Abs("/reports/"+o.ID, nil), o.Category, o.Service, string(o.State), status(o.State)
		rec[6], rec[7], rec[8] = "", "", strconv.FormatBool(o.Rounded)
		if o.Point != nil {
			rec[6], rec[7] = coord(o.Point.Lat), coord(o.Point.Lon)
		}
		rec[9], rec[10], rec[11] = o.Address, strconv.Itoa(o.Confirmations), ""
		if o.ScheduledFor != nil {
			rec[11] = o.ScheduledFor.UTC().Format(time.DateOnly)
		}
		rec[12], rec[13] = o.CreatedAt.UTC().Format(time.RFC3339), o.UpdatedAt.UTC().Format(time.RFC3339)
		return cw.Write(rec)
	})
	cw.Flush()
	if err != nil {
		// The status is sent: the body ends short, and the log says why.
		s.Log().ErrorContext(r.Context(), "reports CSV export stopped", "err", err)
	}
}

// geoFeature is one report in reports.geojson.
type geoFeature struct {
	Type       string       `json:"type"`
	ID         string       `json:"id"`
	Geometry   *geoPoint    `json:"geometry"`
	Properties geoReportRow `json:"properties"`
}

type geoPoint struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // longitude, latitude (RFC 7946)
}

type geoReportRow struct {
	URL           string `json:"url"`
	ServiceCode   string `json:"service_code"`
	Service       string `json:"service"`
	State         string `json:"state"`
	Status        string `json:"status"`
	Rounded       bool   `json:"rounded"`
	Address       string `json:"address,omitempty"`
	Confirmations int    `json:"confirmations"`
	ScheduledFor  string `json:"scheduled_for,omitempty"`
	CreatedAt     string `json:"created_at"`
	UpdatedAt     string `json:"updated_at"`
}

func (s *surface) dataGeoJSON(w http.ResponseWriter, r *http.Request) {
	streamHeaders(w, "application/geo+json", "signalements.geojson")
	if r.Method == http.MethodHead {
		return
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.WriteString(`{"type":"FeatureCollection","features":[`)
	links := s.Links()
	enc := json.NewEncoder(bw)
	first := true
	err := s.reports.Export(r.Context(), func(o reports.OpenRecord) error {
		f := geoFeature{Type: "Feature", ID: o.ID, Properties: geoReportRow{URL: links.Abs("/reports/"+o.ID, nil),
			ServiceCode: o.Category, Service: o.Service, State: string(o.State), Status: status(o.State), Rounded: o.Rounded,
			Address: o.Address, Confirmations: o.Confirmations,
			CreatedAt: o.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: o.UpdatedAt.UTC().Format(time.RFC3339)}}
		if o.Point != nil {
			f.Geometry = &geoPoint{Type: "Point", Coordinates: [2]float64{o.Point.Lon, o.Point.Lat}}
		}
		if o.ScheduledFor != nil {
			f.Properties.ScheduledFor = o.ScheduledFor.UTC().Format(time.DateOnly)
		}
		if !first {
			bw.WriteByte(',')
		}
		first = false
		return enc.Encode(f)
	})
	bw.WriteString("]}\n")
	bw.Flush()
	if err != nil {
		s.Log().ErrorContext(r.Context(), "reports GeoJSON export stopped", "err", err)
	}
}

// countRow is one line of the counts.
type countRow struct {
	Service string `json:"service"`
	State   string `json:"state"`
	Status  string `json:"status"`
	Count   int64  `json:"count"`
}

func (s *surface) dataCounts(w http.ResponseWriter, r *http.Request) {
	counts, err := s.reports.Counts(r.Context())
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	rows := make([]countRow, len(counts))
	for i, c := range counts {
		rows[i] = countRow{Service: c.Service, State: string(c.State), Status: status(c.State), Count: c.N}
	}
	if mux.Vars(r)["format"] == "json" {
		s.PublicJSON(w, r, struct {
			Counts []countRow `json:"counts"`
		}{rows})
		return
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write([]string{"service", "state", "status", "count"})
	for _, c := range rows {
		cw.Write([]string{c.Service, c.State, c.Status, strconv.FormatInt(c.Count, 10)})
	}
	cw.Flush()
	web.ServeCached(w, r, "text/csv; charset=utf-8", buf.Bytes(), web.APIMaxAge)
}

// status is Open311's word for a state: open or closed.
func status(st reports.State) string {
	if st.Open() {
		return "open"
	}
	return "closed"
}

// coord writes a coordinate with at most six decimals (about 10 cm).
func coord(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

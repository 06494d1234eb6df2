package reports

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"agora/frontend/web"
	"agora/instances/accounts"
	"agora/instances/reports"
)

// Open311 GeoReport v2 (docs/OPEN311.md): discovery, services, service
// requests listed, created with an API key, and read one by one, in JSON
// or XML. Every category is a service; every report a service request.

const (
	o311Root      = "/open311/v2/"
	o311Changeset = "2026-12-07T00:00:00Z"
	// o311Window is how far back a list without dates reaches, as the
	// specification suggests.
	o311Window = 90 * 24 * time.Hour
	o311Max    = 1000
	// o311Page is how many requests a list answers when page_size is not
	// given: the specification caps a list at 1,000 and lets the
	// jurisdiction choose less; a page of 100 costs a tenth of the CPU
	// (docs/BENCHMARKS.md).
	o311Page = 100
)

func (s *surface) open311Routes() {
	anyone := s.Anyone()
	s.OpenData(o311Root+"discovery.{format:json|xml}", s.o311Discovery)
	s.OpenData(o311Root+"services.{format:json|xml}", s.o311Services)
	s.OpenData(o311Root+"services/{code}.{format:json|xml}", s.o311Definition)
	s.OpenData(o311Root+"requests.{format:json|xml}", s.o311List)
	anyone.Post(o311Root+"requests.{format:json|xml}", s.o311Create)
	s.OpenData(o311Root+"requests/{id}.{format:json|xml}", s.o311Get)
	s.OpenData(o311Root+"tokens/{id}.{format:json|xml}", s.o311Token)
	s.OpenData(o311Root+"servicerequestupdates.{format:json|xml}", s.o311Updates)
	anyone.Post(o311Root+"servicerequestupdates.{format:json|xml}", s.o311AddUpdate)
}

// o311Write answers v in the format of the URL.
func (s *surface) o311Write(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	ct := "application/json; charset=utf-8"
	var err error
	if mux.Vars(r)["format"] == "xml" {
		ct = "text/xml; charset=utf-8"
		buf.WriteString(xml.Header)
		err = xml.NewEncoder(&buf).Encode(v)
	} else {
		err = json.NewEncoder(&buf).Encode(v)
	}
	if err != nil {
		s.Fail(w, r, err)
		return
	}
	if status == http.StatusOK && r.Method == http.MethodGet {
		web.ServeCached(w, r, ct, buf.Bytes(), web.APIMaxAge)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// o311Fail answers Open311's error document; a failure of the node is
// logged and answered as a 500 without its details.
func (s *surface) o311Fail(w http.ResponseWriter, r *http.Request, err error) {
	e := s.AsError(err)
	msg := e.Message(s.Printer(r))
	if e.Status >= 500 {
		s.Log().ErrorContext(r.Context(), "open311 request failed", "path", r.URL.Path, "err", err)
	}
	s.o311Write(w, r, e.Status, o311Errors{Items: []o311Error{{Code: e.Status, Description: msg}}})
}

func (s *surface) o311Discovery(w http.ResponseWriter, r *http.Request) {
	base := s.Links().Abs(o311Root, nil)
	s.o311Write(w, r, http.StatusOK, o311Discovery{
		Changeset: o311Changeset, Contact: s.NodeName(r.Context()),
		KeyService: s.Links().Abs("/reports", nil) + " – API keys are given by the node's administrators",
		Endpoints: []o311Endpoint{{Specification: "http://wiki.open311.org/GeoReport_v2", URL: base, Changeset: o311Changeset,
			Type: "production", Formats: []string{"application/json", "text/xml"}}},
	})
}

func (s *surface) o311Services(w http.ResponseWriter, r *http.Request) {
	cats, err := s.reports.Categories(r.Context(), false)
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	lang := s.Printer(r).Lang
	var out o311Services
	for _, c := range cats {
		out.Items = append(out.Items, o311Service{ServiceCode: c.Slug, ServiceName: c.Name(lang), Description: c.Name(lang),
			Type: "realtime", Group: c.Service})
	}
	s.o311Write(w, r, http.StatusOK, out)
}

func (s *surface) o311Definition(w http.ResponseWriter, r *http.Request) {
	c, err := s.reports.CategoryBySlug(r.Context(), mux.Vars(r)["code"])
	if errors.Is(err, reports.ErrUnknownCategory) {
		err = web.HTTPError(http.StatusNotFound, err)
	}
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	s.o311Write(w, r, http.StatusOK, o311Definition{ServiceCode: c.Slug, Attributes: []o311Attribute{}})
}

// o311Get answers one request, as a list of one.
func (s *surface) o311Get(w http.ResponseWriter, r *http.Request) {
	rep, err := s.reports.ByID(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	one, err := s.withNotes(r, []reports.Report{*rep})
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	out, err := s.o311Requests(r, one)
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	s.o311Write(w, r, http.StatusOK, out)
}

// o311Token: requests are created at once, so a token is the request's
// own id.
func (s *surface) o311Token(w http.ResponseWriter, r *http.Request) {
	rep, err := s.reports.ByID(r.Context(), mux.Vars(r)["id"])
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	s.o311Write(w, r, http.StatusOK, o311Tokens{Items: []o311Token{{ServiceRequestID: rep.ID, Token: rep.ID}}})
}

// ListQuery is what a GET requests asks for.
type ListQuery struct {
	IDs   []string // service_request_id: the other parameters are ignored
	Query reports.Query
}

// ParseListQuery reads the parameters of GET requests: service_request_id
// (comma-separated), service_code (comma-separated), start_date and
// end_date (W3C datetimes), status (open, closed or both), and the
// page_size (1 to 1,000, 100 by default) and page (from 1) most Open311
// servers take. Without dates, the last 90 days before now.
func ParseListQuery(v url.Values, now time.Time) (ListQuery, error) {
	var q ListQuery
	if ids := splitList(v.Get("service_request_id")); len(ids) > 0 {
		if len(ids) > o311Max {
			return q, errParam("service_request_id")
		}
		q.IDs = ids
		return q, nil
	}
	var err error
	if q.Query.Limit, q.Query.Offset, err = parsePage(v); err != nil {
		return q, err
	}
	q.Query.Categories = splitList(v.Get("service_code"))
	if len(q.Query.Categories) > 100 {
		return q, errParam("service_code")
	}
	if q.Query.Since, q.Query.Until, err = parseDates(v, now); err != nil {
		return q, err
	}
	for _, st := range splitList(v.Get("status")) {
		switch st {
		case "open":
			q.Query.States = append(q.Query.States, reports.New, reports.Acknowledged, reports.Scheduled, reports.Requalified)
		case "closed":
			q.Query.States = append(q.Query.States, reports.Done, reports.Rejected, reports.Transferred)
		default:
			return q, errParam("status")
		}
	}
	if len(q.Query.States) == len(reports.States) {
		q.Query.States = nil
	}
	return q, nil
}

// parsePage reads page_size (1 to 1,000, 100 by default) and page (from
// 1, starting at most reports.MaxOffset in) as a limit and an offset.
func parsePage(v url.Values) (limit, offset int, err error) {
	limit = o311Page
	if s := v.Get("page_size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > o311Max {
			return 0, 0, errParam("page_size")
		}
		limit = n
	}
	if s := v.Get("page"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || (n-1) > reports.MaxOffset/limit {
			return 0, 0, errParam("page")
		}
		offset = (n - 1) * limit
	}
	return limit, offset, nil
}

// parseDates reads start_date and end_date; without either, the last 90
// days before now (from the minute before).
func parseDates(v url.Values, now time.Time) (since, until time.Time, err error) {
	if s := v.Get("start_date"); s != "" {
		if since, err = ParseDatetime(s); err != nil {
			return since, until, errParam("start_date")
		}
	}
	if s := v.Get("end_date"); s != "" {
		if until, err = ParseDatetime(s); err != nil {
			return since, until, errParam("end_date")
		}
	}
	if since.IsZero() && until.IsZero() {
		// From a whole minute: the lists asked within that minute are
		// the same query, which the reports service answers once per
		// reports.AnswerTTL (docs/BENCHMARKS.md).
		since = now.Add(-o311Window).Truncate(time.Minute)
	}
	if !since.IsZero() && !until.IsZero() && until.Before(since) {
		return since, until, errParam("end_date")
	}
	return since, until, nil
}

// ParseDatetime reads a W3C datetime (RFC 3339, or a day alone, in UTC).
func ParseDatetime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not a W3C datetime")
}

func splitList(s string) []string {
	var out []string
	for p := range strings.SplitSeq(s, ",") {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// errParam is a parameter Open311 clients sent wrong.
func errParam(name string) error {
	return &web.Error{Status: http.StatusBadRequest, Key: "street.open311.param", Args: []any{name}}
}

func (s *surface) o311List(w http.ResponseWriter, r *http.Request) {
	q, err := ParseListQuery(r.URL.Query(), s.Now())
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	var found []reports.Request
	if len(q.IDs) > 0 {
		var list []reports.Report
		list, err = s.reports.ByIDs(r.Context(), q.IDs)
		slices.SortFunc(list, func(a, b reports.Report) int { return b.CreatedAt.Compare(a.CreatedAt) })
		if err == nil {
			found, err = s.withNotes(r, list)
		}
	} else {
		// One statement, its answer kept for reports.AnswerTTL.
		found, err = s.reports.Requests(r.Context(), q.Query)
	}
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	out, err := s.o311Requests(r, found)
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	s.o311Write(w, r, http.StatusOK, out)
}

// withNotes adds their latest state notes and first photos to reports.
func (s *surface) withNotes(r *http.Request, list []reports.Report) ([]reports.Request, error) {
	ids := make([]string, len(list))
	for i, rep := range list {
		ids[i] = rep.ID
	}
	notes, err := s.reports.Notes(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	photos, err := s.reports.FirstPhotos(r.Context(), ids, false)
	if err != nil {
		return nil, err
	}
	out := make([]reports.Request, len(list))
	for i, rep := range list {
		out[i] = reports.Request{Report: rep, Note: notes[rep.ID], Photo: photos[rep.ID]}
	}
	return out, nil
}

// o311Requests writes reports as service requests.
func (s *surface) o311Requests(r *http.Request, list []reports.Request) (o311Requests, error) {
	out := o311Requests{Items: make([]o311Request, 0, len(list))}
	names, err := s.categoryNames(r)
	if err != nil {
		return out, err
	}
	links := s.Links()
	for _, rep := range list {
		q := o311Request{ServiceRequestID: rep.ID, Status: "closed", StatusNotes: rep.Note, ServiceName: names[rep.Category],
			ServiceCode: rep.Category, Description: rep.Description, AgencyResponsible: rep.Service,
			RequestedDatetime: rep.CreatedAt.UTC().Format(time.RFC3339), UpdatedDatetime: rep.UpdatedAt.UTC().Format(time.RFC3339),
			Address: rep.Address}
		if rep.State.Open() {
			q.Status = "open"
		}
		if rep.Operator != "" && rep.State == reports.Transferred {
			q.AgencyResponsible = rep.Operator
		}
		if rep.ScheduledFor != nil {
			q.ExpectedDatetime = rep.ScheduledFor.UTC().Format(time.RFC3339)
		}
		if p, ok := rep.Point(); ok {
			q.Lat, q.Long = &p.Lat, &p.Lon
		}
		if rep.Photo > 0 {
			q.MediaURL = links.Abs("/reports/"+url.PathEscape(rep.ID)+"/photos/"+strconv.Itoa(rep.Photo), nil)
		}
		out.Items = append(out.Items, q)
	}
	return out, nil
}

// CreateInput is what a POST requests carries that Agora uses.
type CreateInput struct {
	APIKey string
	Input  reports.Input
}

// ParseCreate reads the form of POST requests: api_key, service_code,
// lat and long or address_string (or both), description. Other
// parameters of the specification (email, names, phone, device_id,
// account_id, media_url, attributes) are accepted and ignored: the
// request is the key's client's, and no remote file is fetched (a photo
// comes in the multipart "media" file, ReadOpen311Form).
func ParseCreate(v url.Values) (CreateInput, error) {
	in := CreateInput{APIKey: strings.TrimSpace(v.Get("api_key"))}
	in.Input.Category = strings.TrimSpace(v.Get("service_code"))
	if in.Input.Category == "" {
		return in, errParam("service_code")
	}
	p, ok := web.ParsePoint(v.Get("lat"), v.Get("long"))
	if !ok {
		return in, errParam("lat/long")
	}
	in.Input.Point = p
	in.Input.Address = strings.TrimSpace(v.Get("address_string"))
	in.Input.Description = strings.TrimSpace(v.Get("description"))
	return in, nil
}

// o311Create creates a request: the form is read (a photo in "media"
// kept as sent), its parameters checked, then the key, then the key's
// rate limit; only then is the photo decoded and stored, and the report
// created. Any refusal stores nothing.
func (s *surface) o311Create(w http.ResponseWriter, r *http.Request) {
	form, err := ReadOpen311Form(r)
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	defer form.Close()
	in, err := ParseCreate(form.Values)
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	client, keyID, err := s.o311Client(r, in.APIKey)
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	if !s.o311Allow(w, r, keyID) {
		return
	}
	if in.Input.Photos, err = s.o311Photo(r, form); err != nil {
		s.o311Fail(w, r, err)
		return
	}
	rep, err := s.reports.Create(r.Context(), client, in.Input)
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	s.o311Write(w, r, http.StatusCreated, o311CreatedList{Items: []o311Created{{ServiceRequestID: rep.ID}}})
}

// o311Client is who an API key's client acts as: the account made with
// the key; and the key's id.
func (s *surface) o311Client(r *http.Request, apiKey string) (accounts.Actor, string, error) {
	key, err := s.reports.Key(r.Context(), apiKey)
	if err != nil {
		return accounts.Actor{}, "", err
	}
	acc, err := s.accounts.ByID(r.Context(), key.AccountID)
	if err != nil {
		return accounts.Actor{}, "", err
	}
	return accounts.As(acc), key.ID, nil
}

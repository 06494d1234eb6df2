package reports

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"agora/instances/reports"
)

// FixMyStreet's extension of Open311 (servicerequestupdates): the
// updates of requests, read by anyone, and the messages a client adds
// to the requests it created. docs/OPEN311.md.

type o311Update struct {
	UpdateID           string `json:"update_id" xml:"update_id"`
	ServiceRequestID   string `json:"service_request_id" xml:"service_request_id"`
	Status             string `json:"status" xml:"status"`
	ExternalStatusCode string `json:"external_status_code" xml:"external_status_code"`
	UpdatedDatetime    string `json:"updated_datetime" xml:"updated_datetime"`
	Description        string `json:"description" xml:"description"`
	MediaURL           string `json:"media_url" xml:"media_url"`
}

type o311Updates struct {
	XMLName xml.Name     `json:"-" xml:"service_request_updates"`
	Items   []o311Update `xml:"request_update"`
}

func (l o311Updates) MarshalJSON() ([]byte, error) { return json.Marshal(nonNil(l.Items)) }

type o311UpdateID struct {
	UpdateID string `json:"update_id" xml:"update_id"`
}

type o311UpdateIDs struct {
	XMLName xml.Name       `json:"-" xml:"service_request_updates"`
	Items   []o311UpdateID `xml:"request_update"`
}

func (l o311UpdateIDs) MarshalJSON() ([]byte, error) { return json.Marshal(nonNil(l.Items)) }

// fmsStatus is a state as FixMyStreet's extended statuses name it; the
// state itself goes in external_status_code.
var fmsStatus = map[reports.State]string{
	reports.New:          "open",
	reports.Acknowledged: "investigating",
	reports.Scheduled:    "action_scheduled",
	reports.Done:         "fixed",
	reports.Rejected:     "no_further_action",
	reports.Requalified:  "internal_referral",
	reports.Transferred:  "not_councils_responsibility",
}

// ParseUpdatesQuery reads the parameters of GET servicerequestupdates:
// start_date and end_date (without either, the last 90 days),
// service_request_id (comma-separated, at most 1,000), page_size and
// page as for requests.
func ParseUpdatesQuery(v url.Values, now time.Time) (reports.UpdatesQuery, error) {
	var q reports.UpdatesQuery
	var err error
	if q.ReportIDs = splitList(v.Get("service_request_id")); len(q.ReportIDs) > o311Max {
		return q, errParam("service_request_id")
	}
	if q.Limit, q.Offset, err = parsePage(v); err != nil {
		return q, err
	}
	if q.Since, q.Until, err = parseDates(v, now); err != nil {
		return q, err
	}
	return q, nil
}

func (s *surface) o311Updates(w http.ResponseWriter, r *http.Request) {
	q, err := ParseUpdatesQuery(r.URL.Query(), s.Now())
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	events, err := s.reports.Updates(r.Context(), q)
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	var done []string // reports whose update is "fixed": their "after" photo
	for _, e := range events {
		if e.Kind == reports.KindState && e.State == reports.Done {
			done = append(done, e.ReportID)
		}
	}
	after, err := s.reports.FirstPhotos(r.Context(), done, true)
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	links := s.Links()
	out := o311Updates{Items: make([]o311Update, 0, len(events))}
	for _, e := range events {
		u := o311Update{UpdateID: strconv.FormatInt(e.ID, 10), ServiceRequestID: e.ReportID,
			Status: fmsStatus[e.State], ExternalStatusCode: string(e.State),
			UpdatedDatetime: e.At.UTC().Format(time.RFC3339), Description: e.Message}
		if n, ok := after[e.ReportID]; ok && e.Kind == reports.KindState && e.State == reports.Done {
			u.MediaURL = links.Abs("/reports/"+url.PathEscape(e.ReportID)+"/photos/"+strconv.Itoa(n), nil)
		}
		out.Items = append(out.Items, u)
	}
	s.o311Write(w, r, http.StatusOK, out)
}

// UpdateInput is what a POST servicerequestupdates carries that Agora
// uses.
type UpdateInput struct {
	APIKey, RequestID, Description string
}

// ParseUpdate reads the form of POST servicerequestupdates: api_key,
// service_request_id, description. The extension's other parameters
// (update_id, status, updated_datetime, names, email, media_url) are
// accepted and ignored: a client adds a message, as its user would on
// the report's page; states are the service's to change.
func ParseUpdate(v url.Values) (UpdateInput, error) {
	in := UpdateInput{APIKey: strings.TrimSpace(v.Get("api_key")), RequestID: strings.TrimSpace(v.Get("service_request_id")),
		Description: strings.TrimSpace(v.Get("description"))}
	switch {
	case in.RequestID == "":
		return in, errParam("service_request_id")
	case in.Description == "":
		return in, errParam("description")
	}
	return in, nil
}

// o311AddUpdate adds a public message to a request the key's client
// created (its account is the reporter); any other request is a 403.
// The form may be multipart (FixMyStreet sends one with a photo): a
// "media" file is dropped, since the dialogue's messages have none.
func (s *surface) o311AddUpdate(w http.ResponseWriter, r *http.Request) {
	form, err := ReadOpen311Form(r)
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	form.Close() // a message carries no photo: a "media" file is dropped
	in, err := ParseUpdate(form.Values)
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
	e, err := s.reports.Say(r.Context(), client, in.RequestID, in.Description, false)
	if errors.Is(err, reports.ErrMessage) {
		err = errParam("description")
	}
	if err != nil {
		s.o311Fail(w, r, err)
		return
	}
	s.o311Write(w, r, http.StatusCreated, o311UpdateIDs{Items: []o311UpdateID{{UpdateID: strconv.FormatInt(e.ID, 10)}}})
}

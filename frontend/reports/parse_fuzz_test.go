package reports_test

import (
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	streetreports "agora/frontend/reports"
)

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

// FuzzOpen311Params: whatever a client sends, the parsers of GET and
// POST requests and servicerequestupdates either refuse it or return
// what the service accepts: a point on Earth, dates in order, a bounded
// list, a page within reach.
func FuzzOpen311Params(f *testing.F) {
	for _, s := range []string{
		"service_code=graffiti,nid-de-poule&status=open&start_date=2026-12-01T00:00:00Z",
		"service_request_id=a,b,a", "start_date=2026-12-07&end_date=2026-12-01", "status=closed,open",
		"api_key=k&service_code=x&lat=48,86&long=2.38&description=Trou", "lat=1e400&long=2", "end_date=2026-12-07T10:00+01:00",
		"api_key=k&service_request_id=r1&description=Toujours%20l%C3%A0", "page_size=1000&page=11", "page=-1",
	} {
		f.Add(s)
	}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		if q, err := streetreports.ParseListQuery(v, now); err == nil {
			if len(q.IDs) > 1000 || q.Query.Limit > 1000 {
				t.Fatalf("unbounded list %+v", q)
			}
			if !q.Query.Since.IsZero() && !q.Query.Until.IsZero() && q.Query.Until.Before(q.Query.Since) {
				t.Fatalf("dates out of order %+v", q.Query)
			}
		}
		if in, err := streetreports.ParseCreate(v); err == nil {
			if in.Input.Category == "" || in.Input.Point != nil && !in.Input.Point.Valid() {
				t.Fatalf("accepted %+v", in.Input)
			}
		}
		if q, err := streetreports.ParseUpdatesQuery(v, now); err == nil {
			if len(q.ReportIDs) > 1000 || q.Limit < 1 || q.Limit > 1000 || q.Offset < 0 || q.Offset > 10_000+q.Limit {
				t.Fatalf("unbounded updates %+v", q)
			}
			if !q.Since.IsZero() && !q.Until.IsZero() && q.Until.Before(q.Since) {
				t.Fatalf("dates out of order %+v", q)
			}
		}
		if in, err := streetreports.ParseUpdate(v); err == nil && (in.RequestID == "" || in.Description == "") {
			t.Fatalf("accepted %+v", in)
		}
	})
}

// FuzzParseBBox: a box read from the map's query is a valid box
// (south below north, west of east, on Earth), and a long one is refused
// before it is split.
func FuzzParseBBox(f *testing.F) {
	for _, s := range []string{"2.37,48.855,2.39,48.865", "", "1,2,3", "2.39,48.855,2.37,48.865", "NaN,1,2,3", "-180,-90,180,90", " 2 , 48 , 3 , 49 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, ok := streetreports.ParseBBox(s)
		if ok && !b.Valid() {
			t.Fatalf("ParseBBox(%q) = %+v, not a valid box", s, b)
		}
		if ok && len(s) > 120 {
			t.Fatalf("ParseBBox took %d bytes", len(s))
		}
	})
}

// FuzzReadOpen311Form: whatever body a client posts as multipart (or
// url-encoded), the form read is bounded (at most 200 fields of 64 KiB,
// one media file of 1 byte to 10 MiB), and Close leaves no file behind.
func FuzzReadOpen311Form(f *testing.F) {
	const boundary = "XyZ"
	part := func(name, filename, body string) string {
		disp := `form-data; name="` + name + `"`
		if filename != "" {
			disp += `; filename="` + filename + `"`
		}
		return "--" + boundary + "\r\nContent-Disposition: " + disp + "\r\n\r\n" + body + "\r\n"
	}
	end := "--" + boundary + "--\r\n"
	for _, s := range []string{
		part("api_key", "", "k") + part("service_code", "", "graffiti") + part("media", "a.jpg", "\xff\xd8\xff") + end,
		part("media", "a.jpg", "x") + part("media", "b.jpg", "y") + end,
		part("media", "", "not a file") + part("media", "empty.jpg", "") + end,
		part("other", "x.bin", "zzz") + end, "", "--" + boundary, end,
	} {
		f.Add(s, true)
	}
	f.Add("api_key=k&lat=48.86&long=2.38", false)
	f.Fuzz(func(t *testing.T, body string, multipartBody bool) {
		r := httptest.NewRequest("POST", "/open311/v2/requests.json", strings.NewReader(body))
		if multipartBody {
			r.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
		} else {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		form, err := streetreports.ReadOpen311Form(r)
		if err != nil {
			return
		}
		defer form.Close()
		n := 0
		for _, vs := range form.Values {
			for _, v := range vs {
				n++
				if len(v) > 64<<10 && multipartBody {
					t.Fatalf("a field of %d bytes", len(v))
				}
			}
		}
		if multipartBody && n > 200 {
			t.Fatalf("%d fields", n)
		}
		if form.Media != nil {
			st, err := form.Media.Stat()
			if err != nil || st.Size() < 1 || st.Size() > 10<<20 {
				t.Fatalf("media %v, %v", st, err)
			}
			name := form.Media.Name()
			form.Close()
			if _, err := os.Stat(name); !os.IsNotExist(err) {
				t.Fatalf("media file left behind: %v", err)
			}
		}
	})
}

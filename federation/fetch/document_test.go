package fetch

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

const testMaxBody = 1024

// peer serves the documents the table below asks for.
func peer(t *testing.T) *httptest.Server {
	t.Helper()
	note := []byte(`{"@context":"https://www.w3.org/ns/activitystreams","type":"Note"}`)
	mux := http.NewServeMux()
	serve := func(path, ct string, body []byte) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			if ct == "" {
				w.Header()["Content-Type"] = nil // no sniffing either
			} else {
				w.Header().Set("Content-Type", ct)
			}
			w.Write(body)
		})
	}
	serve("/note", "application/activity+json", note)
	serve("/ld", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, note)
	serve("/json", "application/json; charset=utf-8", note)
	serve("/exact", "application/activity+json", []byte(strings.Repeat("x", testMaxBody)))
	serve("/big", "application/activity+json", []byte(strings.Repeat("x", testMaxBody+1)))
	serve("/html", "text/html; charset=utf-8", []byte("<html></html>"))
	serve("/notype", "", note)
	serve("/badtype", "application/activity+json; ===", note)
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/activity+json")
		for range 4 { // flushing before the end means no Content-Length
			w.Write([]byte(strings.Repeat("x", testMaxBody/2)))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.PathValue("code"))
		if ra := r.URL.Query().Get("retry"); ra != "" {
			w.Header().Set("Retry-After", ra)
		}
		w.WriteHeader(code)
	})
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			w.Header().Set("Content-Type", "application/activity+json")
			w.Write(note)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/stall", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/activity+json")
		w.Write([]byte(`{"type":`))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestDocument(t *testing.T) {
	srv := peer(t)
	tests := []struct {
		path       string
		timeout    time.Duration
		wantErr    error // sentinel, or nil
		wantStatus int
		permanent  bool
		retryAfter time.Duration
		timedOut   bool
		wantFinal  string
		wantLen    int
	}{
		{path: "/note", wantFinal: "/note"},
		{path: "/ld", wantFinal: "/ld"},
		{path: "/json", wantFinal: "/json"},
		{path: "/exact", wantFinal: "/exact", wantLen: testMaxBody},
		{path: "/big", wantErr: ErrTooLarge, permanent: true},
		{path: "/big-chunked", wantErr: ErrTooLarge, permanent: true},
		{path: "/html", wantErr: ErrNotJSON, permanent: true},
		{path: "/notype", wantErr: ErrNotJSON, permanent: true},
		{path: "/badtype", wantErr: ErrNotJSON, permanent: true},
		{path: "/status/404", wantStatus: 404, permanent: true},
		{path: "/status/410", wantStatus: 410, permanent: true},
		{path: "/status/503", wantStatus: 503},
		{path: "/status/429?retry=30", wantStatus: 429, retryAfter: 30 * time.Second},
		{path: "/hop/3", wantFinal: "/hop/0"},
		{path: "/hop/4", wantErr: ErrTooManyRedirects, permanent: true},
		{path: "/slow", timeout: 100 * time.Millisecond, timedOut: true},
		{path: "/stall", timeout: 100 * time.Millisecond, timedOut: true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			c := New(Config{AllowPrivate: true, MaxBody: testMaxBody, MaxRedirects: 3, Timeout: tt.timeout})
			start := time.Now()
			body, final, err := c.Document(t.Context(), srv.URL+tt.path, nil)

			switch {
			case tt.wantErr != nil:
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
			case tt.wantStatus != 0:
				se := checkStatus(t, err, tt.wantStatus)
				if se.RetryAfter != tt.retryAfter {
					t.Errorf("RetryAfter = %v, want %v", se.RetryAfter, tt.retryAfter)
				}
			case tt.timedOut:
				if !isTimeout(err) {
					t.Fatalf("err = %v, want a timeout", err)
				}
				if took := time.Since(start); took > 2*time.Second {
					t.Errorf("took %v for a %v timeout", took, tt.timeout)
				}
			default:
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if final.String() != srv.URL+tt.wantFinal {
					t.Errorf("final = %s, want %s", final, srv.URL+tt.wantFinal)
				}
				if tt.wantLen != 0 && len(body) != tt.wantLen {
					t.Errorf("len(body) = %d, want %d", len(body), tt.wantLen)
				}
				if tt.wantLen == 0 && !strings.Contains(string(body), `"Note"`) {
					t.Errorf("body = %q", body)
				}
				return
			}
			if body != nil || final != nil {
				t.Errorf("got body %q, final %v alongside an error", body, final)
			}
			if got := Permanent(err); got != tt.permanent {
				t.Errorf("Permanent(%v) = %v, want %v", err, got, tt.permanent)
			}
		})
	}
}

func TestDocumentSignedRequest(t *testing.T) {
	var gotAccept, gotSig, gotUA string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAccept, gotSig, gotUA = r.Header.Get("Accept"), r.Header.Get("Signature"), r.UserAgent()
		w.Header().Set("Content-Type", "application/activity+json")
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c := New(Config{AllowPrivate: true, UserAgent: "Agora/test"})
	s := &recordingSigner{}
	if _, _, err := c.Document(t.Context(), srv.URL+"/actor", s); err != nil {
		t.Fatal(err)
	}
	calls := s.Calls()
	if len(calls) != 1 || calls[0].method != http.MethodGet || calls[0].body != nil || calls[0].date == "" {
		t.Fatalf("signer calls = %+v, want one GET with no body and a Date", calls)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	if want := `keyId="test",host="` + host + `"`; gotSig != want {
		t.Errorf("Signature = %q, want %q", gotSig, want)
	}
	if want := `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`; gotAccept != want {
		t.Errorf("Accept = %q, want %q", gotAccept, want)
	}
	if gotUA != "Agora/test" {
		t.Errorf("User-Agent = %q", gotUA)
	}

	// Unsigned when no signer is given.
	if _, _, err := c.Document(t.Context(), srv.URL+"/actor", nil); err != nil || gotSig != "" {
		t.Errorf("unsigned fetch: err %v, Signature %q", err, gotSig)
	}
	// A signer that fails stops the request.
	failing := &recordingSigner{err: errors.New("no key")}
	if _, _, err := c.Document(t.Context(), srv.URL+"/actor", failing); err == nil || !strings.Contains(err.Error(), "no key") {
		t.Errorf("failing signer: err = %v", err)
	}
}

// A redirect to another host carries a signature made for that host, never
// the first host's.
func TestDocumentRedirectResigns(t *testing.T) {
	var gotSig string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotSig = r.Header.Get("Signature")
		w.Header().Set("Content-Type", "application/activity+json")
		w.Write([]byte(`{}`))
	}))
	defer target.Close()
	origin := httptest.NewServer(http.RedirectHandler(target.URL+"/moved", http.StatusMovedPermanently))
	defer origin.Close()
	originHost := strings.TrimPrefix(origin.URL, "http://")
	targetHost := strings.TrimPrefix(target.URL, "http://")

	c := New(Config{AllowPrivate: true})
	for _, s := range []*recordingSigner{{}, nil} {
		gotSig = "unset"
		var signer Signer
		if s != nil {
			signer = s
		}
		_, final, err := c.Document(t.Context(), origin.URL+"/actor", signer)
		if err != nil {
			t.Fatal(err)
		}
		if final.String() != target.URL+"/moved" {
			t.Errorf("final = %s", final)
		}
		if s == nil {
			if gotSig != "" {
				t.Errorf("unsigned fetch arrived with Signature %q", gotSig)
			}
			continue
		}
		calls := s.Calls()
		if len(calls) != 2 || calls[0].host != originHost || calls[1].host != targetHost {
			t.Fatalf("signer calls = %+v, want %s then %s", calls, originHost, targetHost)
		}
		if want := `keyId="test",host="` + targetHost + `"`; gotSig != want {
			t.Errorf("target got Signature %q, want %q", gotSig, want)
		}
	}
}

func TestDocumentHTTPS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/activity+json")
		w.Write([]byte(`{"type":"Person"}`))
	}))
	defer srv.Close()
	c := New(Config{AllowPrivate: true})
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c.transport.TLSClientConfig.RootCAs = pool
	body, _, err := c.Document(t.Context(), srv.URL+"/actor", nil)
	if err != nil || string(body) != `{"type":"Person"}` {
		t.Fatalf("Document = %q, %v", body, err)
	}
}

// A redirect may not leave https for http.
func TestDocumentRedirectDowngrade(t *testing.T) {
	srv := httptest.NewTLSServer(http.RedirectHandler("http://example.org/actor", http.StatusFound))
	defer srv.Close()
	c := New(Config{})
	c.blocked = nil // let the test reach the loopback server over https
	c.transport.TLSClientConfig.RootCAs = x509.NewCertPool()
	c.transport.TLSClientConfig.RootCAs.AddCert(srv.Certificate())
	_, _, err := c.Document(t.Context(), srv.URL+"/actor", nil)
	if !errors.Is(err, ErrBadURL) || !Permanent(err) {
		t.Fatalf("err = %v, want permanent ErrBadURL", err)
	}
}

package fetch

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPost(t *testing.T) {
	activity := []byte(`{"type":"Create","object":{"type":"Page"}}`)
	soon := time.Now().Add(2 * time.Minute).UTC().Format(http.TimeFormat)
	tests := []struct {
		name       string
		status     int
		retryAfter string
		wantErr    bool
		permanent  bool
		wantRetry  time.Duration // lower bound for HTTP dates
	}{
		{name: "accepted", status: 202},
		{name: "ok", status: 200},
		{name: "no content", status: 204},
		{name: "bad request", status: 400, wantErr: true, permanent: true},
		{name: "unauthorized", status: 401, wantErr: true, permanent: false}, // retried: the peer may not have our key yet
		{name: "forbidden", status: 403, wantErr: true, permanent: true},
		{name: "gone", status: 410, wantErr: true, permanent: true},
		{name: "request timeout", status: 408, wantErr: true},
		{name: "too many", status: 429, retryAfter: "30", wantErr: true, wantRetry: 30 * time.Second},
		{name: "server error", status: 500, wantErr: true},
		{name: "unavailable", status: 503, retryAfter: soon, wantErr: true, wantRetry: time.Minute},
		{name: "redirect not followed", status: 302, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got struct {
				method, ct, sig string
				body            []byte
			}
			var movedHits atomic.Int32
			mux := http.NewServeMux()
			mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { movedHits.Add(1) })
			mux.HandleFunc("/inbox", func(w http.ResponseWriter, r *http.Request) {
				got.method, got.ct, got.sig = r.Method, r.Header.Get("Content-Type"), r.Header.Get("Signature")
				got.body, _ = io.ReadAll(r.Body)
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				if tt.status == http.StatusFound {
					w.Header().Set("Location", "/moved")
				}
				w.WriteHeader(tt.status)
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()

			c := New(Config{AllowPrivate: true})
			s := &recordingSigner{}
			err := c.Post(t.Context(), srv.URL+"/inbox", activity, s)

			if got.method != http.MethodPost || got.ct != "application/activity+json" || !bytes.Equal(got.body, activity) {
				t.Errorf("server got %s %q %q", got.method, got.ct, got.body)
			}
			if calls := s.Calls(); len(calls) != 1 || !bytes.Equal(calls[0].body, activity) || got.sig == "" {
				t.Errorf("signer calls = %+v, Signature %q; want one call with the body", calls, got.sig)
			}
			if movedHits.Load() != 0 {
				t.Error("Post followed a redirect")
			}
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			se := checkStatus(t, err, tt.status)
			if Permanent(err) != tt.permanent {
				t.Errorf("Permanent(%v) = %v, want %v", err, !tt.permanent, tt.permanent)
			}
			if se.RetryAfter < tt.wantRetry || (tt.wantRetry == 0 && se.RetryAfter != 0) ||
				se.RetryAfter > tt.wantRetry+2*time.Minute {
				t.Errorf("RetryAfter = %v, want about %v", se.RetryAfter, tt.wantRetry)
			}
		})
	}
}

func TestPostRefusals(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // the server notices a hang-up only once the body is read
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	defer srv.Close()

	c := New(Config{AllowPrivate: true, Timeout: 100 * time.Millisecond})
	err := c.Post(t.Context(), srv.URL+"/slow-inbox", []byte(`{}`), &recordingSigner{})
	if !isTimeout(err) || Permanent(err) {
		t.Errorf("slow inbox: err = %v, want a temporary timeout", err)
	}

	if err := c.Post(t.Context(), srv.URL+"/inbox", []byte(`{}`), nil); !errors.Is(err, ErrNoSigner) || !Permanent(err) {
		t.Errorf("nil signer: err = %v, want permanent ErrNoSigner", err)
	}
	if err := c.Post(t.Context(), "https://u:secret@example.org/inbox", nil, &recordingSigner{}); !errors.Is(err, ErrBadURL) ||
		strings.Contains(err.Error(), "secret") {
		t.Errorf("userinfo: err = %v, want ErrBadURL without the password", err)
	}
	// A connection refused is a network error: retry later.
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	if err := c.Post(t.Context(), closed.URL+"/inbox", nil, &recordingSigner{}); err == nil || Permanent(err) {
		t.Errorf("closed server: err = %v, want temporary", err)
	}
}

// A huge reply to a delivery is not read to the end.
func TestPostIgnoresLongReply(t *testing.T) {
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(64<<20))
		w.WriteHeader(http.StatusAccepted)
		chunk := make([]byte, 32<<10)
		for range (64 << 20) / len(chunk) {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	c := New(Config{AllowPrivate: true})
	if err := c.Post(t.Context(), srv.URL+"/inbox", []byte(`{}`), &recordingSigner{}); err != nil {
		t.Fatal(err)
	}
	srv.Close() // waits for the handler, which stops once the client hangs up
	if n := written.Load(); n >= 64<<20 {
		t.Errorf("server wrote all %d bytes; the client read the whole reply", n)
	}
}

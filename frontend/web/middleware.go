package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"

	"agora/frontend/i18n"
)

type ctxKey int

const (
	printerKey ctxKey = iota
	routeKey
)

// withLocale binds the reader's language to the request, and remembers an
// explicit ?lang= choice in a cookie so every later page follows it.
func withLocale(c *i18n.Catalog, secure bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			lang := c.Negotiate(r)
			if r.URL.Query().Get("lang") == lang {
				http.SetCookie(w, &http.Cookie{
					Name: i18n.CookieName, Value: lang, Path: "/",
					MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
				})
			}
			w.Header().Set("Content-Language", lang)
			w.Header().Add("Vary", "Accept-Language, Cookie")
			ctx := context.WithValue(r.Context(), printerKey, c.Printer(lang))
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// contentSecurityPolicy allows nothing inline: scripts and styles come
// from this node's own files only. JSON answers carry it too.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// SecurityHeaders sets the headers every answer of the node carries:
// the CSP, nosniff, no framing, no referrer to other sites, HSTS on https.
func SecurityHeaders(hsts bool) func(http.Handler) http.Handler {
	return securityHeaders(hsts, contentSecurityPolicy)
}

// securityHeaders is SecurityHeaders with a policy of its own (the kit's
// lets map tiles in, see maptiles.go).
func securityHeaders(hsts bool, policy string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Security-Policy", policy)
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
			if hsts {
				h.Set("Strict-Transport-Security", "max-age=31536000")
			}
			next.ServeHTTP(w, r)
		})
	}
}

// limitBody caps every request body at max, or at the limit raise gives
// for the request (upload routes) when it is larger. A body announced too
// large is refused before it is read.
func limitBody(def int64, raise func(*http.Request) int64, fail func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			limit := def
			if raise != nil {
				limit = max(limit, raise(r))
			}
			if r.ContentLength > limit {
				w.Header().Set("Connection", "close")
				fail(w, r, HTTPError(http.StatusRequestEntityTooLarge,
					fmt.Errorf("body of %d bytes over the %d limit", r.ContentLength, limit)))
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			next.ServeHTTP(w, r)
		})
	}
}

// Per-request deadlines. The server has no global read or write timeout,
// so that an upload or a download on a slow link may take its time where
// a route allows it; every other request must be read within
// RequestReadTimeout and answered within RequestWriteTimeout, so a client
// trickling bytes cannot hold a connection for ever.
const (
	RequestReadTimeout  = time.Minute
	RequestWriteTimeout = 2 * time.Minute
	UploadReadTimeout   = time.Hour
)

func deadlines(readT, writeT, longT time.Duration, long func(*http.Request) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rc := http.NewResponseController(w)
			read, write := readT, writeT
			if long(r) {
				read, write = longT, longT
			}
			now := time.Now()
			// Errors mean the writer cannot take deadlines (tests); the
			// server's own timeouts still apply then.
			_ = rc.SetReadDeadline(now.Add(read))
			_ = rc.SetWriteDeadline(now.Add(write))
			next.ServeHTTP(w, r)
		})
	}
}

// recoverPanics turns a panic into a logged 500 page, so one bad request
// never takes the node down.
func recoverPanics(log *slog.Logger, fail func(http.ResponseWriter, *http.Request, error)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				v := recover()
				if v == nil || v == http.ErrAbortHandler {
					if v != nil {
						panic(v)
					}
					return
				}
				log.ErrorContext(r.Context(), "panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				fail(w, r, fmt.Errorf("panic: %v", v))
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// metrics counts requests by route template (never the raw path, whose
// ids would explode the label space) and status, and times them.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "agora_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "agora_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register HTTP metrics: %w", err)
		}
	}
	return m, nil
}

// observe logs each request once it is answered and records its metrics.
// No IP address is logged: residents' data stays minimal.
func observe(log *slog.Logger, m *metrics) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			route := new(string)
			*route = "unmatched"
			rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
			next.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), routeKey, route)))
			elapsed := time.Since(start)
			m.requests.WithLabelValues(*route, r.Method, strconv.Itoa(rec.status)).Inc()
			m.duration.WithLabelValues(*route, r.Method).Observe(elapsed.Seconds())
			log.LogAttrs(r.Context(), slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("route", *route),
				slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes), slog.Duration("duration", elapsed))
		})
	}
}

// nameRoute runs inside the router, once a route matched, and tells
// observe its template.
func nameRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if holder, ok := r.Context().Value(routeKey).(*string); ok {
			if cur := mux.CurrentRoute(r); cur != nil {
				if tpl, err := cur.GetPathTemplate(); err == nil {
					*holder = tpl
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wroteHeader {
		s.status, s.wroteHeader = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wroteHeader = true
	n, err := s.ResponseWriter.Write(b)
	s.bytes += int64(n)
	return n, err
}

// ReadFrom passes a body copied with io.Copy (as http.ServeContent does)
// to the server's own ReadFrom, so that a file on disk goes to the
// connection with sendfile rather than through the recorder's buffers.
func (s *statusRecorder) ReadFrom(r io.Reader) (int64, error) {
	s.wroteHeader = true
	n, err := io.Copy(s.ResponseWriter, r)
	s.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (deadlines,
// flushing) through the recorder.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

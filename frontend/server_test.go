package frontend_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"agora/frontend"
)

func newTestHandler(t *testing.T, checks ...frontend.Check) http.Handler {
	t.Helper()
	base, _ := url.Parse("http://localhost:8080")
	h, err := frontend.New(frontend.Config{NodeName: "Paris 15e", BaseURL: base, MaxBodyBytes: 1024},
		frontend.Deps{Logger: slog.New(slog.DiscardHandler), Registry: prometheus.NewRegistry(), Checks: checks})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func do(h http.Handler, method, target string, body io.Reader, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, body)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestPages(t *testing.T) {
	h := newTestHandler(t)
	tests := []struct {
		name       string
		method     string
		target     string
		header     map[string]string
		body       string
		wantStatus int
		wantType   string
		wantBody   []string
	}{
		{"home in French by default", "GET", "/", nil, "", 200, "text/html",
			[]string{`<html lang="fr">`, "Paris 15e", "Aller au contenu", `<main id="content"`, "au guichet"}},
		{"home in English by Accept-Language", "GET", "/", map[string]string{"Accept-Language": "en-GB,en;q=0.8"}, "", 200, "text/html",
			[]string{`<html lang="en">`, "Welcome to the participation platform of Paris 15e", "Skip to content"}},
		{"home in English by the switch", "GET", "/?lang=en", nil, "", 200, "text/html",
			[]string{`<html lang="en">`, `href="/?lang=fr"`}},
		{"404 page", "GET", "/no/such/page", nil, "", 404, "text/html",
			[]string{"Cette page n’existe pas", `<main id="content"`}},
		{"404 as JSON for the API", "GET", "/api/v1/nothing", nil, "", 404, "application/json",
			[]string{`"status":404`}},
		{"405", "DELETE", "/", nil, "", 405, "text/html", []string{"Cette méthode"}},
		{"healthz", "GET", "/healthz", nil, "", 200, "text/plain", []string{"ok"}},
		{"readyz with no checks", "GET", "/readyz", nil, "", 200, "application/json", []string{"{}"}},
		{"stylesheet", "GET", "/static/app.css", nil, "", 200, "text/css", []string{"focus-visible"}},
		{"cross-origin POST refused", "POST", "/", map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}, "", 403, "text/html",
			[]string{"n’est pas autorisée"}},
		{"body over the limit refused", "POST", "/", map[string]string{"Content-Type": "text/plain"}, strings.Repeat("x", 2048), 413, "text/html",
			[]string{"trop volumineux"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(h, tt.method, tt.target, strings.NewReader(tt.body), tt.header)
			if w.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d\n%s", w.Code, tt.wantStatus, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, tt.wantType) {
				t.Errorf("Content-Type = %q, want %s", ct, tt.wantType)
			}
			for _, s := range tt.wantBody {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("body lacks %q:\n%s", s, w.Body)
				}
			}
			// Every answer carries the security headers, errors included.
			for k, want := range map[string]string{
				"X-Content-Type-Options": "nosniff",
				"X-Frame-Options":        "DENY",
				"Referrer-Policy":        "same-origin",
			} {
				if got := w.Header().Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			csp := w.Header().Get("Content-Security-Policy")
			if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("weak CSP: %q", csp)
			}
		})
	}
}

func TestLanguageSwitchIsRemembered(t *testing.T) {
	h := newTestHandler(t)
	w := do(h, "GET", "/?lang=en", nil, nil)
	var lang *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == "lang" {
			lang = c
		}
	}
	if lang == nil || lang.Value != "en" || !lang.HttpOnly {
		t.Fatalf("lang cookie = %+v", lang)
	}
	w = do(h, "GET", "/", nil, map[string]string{"Cookie": "lang=en", "Accept-Language": "fr"})
	if !strings.Contains(w.Body.String(), `<html lang="en">`) {
		t.Error("cookie choice not followed")
	}
}

func TestSameOriginPostPassesCSRF(t *testing.T) {
	h := newTestHandler(t)
	// No route takes POST yet, so a same-origin POST reaches the router
	// and gets 405: proof it was not refused as cross-origin.
	w := do(h, "POST", "/", nil, map[string]string{"Origin": "http://localhost:8080", "Sec-Fetch-Site": "same-origin"})
	if w.Code != http.StatusMethodNotAllowed {
		t.Fatalf("same-origin POST: status %d, want 405", w.Code)
	}
}

func TestReadyz(t *testing.T) {
	ok := frontend.Check{Name: "database", Check: func(context.Context) error { return nil }}
	down := frontend.Check{Name: "blobs", Check: func(context.Context) error { return errors.New("secret internal detail") }}
	tests := []struct {
		name   string
		checks []frontend.Check
		want   int
		body   map[string]string
	}{
		{"all ok", []frontend.Check{ok}, 200, map[string]string{"database": "ok"}},
		{"one down", []frontend.Check{ok, down}, 503, map[string]string{"database": "ok", "blobs": "unavailable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(newTestHandler(t, tt.checks...), "GET", "/readyz", nil, nil)
			if w.Code != tt.want {
				t.Fatalf("status %d, want %d", w.Code, tt.want)
			}
			var got map[string]string
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.body {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if strings.Contains(w.Body.String(), "secret") {
				t.Error("readyz leaks an internal error")
			}
		})
	}
}

func TestMetricsCountRoutesNotPaths(t *testing.T) {
	h := newTestHandler(t)
	do(h, "GET", "/", nil, nil)
	do(h, "GET", "/nope/123", nil, nil)
	w := do(h, "GET", "/metrics", nil, nil)
	body := w.Body.String()
	for _, want := range []string{
		`agora_http_requests_total{method="GET",route="/",status="200"} 1`,
		`agora_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`agora_http_request_duration_seconds_bucket{method="GET",route="/"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "/nope/123") {
		t.Error("raw path used as a label")
	}
}

// Package frontend is the node's HTTP surface: the router, pages rendered
// on the server (French first, English too, usable without JavaScript),
// operations endpoints, and the middleware every request goes through.
package frontend

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"agora/frontend/i18n"
	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/instances/debates"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/blobs"
	"agora/storage/ratelimit"
)

// Config is what the frontend needs to know about the node.
type Config struct {
	NodeName     string
	BaseURL      *url.URL // the public URL; https turns on Secure cookies and HSTS
	MaxBodyBytes int64    // default limit of a request body
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (for rate limits).
	TrustedProxies []netip.Prefix
	Location       *time.Location // time zone of dates shown; UTC if nil
	// PageCacheTTL keeps the pages anonymous visitors read for that long
	// (see pagecache.go); 0 turns the cache off, as tests want.
	PageCacheTTL time.Duration
}

// Check is one readiness probe, e.g. "database" or "blobs".
type Check struct {
	Name  string
	Check func(context.Context) error
}

// Deps are the frontend's collaborators, built by the caller.
type Deps struct {
	Logger   *slog.Logger
	Registry *prometheus.Registry // the node's metrics, served at /metrics
	Checks   []Check              // what /readyz verifies

	// The accounts surface (sign-up, sign-in, account pages, desk, admin)
	// is served when Accounts is set.
	Accounts *accounts.Service
	Limiter  rateLimiter
	Secret   []byte // the node's secret, for HMACs that must agree across processes

	// The participation surface (spaces, proposals, debates, moderation,
	// feeds, JSON API) is served when Spaces is set.
	Spaces     *spaces.Service
	Proposals  *proposals.Service
	Debates    *debates.Service
	Moderation *moderation.Service
	Markup     *markup.Renderer
	Blobs      blobs.Store

	// Federation, when set, adds the admin's federation page and the
	// "Other cities" pages.
	Federation Federation

	// Apps, when set, serves the catalogue of free software (/apps and
	// /api/v1/apps); it needs Accounts, and Blobs must be the store the
	// catalogue writes to (downloads are served from it).
	Apps *apps.Service

	// Now is the clock pages decide with (phases, windows, expiries); the
	// services must use the same one. Nil means time.Now.
	Now func() time.Time
}

// rateLimiter counts attempts; storage/ratelimit implements it.
type rateLimiter interface {
	Allow(ctx context.Context, key string, r ratelimit.Rule) (bool, time.Duration, error)
}

type server struct {
	// uploads maps the path of an upload route to its body limit, above
	// the default one; uploadPatterns does the same for paths with
	// variable segments ("/apps/*/releases/new", see pathMatch), and
	// downloads lists the GET routes that may take long (big files).
	// Filled while routes are registered, read-only after.
	uploads        map[string]int64
	uploadPatterns map[string]int64
	downloads      []string
	cfg            Config
	log            *slog.Logger
	render         *renderer
	checks         []Check
	https          bool
	accounts       *accounts.Service
	limiter        rateLimiter
	secret         []byte
	webauthn       *webauthn.WebAuthn

	spaces     *spaces.Service
	proposals  *proposals.Service
	debates    *debates.Service
	moderation *moderation.Service
	markup     *markup.Renderer
	blobs      blobs.Store
	threads    *threadCache
	federation Federation
	apps       *apps.Service
	clock      func() time.Time
}

// New builds the node's HTTP handler.
func New(cfg Config, deps Deps) (http.Handler, error) {
	if cfg.BaseURL == nil {
		return nil, errors.New("frontend: no base URL")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	log := deps.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	reg := deps.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	catalog, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	if cfg.Location != nil {
		catalog.Location = cfg.Location
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	cssURL, err := fingerprint(static, "app.css")
	if err != nil {
		return nil, err
	}
	rd, err := newRenderer(catalog, log, commonData{NodeName: cfg.NodeName, CSSURL: cssURL, Federation: deps.Federation != nil, Apps: deps.Apps != nil})
	if err != nil {
		return nil, err
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	https := cfg.BaseURL.Scheme == "https"
	s := &server{uploads: map[string]int64{}, uploadPatterns: map[string]int64{}, cfg: cfg, log: log, render: rd, checks: deps.Checks, https: https,
		accounts: deps.Accounts, limiter: deps.Limiter, secret: deps.Secret,
		spaces: deps.Spaces, proposals: deps.Proposals, debates: deps.Debates, moderation: deps.Moderation,
		markup: deps.Markup, blobs: deps.Blobs, clock: deps.Now, federation: deps.Federation, apps: deps.Apps}
	if s.clock == nil {
		s.clock = time.Now
	}
	if s.debates != nil {
		s.threads = newThreadCache(s.debates, rd, s.clock)
	}

	r := mux.NewRouter()
	r.Use(nameRoute)
	if cfg.PageCacheTTL > 0 {
		r.Use(newPageCache(cfg.PageCacheTTL).middleware(s.sessionCookie()))
	}
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.render.fail(w, r, httpError(http.StatusNotFound, nil))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.render.fail(w, r, httpError(http.StatusMethodNotAllowed, nil))
	})

	// Operations: probes and metrics, for the orchestrator and Prometheus.
	r.HandleFunc("/healthz", s.healthz).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/readyz", s.readyz).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})).Methods(http.MethodGet)

	// Pages.
	r.PathPrefix("/static/").Handler(http.StripPrefix("/static/", staticHandler(static))).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/", s.home).Methods(http.MethodGet, http.MethodHead)
	if s.accounts != nil {
		if s.limiter == nil || len(s.secret) == 0 {
			return nil, errors.New("frontend: accounts need a rate limiter and the node secret")
		}
		if s.webauthn, err = newWebAuthn(cfg); err != nil {
			return nil, err
		}
		s.accountRoutes(r)
	}
	if s.spaces != nil {
		if s.accounts == nil || s.proposals == nil || s.debates == nil || s.moderation == nil || s.markup == nil || s.blobs == nil {
			return nil, errors.New("frontend: participation needs accounts, proposals, debates, moderation, markup and blobs")
		}
		s.participationRoutes(r)
	}
	if s.federation != nil {
		if s.accounts == nil {
			return nil, errors.New("frontend: federation needs accounts")
		}
		s.federationRoutes(r)
	}
	if s.apps != nil {
		if s.accounts == nil || s.blobs == nil {
			return nil, errors.New("frontend: the app catalogue needs accounts and blobs")
		}
		if s.markup == nil {
			s.markup = markup.New()
		}
		s.appRoutes(r)
	}

	csrf := http.NewCrossOriginProtection()
	if err := csrf.AddTrustedOrigin(cfg.BaseURL.Scheme + "://" + cfg.BaseURL.Host); err != nil {
		return nil, fmt.Errorf("frontend: base URL as trusted origin: %w", err)
	}
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.render.fail(w, r, httpError(http.StatusForbidden, errors.New("cross-origin request refused")))
	}))

	var h http.Handler = r
	if s.accounts != nil {
		h = s.withSession(h)
	}
	h = csrf.Handler(h)
	h = limitBody(cfg.MaxBodyBytes, s.uploadLimit, s.render.fail)(h)
	h = deadlines(RequestReadTimeout, RequestWriteTimeout, UploadReadTimeout,
		func(r *http.Request) bool { return s.uploadLimit(r) > 0 || s.isDownload(r) })(h)
	h = withLocale(catalog, https)(h)
	h = securityHeaders(https)(h)
	h = recoverPanics(log, s.render.fail)(h)
	h = observe(log, m)(h)
	return h, nil
}

// fingerprint returns the URL of a static file with a hash of its content,
// so browsers may cache it for ever and still see a new version at once.
func fingerprint(static fs.FS, name string) (string, error) {
	b, err := fs.ReadFile(static, name)
	if err != nil {
		return "", fmt.Errorf("static %s: %w", name, err)
	}
	sum := sha256.Sum256(b)
	return "/static/" + name + "?v=" + hex.EncodeToString(sum[:6]), nil
}

func staticHandler(static fs.FS) http.Handler {
	files := http.FileServerFS(static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		files.ServeHTTP(w, r)
	})
}

// Timeouts of the HTTP server: long enough for a resident on a slow link,
// short enough that idle or stalled clients do not pile up.
const (
	ReadHeaderTimeout = 10 * time.Second
	IdleTimeout       = 2 * time.Minute
)

// uploadLimit is the body limit of an upload route, 0 for other routes.
func (s *server) uploadLimit(r *http.Request) int64 {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		return 0
	}
	if n, ok := s.uploads[r.URL.Path]; ok {
		return n
	}
	for pattern, n := range s.uploadPatterns {
		if pathMatch(pattern, r.URL.Path) {
			return n
		}
	}
	return 0
}

// isDownload reports whether r reads a big file, which may take long.
func (s *server) isDownload(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, pattern := range s.downloads {
		if pathMatch(pattern, r.URL.Path) {
			return true
		}
	}
	return false
}

// pathMatch reports whether path fits pattern, where a "*" segment
// stands for any one non-empty segment: "/apps/*/releases/new".
func pathMatch(pattern, path string) bool {
	for {
		p, prest, pmore := strings.Cut(pattern, "/")
		q, qrest, qmore := strings.Cut(path, "/")
		if p != q && (p != "*" || q == "") {
			return false
		}
		if !pmore || !qmore {
			return pmore == qmore
		}
		pattern, path = prest, qrest
	}
}

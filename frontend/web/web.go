// Package web is the kit every surface of the site is built with, and
// nothing surface-specific: rendering with the layout, forms and field
// errors, the error page and the mapping of domain errors, middleware
// (security headers, cross-origin protection, body limits, deadlines,
// logging and metrics, the page cache), the signed-in account and roles,
// the desk, uploads, JSON answers, pagination and public URLs.
//
// A surface (frontend/<area>) builds its page set with Kit.Pages from its
// own embedded templates, registers its routes on the Kit's router, its
// domain errors with MapErrors, and what the kit must know of its routes
// (upload limits, long downloads, cached prefixes, a link in the
// navigation). The assembly (package frontend) builds one Kit, lets every
// surface register, then asks the Kit for the handler.
package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/semaphore"

	"agora/frontend/i18n"
	"agora/instances/accounts"
	"agora/instances/site"
	"agora/storage/ratelimit"
)

// Config is what the kit needs to know about the node.
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
	// MapTiles is the tile server of the maps (AGORA_MAP_TILES); nil shows
	// no map, only the address fields and lists by distance.
	MapTiles *MapTiles
}

// Deps are the kit's collaborators.
type Deps struct {
	Logger   *slog.Logger
	Registry prometheus.Registerer // where request metrics go
	// Accounts, when set, binds the signed-in account to each request;
	// Limiter and Secret are then required (rate limits, HMACs that must
	// agree across processes).
	Accounts *accounts.Service
	Limiter  RateLimiter
	Secret   []byte
	// Site, when set, is how the admin has the node present itself: its
	// name (over Config.NodeName), accent, logo, welcome, legal texts.
	Site *site.Service
	// Now is the clock pages decide with (phases, windows, expiries); the
	// services must use the same one. Nil means time.Now.
	Now func() time.Time
}

// RateLimiter counts attempts; storage/ratelimit implements it.
type RateLimiter interface {
	Allow(ctx context.Context, key string, r ratelimit.Rule) (bool, time.Duration, error)
}

// Kit is shared by every surface. It is filled while surfaces register
// (routes, errors, limits) and read-only once Handler has been called.
type Kit struct {
	cfg      Config
	log      *slog.Logger
	catalog  *i18n.Catalog
	metrics  *metrics
	https    bool
	accounts *accounts.Service
	limiter  RateLimiter
	secret   []byte
	clock    func() time.Time
	site     *site.Service

	router   *mux.Router
	segments map[string]*mux.Router // routerFor's, by first segment
	view     *views                 // the layout, the shared partials and the kit's own pages
	static   fs.FS
	common   Common

	errors []DomainError
	// uploads maps the path of an upload route to its body limit, above
	// the default one; uploadPatterns does the same for paths with
	// variable segments ("/apps/*/releases/new", see pathMatch), and
	// downloads lists the GET routes that may take long (big files).
	uploads        map[string]int64
	uploadPatterns map[string]int64
	downloads      []string
	cached         []string            // path prefixes whose anonymous GETs the page cache keeps
	forReaders     []readerRoute       // the cached pages signed-in readers get too
	images         *semaphore.Weighted // bytes of images being decoded (see upload.go)
	unread         UnreadCounter       // the header's count of notifications, if served
	unreadCache    *unreadKept         // readers' headers on shared pages (nil: page cache off)
	memo           *readerMemo         // what kept pages read of their readers (nil: page cache off)
}

// New builds the kit and its router, on which surfaces register.
func New(cfg Config, deps Deps) (*Kit, error) {
	if cfg.BaseURL == nil {
		return nil, errors.New("web: no base URL")
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	k := &Kit{cfg: cfg, log: deps.Logger, https: cfg.BaseURL.Scheme == "https",
		accounts: deps.Accounts, limiter: deps.Limiter, secret: deps.Secret, clock: deps.Now, site: deps.Site,
		uploads: map[string]int64{}, uploadPatterns: map[string]int64{}, images: newImageBudget()}
	if k.log == nil {
		k.log = slog.New(slog.DiscardHandler)
	}
	if k.clock == nil {
		k.clock = time.Now
	}
	if k.accounts != nil && (k.limiter == nil || len(k.secret) == 0) {
		return nil, errors.New("web: accounts need a rate limiter and the node secret")
	}
	reg := deps.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	var err error
	if k.catalog, err = i18n.Load(); err != nil {
		return nil, err
	}
	if cfg.Location != nil {
		k.catalog.Location = cfg.Location
	}
	if k.static, err = fs.Sub(staticFiles, "static"); err != nil {
		return nil, err
	}
	cssURL, err := fingerprint(k.static, "app.css")
	if err != nil {
		return nil, err
	}
	k.common = Common{NodeName: cfg.NodeName, CSSURL: cssURL, Nav: map[string]bool{}}
	k.common.Slots = newSlots(rand.Text()[:12])
	k.common.ReaderOpen, k.common.ReaderClose = k.common.Slots.Open("nav"), k.common.Slots.Close()
	if k.view, err = newViews(); err != nil {
		return nil, err
	}
	if k.metrics, err = newMetrics(reg); err != nil {
		return nil, err
	}
	k.errors = slices.Clone(domainErrors)
	k.router, k.segments = mux.NewRouter(), map[string]*mux.Router{}
	k.router.Use(nameRoute)
	k.router.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.Fail(w, r, HTTPError(http.StatusNotFound, nil))
	})
	k.router.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.Fail(w, r, HTTPError(http.StatusMethodNotAllowed, nil))
	})
	k.router.PathPrefix("/static/").Handler(http.StripPrefix("/static/", staticHandler(k.static))).Methods(http.MethodGet, http.MethodHead)
	if err := k.iconRoutes(); err != nil {
		return nil, err
	}
	return k, nil
}

// Router is where surfaces register their routes.
func (k *Kit) Router() *mux.Router { return k.router }

// Handler wraps the router in the middleware every request goes through.
// Call it once, after every surface registered.
func (k *Kit) Handler() (http.Handler, error) {
	csrf := http.NewCrossOriginProtection()
	if err := csrf.AddTrustedOrigin(k.cfg.BaseURL.Scheme + "://" + k.cfg.BaseURL.Host); err != nil {
		return nil, fmt.Errorf("web: base URL as trusted origin: %w", err)
	}
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.Fail(w, r, HTTPError(http.StatusForbidden, errors.New("cross-origin request refused")))
	}))

	var h http.Handler = k.router
	if k.cfg.PageCacheTTL > 0 {
		c := newPageCache(k.cfg.PageCacheTTL, k.cached)
		c.forReaders, c.readerNav = k.forReaders, k.readerNav
		k.unreadCache = &unreadKept{ttl: k.cfg.PageCacheTTL, now: k.clock, entries: map[string]keptNav{}}
		c.slots = k.common.Slots
		h = c.middleware(k.SessionCookie())(h)
		k.memo = &readerMemo{ttl: k.cfg.PageCacheTTL, now: k.clock, readers: map[string]*memoReader{}}
		h = k.memo.forgetWriters(h)
	}
	if k.accounts != nil {
		h = k.withSession(h)
	}
	h = csrf.Handler(h)
	h = limitBody(k.cfg.MaxBodyBytes, k.UploadLimit, k.Fail)(h)
	h = deadlines(RequestReadTimeout, RequestWriteTimeout, UploadReadTimeout,
		func(r *http.Request) bool { return k.UploadLimit(r) > 0 || k.isDownload(r) })(h)
	h = withLocale(k.catalog, k.https)(h)
	h = securityHeaders(k.https, policyWithTiles(k.cfg.MapTiles))(h)
	h = recoverPanics(k.log, k.Fail)(h)
	h = observe(k.log, k.metrics)(h)
	return h, nil
}

// The node as the kit knows it.

func (k *Kit) Log() *slog.Logger           { return k.log }
func (k *Kit) SiteService() *site.Service  { return k.site }
func (k *Kit) BaseURL() *url.URL           { return k.cfg.BaseURL }
func (k *Kit) HTTPS() bool                 { return k.https }
func (k *Kit) Catalog() *i18n.Catalog      { return k.catalog }
func (k *Kit) Location() *time.Location    { return k.catalog.Location }
func (k *Kit) Accounts() *accounts.Service { return k.accounts }
func (k *Kit) Secret() []byte              { return k.secret }

// DefaultNodeName is the configured name (AGORA_NODE_NAME), which pages
// show when the admin set none.
func (k *Kit) DefaultNodeName() string { return k.cfg.NodeName }

// NodeName is the territory's name as pages show it: the admin's, else
// the configured one.
func (k *Kit) NodeName(ctx context.Context) string {
	if st, ok := k.Site(ctx); ok && st.Name != "" {
		return st.Name
	}
	return k.cfg.NodeName
}

// Site is how the admin has the node present itself, and false when the
// node has no site settings or they cannot be read now (pages then show
// the defaults rather than fail; the error is logged).
func (k *Kit) Site(ctx context.Context) (site.Settings, bool) {
	if k.site == nil {
		return site.Settings{}, false
	}
	st, err := k.site.Get(ctx)
	if err != nil {
		k.log.WarnContext(ctx, "read the site's settings", "err", err)
		return site.Settings{}, false
	}
	return st, true
}

// Now is the time pages decide with, in UTC.
func (k *Kit) Now() time.Time { return k.clock().UTC() }

// Clock is the kit's clock, for services and caches that must agree
// with the pages.
func (k *Kit) Clock() func() time.Time { return k.clock }

// Printer is the request's translator, in the default language when the
// request never went through the locale middleware.
func (k *Kit) Printer(r *http.Request) *i18n.Printer {
	if p, ok := r.Context().Value(printerKey).(*i18n.Printer); ok {
		return p
	}
	return k.catalog.Printer(i18n.Languages[0])
}

// Nav shows a surface's link in the site's navigation ("cities", "apps").
func (k *Kit) Nav(name string) { k.common.Nav[name] = true }

// Navigates reports whether the navigation links a surface: whether the
// node serves it.
func (k *Kit) Navigates(name string) bool { return k.common.Nav[name] }

// Upload raises the body limit of the POST or PUT route at path to max
// bytes (and its deadlines to an hour).
func (k *Kit) Upload(path string, max int64) { k.uploads[path] = max }

// UploadPattern is Upload for paths with variable segments: a "*"
// segment stands for any one non-empty segment.
func (k *Kit) UploadPattern(pattern string, max int64) { k.uploadPatterns[pattern] = max }

// Download lets the GET routes matching pattern take an hour (big files).
func (k *Kit) Download(pattern string) { k.downloads = append(k.downloads, pattern) }

// Cache lets the page cache keep what anonymous visitors read under the
// path prefix.
func (k *Kit) Cache(prefix string) { k.cached = append(k.cached, prefix) }

// CacheForReaders lets signed-in readers, too, get the pages matching
// pattern (a "*" segment stands for any one segment) from the page
// cache: the rendering made for anonymous visitors, with the reader's
// own rendering of each of its slots (Slots) put in place: the kit fills
// the header's (template "reader-nav"), page the others (nil for a page
// whose content depends on the reader through the header alone). The
// rest of the page is the one every anonymous visitor gets, so every
// place where a reader's page differs must be a slot. The pattern must
// be under a prefix given to Cache.
func (k *Kit) CacheForReaders(pattern string, page ReaderPage) {
	k.forReaders = append(k.forReaders, readerRoute{pattern: pattern, page: page})
}

// Slots are the marks of the places of a page that depend on the
// reader, for pieces rendered outside a page template (see Slots).
func (k *Kit) Slots() Slots { return k.common.Slots }

// UploadLimit is the body limit of an upload route, 0 for other routes.
func (k *Kit) UploadLimit(r *http.Request) int64 {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		return 0
	}
	if n, ok := k.uploads[r.URL.Path]; ok {
		return n
	}
	for pattern, n := range k.uploadPatterns {
		if pathMatch(pattern, r.URL.Path) {
			return n
		}
	}
	return 0
}

// isDownload reports whether r reads a big file, which may take long.
func (k *Kit) isDownload(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, pattern := range k.downloads {
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

// Timeouts of the HTTP server: long enough for a resident on a slow link,
// short enough that idle or stalled clients do not pile up.
const (
	ReadHeaderTimeout = 10 * time.Second
	IdleTimeout       = 2 * time.Minute
)

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"agora/federation"
	"agora/federation/coordination"
	"agora/frontend"
	"agora/frontend/notify"
	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/instances/debates"
	"agora/instances/decisions"
	"agora/instances/demo"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/notifications"
	"agora/instances/projects"
	"agora/instances/proposals"
	"agora/instances/reports"
	"agora/instances/search"
	"agora/instances/site"
	"agora/instances/spaces"
	"agora/storage/database"
	"agora/storage/ratelimit"
)

// shutdownTimeout bounds how long in-flight requests may take to finish
// once the node is asked to stop.
const shutdownTimeout = 10 * time.Second

// serveHooks lets tests add to the handler; production passes none.
type serveHooks struct {
	wrap func(http.Handler) http.Handler
	demo bool // load the demo content before serving
	// federation tunes federation's timings (tests: retries in a second
	// rather than 30).
	federation func(*federation.Config)
}

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora serve", "[flags]", "Run the node: web pages, APIs and background work.\nWith no configuration it serves http://localhost:8080 from SQLite and files under ./data.")
	withDemo := fs.Bool("demo", false, "load the demo arrondissement first, unless already loaded")
	cfg, err := parseConfig(e, fs, args)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, e, serveHooks{demo: *withDemo})
}

// serve starts the node and runs it until SIGINT or SIGTERM. Everything is
// checked before the node answers its first request: a bad setting exits
// with one line, and nothing is left half-started.
func serve(ctx context.Context, cfg Config, e *env, hooks serveHooks) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := cfg.logger(e.stderr)
	start := time.Now()

	// Take the port first: if it is in use, say so before touching data.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return settingErr("AGORA_ADDR", fmt.Errorf("cannot listen on %s: %w", cfg.Addr, unwrapOp(err)))
	}
	defer ln.Close()
	followListener(&cfg, ln, log)

	n, err := openNode(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := n.Close(); err != nil {
			log.Error("close", "err", err)
		}
	}()
	if err := recordServedURL(ctx, n.db, cfg.BaseURL); err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(n.db.DB, "agora"),
	)
	if hooks.demo {
		switch err := loadDemo(ctx, n); {
		case err == nil:
			log.Info("demo loaded", "space", cfg.BaseURL.String()+"/spaces/"+demo.BudgetSlug)
		case errors.Is(err, demo.ErrLoaded):
			log.Info("demo already loaded")
		default:
			return fmt.Errorf("load the demo: %w", err)
		}
	}
	secret, err := database.NodeSecret(ctx, n.db)
	if err != nil {
		return err
	}
	accountsSvc := accounts.NewService(n.db, nil)
	// Who a session cookie names is kept as long as pages are, and
	// forgotten at once when this process ends the session or changes
	// the account; another process honours an ended session for at most
	// that long (docs/ARCHITECTURE.md, "Signed-in readers").
	accountsSvc.CacheSessions(cfg.PageCacheTTL)
	limiter := ratelimit.New(n.db, secret, nil)
	md := markup.New()
	spacesSvc := spaces.NewService(n.db, md, nil)
	proposalsSvc := proposals.NewService(n.db, md, accountsSvc, spacesSvc, nil, proposals.WithAttachmentQuota(cfg.AttachmentQuota))
	siteSvc := site.NewService(n.db, nil)
	debatesSvc := debates.NewService(n.db, md, nil)
	moderationSvc := moderation.NewService(n.db, nil)
	appsSvc := apps.NewService(n.db, n.blobs, nil, apps.Options{})
	projectsSvc := projects.NewService(n.db, n.blobs, nil)
	decisionsSvc := decisions.NewService(n.db, accountsSvc, spacesSvc, nil)
	fedCfg := federation.Config{
		BaseURL: cfg.BaseURL, NodeName: cfg.NodeName, Version: buildVersion(),
		Name: func(ctx context.Context) string {
			st, err := siteSvc.Get(ctx)
			if err != nil {
				return ""
			}
			return st.Name
		},
		AllowPrivate: cfg.FederationAllowPrivate, AuthorizedFetch: cfg.FederationAuthorizedFetch, Allowlist: cfg.FederationAllowlist,
	}
	if hooks.federation != nil {
		hooks.federation(&fedCfg)
	}
	notificationsSvc := notifications.NewService(n.db, nil)
	messages, err := notify.NewMessages(cfg.BaseURL)
	if err != nil {
		return err
	}
	fed, err := federation.New(fedCfg, federation.Deps{
		DB: n.db, Logger: log, Accounts: accountsSvc, Spaces: spacesSvc, Proposals: proposalsSvc,
		Debates: debatesSvc, Moderation: moderationSvc, Markup: md, Apps: appsSvc, Projects: projectsSvc, Decisions: decisionsSvc,
		Reports:       reports.NewService(n.db, nil), // its report categories federate (docs/FEDERATION.md)
		Notifications: notificationsSvc, Message: messages.Message,
	})
	if err != nil {
		return err
	}
	if err := fed.Start(ctx); err != nil {
		return err
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := fed.Stop(stopCtx); err != nil {
			log.Warn("stop federation", "err", err)
		}
	}()
	courier, err := newCourier(cfg, notificationsSvc, log)
	if err != nil {
		return err
	}
	votingSvc := projects.NewVoting(n.db, projectsSvc, decisionsSvc, nil)
	reportsSvc := reports.NewService(n.db, nil)
	councilSvc := reports.NewCouncil(n.db, reportsSvc, spacesSvc, decisionsSvc, nil)
	handler, err := frontend.New(frontend.Config{
		NodeName: cfg.NodeName, BaseURL: cfg.BaseURL, Location: cfg.Location, TrustedProxies: cfg.TrustedProxies,
		PageCacheTTL: cfg.PageCacheTTL, MapTiles: cfg.MapTiles,
	}, frontend.Deps{
		Logger:   log,
		Registry: reg,
		Accounts: accountsSvc,
		Limiter:  limiter,
		Secret:   secret,

		Spaces:     spacesSvc,
		Proposals:  proposalsSvc,
		Debates:    debatesSvc,
		Moderation: moderationSvc,
		Markup:     md,
		Blobs:      n.blobs,
		Federation: federationPages{fed},
		Apps:       appsSvc,
		Site:       siteSvc,
		Projects:   projectsSvc,

		Notifications:  notificationsSvc,
		Courier:        courier,
		Fediverse:      fed,
		Search:         search.NewService(n.db),
		Reports:        reportsSvc,
		ReportsCouncil: councilSvc,
		Open311Limits:  cfg.Open311Limits,
		Decisions:      decisionsSvc,
		Voting:         votingSvc,

		AttachmentQuota: cfg.AttachmentQuota,
		Checks: []frontend.Check{
			{Name: "database", Check: func(ctx context.Context) error { return database.Ready(ctx, n.db) }},
			{Name: "blobs", Check: n.blobs.Ping},
		},
	})
	if err != nil {
		return err
	}
	coord, err := coordination.New(coordination.Config{BaseURL: cfg.BaseURL.String(), UserAgent: "Agora/" + buildVersion(),
		AllowPrivate: cfg.FederationAllowPrivate}, decisionsSvc, fed.SignAsInstance, log)
	if err != nil {
		return err
	}
	handler = frontend.Secure(cfg.BaseURL, fed.Handler(coord.Handler(handler)))
	if hooks.wrap != nil {
		handler = hooks.wrap(handler)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: frontend.ReadHeaderTimeout,
		IdleTimeout:       frontend.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}

	maintCtx, stopMaint := context.WithCancel(context.WithoutCancel(ctx))
	maintDone := make(chan struct{})
	go func() {
		defer close(maintDone)
		maintain(maintCtx, log, accountsSvc, limiter)
	}()
	votesDone := make(chan struct{})
	go func() {
		defer close(votesDone)
		closeVotes(maintCtx, log, decisionsSvc, votingSvc, councilSvc, spacesSvc)
	}()
	defer func() { stopMaint(); <-votesDone }()
	// The map's pins are read into memory at start (docs/REPORTS.md), so
	// that its first visitors do not each wait for a cell to be read.
	warmDone := make(chan struct{})
	go func() {
		defer close(warmDone)
		began := time.Now()
		cells, pins, err := reportsSvc.WarmMap(maintCtx)
		if err != nil {
			if maintCtx.Err() == nil { // not stopped: the map is read when asked instead
				log.Warn("warm the map", "err", err)
			}
			return
		}
		log.Info("map warmed", "cells", cells, "pins", pins, "took", time.Since(began).Round(time.Millisecond))
	}()
	defer func() { stopMaint(); <-warmDone }()
	collectDone := make(chan struct{})
	go func() {
		defer close(collectDone)
		coord.Run(maintCtx, closeVotesEvery)
	}()
	defer func() { stopMaint(); <-collectDone }()
	defer func() { stopMaint(); <-maintDone }()
	if courier != nil {
		mailDone := make(chan struct{})
		go func() {
			defer close(mailDone)
			courier.Run(maintCtx, mailEvery)
		}()
		defer func() { stopMaint(); <-mailDone }()
	}

	if cfg.DebugAddr != "" {
		stopDebug, err := serveDebug(cfg.DebugAddr, log)
		if err != nil {
			return err
		}
		defer stopDebug()
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "url", cfg.BaseURL.String(), "node", cfg.NodeName,
		"version", buildVersion(), "startup", time.Since(start).Round(time.Millisecond))

	select {
	case err := <-served:
		return fmt.Errorf("HTTP server: %w", err)
	case <-ctx.Done():
	}
	stop() // a second signal now kills the process at once
	log.Info("shutting down: finishing in-flight requests", "timeout", shutdownTimeout)
	shCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shCtx); err != nil {
		srv.Close()
		return fmt.Errorf("requests still running after %s were cut: %w", shutdownTimeout, err)
	}
	log.Info("stopped")
	return nil
}

// unwrapOp keeps the useful end of a *net.OpError ("address already in
// use") without repeating the address.
func unwrapOp(err error) error {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return unwrapPath(op.Err)
	}
	return err
}

// maintenanceEvery is how often expired data is removed. Every process
// does it; the statements are idempotent, so several at once are fine.
const maintenanceEvery = 10 * time.Minute

// maintain erases accounts past their deletion grace period and removes
// expired sessions, challenges, codes and rate-limit windows, until ctx
// ends.
func maintain(ctx context.Context, log *slog.Logger, svc *accounts.Service, limiter *ratelimit.Limiter) {
	t := time.NewTicker(maintenanceEvery)
	defer t.Stop()
	for {
		if n, err := svc.EraseDue(ctx); err != nil {
			log.Error("erase deleted accounts", "err", err)
		} else if n > 0 {
			log.Info("accounts erased after their grace period", "count", n)
		}
		if err := svc.PurgeExpired(ctx); err != nil {
			log.Error("purge expired sessions and codes", "err", err)
		}
		if err := limiter.Purge(ctx, ratelimit.Kept); err != nil {
			log.Error("purge rate limits", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// mailEvery is how often email notifications that are due are sent.
const mailEvery = 10 * time.Second

// newCourier is the sender of email notifications, or nil when the node
// has no SMTP server (AGORA_SMTP_URL). Its sender is the URL's from=, or
// agora@ the node's host.
func newCourier(cfg Config, svc *notifications.Service, log *slog.Logger) (*notify.Courier, error) {
	if cfg.SMTPURL == "" {
		return nil, nil
	}
	m, err := notifications.ParseSMTP(cfg.SMTPURL, "agora@"+cfg.BaseURL.Hostname())
	if err != nil {
		return nil, fmt.Errorf("AGORA_SMTP_URL (--smtp-url): %w (add from=ADDRESS)", err)
	}
	return notify.NewCourier(notify.CourierConfig{Notifications: svc, Mailer: m, BaseURL: cfg.BaseURL,
		NodeName: cfg.NodeName, Location: cfg.Location, Logger: log})
}

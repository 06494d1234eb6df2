// Package federation speaks ActivityPub for the node: its actors and
// their keys, WebFinger and NodeInfo, the ActivityStreams form of spaces,
// proposals, debates and comments, signed and durable delivery of what
// changes, and the inbox that turns what peers send into calls on the
// instances services. docs/FEDERATION.md describes what goes over the
// wire.
//
// Outbound, the domain records events in outbox_events in the
// transaction of each change; a dispatcher turns them into River jobs
// that render the activity and fan it out as one signed delivery per
// inbox. Inbound, an activity is verified (signature, actor, blocks),
// stored once by its id and queued; a worker applies it. When a Group
// accepts the node's follow, what it published before is fetched from its
// outbox, within bounds (backfill.go).
package federation

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/uptrace/bun"
	"golang.org/x/sync/singleflight"

	"agora/federation/as2"
	"agora/federation/fetch"
	"agora/federation/signature"
	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/instances/debates"
	"agora/instances/decisions"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/notifications"
	"agora/instances/projects"
	"agora/instances/proposals"
	"agora/instances/reports"
	"agora/instances/spaces"
	"agora/storage/database"
)

// Config is how a node federates.
type Config struct {
	BaseURL  *url.URL
	NodeName string
	// Name, when set, is the node's name now (an admin may change it);
	// NodeName otherwise.
	Name    func(context.Context) string
	Version string
	// AllowPrivate lets the node fetch from and deliver to private and
	// loopback addresses: for tests on one machine only.
	AllowPrivate bool
	// AuthorizedFetch requires signed GETs for actor and object JSON.
	AuthorizedFetch bool
	// Allowlist federates only with hosts an admin allowed.
	Allowlist bool
	// Workers is how many deliveries run at once (default 16); PerHost
	// bounds those to one host (default 4).
	Workers, PerHost int
	// RescueAfter is how long a job may stay running before another
	// worker takes it over, as after a crash (default 2 minutes).
	RescueAfter time.Duration
	// RetryBase is the first delay before a failed delivery is retried,
	// doubling each time up to 6 hours (default 30 s; tests shorten it).
	RetryBase time.Duration
	// CoalesceUpdates delays an update so that a burst of changes to one
	// object (supports, edits) goes out as one (default 10 s).
	CoalesceUpdates time.Duration
	// InboxReadTimeout bounds the time a delivery to an inbox may take to
	// arrive, from its headers to the last byte of its body, key fetch
	// included (default 30 s); its answer must be written within twice
	// that.
	InboxReadTimeout time.Duration
}

// Deps are the services federation reads and acts on.
type Deps struct {
	DB         *bun.DB
	Logger     *slog.Logger
	Now        func() time.Time
	Accounts   *accounts.Service
	Spaces     *spaces.Service
	Proposals  *proposals.Service
	Debates    *debates.Service
	Moderation *moderation.Service
	Markup     *markup.Renderer
	// Apps, when set, federates the catalogue of free software.
	Apps *apps.Service
	// Projects, when set, federates the follow-up of budget projects:
	// each published step, announced by the budget space's Group.
	Projects *projects.Service
	// Decisions, when set, federates the node's votes as polls
	// (Question) and takes the fediverse's answers as opinion (polls.go).
	Decisions *decisions.Service
	// Reports, when set, federates street reports: each category is a
	// Group that announces its reports and their changes of state
	// (reports.go).
	Reports *reports.Service
	// Notifications, with Message, lets residents link a fediverse
	// account and get their notifications there (fedlink.go).
	Notifications *notifications.Service
	// Message is a notification in words, in a language, and the
	// absolute link of what it is about: the pages' words (frontend/notify).
	Message func(lang string, n *notifications.Notification) (text, link string)
}

// Service is the node's federation.
type Service struct {
	cfg       Config
	db        *bun.DB
	log       *slog.Logger
	now       func() time.Time
	ids       as2.IDs
	accounts  *accounts.Service
	spaces    *spaces.Service
	proposals *proposals.Service
	debates   *debates.Service
	mod       *moderation.Service

	markup   *markup.Renderer
	apps     *apps.Service
	keys     *keyring
	client   *fetch.Client
	verifier *signature.Verifier
	// keyFetches bounds what bad signatures can make the node fetch.
	keyFetches *keyFetches
	keyCache   *keyCache
	keyFlights singleflight.Group
	// answered remembers the peers recorded as answering a moment ago.
	answered *recentHosts
	accepts  acceptBatches // accepted activities waiting for their commit
	// blockList keeps the domain blocks for a moment (blocks.go).
	blockList  blockList
	hosts      *hostLimiter
	retryAfter retryAfters // peers' Retry-After, from a job's Work to its NextRetry
	river      *river.Client[*sql.Tx]
	// beforeApply, set by tests only, runs as an inbox job starts.
	beforeApply func(ctx context.Context, activityID string)
	stop        context.CancelFunc
	stopped     chan struct{}
	projects    *projects.Service
	decisions   *decisions.Service
	reports     *reports.Service
	notes       *notifications.Service
	message     func(lang string, n *notifications.Notification) (text, link string)
}

// New builds the node's federation; Start runs its workers.
func New(cfg Config, deps Deps) (*Service, error) {
	if cfg.BaseURL == nil || deps.DB == nil {
		return nil, errors.New("federation: needs a base URL and a database")
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.PerHost <= 0 {
		cfg.PerHost = 4
	}
	if cfg.RescueAfter <= 0 {
		cfg.RescueAfter = 2 * time.Minute
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = 30 * time.Second
	}
	if cfg.CoalesceUpdates <= 0 {
		cfg.CoalesceUpdates = 10 * time.Second
	}
	if cfg.InboxReadTimeout <= 0 {
		cfg.InboxReadTimeout = 30 * time.Second
	}
	s := &Service{cfg: cfg, db: deps.DB, log: deps.Logger, now: deps.Now, ids: as2.IDs{Base: cfg.BaseURL},
		accounts: deps.Accounts, spaces: deps.Spaces, proposals: deps.Proposals, debates: deps.Debates, mod: deps.Moderation, markup: deps.Markup, apps: deps.Apps, projects: deps.Projects, decisions: deps.Decisions, reports: deps.Reports,
		notes: deps.Notifications, message: deps.Message,
		hosts: newHostLimiter(cfg.PerHost)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.AllowPrivate {
		s.log.Warn("federation may reach private and loopback addresses (AGORA_FEDERATION_ALLOW_PRIVATE): for tests only")
	}
	s.keys = newKeyring(deps.DB, s.now)
	s.client = fetch.New(fetch.Config{UserAgent: "Agora/" + cfg.Version + " (+" + cfg.BaseURL.String() + ")", AllowPrivate: cfg.AllowPrivate})
	s.keyFetches = newKeyFetches(s.now)
	s.keyCache = newKeyCache()
	s.answered = newRecentHosts()
	s.verifier = &signature.Verifier{Keys: s.remoteKey, Now: s.now, BeforeFetch: s.refuseBlocked, Scheme: cfg.BaseURL.Scheme,
		Host: signedHost(cfg.BaseURL)}

	workers := river.NewWorkers()
	river.AddWorker(workers, &eventWorker{s: s})
	river.AddWorker(workers, &deliveryWorker{s: s})
	river.AddWorker(workers, &inboxWorker{s: s})
	river.AddWorker(workers, &backfillWorker{s: s})
	river.AddWorker(workers, &backfillObjectWorker{s: s})
	queues := map[string]river.QueueConfig{
		river.QueueDefault: {MaxWorkers: cfg.Workers},
		backfillQueue:      {MaxWorkers: backfillWorkers}, // catching up never holds deliveries back
	}
	rc := &river.Config{
		Logger:               s.log.With("component", "jobs"),
		Queues:               queues,
		Workers:              workers,
		JobTimeout:           min(time.Minute, cfg.RescueAfter),
		RescueStuckJobsAfter: cfg.RescueAfter,
		FetchCooldown:        50 * time.Millisecond,
		FetchPollInterval:    500 * time.Millisecond,
		RetryPolicy:          retryPolicy{base: cfg.RetryBase},
		// Parked jobs (discarded after their last attempt) wait for an
		// admin that long (parked.go).
		DiscardedJobRetentionPeriod: parkedRetention,
	}
	var err error
	if database.IsPostgres(deps.DB) {
		s.river, err = river.NewClient(riverdatabasesql.New(deps.DB.DB), rc)
	} else {
		s.river, err = river.NewClient(riversqlite.New(deps.DB.DB), rc)
	}
	if err != nil {
		return nil, fmt.Errorf("federation: job queue: %w", err)
	}
	return s, nil
}

// Start runs the job workers and the outbox dispatcher until Stop.
func (s *Service) Start(ctx context.Context) error {
	if err := s.river.Start(ctx); err != nil {
		return fmt.Errorf("federation: start jobs: %w", err)
	}
	ctx, s.stop = context.WithCancel(context.WithoutCancel(ctx))
	s.stopped = make(chan struct{})
	go func() {
		defer close(s.stopped)
		s.dispatchLoop(ctx)
	}()
	return nil
}

// Stop lets running jobs finish (within ctx) and stops the workers.
func (s *Service) Stop(ctx context.Context) error {
	if s.stop != nil {
		s.stop()
		<-s.stopped
	}
	return s.river.Stop(ctx)
}

// signedHost is the host peers sign their requests to this node for: the
// base URL's, without the scheme's default port (as clients send Host).
func signedHost(base *url.URL) string {
	if p := base.Port(); p == "443" && base.Scheme == "https" || p == "80" && base.Scheme == "http" {
		return base.Hostname()
	}
	return base.Host
}

// nodeName is the node's name as it is now.
func (s *Service) nodeName(ctx context.Context) string {
	if s.cfg.Name != nil {
		if name := s.cfg.Name(ctx); name != "" {
			return name
		}
	}
	return s.cfg.NodeName
}

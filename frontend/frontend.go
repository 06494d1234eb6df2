// Package frontend assembles the node's HTTP surface: it builds the kit
// (frontend/web), lets every surface register its routes, and returns the
// handler. Pages are rendered on the server, French first and English too,
// usable without JavaScript. See docs/ARCHITECTURE.md for the surfaces and
// how to add one.
package frontend

import (
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"agora/frontend/about"
	"agora/frontend/accounts"
	"agora/frontend/admin"
	"agora/frontend/apps"
	"agora/frontend/budgets"
	"agora/frontend/cities"
	"agora/frontend/decisions"
	"agora/frontend/desk"
	"agora/frontend/moderation"
	"agora/frontend/notify"
	"agora/frontend/opendata"
	"agora/frontend/ops"
	"agora/frontend/participation"
	streetreports "agora/frontend/reports"
	"agora/frontend/search"
	"agora/frontend/web"
	accountsvc "agora/instances/accounts"
	appsvc "agora/instances/apps"
	"agora/instances/debates"
	decisionsvc "agora/instances/decisions"
	"agora/instances/markup"
	modsvc "agora/instances/moderation"
	"agora/instances/notifications"
	"agora/instances/projects"
	"agora/instances/proposals"
	reportsvc "agora/instances/reports"
	searchsvc "agora/instances/search"
	"agora/instances/site"
	"agora/instances/spaces"
	"agora/storage/blobs"
	"agora/storage/ratelimit"
)

// Config is what the frontend needs to know about the node.
type Config = web.Config

// Check is one readiness probe, e.g. "database" or "blobs".
type Check = ops.Check

// Federation is what the pages need of the node's federation (see
// package cities); cmd/agora adapts the federation package to it.
type Federation interface {
	cities.Federation
	participation.Reactions
}

// Deps are the frontend's collaborators, built by the caller. A surface
// is served when the services it needs are set.
type Deps struct {
	Logger   *slog.Logger
	Registry *prometheus.Registry // the node's metrics, served at /metrics
	Checks   []Check              // what /readyz verifies

	// The account pages, the desk and the administration are served when
	// Accounts is set.
	Accounts *accountsvc.Service
	Limiter  web.RateLimiter
	Secret   []byte // the node's secret, for HMACs that must agree across processes

	// Participation (spaces, proposals, debates), moderation and open data
	// (JSON API, feeds) are served when Spaces is set.
	Spaces     *spaces.Service
	Proposals  *proposals.Service
	Debates    *debates.Service
	Moderation *modsvc.Service
	Markup     *markup.Renderer
	Blobs      blobs.Store

	// Federation, when set, adds the admin's federation page and the
	// "Other cities" pages, and fediverse reactions on pages.
	Federation Federation

	// Apps, when set, serves the catalogue of free software (/apps and
	// /api/v1/apps); it needs Accounts, and Blobs must be the store the
	// catalogue writes to (downloads are served from it).
	Apps *appsvc.Service

	// Projects, when set with Spaces, serves the participatory budgets'
	// pages (/budgets, /api/v1/budgets).
	Projects *projects.Service
	// Decisions, when set, serves the votes (/votes).
	Decisions *decisionsvc.Service
	// Voting, when set with Projects, serves the vote phase of the
	// participatory budgets (ballots per heading, on Decisions' votes).
	Voting *projects.Voting

	// Site, when set, is how the admin has the node present itself (name,
	// accent, logo, welcome, the legal pages' texts): the legal pages and
	// the admin's page for it are served. It needs Blobs (the logo).
	Site *site.Service

	// Notifications, when set with Accounts, serves follows and the
	// signed-in residents' notifications (and the header's count).
	Notifications *notifications.Service
	// Courier, when set, emails notifications (the node has an SMTP
	// server) and lets residents give an address for it.
	Courier *notify.Courier
	// Fediverse, when set, lets residents link a fediverse account for
	// their notifications (the node's federation).
	Fediverse notify.Fediverse

	// Search, when set, serves the node's search (/search, and a box in
	// the header).
	Search *searchsvc.Service
	// AttachmentQuota is the bytes of files one resident's proposals may
	// hold (0: none), as the page on personal data says.
	AttachmentQuota int64

	// Reports, when set, serves the street reports (/reports, the admin's
	// /admin/reports); it needs Accounts and Blobs (the photos).
	Reports *reportsvc.Service
	// ReportsCouncil, when set with Reports, serves the neighbourhood
	// councils' votes on suggestions of new amenities.
	ReportsCouncil *reportsvc.Council
	// Open311Limits are how many requests and updates one Open311 API
	// key creates (nil: the surface's defaults, docs/OPEN311.md).
	Open311Limits []ratelimit.Rule

	// Now is the clock pages decide with (phases, windows, expiries); the
	// services must use the same one. Nil means time.Now.
	Now func() time.Time
}

// New builds the node's HTTP handler: the kit, then every surface the
// services allow, then the middleware around them.
func New(cfg Config, d Deps) (http.Handler, error) {
	reg := d.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	k, err := web.New(cfg, web.Deps{Logger: d.Logger, Registry: reg, Accounts: d.Accounts,
		Limiter: d.Limiter, Secret: d.Secret, Site: d.Site, Now: d.Now})
	if err != nil {
		return nil, err
	}
	ops.Register(k, reg, d.Checks)
	if err := register(k, d); err != nil {
		return nil, err
	}
	return k.Handler()
}

// register lets every surface the services allow register on the kit.
func register(k *web.Kit, d Deps) error {
	if d.Accounts != nil {
		if err := accounts.Register(k, accounts.Deps{Spaces: d.Spaces, Proposals: d.Proposals}); err != nil {
			return err
		}
		if err := desk.Register(k); err != nil {
			return err
		}
		if err := admin.Register(k, admin.Deps{Accounts: d.Accounts, Spaces: d.Spaces, Site: d.Site, Blobs: d.Blobs}); err != nil {
			return err
		}
	}
	if d.Accounts != nil && d.Notifications != nil {
		if err := notify.Register(k, notify.Deps{Notifications: d.Notifications, Courier: d.Courier, Fediverse: d.Fediverse}); err != nil {
			return err
		}
	}
	if err := registerParticipation(k, d); err != nil {
		return err
	}
	if d.Search != nil {
		if err := search.Register(k, d.Search); err != nil {
			return err
		}
	}
	if d.Site != nil {
		if err := about.Register(k, about.Deps{Site: d.Site, Blobs: d.Blobs, Markup: d.Markup, Spaces: d.Spaces,
			AttachmentQuota: d.AttachmentQuota}); err != nil {
			return err
		}
	}
	if d.Decisions != nil {
		if err := decisions.Register(k, decisions.Deps{Decisions: d.Decisions, Spaces: d.Spaces, Proposals: d.Proposals}); err != nil {
			return err
		}
	}
	if d.Federation != nil {
		if err := cities.Register(k, d.Federation, d.Markup); err != nil {
			return err
		}
	}
	if d.Reports != nil {
		if err := streetreports.Register(k, streetreports.Deps{Accounts: d.Accounts, Reports: d.Reports, Blobs: d.Blobs, Council: d.ReportsCouncil,
			Open311Limits: d.Open311Limits, Follows: reportFollows(d)}); err != nil {
			return err
		}
	}
	if d.Apps != nil {
		return apps.Register(k, apps.Deps{Accounts: d.Accounts, Apps: d.Apps, Markup: d.Markup, Blobs: d.Blobs})
	}
	return nil
}

// registerParticipation serves participation, moderation and open data,
// or only the home page on a node without spaces (tests of the kit).
func registerParticipation(k *web.Kit, d Deps) error {
	if d.Spaces == nil {
		return participation.RegisterHome(k)
	}
	var reactions participation.Reactions
	if d.Federation != nil {
		reactions = d.Federation
	}
	var follows participation.Follows
	if d.Notifications != nil {
		follows = d.Notifications
	}
	if err := participation.Register(k, participation.Deps{Accounts: d.Accounts, Spaces: d.Spaces, Proposals: d.Proposals,
		Debates: d.Debates, Markup: d.Markup, Blobs: d.Blobs, Reactions: reactions, Follows: follows}); err != nil {
		return err
	}
	if err := moderation.Register(k, moderation.Deps{Accounts: d.Accounts, Spaces: d.Spaces, Proposals: d.Proposals,
		Debates: d.Debates, Moderation: d.Moderation, Markup: d.Markup}); err != nil {
		return err
	}
	if d.Projects != nil {
		var comments budgets.Comments
		if d.Debates != nil {
			comments = d.Debates
		}
		if err := budgets.Register(k, budgets.Deps{Projects: d.Projects, Spaces: d.Spaces, Voting: d.Voting, Follows: follows,
			Comments: comments}); err != nil {
			return err
		}
	}
	return opendata.Register(k, opendata.Deps{Spaces: d.Spaces, Proposals: d.Proposals, Debates: d.Debates})
}

// Secure wraps a handler in the security headers every answer of the node
// carries, and compresses the answers worth it (web.Compress); serve puts
// it around federation's answers (ActivityPub JSON, WebFinger, NodeInfo,
// the inboxes) and the pages.
func Secure(base *url.URL, h http.Handler) http.Handler {
	return web.SecurityHeaders(base.Scheme == "https")(web.Compress(h))
}

// Timeouts of the HTTP server (see web).
const (
	ReadHeaderTimeout = web.ReadHeaderTimeout
	IdleTimeout       = web.IdleTimeout
)

// reportFollows is the follow service for the report pages, nil on a node
// without notifications.
func reportFollows(d Deps) streetreports.Follows {
	if d.Notifications == nil {
		return nil
	}
	return d.Notifications
}

package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"time"

	"github.com/uptrace/bun"
)

// servedURLKey is the node_settings row where serve writes the base URL
// it serves at, so admin commands run without the same settings (say,
// after serve --addr :8091) print links that open.
const servedURLKey = "served_base_url"

// followListener makes the base URL agree with the address serve really
// listens on: a base URL left at its default takes the listener's port
// (so --addr :8091, or :0 in tests, serves http://localhost:8091); one
// set by the operator is kept, with a warning when it cannot reach this
// listener (see portMismatch), since its links would then lead nowhere.
func followListener(cfg *Config, ln net.Listener, log *slog.Logger) {
	_, port, err := net.SplitHostPort(ln.Addr().String())
	if err != nil {
		return
	}
	if !cfg.BaseURLSet {
		cfg.BaseURL = localURL(port)
		return
	}
	if portMismatch(cfg.BaseURL, port) {
		log.Warn("the base URL names another port than the node listens on: links will not open unless a proxy forwards that port",
			"base_url", cfg.BaseURL.String(), "listening_port", port,
			"fix", "set AGORA_BASE_URL (--base-url) to http://localhost:"+port+", or leave it unset to follow --addr")
	}
}

// portMismatch reports whether base, set by the operator, names another
// port than the one the node listens on: a base URL on this machine
// (localhost, a loopback address) whose port, given or implied, differs,
// or any base URL with an explicit port that differs. A public URL with
// no port is what a reverse proxy serves, and is never a mismatch.
func portMismatch(base *url.URL, listening string) bool {
	if isLoopbackHost(base.Hostname()) {
		return urlPort(base) != listening
	}
	return base.Port() != "" && base.Port() != listening
}

func isLoopbackHost(h string) bool {
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// recordServedURL writes the base URL serve uses for admin commands.
func recordServedURL(ctx context.Context, db bun.IDB, u *url.URL) error {
	_, err := db.NewRaw("INSERT INTO node_settings (key, value, updated_at) VALUES (?, ?, ?) "+
		"ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at",
		servedURLKey, u.String(), time.Now().UTC()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("record the base URL: %w", err)
	}
	return nil
}

// adminBaseURL is the base URL an admin command prints links with: the
// one it was given, else the one the node last served at, else the
// default.
func adminBaseURL(ctx context.Context, db bun.IDB, cfg Config) *url.URL {
	if cfg.BaseURLSet {
		return cfg.BaseURL
	}
	var v string
	// No row (a node never served) or an unreadable one: the default.
	if err := db.NewRaw("SELECT value FROM node_settings WHERE key = ?", servedURLKey).Scan(ctx, &v); err != nil {
		return cfg.BaseURL
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return cfg.BaseURL
	}
	return u
}

// Package ops is what the orchestrator and Prometheus read: /healthz,
// /readyz and /metrics.
package ops

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"agora/frontend/web"
)

// Check is one readiness probe, e.g. "database" or "blobs".
type Check struct {
	Name  string
	Check func(context.Context) error
}

// Register serves the probes and the node's metrics.
func Register(k *web.Kit, reg *prometheus.Registry, checks []Check) {
	r := k.Router()
	r.HandleFunc("/healthz", healthz).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/readyz", readyz(k.Log(), checks)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg})).Methods(http.MethodGet)
}

// healthz says the process is alive; it checks nothing else, so an
// orchestrator never restarts a node only because its database is down.
func healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// readyz says whether the node can serve: every check must pass within a
// short time. Failures are logged in full and reported by name only.
func readyz(log *slog.Logger, checks []Check) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		status := map[string]string{}
		code := http.StatusOK
		for _, c := range checks {
			if err := c.Check(ctx); err != nil {
				log.WarnContext(ctx, "not ready", "check", c.Name, "err", err)
				status[c.Name] = "unavailable"
				code = http.StatusServiceUnavailable
				continue
			}
			status[c.Name] = "ok"
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(status)
	}
}

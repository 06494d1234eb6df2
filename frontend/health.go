package frontend

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
)

// healthz says the process is alive; it checks nothing else, so an
// orchestrator never restarts a node only because its database is down.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok\n"))
}

// readyz says whether the node can serve: every check must pass within a
// short time. Failures are logged in full and reported by name only.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	status := map[string]string{}
	code := http.StatusOK
	for _, c := range s.checks {
		if err := c.Check(ctx); err != nil {
			s.log.WarnContext(ctx, "not ready", "check", c.Name, "err", err)
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

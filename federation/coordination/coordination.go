// Package coordination carries one decision across several nodes over
// HTTP (docs/DECISIONS.md, "One decision across several nodes"): the
// coordinator serves the process and, once made, its aggregate; a
// participating node serves its part (where its published document is,
// its digest, signed by its instance key); the coordinator collects the
// parts after closing, checks and records them, and freezes the
// aggregate when every part is in or the deadline has passed. The rules
// are in instances/decisions; this package only fetches and serves.
package coordination

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/gorilla/mux"

	"agora/instances/decisions"
)

// Config is how a node coordinates and takes part.
type Config struct {
	BaseURL      string // this node's
	UserAgent    string
	AllowPrivate bool // fetch from loopback and private addresses: tests only
}

// Service serves and collects the parts of processes.
type Service struct {
	self      string
	decisions *decisions.Service
	sign      decisions.Sign
	src       *Source
	log       *slog.Logger
	now       func() time.Time
}

// New returns the node's coordination; sign is the instance key's
// signer (federation.Service.SignAsInstance), nil when the node only
// collects (admin commands).
func New(cfg Config, svc *decisions.Service, sign decisions.Sign, log *slog.Logger) (*Service, error) {
	self, err := decisions.NodeURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("coordination: base URL: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{self: self, decisions: svc, sign: sign, src: NewSource(cfg.UserAgent, cfg.AllowPrivate), log: log, now: time.Now}, nil
}

// Handler serves the processes this node coordinates and the parts it
// runs, in front of next.
func (s *Service) Handler(next http.Handler) http.Handler {
	r := mux.NewRouter()
	r.NotFoundHandler, r.MethodNotAllowedHandler = next, next
	get := []string{http.MethodGet, http.MethodHead}
	r.HandleFunc("/processes/part", s.part).Methods(get...)
	r.HandleFunc("/processes/{key}", s.process).Methods(get...)
	r.HandleFunc("/processes/{key}/aggregate.json", s.aggregate).Methods(get...)
	return r
}

func writeJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(body)
}

func (s *Service) process(w http.ResponseWriter, r *http.Request) {
	c, err := s.decisions.ProcessByKey(r.Context(), mux.Vars(r)["key"])
	if errors.Is(err, decisions.ErrNotFound) {
		http.Error(w, "no such process", http.StatusNotFound)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := json.Marshal(c.Process)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, b)
}

func (s *Service) aggregate(w http.ResponseWriter, r *http.Request) {
	c, err := s.decisions.ProcessByKey(r.Context(), mux.Vars(r)["key"])
	switch {
	case errors.Is(err, decisions.ErrNotFound):
		http.Error(w, "no such process", http.StatusNotFound)
	case err != nil:
		s.fail(w, r, err)
	case c.AggregatedAt == nil:
		http.Error(w, decisions.ErrCollecting.Error(), http.StatusNotFound)
	default:
		writeJSON(w, c.Aggregate)
	}
}

// part answers the coordinator: where the published document of the
// vote that runs the process is, its digest and the instance key's
// signature (decisions.Service.SignedPart; the vote is closed first if
// its closing time has passed).
func (s *Service) part(w http.ResponseWriter, r *http.Request) {
	if s.sign == nil {
		http.Error(w, "this node cannot sign", http.StatusServiceUnavailable)
		return
	}
	e, err := s.decisions.SignedPart(r.Context(), s.self, r.URL.Query().Get("process"), s.sign)
	switch {
	case errors.Is(err, decisions.ErrNotJoined) || errors.Is(err, decisions.ErrNotFound):
		http.Error(w, decisions.ErrNotJoined.Error(), http.StatusNotFound)
		return
	case errors.Is(err, decisions.ErrStillOpen):
		http.Error(w, err.Error(), http.StatusConflict)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	b, err := json.Marshal(e)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, b)
}

func (s *Service) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log.ErrorContext(r.Context(), "decision across nodes", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// FetchProcess reads a process from its coordinator, to join it.
func (s *Service) FetchProcess(ctx context.Context, rawURL string) (*decisions.Process, error) {
	return s.src.Process(ctx, rawURL)
}

// Collect asks every participant of every closed process this node
// coordinates for its part, records what it finds, and freezes the
// aggregates that can be made. It returns how many it froze.
func (s *Service) Collect(ctx context.Context) (int, error) {
	due, err := s.decisions.DueProcesses(ctx)
	if err != nil {
		return 0, err
	}
	made := 0
	for _, c := range due {
		parts, err := s.decisions.Parts(ctx, c.Key)
		if err != nil {
			return made, err
		}
		for _, node := range c.Participants {
			if parts[node].Status == decisions.PartCounted {
				continue
			}
			part := s.collectPart(ctx, &c.Process, node)
			if err := s.decisions.RecordPart(ctx, c.Key, part); err != nil {
				return made, err
			}
			if part.Status != decisions.PartCounted {
				s.log.WarnContext(ctx, "part of a process not counted", "process", c.ID, "node", node, "status", part.Status, "reason", part.Reason)
			}
		}
		if _, err := s.decisions.Aggregate(ctx, c.Key); errors.Is(err, decisions.ErrCollecting) {
			continue
		} else if err != nil {
			return made, err
		}
		s.log.InfoContext(ctx, "aggregate of a process published", "process", c.ID)
		made++
	}
	return made, nil
}

// collectPart fetches and checks one node's part: counted, refused (it
// answered with a part that fails a check) or missing (no answer).
func (s *Service) collectPart(ctx context.Context, p *decisions.Process, node string) decisions.Part {
	e, err := s.src.Envelope(ctx, node, p.ID)
	if err == nil {
		var part decisions.Part
		if part, err = p.CheckPart(ctx, s.src, node, *e); err == nil {
			return part
		}
	}
	status := decisions.PartMissing
	if refused(err) {
		status = decisions.PartRefused
	}
	return decisions.Part{Node: node, Status: status, Reason: err.Error()}
}

// refused says whether err is a part that failed a check, rather than
// no answer.
func refused(err error) bool {
	return errors.Is(err, decisions.ErrPart) || errors.Is(err, decisions.ErrSignature)
}

// Run collects every minute or so until ctx ends (serve runs it).
func (s *Service) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.Collect(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("collect parts of processes", "err", err)
		} else if n > 0 {
			s.log.Info("aggregates published", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// partURL is where a node answers for its part of a process.
func partURL(node, process string) string {
	return node + "/processes/part?process=" + url.QueryEscape(process)
}

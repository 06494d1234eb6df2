package federation

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// Peers' health, kept from every delivery: a peer that has failed without
// a single success for unreachableAfter is marked unreachable, and
// deliveries to it are skipped (at most one try an hour, as a probe)
// until it answers again: a delivery that succeeds or an activity it
// sends us.
const (
	unreachableAfter = 24 * time.Hour
	probeEvery       = time.Hour
)

// Peer is what the node knows of a remote server's health.
type Peer struct {
	bun.BaseModel    `bun:"table:ap_peers"`
	Host             string     `bun:"host,pk"`
	LastSuccessAt    *time.Time `bun:"last_success_at"`
	LastFailureAt    *time.Time `bun:"last_failure_at"`
	FirstFailureAt   *time.Time `bun:"first_failure_at"`
	Failures         int        `bun:"failures"`
	UnreachableSince *time.Time `bun:"unreachable_since"`
	LastError        string     `bun:"last_error"`
}

// skip reports whether a delivery to the peer should not be tried now.
func (p *Peer) skip(now time.Time) bool {
	return p != nil && p.UnreachableSince != nil && p.LastFailureAt != nil && now.Sub(*p.LastFailureAt) < probeEvery
}

func (s *Service) peer(ctx context.Context, host string) (*Peer, error) {
	var peers []Peer
	if err := s.db.NewSelect().Model(&peers).Where("host = ?", host).Scan(ctx); err != nil {
		return nil, fmt.Errorf("read peer %s: %w", host, err)
	}
	if len(peers) == 0 {
		return nil, nil
	}
	return &peers[0], nil
}

// peerAnswered records that host answered: it is reachable again. A host
// this process recorded as answering less than answeredFor ago, with no
// failure since, is not written again: a peer sending a flood of
// activities costs no write per activity.
func (s *Service) peerAnswered(ctx context.Context, host string) error {
	now := s.now()
	if s.answered.recent(host, now) {
		return nil
	}
	_, err := s.db.NewInsert().Model(&Peer{Host: host, LastSuccessAt: &now}).
		On("CONFLICT (host) DO UPDATE").
		Set("last_success_at = EXCLUDED.last_success_at, failures = 0, first_failure_at = NULL, unreachable_since = NULL, last_error = ''").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("record peer %s: %w", host, err)
	}
	s.answered.set(host, now)
	return nil
}

// peerFailed records a failed delivery to host, marking it unreachable
// once it has failed for unreachableAfter without a success.
func (s *Service) peerFailed(ctx context.Context, host string, cause error) error {
	s.answered.forget(host)
	now := s.now()
	msg := cause.Error()
	if len(msg) > 300 {
		msg = msg[:300]
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewInsert().Model(&Peer{Host: host, LastFailureAt: &now, FirstFailureAt: &now, Failures: 1, LastError: msg}).
			On("CONFLICT (host) DO UPDATE").
			Set("last_failure_at = EXCLUDED.last_failure_at, failures = ?TableAlias.failures + 1, last_error = EXCLUDED.last_error").
			Set("first_failure_at = COALESCE(?TableAlias.first_failure_at, EXCLUDED.first_failure_at)").
			Exec(ctx)
		if err != nil {
			return fmt.Errorf("record peer %s: %w", host, err)
		}
		_, err = tx.NewUpdate().Model((*Peer)(nil)).Set("unreachable_since = ?", now).
			Where("host = ? AND unreachable_since IS NULL AND first_failure_at <= ?", host, now.Add(-unreachableAfter)).Exec(ctx)
		return err
	})
}

// Peers lists every peer the node has delivered to, failing first.
func (s *Service) Peers(ctx context.Context) ([]Peer, error) {
	var peers []Peer
	err := s.db.NewSelect().Model(&peers).OrderExpr("failures DESC, host").Limit(500).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list peers: %w", err)
	}
	return peers, nil
}

// answeredFor is how long a peer recorded as answering is not recorded
// again. Another process may record a failure meanwhile: the peer then
// shows as failing at most that much longer, until a delivery or an
// activity of its is recorded again.
const answeredFor = 30 * time.Second

// recentHosts are the hosts recorded as answering, with when. Safe to
// lose; bounded by keyStateMax.
type recentHosts struct {
	mu    sync.Mutex
	hosts map[string]time.Time
}

func newRecentHosts() *recentHosts { return &recentHosts{hosts: map[string]time.Time{}} }

func (r *recentHosts) recent(host string, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	at, ok := r.hosts[host]
	return ok && now.Sub(at) < answeredFor && !now.Before(at)
}

func (r *recentHosts) set(host string, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.hosts) >= keyStateMax {
		clear(r.hosts)
	}
	r.hosts[host] = now
}

func (r *recentHosts) forget(host string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.hosts, host)
}

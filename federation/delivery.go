package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"agora/federation/as2"
	"agora/federation/fetch"
	"agora/federation/signature"
)

// deliveryArgs is one signed POST of an activity to one inbox.
type deliveryArgs struct {
	Inbox    string          `json:"inbox"`
	Actor    string          `json:"actor"` // whose key signs
	Activity json.RawMessage `json:"activity"`
}

func (deliveryArgs) Kind() string { return "ap_deliver" }

// InsertOpts: ~2 days of retries (see retryPolicy).
func (deliveryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: deliveryAttempts}
}

// deliveryAttempts with retryPolicy's backoff spread over about two days:
// 30 s, 1 min, 2 min … doubling up to 6 h, then every 6 h.
const deliveryAttempts = 17

// retryPolicy backs off exponentially from base (30 s), capped at 6 h,
// with ±20 % jitter so a peer coming back is not hit by every retry at
// once.
type retryPolicy struct{ base time.Duration }

func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().Add(backoff(p.base, job.Attempt))
}

func backoff(base time.Duration, attempt int) time.Duration {
	d := base << min(max(attempt-1, 0), 10)
	d = min(d, 6*time.Hour)
	return time.Duration(float64(d) * (0.8 + 0.4*rand.Float64()))
}

type deliveryWorker struct {
	river.WorkerDefaults[deliveryArgs]
	s *Service
}

func (w *deliveryWorker) Timeout(*river.Job[deliveryArgs]) time.Duration {
	return min(30*time.Second, w.s.cfg.RescueAfter)
}

// Work posts the activity, recording the peer's health. A permanent
// refusal (a 4xx other than 401/408/429) ends the job; anything else is
// retried.
func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[deliveryArgs]) error {
	s, a := w.s, job.Args
	u, err := url.Parse(a.Inbox)
	if err != nil || u.Host == "" {
		return river.JobCancel(fmt.Errorf("bad inbox %q", a.Inbox))
	}
	host := strings.ToLower(u.Host)
	if err := s.refuseBlocked(host); err != nil {
		return river.JobCancel(err)
	}
	peer, err := s.peer(ctx, host)
	if err != nil {
		return err
	}
	if peer.skip(s.now()) {
		s.log.InfoContext(ctx, "delivery skipped: peer unreachable", "inbox", a.Inbox)
		return river.JobCancel(fmt.Errorf("%s unreachable since %s", host, peer.UnreachableSince.Format(time.RFC3339)))
	}
	signer, err := s.signer(ctx, a.Actor)
	if err != nil {
		return err
	}
	release, err := s.hosts.acquire(ctx, host)
	if err != nil {
		return err
	}
	err = s.client.Post(ctx, a.Inbox, a.Activity, signer)
	release()
	if err == nil {
		return s.peerAnswered(ctx, host)
	}
	if perr := s.peerFailed(ctx, host, err); perr != nil {
		s.log.WarnContext(ctx, "record peer failure", "host", host, "err", perr)
	}
	if fetch.Permanent(err) {
		return river.JobCancel(fmt.Errorf("deliver to %s: %w", a.Inbox, err))
	}
	var se *fetch.StatusError
	if errors.As(err, &se) && se.RetryAfter > 0 && se.RetryAfter < 6*time.Hour {
		return river.JobSnooze(se.RetryAfter)
	}
	return fmt.Errorf("deliver to %s: %w", a.Inbox, err)
}

// signer signs as a local actor (its IRI), with its key.
func (s *Service) signer(ctx context.Context, actor string) (*signature.Signer, error) {
	key, err := s.keys.key(ctx, actor)
	if err != nil {
		return nil, err
	}
	return &signature.Signer{KeyID: as2.KeyID(actor), Private: key.private, Now: s.now}, nil
}

// hostLimiter bounds the deliveries running at once to one host, so a
// slow peer cannot take every worker.
type hostLimiter struct {
	n     int
	mu    sync.Mutex
	slots map[string]chan struct{}
}

func newHostLimiter(n int) *hostLimiter { return &hostLimiter{n: n, slots: map[string]chan struct{}{}} }

func (h *hostLimiter) acquire(ctx context.Context, host string) (release func(), err error) {
	h.mu.Lock()
	ch := h.slots[host]
	if ch == nil {
		ch = make(chan struct{}, h.n)
		h.slots[host] = ch
	}
	h.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

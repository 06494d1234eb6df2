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

// retryAfters carries a peer's Retry-After (a 429 or 503 saying when to
// come back) from a job's Work to its NextRetry, which River calls next,
// in the same process, for the error Work returned: River's retry policy
// does not see that error. Honoured so rather than by a snooze, the wait
// is an attempt: a peer answering 429 for ever cannot keep a job alive
// for ever.
type retryAfters struct{ m sync.Map } // job id → time.Duration

// maxRetryAfter: a peer asking to wait longer is not believed; the
// backoff applies.
const maxRetryAfter = 6 * time.Hour

// note keeps err's Retry-After, when under maxRetryAfter, for the job's
// next try, and returns err.
func (r *retryAfters) note(job *rivertype.JobRow, err error) error {
	var se *fetch.StatusError
	if errors.As(err, &se) && se.RetryAfter > 0 && se.RetryAfter < maxRetryAfter && job.Attempt < job.MaxAttempts {
		r.m.Store(job.ID, se.RetryAfter)
	}
	return err
}

// next is when to try the job again: after the backoff from base, or
// after the peer's Retry-After when that is later; zero (River's policy,
// the backoff) when the peer said nothing.
func (r *retryAfters) next(job *rivertype.JobRow, base time.Duration) time.Time {
	v, ok := r.m.LoadAndDelete(job.ID)
	if !ok {
		return time.Time{}
	}
	return time.Now().Add(max(v.(time.Duration), backoff(base, job.Attempt)))
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

func (w *deliveryWorker) NextRetry(job *river.Job[deliveryArgs]) time.Time {
	return w.s.retryAfter.next(job.JobRow, w.s.cfg.RetryBase)
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
	wait, cancel := context.WithTimeout(ctx, hostWait)
	release, err := s.hosts.acquire(wait, host)
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			return river.JobSnooze(hostBusyDelay())
		}
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
	return s.retryAfter.note(job.JobRow, fmt.Errorf("deliver to %s: %w", a.Inbox, err))
}

// signer signs as a local actor (its IRI), with its key.
func (s *Service) signer(ctx context.Context, actor string) (*signature.Signer, error) {
	key, err := s.keys.key(ctx, actor)
	if err != nil {
		return nil, err
	}
	return &signature.Signer{KeyID: as2.KeyID(actor), Private: key.private, Now: s.now}, nil
}

// A delivery that finds every slot of its host taken (by deliveries the
// host answers slowly) waits hostWait at most, then gives its worker back
// and is tried again after hostBusyDelay (a snooze, not an attempt), so
// that one slow peer cannot hold every worker.
const hostWait = time.Second

func hostBusyDelay() time.Duration { return 5*time.Second + rand.N(10*time.Second) }

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

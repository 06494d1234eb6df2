package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"agora/federation/as2"
	"agora/federation/signature"
	"agora/instances/apps"
	"agora/instances/debates"
	"agora/instances/moderation"
)

// maxActivity is the largest activity an inbox reads.
const maxActivity = 1 << 20

// received is an activity the node accepted, kept by id so that the same
// activity delivered twice (retries, several inboxes) has one effect.
type received struct {
	bun.BaseModel `bun:"table:ap_received"`
	ActivityID    string     `bun:"activity_id,pk"`
	Actor         string     `bun:"actor"`
	Type          string     `bun:"type"`
	Body          string     `bun:"body"`
	ReceivedAt    time.Time  `bun:"received_at"`
	ProcessedAt   *time.Time `bun:"processed_at"`
	Outcome       string     `bun:"outcome"`
}

// inboxArgs is an accepted activity to apply.
type inboxArgs struct {
	ActivityID string `json:"activity_id"`
}

func (inboxArgs) Kind() string { return "ap_inbox" }

// InsertOpts: an activity whose application fails (the database, a peer
// we fetch from, a panic, a process that died while applying it) is tried
// inboxAttempts times in all, then parked (parked.go).
func (inboxArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: inboxAttempts} }

// inboxAttempts is small: the signer's actor was fetched moments before to
// verify the signature, so an activity that fails this often will not
// apply by waiting, and one that kills the process must not kill it
// for long. With retryPolicy's backoff (30 s, 1 min, 2 min, 4 min), an
// activity is parked about 8 minutes after it arrived.
const inboxAttempts = 5

// inbox receives activities, for every actor of the node (a shared inbox
// and per-actor inboxes behave the same: recipients are read from the
// activity). The order of checks is the point: the size announced first,
// then the signature over the headers (the key fetched, the digest
// signed) before a byte of the body is read; then the body, within the
// read deadline, against its digest; then the activity's shape; then that
// the key's owner is the activity's actor. Only then is it stored, once,
// and queued; it is applied by the inbox worker.
func (s *Service) inbox(w http.ResponseWriter, r *http.Request) {
	// The inbox sits in front of the pages' middleware: it bounds its own
	// time. Errors mean the writer cannot take deadlines (tests).
	rc, now := http.NewResponseController(w), time.Now()
	_ = rc.SetReadDeadline(now.Add(s.cfg.InboxReadTimeout))
	_ = rc.SetWriteDeadline(now.Add(2 * s.cfg.InboxReadTimeout))
	switch {
	case r.ContentLength < 0:
		refuse(w, http.StatusLengthRequired, "Content-Length required")
		return
	case r.ContentLength > maxActivity:
		refuse(w, http.StatusRequestEntityTooLarge, "activity over 1 MiB")
		return
	}
	ctx, fetches := withKeyFetchNote(r.Context())
	key, checkBody, err := s.verifier.VerifyHeaders(ctx, r)
	fetches.settle(s.keyFetches, err == nil)
	if err != nil && errors.Is(err, signature.ErrKey) && r.ContentLength <= maxSelfDelete {
		// A deleted account's server announces the deletion signed with a
		// key it no longer serves: nothing to verify, nothing to keep
		// (we store nothing of it), and a 401 would only make it retry.
		// Such a Delete is small: only then is the body read.
		if body, rerr := readBody(r); rerr == nil && selfDelete(body) {
			w.WriteHeader(http.StatusAccepted)
			return
		}
	}
	if err != nil {
		status := http.StatusUnauthorized
		reason := "signature: " + signature.Reason(err)
		switch {
		case errors.Is(err, ErrBlocked):
			status, reason = http.StatusForbidden, "signature: domain blocked"
		case signature.Reason(err) == "": // ours: the blocks could not be read
			status, reason = http.StatusServiceUnavailable, "cannot check the signature now"
		}
		s.log.InfoContext(r.Context(), "inbox: refused signature", "err", err)
		refuse(w, status, reason)
		return
	}
	body, err := readBody(r)
	if err != nil {
		s.log.InfoContext(r.Context(), "inbox: body not read", "err", err)
		refuse(w, http.StatusBadRequest, "cannot read the body in time")
		return
	}
	if err := checkBody(body); err != nil {
		refuse(w, http.StatusUnauthorized, "signature: "+signature.Reason(err))
		return
	}
	a, err := as2.Parse(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if a.Actor != key.Owner {
		http.Error(w, "the activity's actor is not the signing key's owner", http.StatusBadRequest)
		return
	}
	if !sameHost(a.ID, a.Actor) {
		http.Error(w, "the activity's id is not on its actor's host", http.StatusBadRequest)
		return
	}
	host := hostOf(a.Actor)
	if err := s.accept(r.Context(), a, body); err != nil {
		s.log.ErrorContext(r.Context(), "inbox: store activity", "err", err)
		http.Error(w, "cannot store the activity now", http.StatusServiceUnavailable)
		return
	}
	if err := s.peerAnswered(r.Context(), host); err != nil {
		s.log.WarnContext(r.Context(), "inbox: record peer", "err", err)
	}
	w.WriteHeader(http.StatusAccepted)
}

// maxSelfDelete is the largest body read, for an actor's Delete of itself,
// when the signing key cannot be had.
const maxSelfDelete = 4 << 10

// readBody reads exactly the Content-Length announced (at most
// maxActivity), within the request's read deadline.
func readBody(r *http.Request) ([]byte, error) {
	body := make([]byte, r.ContentLength)
	if _, err := io.ReadFull(r.Body, body); err != nil {
		return nil, err
	}
	return body, nil
}

// refuse answers a short public reason and closes the connection, so
// that an unread body is never drained.
func refuse(w http.ResponseWriter, status int, reason string) {
	w.Header().Set("Connection", "close")
	http.Error(w, reason, status)
}

type inboxWorker struct {
	river.WorkerDefaults[inboxArgs]
	s *Service
}

// Work applies a received activity and records what it did. An error
// from a peer we depend on (fetching an actor) is retried; bad content is
// recorded as refused and not retried.
func (w *inboxWorker) Work(ctx context.Context, job *river.Job[inboxArgs]) error {
	s := w.s
	if s.beforeApply != nil {
		s.beforeApply(ctx, job.Args.ActivityID)
	}
	var rec received
	if err := s.db.NewSelect().Model(&rec).Where("activity_id = ?", job.Args.ActivityID).Scan(ctx); err != nil {
		return fmt.Errorf("read activity %s: %w", job.Args.ActivityID, err)
	}
	a, err := as2.Parse([]byte(rec.Body))
	if err != nil {
		return s.processed(ctx, rec.ActivityID, "refused: "+err.Error())
	}
	s.cleanActivity(a) // peer text is sanitised once, on the way in
	outcome, err := s.apply(ctx, a)
	if err != nil {
		if !refusal(err) {
			return err // the database or a peer: River retries
		}
		outcome = "refused: " + err.Error()
	}
	return s.processed(ctx, rec.ActivityID, outcome)
}

func (s *Service) processed(ctx context.Context, id, outcome string) error {
	if len(outcome) > 500 {
		outcome = outcome[:500]
	}
	now := s.now()
	_, err := s.db.NewUpdate().Model((*received)(nil)).Set("processed_at = ?", now).Set("outcome = ?", outcome).
		Where("activity_id = ?", id).Exec(ctx)
	return err
}

// refusal reports whether err means the activity will never apply (bad
// or unknown content), as opposed to a failure worth retrying.
func refusal(err error) bool {
	if errors.Is(err, errRetry) {
		return false
	}
	for _, target := range []error{ErrInvalid, ErrBlocked, as2.ErrMalformed,
		debates.ErrNotFound, debates.ErrForbidden, debates.ErrTarget, debates.ErrParent, debates.ErrBody,
		debates.ErrClosed, debates.ErrHidden, debates.ErrRemote,
		moderation.ErrNotFound, moderation.ErrTarget, moderation.ErrReason,
		apps.ErrInvalid, apps.ErrForbidden, apps.ErrRemote, apps.ErrNotFound, apps.ErrGone, apps.ErrNotAdopted} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// errRetry marks an error worth retrying (a peer or the database), as
// opposed to an activity that will never apply.
var errRetry = errors.New("temporary")

func retry(err error) error { return fmt.Errorf("%w: %w", errRetry, err) }

// hostOf is the host of an IRI with its port: two nodes on one machine
// (tests) are told apart by port.
func hostOf(iri string) string {
	u, err := url.Parse(iri)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

func sameHost(a, b string) bool {
	ha := hostOf(a)
	return ha != "" && ha == hostOf(b)
}

// selfDelete reports whether body is an actor's Delete of itself.
func selfDelete(body []byte) bool {
	var a struct {
		Type   string `json:"type"`
		Actor  any    `json:"actor"`
		Object any    `json:"object"`
	}
	if json.Unmarshal(body, &a) != nil || a.Type != "Delete" {
		return false
	}
	actor, ok := a.Actor.(string)
	object, _ := a.Object.(string)
	return ok && actor != "" && actor == object
}

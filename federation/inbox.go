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

// InsertOpts: an activity that keeps failing for reasons of ours (the
// database) is retried for about a day, then left in the queue's history.
func (inboxArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: 12} }

// inbox receives activities, for every actor of the node (a shared inbox
// and per-actor inboxes behave the same: recipients are read from the
// activity). The order of checks is the point: the signature first,
// before anything of the body is believed; then the activity's shape;
// then that the key's owner is the activity's actor. Only then is it
// stored, once, and queued; it is applied by the inbox worker.
func (s *Service) inbox(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxActivity+1))
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if len(body) > maxActivity {
		http.Error(w, "activity over 1 MiB", http.StatusRequestEntityTooLarge)
		return
	}
	key, err := s.verifier.Verify(r.Context(), r, body)
	if err != nil && errors.Is(err, signature.ErrKey) && selfDelete(body) {
		// A deleted account's server announces the deletion signed with a
		// key it no longer serves: nothing to verify, nothing to keep
		// (we store nothing of it), and a 401 would only make it retry.
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if err != nil {
		status := http.StatusUnauthorized
		if errors.Is(err, ErrBlocked) {
			status = http.StatusForbidden
		}
		s.log.InfoContext(r.Context(), "inbox: refused signature", "err", err)
		http.Error(w, "signature: "+err.Error(), status)
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

// accept stores the activity and queues it in one transaction; an
// activity already received is neither stored nor queued again.
func (s *Service) accept(ctx context.Context, a *as2.Activity, body []byte) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewInsert().Model(&received{ActivityID: a.ID, Actor: a.Actor, Type: a.Type, Body: string(body),
			ReceivedAt: s.now()}).On("CONFLICT (activity_id) DO NOTHING").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // a replay: already applied or queued
		}
		_, err = s.river.InsertTx(ctx, tx.Tx, inboxArgs{ActivityID: a.ID}, nil)
		return err
	})
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
	var rec received
	if err := s.db.NewSelect().Model(&rec).Where("activity_id = ?", job.Args.ActivityID).Scan(ctx); err != nil {
		return fmt.Errorf("read activity %s: %w", job.Args.ActivityID, err)
	}
	a, err := as2.Parse([]byte(rec.Body))
	if err != nil {
		return s.processed(ctx, rec.ActivityID, "refused: "+err.Error())
	}
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

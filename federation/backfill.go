package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"agora/federation/as2"
	"agora/federation/fetch"
)

// Backfill: once a Group accepts the node's follow, the node reads the
// Group's outbox and fetches what it lists, so that a catalogue followed
// today shows the apps published before, and a space its newest
// proposals. Two jobs: ap_backfill walks the outbox and queues one
// ap_backfill_object per object listed; each of those fetches its object
// and keeps it as if the Group had announced it (mirror). They run on a
// queue of their own with few workers, so a catch-up never holds up
// deliveries, and retry with the deliveries' backoff for about two days:
// a peer that is down gets its backfill once it is back. An object
// already known is updated; a Page or Note deleted before stays deleted.

const (
	backfillQueue   = "backfill"
	backfillWorkers = 2
	// backfillApps bounds the objects read from a catalogue's outbox,
	// backfillSpace those from another Group's (a space's newest
	// proposals); backfillPages the collection pages walked to find them.
	backfillApps  = 200
	backfillSpace = 20
	backfillPages = 20
)

// backfillArgs is a followed Group whose outbox to read.
type backfillArgs struct {
	Group string `json:"group" river:"unique"`
}

func (backfillArgs) Kind() string                 { return "ap_backfill" }
func (backfillArgs) InsertOpts() river.InsertOpts { return backfillOpts() }

// backfillObjectArgs is one object a followed Group's outbox lists.
type backfillObjectArgs struct {
	Group  string `json:"group" river:"unique"`
	Object string `json:"object" river:"unique"`
}

func (backfillObjectArgs) Kind() string                 { return "ap_backfill_object" }
func (backfillObjectArgs) InsertOpts() river.InsertOpts { return backfillOpts() }

// backfillOpts: one job per Group (and object) waiting or running at a
// time; a later follow backfills again once it is done.
func backfillOpts() river.InsertOpts {
	return river.InsertOpts{Queue: backfillQueue, MaxAttempts: deliveryAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true,
		ByState: []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
			rivertype.JobStateRunning, rivertype.JobStateScheduled}}}
}

type backfillWorker struct {
	river.WorkerDefaults[backfillArgs]
	s *Service
}

func (w *backfillWorker) NextRetry(job *river.Job[backfillArgs]) time.Time {
	return w.s.retryAfter.next(job.JobRow, w.s.cfg.RetryBase)
}

// Work reads the Group's outbox and queues a fetch of each object it
// lists on the Group's own host, newest first, up to the bound.
func (w *backfillWorker) Work(ctx context.Context, job *river.Job[backfillArgs]) error {
	s, group := w.s, job.Args.Group
	if ok, err := s.mayBackfill(ctx, group); !ok || err != nil {
		return err
	}
	ids, err := s.outboxObjects(ctx, group)
	if err != nil {
		return s.backfillFailed(job.JobRow, fmt.Errorf("backfill %s: %w", group, err))
	}
	if len(ids) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: backfillObjectArgs{Group: group, Object: id}}
	}
	if _, err := s.river.InsertMany(ctx, params); err != nil {
		return fmt.Errorf("queue backfill of %s: %w", group, err)
	}
	s.log.InfoContext(ctx, "backfill", "group", group, "objects", len(ids))
	return nil
}

type backfillObjectWorker struct {
	river.WorkerDefaults[backfillObjectArgs]
	s *Service
}

func (w *backfillObjectWorker) NextRetry(job *river.Job[backfillObjectArgs]) time.Time {
	return w.s.retryAfter.next(job.JobRow, w.s.cfg.RetryBase)
}

// Work fetches one object of a followed Group and keeps it.
func (w *backfillObjectWorker) Work(ctx context.Context, job *river.Job[backfillObjectArgs]) error {
	s, a := w.s, job.Args
	if ok, err := s.mayBackfill(ctx, a.Group); !ok || err != nil {
		return err
	}
	if !sameHost(a.Object, a.Group) {
		return river.JobCancel(fmt.Errorf("%w: %s is not on the host of %s", ErrInvalid, a.Object, a.Group))
	}
	body, err := s.fetchSigned(ctx, a.Object)
	if err != nil {
		return s.backfillFailed(job.JobRow, fmt.Errorf("backfill %s: %w", a.Object, err))
	}
	o, raw, err := as2.ParseObject(body)
	if err != nil {
		return river.JobCancel(fmt.Errorf("backfill %s: %w", a.Object, err))
	}
	if o.ID != a.Object {
		// Only the object asked for, at its own id, is believed.
		return river.JobCancel(fmt.Errorf("%w: fetched %s, got %s", ErrInvalid, a.Object, o.ID))
	}
	outcome, err := s.mirror(ctx, "Backfill", a.Group, a.Group, o, raw)
	if err != nil {
		return s.backfillFailed(job.JobRow, fmt.Errorf("backfill %s: %w", a.Object, err))
	}
	s.log.DebugContext(ctx, "backfill", "object", a.Object, "outcome", outcome)
	return nil
}

// mayBackfill reports whether the node still follows the Group and may
// take content from its host: an unfollowed, suspended or silenced Group
// gets nothing (and no retry).
func (s *Service) mayBackfill(ctx context.Context, group string) (bool, error) {
	if !s.followsGroup(ctx, group) {
		return false, nil
	}
	sev, err := s.severity(ctx, hostOf(group))
	if err != nil {
		return false, err
	}
	return sev == "", nil
}

// backfillFailed ends the job for good when retrying cannot help (a
// refusal, a 404, a document that is not what was asked), else lets
// River retry it with backoff, or after the peer's Retry-After, as a
// delivery.
func (s *Service) backfillFailed(job *rivertype.JobRow, err error) error {
	if fetch.Permanent(err) || refusal(err) {
		return river.JobCancel(err)
	}
	return s.retryAfter.note(job, err)
}

// outboxObjects reads a Group's outbox and returns the ids it lists that
// are on the Group's host, each once, newest first (outboxes are), at
// most backfillApps for a catalogue and backfillSpace for another Group.
func (s *Service) outboxObjects(ctx context.Context, group string) ([]string, error) {
	body, err := s.fetchSigned(ctx, group)
	if err != nil {
		return nil, err
	}
	var actor struct {
		ID                string `json:"id"`
		Outbox            any    `json:"outbox"`
		PreferredUsername string `json:"preferredUsername"`
	}
	if err := json.Unmarshal(body, &actor); err != nil || actor.ID != group {
		return nil, fmt.Errorf("%w: %s is not the actor asked for", ErrInvalid, group)
	}
	outbox := firstString(actor.Outbox)
	if outbox == "" || !sameHost(outbox, group) {
		return nil, fmt.Errorf("%w: %s has no outbox on its host", ErrInvalid, group)
	}
	limit := backfillSpace
	if isCatalogue(group, actor.PreferredUsername) {
		limit = backfillApps
	}
	var ids []string
	read, seen := map[string]bool{}, map[string]bool{} // pages, ids
	next := outbox
	for pages := 0; next != "" && len(ids) < limit && pages < backfillPages; pages++ {
		if read[next] {
			break // a page that leads back to one already read
		}
		read[next] = true
		if !sameHost(next, group) {
			return nil, fmt.Errorf("%w: outbox page %s of %s is on another host", ErrInvalid, next, group)
		}
		body, err := s.fetchSigned(ctx, next)
		if err != nil {
			return nil, err
		}
		page, err := as2.ParseCollection(body)
		if err != nil {
			return nil, fmt.Errorf("%w: outbox of %s: %w", ErrInvalid, group, err)
		}
		for _, id := range page.Items {
			// Only what the Group's own server holds is kept (as mirror
			// does): other hosts' objects are not fetched at all.
			if len(ids) < limit && sameHost(id, group) && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		next = page.Next
	}
	return ids, nil
}

// isCatalogue reports whether a Group is an Agora node's catalogue of
// free software (acct:catalogue@host, at /apps).
func isCatalogue(group, username string) bool {
	return username == as2.CatalogueUsername && strings.HasSuffix(group, "/apps")
}

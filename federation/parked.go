package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// A job that failed as many times as it may (its MaxAttempts: inboxAttempts
// for an inbox job, deliveryAttempts for a delivery or a backfill) is
// parked: River discards it, keeping its errors, and it is never run again
// unless an admin retries it. A panic in a worker counts as a failed
// attempt (River recovers it and records the panic value and its trace);
// so does a process that died while running the job (a crash, a kill, a
// fatal error such as a stack overflow): after Config.RescueAfter, River's
// rescuer finds it still "running" and retries it, or parks it if that was
// its last attempt. A job that kills its process every time therefore stops
// after inboxAttempts restarts at most. Parked jobs are kept
// parkedRetention, then River's cleaner deletes them.
const parkedRetention = 30 * 24 * time.Hour

// ParkedJob is a job set aside after too many failures, for the admin
// page.
type ParkedJob struct {
	ID        int64
	Kind      string // ap_inbox, ap_deliver, ap_event, ap_backfill, ap_backfill_object
	Summary   string // what it is about, in one line
	Attempts  int
	LastError string
	At        time.Time // when it was parked
}

// ParkedJobs lists the parked jobs, latest first, at most limit of them
// (100 when limit is not positive).
func (s *Service) ParkedJobs(ctx context.Context, limit int) ([]ParkedJob, error) {
	if limit <= 0 {
		limit = 100
	}
	params := river.NewJobListParams().States(rivertype.JobStateDiscarded).
		OrderBy(river.JobListOrderByFinalizedAt, river.SortOrderDesc).First(min(limit, 10000))
	res, err := s.river.JobList(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("list parked jobs: %w", err)
	}
	out := make([]ParkedJob, 0, len(res.Jobs))
	for _, j := range res.Jobs {
		p := ParkedJob{ID: j.ID, Kind: j.Kind, Attempts: j.Attempt, Summary: s.jobSummary(ctx, j)}
		if j.FinalizedAt != nil {
			p.At = *j.FinalizedAt
		}
		if n := len(j.Errors); n > 0 {
			p.LastError = attemptError(j.Errors[n-1])
		}
		out = append(out, p)
	}
	return out, nil
}

// ErrNotParked is a job that is not (or no longer) parked.
var ErrNotParked = errors.New("no such parked job")

// RetryParked runs a parked job again, once: if it fails again, it is
// parked again.
func (s *Service) RetryParked(ctx context.Context, id int64) error {
	if err := s.parked(ctx, id); err != nil {
		return err
	}
	if _, err := s.river.JobRetry(ctx, id); err != nil {
		return fmt.Errorf("retry job %d: %w", id, err)
	}
	return nil
}

// DropParked deletes a parked job for good. An inbox activity it was
// applying stays recorded as received, without an outcome.
func (s *Service) DropParked(ctx context.Context, id int64) error {
	if err := s.parked(ctx, id); err != nil {
		return err
	}
	if _, err := s.river.JobDelete(ctx, id); err != nil {
		return fmt.Errorf("drop job %d: %w", id, err)
	}
	return nil
}

func (s *Service) parked(ctx context.Context, id int64) error {
	j, err := s.river.JobGet(ctx, id)
	if errors.Is(err, rivertype.ErrNotFound) || err == nil && j.State != rivertype.JobStateDiscarded {
		return fmt.Errorf("%w: %d", ErrNotParked, id)
	}
	if err != nil {
		return fmt.Errorf("read job %d: %w", id, err)
	}
	return nil
}

// attemptError says what went wrong in an attempt, in words for an admin.
func attemptError(e rivertype.AttemptError) string {
	switch {
	case e.Error == "Stuck job rescued by JobRescuer":
		return "the process stopped while running it (crash, kill or fatal error)"
	case e.Trace != "":
		return "panic: " + e.Error
	}
	return e.Error
}

// jobSummary says what a job is about without its whole payload.
func (s *Service) jobSummary(ctx context.Context, j *rivertype.JobRow) string {
	switch j.Kind {
	case inboxArgs{}.Kind():
		var a inboxArgs
		if json.Unmarshal(j.EncodedArgs, &a) != nil {
			break
		}
		var rec received
		if err := s.db.NewSelect().Model(&rec).Column("type", "actor").Where("activity_id = ?", a.ActivityID).Scan(ctx); err != nil {
			return a.ActivityID
		}
		return rec.Type + " " + a.ActivityID + " from " + rec.Actor
	case deliveryArgs{}.Kind():
		var a deliveryArgs
		if json.Unmarshal(j.EncodedArgs, &a) != nil {
			break
		}
		var doc struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		}
		json.Unmarshal(a.Activity, &doc)
		return doc.Type + " " + doc.ID + " to " + a.Inbox
	}
	summary := string(j.EncodedArgs)
	if len(summary) > 200 {
		summary = summary[:200] + "…"
	}
	return summary
}

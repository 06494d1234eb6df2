package moderation

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/storage/database"
)

// Report is someone's request that moderators look at an item. Who
// reported is for moderators only.
type Report struct {
	bun.BaseModel `bun:"table:reports"`

	ID          string     `bun:"id,pk"`
	TargetKind  TargetKind `bun:"target_kind"`
	TargetID    string     `bun:"target_id"`
	ReporterID  string     `bun:"reporter_id,nullzero"`  // a local account, or
	RemoteActor string     `bun:"remote_actor,nullzero"` // a fediverse actor (a Flag)
	Reason      string     `bun:"reason"`
	CreatedAt   time.Time  `bun:"created_at"`
	ResolvedAt  *time.Time `bun:"resolved_at"`
	Resolution  string     `bun:"resolution"`
}

// Target returns what was reported.
func (r *Report) Target() Target { return Target{Kind: r.TargetKind, ID: r.TargetID} }

// Open reports whether no moderator resolved the report yet.
func (r *Report) Open() bool { return r.ResolvedAt == nil }

// Report records that the signed-in resident (or the resident at an
// agent's desk) reports an item, for a reason of 1 to 1,000 characters.
// Reporting again what one reported, while that report is open, returns
// the open report and writes nothing.
func (s *Service) Report(ctx context.Context, actor accounts.Actor, t Target, why string) (*Report, error) {
	// The resident at an agent's desk reports, never a staff account
	// (the desk rule): then the error is ErrForbidden and
	// accounts.ErrStaffTarget both.
	who, err := accounts.ForResident(ctx, s.db, actor)
	switch {
	case errors.Is(err, accounts.ErrStaffTarget):
		return nil, fmt.Errorf("%w: %w", ErrForbidden, err)
	case errors.Is(err, accounts.ErrForbidden):
		return nil, ErrForbidden
	case err != nil:
		return nil, err
	}
	reporter := who.ID
	why, err = reason(why, ErrReason)
	if err != nil {
		return nil, err
	}
	return s.report(ctx, &Report{TargetKind: t.Kind, TargetID: t.ID, ReporterID: reporter, Reason: why}, who)
}

// ReportRemote records a Flag from the fediverse, already verified by
// federation. Peers are not held to this node's forms: an empty reason is
// recorded as "no reason given", a long one cut to 1,000 characters.
// Flagging again while the report is open writes nothing.
func (s *Service) ReportRemote(ctx context.Context, actor string, t Target, why string) (*Report, error) {
	u, err := url.Parse(actor)
	if err != nil || len(actor) > 2048 || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("%w: %q is not an http(s) URL", ErrRemote, actor)
	}
	why = strings.TrimSpace(strings.ToValidUTF8(strings.ReplaceAll(why, "\x00", ""), ""))
	if why == "" {
		why = "no reason given"
	}
	if utf8.RuneCountInString(why) > MaxReason {
		why = string([]rune(why)[:MaxReason])
	}
	return s.report(ctx, &Report{TargetKind: t.Kind, TargetID: t.ID, RemoteActor: actor, Reason: why}, nil)
}

// report stores r unless its reporter has an open report on the same
// item, which it returns instead. The database holds one open report per
// reporter and item (partial unique indexes): a second one, even sent at
// the same instant as the first, fails to insert, and the first is
// returned. A local reporter (who) may not report what they wrote
// (MayReport).
func (s *Service) report(ctx context.Context, r *Report, who *accounts.Account) (*Report, error) {
	// A conflict means an open report exists; it may be resolved before
	// it is read, and then this one is tried again.
	for range 3 {
		err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			it, err := locate(ctx, tx, r.Target())
			if err != nil {
				return err
			}
			if it.deleted {
				return fmt.Errorf("comment %s was deleted: %w", r.TargetID, ErrNotFound)
			}
			if err := MayReport(who, it.AuthorID); err != nil {
				return err
			}
			r.ID, r.CreatedAt = database.NewID(), s.now()
			if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
				return fmt.Errorf("insert report: %w", database.Translate(err))
			}
			return nil
		})
		if !errors.Is(err, database.ErrConflict) {
			if err != nil {
				return nil, err
			}
			return r, nil
		}
		open, err := s.openReport(ctx, r)
		if !errors.Is(err, ErrNotFound) {
			return open, err
		}
	}
	return nil, fmt.Errorf("report %s %s: open report keeps changing: %w", r.TargetKind, r.TargetID, database.ErrConflict)
}

// openReport returns the open report of r's reporter on r's item.
func (s *Service) openReport(ctx context.Context, r *Report) (*Report, error) {
	open := new(Report)
	q := s.db.NewSelect().Model(open).
		Where("target_kind = ? AND target_id = ? AND resolved_at IS NULL", r.TargetKind, r.TargetID)
	if r.ReporterID != "" {
		q = q.Where("reporter_id = ?", r.ReporterID)
	} else {
		q = q.Where("remote_actor = ?", r.RemoteActor)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "find open report")
	}
	return open, nil
}

// ReportFilter selects reports for moderators.
type ReportFilter struct {
	Resolved bool // false: open reports, oldest first; true: resolved ones, latest first
	Target   Target
	Limit    int // default 50, at most 500
}

// Reports lists reports, with who reported, for moderators.
func (s *Service) Reports(ctx context.Context, actor accounts.Actor, f ReportFilter) ([]Report, error) {
	if err := moderator(actor); err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500)
	var out []Report
	q := s.db.NewSelect().Model(&out).Limit(int64(f.Limit))
	if f.Resolved {
		q = q.Where("resolved_at IS NOT NULL").Order("resolved_at DESC", "id")
	} else {
		q = q.Where("resolved_at IS NULL").Order("created_at", "id")
	}
	if f.Target.ID != "" {
		q = q.Where("target_kind = ? AND target_id = ?", f.Target.Kind, f.Target.ID)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	return out, nil
}

// ReportByID returns one report, with who reported, for moderators.
func (s *Service) ReportByID(ctx context.Context, actor accounts.Actor, id string) (*Report, error) {
	if err := moderator(actor); err != nil {
		return nil, err
	}
	r := new(Report)
	if err := s.db.NewSelect().Model(r).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err, "load report")
	}
	return r, nil
}

// Resolve closes an open report with a resolution (1 to 1,000
// characters), which the public log shows as the reason; it never shows
// who reported. Resolving changes nothing about the item, so no event is
// sent for it: hiding it, if it must be, is its own act.
func (s *Service) Resolve(ctx context.Context, actor accounts.Actor, reportID, resolution string) (*Report, error) {
	if err := moderator(actor); err != nil {
		return nil, err
	}
	resolution, err := reason(resolution, ErrResolution)
	if err != nil {
		return nil, err
	}
	r := new(Report)
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := forUpdate(tx.NewSelect().Model(r).Where("id = ?", reportID)).Scan(ctx); err != nil {
			return notFound(err, "load report")
		}
		if !r.Open() {
			return ErrResolved
		}
		// The item may be gone since (a comment its author deleted): the
		// report is resolved all the same, without a space.
		var spaceID string
		switch it, err := locate(ctx, tx, r.Target()); {
		case err == nil:
			spaceID = it.SpaceID
		case !errors.Is(err, ErrNotFound):
			return err
		}
		now := s.now()
		r.ResolvedAt, r.Resolution = &now, resolution
		if _, err := tx.NewUpdate().Model(r).Column("resolved_at", "resolution").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("resolve report: %w", err)
		}
		return s.record(ctx, tx, actor, ActionResolve, r.Target(), spaceID, resolution, "")
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

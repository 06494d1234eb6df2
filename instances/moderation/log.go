package moderation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
)

// logEntry is one line of the moderation log. The moderator is kept for
// the node's admins; the public reads PublicEntry, which lacks them.
type logEntry struct {
	bun.BaseModel `bun:"table:moderation_log"`

	ID          int64     `bun:"id,pk,autoincrement"`
	At          time.Time `bun:"at"`
	ModeratorID string    `bun:"moderator_id,nullzero"` // "" for the node
	Action      Action    `bun:"action"`
	TargetKind  string    `bun:"target_kind"`
	TargetID    string    `bun:"target_id"`
	SpaceID     string    `bun:"space_id"`
	Reason      string    `bun:"reason"`
	Details     string    `bun:"details"`
}

// record appends a log entry inside the caller's transaction, so the act
// and its record commit together or not at all.
func (s *Service) record(ctx context.Context, tx bun.IDB, actor accounts.Actor, action Action, t Target, spaceID, why, details string) error {
	e := &logEntry{At: s.now(), Action: action, TargetKind: string(t.Kind), TargetID: t.ID,
		SpaceID: spaceID, Reason: why, Details: details}
	if actor.Account != nil {
		e.ModeratorID = actor.Account.ID
	}
	if _, err := tx.NewInsert().Model(e).Exec(ctx); err != nil {
		return fmt.Errorf("log %s: %w", action, err)
	}
	return notifyAuthor(ctx, tx, e.At, action, t, why)
}

// PublicEntry is a moderation act as anyone may read it: what, when, why,
// on what, in which space. Who acted and who reported are not in it.
//
// Details are what the act changed, as key=value pairs separated by
// spaces (values never hold a space), for pages to put into words:
//
//	recategorise  from=CATEGORY to=CATEGORY (slugs; from= may be empty)
//	merge         into=PROPOSAL_ID state=STATE_BEFORE moved=N kept=N
//
// moved counts the supports carried over to the other proposal, kept
// those of accounts that supported both, counted once.
type PublicEntry struct {
	ID      int64
	At      time.Time
	Action  Action
	Target  Target
	SpaceID string
	Reason  string
	Details string
}

// Detail returns the value of one key of Details, "" when it has none.
func (e PublicEntry) Detail(key string) string {
	for pair := range strings.FieldsSeq(e.Details) {
		if k, v, ok := strings.Cut(pair, "="); ok && k == key {
			return v
		}
	}
	return ""
}

// LogFilter selects public log entries; zero fields select everything.
type LogFilter struct {
	SpaceID string
	Before  int64 // entries with a smaller id: the next page
	Limit   int   // default 50, at most 500
}

// Log lists moderation acts, newest first, for anyone to read.
func (s *Service) Log(ctx context.Context, f LogFilter) ([]PublicEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 500)
	var rows []logEntry
	// The moderator's column is not even read.
	q := s.db.NewSelect().Model(&rows).
		Column("id", "at", "action", "target_kind", "target_id", "space_id", "reason", "details").
		Order("id DESC").Limit(int64(f.Limit))
	if f.SpaceID != "" {
		q = q.Where("space_id = ?", f.SpaceID)
	}
	if f.Before > 0 {
		q = q.Where("id < ?", f.Before)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("read moderation log: %w", err)
	}
	out := make([]PublicEntry, len(rows))
	for i, r := range rows {
		out[i] = PublicEntry{ID: r.ID, At: r.At, Action: r.Action, Target: Target{Kind: TargetKind(r.TargetKind), ID: r.TargetID},
			SpaceID: r.SpaceID, Reason: r.Reason, Details: r.Details}
	}
	return out, nil
}

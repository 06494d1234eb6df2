package moderation

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
)

// StateMerged is the state of a proposal merged into another. The other
// states belong to package proposals; this one is written here.
const StateMerged = "merged"

// proposal is what moderation reads and changes of a proposal.
type proposal struct {
	bun.BaseModel `bun:"table:proposals"`

	ID           string    `bun:"id,pk"`
	SpaceID      string    `bun:"space_id"`
	AuthorID     string    `bun:"author_id,nullzero"`
	Category     string    `bun:"category"`
	State        string    `bun:"state"`
	SupportCount int       `bun:"support_count"`
	MergedInto   string    `bun:"merged_into,nullzero"`
	UpdatedAt    time.Time `bun:"updated_at"`
}

// lockProposals loads proposals by id, locked in id order so two
// moderators never wait on each other in a circle.
func lockProposals(ctx context.Context, tx bun.Tx, ids ...string) (map[string]*proposal, error) {
	var rows []*proposal
	q := tx.NewSelect().Model(&rows).Where("id IN (?)", bun.In(ids)).Order("id")
	if err := forUpdate(q).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load proposals: %w", err)
	}
	out := make(map[string]*proposal, len(rows))
	for _, p := range rows {
		out[p.ID] = p
	}
	for _, id := range ids {
		if out[id] == nil {
			return nil, fmt.Errorf("proposal %s: %w", id, ErrNotFound)
		}
	}
	return out, nil
}

// Recategorise moves a proposal to another category of its space, for a
// reason given in the public log.
func (s *Service) Recategorise(ctx context.Context, actor accounts.Actor, proposalID, category, why string) error {
	if err := moderator(actor); err != nil {
		return err
	}
	why, err := reason(why, ErrReason)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ps, err := lockProposals(ctx, tx, proposalID)
		if err != nil {
			return err
		}
		p := ps[proposalID]
		if p.Category == category {
			return fmt.Errorf("already in %q: %w", category, ErrNoChange)
		}
		n, err := tx.NewSelect().Table("space_categories").
			Where("space_id = ? AND slug = ?", p.SpaceID, category).Count(ctx)
		if err != nil {
			return fmt.Errorf("find category: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("%w: %q", ErrCategory, category)
		}
		from := p.Category
		p.Category, p.UpdatedAt = category, s.now()
		if _, err := tx.NewUpdate().Model(p).Column("category", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("recategorise: %w", err)
		}
		t := Target{Kind: TargetProposal, ID: p.ID}
		details := fmt.Sprintf("from=%s to=%s", from, category)
		if err := s.record(ctx, tx, actor, ActionRecategorise, t, p.SpaceID, why, details); err != nil {
			return err
		}
		return updated(ctx, tx, s.now(), t)
	})
}

// Merge merges a duplicate proposal (from) into another of the same space
// (into), for a reason given in the public log. The duplicate's supports
// move to the other, an account that supported both counting once; the
// duplicate is left in state "merged", pointing at the other, with no
// supports. Its comments stay where they are. Its open reports are
// answered by the merge and resolved with its reason.
func (s *Service) Merge(ctx context.Context, actor accounts.Actor, fromID, intoID, why string) error {
	if err := moderator(actor); err != nil {
		return err
	}
	why, err := reason(why, ErrReason)
	if err != nil {
		return err
	}
	if fromID == intoID {
		return fmt.Errorf("%w: a proposal is not merged into itself", ErrMerge)
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ps, err := lockProposals(ctx, tx, fromID, intoID)
		if err != nil {
			return err
		}
		from, into := ps[fromID], ps[intoID]
		switch {
		case from.SpaceID != into.SpaceID:
			return fmt.Errorf("%w: they are in different spaces", ErrMerge)
		case from.MergedInto != "" || from.State == StateMerged:
			return fmt.Errorf("%w: %s is already merged", ErrMerge, from.ID)
		case into.MergedInto != "" || into.State == StateMerged:
			return fmt.Errorf("%w: %s was itself merged", ErrMerge, into.ID)
		}
		moved, err := moveSupports(ctx, tx, from.ID, into)
		if err != nil {
			return err
		}
		now := s.now()
		var count int
		if err := tx.NewSelect().Table("proposal_supports").ColumnExpr("COUNT(*)").
			Where("proposal_id = ?", into.ID).Scan(ctx, &count); err != nil {
			return fmt.Errorf("count supports: %w", err)
		}
		into.SupportCount, into.UpdatedAt = count, now
		if _, err := tx.NewUpdate().Model(into).Column("support_count", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("merge into %s: %w", into.ID, err)
		}
		wasState := from.State
		from.State, from.MergedInto, from.SupportCount, from.UpdatedAt = StateMerged, into.ID, 0, now
		if _, err := tx.NewUpdate().Model(from).Column("state", "merged_into", "support_count", "updated_at").
			WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("merge %s: %w", from.ID, err)
		}
		details := fmt.Sprintf("into=%s state=%s moved=%d kept=%d", into.ID, wasState, moved.added, moved.total-moved.added)
		t := Target{Kind: TargetProposal, ID: from.ID}
		if err := s.closeReports(ctx, tx, t, why); err != nil {
			return err
		}
		if err := s.record(ctx, tx, actor, ActionMerge, t, from.SpaceID, why, details); err != nil {
			return err
		}
		if err := updated(ctx, tx, now, t); err != nil {
			return err
		}
		return updated(ctx, tx, now, Target{Kind: TargetProposal, ID: into.ID})
	})
}

// moved counts a merge's supports: total on the duplicate, added to the
// other (the rest were there already).
type moved struct{ total, added int64 }

// moveSupports copies from's supports to into, skipping accounts that
// support into already and into's author (who does not support their own
// proposal), then removes them from from.
func moveSupports(ctx context.Context, tx bun.Tx, fromID string, into *proposal) (moved, error) {
	// SQLite needs the WHERE clause to read ON CONFLICT as an upsert.
	res, err := tx.NewRaw(`INSERT INTO proposal_supports (proposal_id, account_id, created_at, entered_by, desk)
		SELECT ?, account_id, created_at, entered_by, desk FROM proposal_supports WHERE proposal_id = ? AND account_id <> ?
		ON CONFLICT (proposal_id, account_id) DO NOTHING`, into.ID, fromID, into.AuthorID).Exec(ctx)
	if err != nil {
		return moved{}, fmt.Errorf("move supports: %w", err)
	}
	added, err := res.RowsAffected()
	if err != nil {
		return moved{}, fmt.Errorf("move supports: %w", err)
	}
	res, err = tx.NewDelete().Table("proposal_supports").Where("proposal_id = ?", fromID).Exec(ctx)
	if err != nil {
		return moved{}, fmt.Errorf("move supports: %w", err)
	}
	total, err := res.RowsAffected()
	if err != nil {
		return moved{}, fmt.Errorf("move supports: %w", err)
	}
	return moved{total: total, added: added}, nil
}

package spaces

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/outbox"
	"agora/storage/database"
)

// Update changes a space: its title, description, kind, phases,
// categories and rules, never its slug. Only admins (or the command
// line) may. Every problem comes at once, in an *InvalidError, and
// nothing changes; a category that proposals are filed under may be
// renamed but not removed. In one transaction: the change, its line in
// the audit log (which fields changed), and an outbox event for the
// space's followers. When the dates of its phases move, the space
// records when (DatesChangedAt), and its page tells residents.
func (s *Service) Update(ctx context.Context, actor accounts.Actor, id string, in EditSpace) (*Space, error) {
	if err := admin(actor); err != nil {
		return nil, err
	}
	var sp *Space
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		old, err := s.lock(ctx, tx, id)
		if err != nil {
			return err
		}
		next, err := s.checkEdit(ctx, tx, old, in)
		if err != nil {
			return err
		}
		now := s.now()
		next.ID, next.CreatedAt, next.CreatedBy, next.UpdatedAt, next.DatesChangedAt = old.ID, old.CreatedAt, old.CreatedBy, now, old.DatesChangedAt
		for i := range next.Phases {
			next.Phases[i].SpaceID = id
		}
		for i := range next.Categories {
			next.Categories[i].SpaceID = id
		}
		changed := changes(old, next)
		if len(changed) == 0 {
			sp = old
			return nil
		}
		if slices.Contains(changed, "dates") {
			next.DatesChangedAt = &now
		}
		if _, err := tx.NewUpdate().Model(next).WherePK().
			Column("title", "description", "kind", "title_max", "body_max", "support_threshold", "unverified_may_propose",
				"updated_at", "dates_changed_at").Exec(ctx); err != nil {
			return fmt.Errorf("update space: %w", err)
		}
		if _, err := tx.NewDelete().Model((*Phase)(nil)).Where("space_id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("replace phases: %w", err)
		}
		if _, err := tx.NewInsert().Model(&next.Phases).Exec(ctx); err != nil {
			return fmt.Errorf("replace phases: %w", err)
		}
		if _, err := tx.NewDelete().Model((*Category)(nil)).Where("space_id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("replace categories: %w", err)
		}
		if len(next.Categories) > 0 {
			if _, err := tx.NewInsert().Model(&next.Categories).Exec(ctx); err != nil {
				return fmt.Errorf("replace categories: %w", err)
			}
		}
		if err := accounts.Record(ctx, tx, now, actor, "space.edit", "",
			"space="+old.Slug+" changed="+strings.Join(changed, ","), ""); err != nil {
			return err
		}
		var by string
		if actor.Account != nil {
			by = actor.Account.ID
		}
		sp = next
		return outbox.Record(ctx, tx, now, outbox.Update, "space", id, by)
	})
	if err != nil {
		return nil, err
	}
	s.forget(sp)
	return sp, nil
}

// CheckEdit checks a change of a space as Update would, without making
// it: every problem at once in an *InvalidError, nil when Update would
// accept it.
func (s *Service) CheckEdit(ctx context.Context, id string, in EditSpace) error {
	old, err := s.one(ctx, "id = ?", id)
	if err != nil {
		return err
	}
	_, err = s.checkEdit(ctx, s.db, old, in)
	return err
}

// checkEdit checks in as a change of old, and returns the space it makes.
func (s *Service) checkEdit(ctx context.Context, db bun.IDB, old *Space, in EditSpace) (*Space, error) {
	next, bad := s.check(old.Slug, in, false)
	used, err := usedCategories(ctx, db, old.ID)
	if err != nil {
		return nil, err
	}
	for _, slug := range used {
		if !next.HasCategory(slug) {
			bad.Add("categories", ErrCategoryInUse)
			break
		}
	}
	if err := bad.Err("space"); err != nil {
		return nil, err
	}
	return next, nil
}

// lock loads a space for a change, its row locked until the transaction
// ends on PostgreSQL (SQLite transactions hold the only write lock).
func (s *Service) lock(ctx context.Context, tx bun.Tx, id string) (*Space, error) {
	q := tx.NewSelect().Model((*Space)(nil)).Column("id").Where("id = ?", id)
	if database.IsPostgres(tx) {
		q = q.For("UPDATE")
	}
	var got string
	if err := q.Scan(ctx, &got); err != nil {
		if errors.Is(database.Translate(err), database.ErrNotFound) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("lock space: %w", err)
	}
	sp := new(Space)
	err := tx.NewSelect().Model(sp).Where("space.id = ?", id).
		Relation("Phases", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("position") }).
		Relation("Categories", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("position") }).
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load space: %w", err)
	}
	return sp, nil
}

// usedCategories lists the categories proposals of the space are filed
// under.
func usedCategories(ctx context.Context, db bun.IDB, spaceID string) ([]string, error) {
	var out []string
	err := db.NewSelect().Table("proposals").ColumnExpr("DISTINCT category").
		Where("space_id = ? AND category <> ''", spaceID).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("categories in use: %w", err)
	}
	return out, nil
}

// changes names what differs between two versions of a space, as the
// audit log lists it: title, description, kind, rules, phases (their
// kinds, names or number), dates (when a phase starts or ends), and
// categories.
func changes(old, next *Space) []string {
	var out []string
	if old.Title != next.Title {
		out = append(out, "title")
	}
	if old.Description != next.Description {
		out = append(out, "description")
	}
	if old.Kind != next.Kind {
		out = append(out, "kind")
	}
	if old.TitleMax != next.TitleMax || old.BodyMax != next.BodyMax || old.SupportThreshold != next.SupportThreshold ||
		old.UnverifiedMayPropose != next.UnverifiedMayPropose {
		out = append(out, "rules")
	}
	phases, dates := len(old.Phases) != len(next.Phases), false
	for i := range min(len(old.Phases), len(next.Phases)) {
		o, n := old.Phases[i], next.Phases[i]
		phases = phases || o.Kind != n.Kind || o.Name != n.Name
		dates = dates || !o.StartsAt.Equal(n.StartsAt) || !o.EndsAt.Equal(n.EndsAt)
	}
	if len(old.Phases) != len(next.Phases) {
		dates = true
	}
	if phases {
		out = append(out, "phases")
	}
	if dates {
		out = append(out, "dates")
	}
	if !slices.EqualFunc(old.Categories, next.Categories, func(a, b Category) bool {
		return a.Slug == b.Slug && a.NameFR == b.NameFR && a.NameEN == b.NameEN
	}) {
		out = append(out, "categories")
	}
	return out
}

// forget drops a changed space from this process's cache.
func (s *Service) forget(sp *Space) {
	s.mu.Lock()
	delete(s.cache, "id:"+sp.ID)
	delete(s.cache, "slug:"+sp.Slug)
	s.mu.Unlock()
}

// DatesChanged says whether the page of sp should tell residents that
// its dates moved at now: for 30 days after they did.
func (sp *Space) DatesChanged(now time.Time) bool {
	return sp.DatesChangedAt != nil && now.Sub(*sp.DatesChangedAt) < 30*24*time.Hour
}

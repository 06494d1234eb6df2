package apps

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Summary is what a list of apps shows of each beyond its row.
type Summary struct {
	LatestVersion string    // "" without release
	LatestDate    time.Time // zero without release
	Adoptions     int       // cities that use it
}

// Summaries returns the latest release (as Releases orders them) and the
// number of cities that use each app of ids, in two queries whatever
// their number, for lists.
func (s *Service) Summaries(ctx context.Context, ids []string) (map[string]Summary, error) {
	out := make(map[string]Summary, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var counts []struct {
		AppID string `bun:"app_id"`
		N     int    `bun:"n"`
	}
	if err := s.db.NewSelect().Model((*Adoption)(nil)).ColumnExpr("d.app_id, COUNT(*) AS n").
		Where("d.app_id IN (?)", bun.In(ids)).Group("d.app_id").Scan(ctx, &counts); err != nil {
		return nil, fmt.Errorf("count adoptions: %w", err)
	}
	for _, c := range counts {
		out[c.AppID] = Summary{Adoptions: c.N}
	}
	var releases []Release
	if err := s.db.NewSelect().Model(&releases).Column("r.id", "r.app_id", "r.version", "r.released_on", "r.created_at").
		Where("r.app_id IN (?)", bun.In(ids)).OrderExpr("r.app_id, r.released_on DESC, r.created_at DESC, r.id").
		Scan(ctx); err != nil {
		return nil, fmt.Errorf("latest releases: %w", err)
	}
	for _, r := range releases {
		sum := out[r.AppID]
		if sum.LatestVersion == "" {
			sum.LatestVersion, sum.LatestDate = r.Version, r.Date
			out[r.AppID] = sum
		}
	}
	return out, nil
}

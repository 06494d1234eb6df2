package projects

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/geo"
)

// Point is the project's map point, if it has one.
func (p *Project) Point() (geo.Point, bool) {
	if p.LatE6 == nil || p.LonE6 == nil {
		return geo.Point{}, false
	}
	return geo.Point{Lat: geo.FromE6(*p.LatE6), Lon: geo.FromE6(*p.LonE6)}, true
}

// e6s is a point as the columns store it: nil, nil for none.
func e6s(p *geo.Point) (*int64, *int64) {
	if p == nil {
		return nil, nil
	}
	lat, lon := geo.E6(p.Lat), geo.E6(p.Lon)
	return &lat, &lon
}

// point refuses a point off Earth (a latitude beyond ±90°, a longitude
// beyond ±180°, not a number).
func (p Problems) point(at *geo.Point) Problems {
	if at != nil && !at.Valid() {
		p["point"] = ProblemRange
	}
	return p
}

// PlaceInput is where a project is: an address, a map point, both or
// neither (a city-wide project has none).
type PlaceInput struct {
	Address string
	Point   *geo.Point
}

// Problems names each field of the place at fault.
func (in PlaceInput) Problems() Problems {
	return Problems{}.text("address", in.Address, FieldMax, false).point(in.Point)
}

// SetPlace sets a project's address and map point, replacing both. Where
// a project is built does not change what residents vote for, so the
// place may be set at any time: before the vote, or once funded, when
// the services know the exact spot.
func (s *Service) SetPlace(ctx context.Context, actor accounts.Actor, projectID string, in PlaceInput) error {
	if !manages(actor) {
		return ErrForbidden
	}
	if err := in.Problems().Err(); err != nil {
		return err
	}
	lat, lon := e6s(in.Point)
	now := s.now().UTC()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := projectOn(ctx, tx, projectID); err != nil {
			return err
		}
		_, err := tx.NewUpdate().Model((*Project)(nil)).Where("id = ?", projectID).
			Set("address = ?", strings.TrimSpace(in.Address)).Set("lat_e6 = ?", lat).Set("lon_e6 = ?", lon).
			Set("updated_at = ?", now).Exec(ctx)
		if err != nil {
			return fmt.Errorf("place project: %w", err)
		}
		return accounts.Record(ctx, tx, now, actor, "budget.place", projectID, "", "")
	})
}

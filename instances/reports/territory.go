package reports

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"agora/instances/accounts"
	"agora/storage/database"
)

// territoryKey is the node_settings row that holds the territory.
const territoryKey = "reports.territory"

// MaxTerritoryPoints bounds the outline an admin sets.
const MaxTerritoryPoints = 10_000

// ErrTerritory is an outline with fewer than 3 or more than
// MaxTerritoryPoints points, or a point off Earth.
var ErrTerritory = errors.New("a territory is 3 to 10,000 valid points")

// SetTerritory sets the node's territory: reports must fall inside it.
// Only an admin (or the command line) may. An empty polygon removes it,
// and then any point on Earth is accepted.
func (s *Service) SetTerritory(ctx context.Context, actor accounts.Actor, poly Polygon) error {
	if actor.Account != nil && !actor.Account.Has(accounts.Admin) {
		return ErrForbidden
	}
	if len(poly) > 0 && (len(poly) < 3 || len(poly) > MaxTerritoryPoints) {
		return ErrTerritory
	}
	pairs := make([][2]float64, len(poly))
	for i, p := range poly {
		if !p.Valid() {
			return ErrTerritory
		}
		pairs[i] = [2]float64{p.Lat, p.Lon}
	}
	if len(poly) == 0 {
		if _, err := s.db.NewRaw("DELETE FROM node_settings WHERE key = ?", territoryKey).Exec(ctx); err != nil {
			return fmt.Errorf("remove territory: %w", err)
		}
		return nil
	}
	b, err := json.Marshal(pairs)
	if err != nil {
		return fmt.Errorf("encode territory: %w", err)
	}
	_, err = s.db.NewRaw(`INSERT INTO node_settings (key, value, updated_at) VALUES (?, ?, ?)
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`, territoryKey, string(b), s.now()).Exec(ctx)
	if err != nil {
		return fmt.Errorf("save territory: %w", err)
	}
	return nil
}

// Territory returns the node's territory, nil when none is set.
func (s *Service) Territory(ctx context.Context) (Polygon, error) {
	var v string
	err := s.db.NewSelect().Table("node_settings").Column("value").Where("key = ?", territoryKey).Scan(ctx, &v)
	if errors.Is(database.Translate(err), database.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load territory: %w", err)
	}
	var pairs [][2]float64
	if err := json.Unmarshal([]byte(v), &pairs); err != nil {
		return nil, fmt.Errorf("decode territory: %w", err)
	}
	poly := make(Polygon, len(pairs))
	for i, p := range pairs {
		poly[i] = Point{Lat: p[0], Lon: p[1]}
	}
	return poly, nil
}

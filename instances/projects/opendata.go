package projects

import (
	"context"
	"fmt"
)

// Editions returns every edition of the node with its headings, oldest
// first: the node-wide open data walks them.
func (s *Service) Editions(ctx context.Context) ([]Budget, error) {
	var out []Budget
	if err := s.db.NewSelect().Model(&out).OrderExpr("b.created_at, b.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list editions: %w", err)
	}
	var hs []Heading
	if err := s.db.NewSelect().Model(&hs).OrderExpr("h.budget_id, h.position").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list headings: %w", err)
	}
	at := make(map[string]int, len(out))
	for i := range out {
		at[out[i].ID] = i
	}
	for _, h := range hs {
		if i, ok := at[h.BudgetID]; ok {
			out[i].Headings = append(out[i].Headings, h)
		}
	}
	return out, nil
}

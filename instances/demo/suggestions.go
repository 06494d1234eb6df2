package demo

import (
	"context"
	"fmt"
	"time"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/reports"
	"agora/instances/spaces"
)

// Suggestions of new amenities in the demo (docs/REPORTS.md): three
// suggestion categories, five suggestions supported by neighbours, the
// neighbourhood council's ranked vote on them, closed with its result so
// each shows its rank, and one suggestion sent after the vote, not
// ranked yet. The vote ran last week, on clocks as votes.go's.

// demoSuggestionCategories are the categories of suggestions.
var demoSuggestionCategories = []reports.Category{
	{Slug: "banc", NameFR: "Un banc", NameEN: "A bench", Service: serviceRoads, Kind: reports.Suggestion},
	{Slug: "arceau-velo", NameFR: "Des arceaux à vélos", NameEN: "A bike rack", Service: serviceRoads, Kind: reports.Suggestion},
	{Slug: "nouvel-arbre", NameFR: "Un arbre à planter", NameEN: "A tree to plant", Service: serviceGreen, Kind: reports.Suggestion},
}

// demoSuggestions are the suggestions: category, place (streets), author,
// text and how many neighbours support it.
var demoSuggestions = []struct {
	category string
	place    int
	author   string
	text     string
	supports int
}{
	{"banc", 15, "camille", "Un banc à l’ombre dans le square : les personnes âgées n’ont nulle part où s’asseoir.", 6},
	{"arceau-velo", 0, "youssef", "Des arceaux à vélos devant le marché : les vélos sont attachés aux grilles des arbres.", 4},
	{"nouvel-arbre", 16, "marie_claire", "Planter un arbre devant l’école : la cour est en plein soleil l’été.", 5},
	{"banc", 14, "thanh", "Deux bancs sur la place, face à la fontaine.", 2},
	{"arceau-velo", 12, "sophie", "Des arceaux près de la station de métro Pasteur.", 1},
}

// suggestions loads the suggestions and the council's vote on them.
func suggestions(ctx context.Context, svc Services, now time.Time, council *spaces.Space, people map[string]*accounts.Account) error {
	if svc.Reports == nil || svc.Council == nil || svc.Decisions == nil {
		return nil
	}
	day := 24 * time.Hour
	at := now.Add(-12 * day)
	clock := func() time.Time { return at }
	s := svc.Reports(clock)
	for i, c := range demoSuggestionCategories {
		c.Position = 10 + i
		if err := s.SaveCategory(ctx, accounts.As(people["demo_admin"]), c); err != nil {
			return fmt.Errorf("demo suggestion category: %w", err)
		}
	}
	var ids []string
	for i, d := range demoSuggestions {
		at = now.Add(-time.Duration(12-i) * day)
		place := streets[d.place]
		r, err := s.Create(ctx, accounts.As(people[d.author]), reports.Input{Category: d.category, Address: place.address,
			Point: &reports.Point{Lat: place.lat, Lon: place.lon}, Description: d.text, NamePublic: true})
		if err != nil {
			return fmt.Errorf("demo suggestion %d: %w", i, err)
		}
		ids = append(ids, r.ID)
		for _, who := range supporters(d.supports, d.author) {
			at = at.Add(time.Hour)
			if err := s.Confirm(ctx, accounts.As(people[who]), r.ID); err != nil {
				return fmt.Errorf("demo support: %w", err)
			}
		}
	}

	// The council's vote: opened a week ago, ballots five days ago,
	// closed now (as votes.go's closed vote), then ranked.
	at = now.Add(-7*day - time.Hour)
	closesAt := time.Now().UTC().Add(time.Millisecond)
	official := accounts.As(people["espaces_verts"])
	v, err := svc.Council(clock).OpenVote(ctx, official, council.ID, reports.CouncilInput{
		Question:    "Quels aménagements le conseil de quartier demande-t-il en priorité ?",
		Description: "Les suggestions des habitantes et habitants, les plus soutenues d’abord. Classez-les par ordre de préférence.",
		Method:      decisions.Ranked, OpensAt: now.Add(-7 * day), ClosesAt: closesAt,
	})
	if err != nil {
		return fmt.Errorf("demo council vote: %w", err)
	}
	at = now.Add(-5 * day)
	past := svc.Decisions(clock)
	bench, rack, tree, benches, metro := ids[0], ids[1], ids[2], ids[3], ids[4]
	for _, b := range []struct {
		who     string
		ranking []string
	}{
		{"camille", []string{bench, tree, benches}},
		{"youssef", []string{rack, bench, metro}},
		{"marie_claire", []string{tree, bench, rack}},
		{"thanh", []string{benches, bench, tree}},
		{"sophie", []string{metro, rack, tree}},
		{"karim", []string{tree, rack}},
		{"nadia", []string{bench, tree}},
	} {
		if _, err := past.Cast(ctx, accounts.As(people[b.who]), v.ID, decisions.Choice{Ranking: b.ranking}, false); err != nil {
			return fmt.Errorf("demo council ballot: %w", err)
		}
	}
	if err := svc.Council(func() time.Time { return closesAt }).Rank(ctx, v.ID); err != nil {
		return fmt.Errorf("demo council rank: %w", err)
	}

	// Sent since: not ranked yet, already supported.
	at = now.Add(-2 * day)
	place := streets[9]
	r, err := s.Create(ctx, accounts.As(people["paul"]), reports.Input{Category: "nouvel-arbre", Address: place.address,
		Point: &reports.Point{Lat: place.lat, Lon: place.lon}, Description: "Un arbre à la place de la place de stationnement condamnée."})
	if err != nil {
		return fmt.Errorf("demo late suggestion: %w", err)
	}
	at = at.Add(time.Hour)
	if err := s.Confirm(ctx, accounts.As(people["chloe"]), r.ID); err != nil {
		return fmt.Errorf("demo late support: %w", err)
	}
	return nil
}

package search_test

import (
	"fmt"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/proposals"
	"agora/instances/search"
	"agora/instances/spaces"
	"agora/storage/ratelimit"
	"agora/storage/storagetest"
)

// TestSearchRanked: a proposal or a debate that holds the words better
// (in its title, several times) comes before newer weaker matches, on
// both databases, accents aside; the kinds found come in the order of
// their best hit.
func TestSearchRanked(t *testing.T) {
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		w := newWorld(t, dialect)
		ctx, c, as := w.ctx, w.clock, accounts.As(w.alice)
		now := c.Now()
		space, err := w.sp.Create(ctx, accounts.System, spaces.NewSpace{Slug: "jardins", Title: "Jardins",
			Phases: []spaces.PhaseInput{{Kind: spaces.Proposals, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(24 * time.Hour)}}})
		if err != nil {
			t.Fatal(err)
		}
		propose := func(title, body string) {
			t.Helper()
			c.Advance(time.Minute)
			if _, err := w.pr.Create(ctx, as, space.ID, proposals.Input{Title: title, Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		debate := func(q, d string) {
			t.Helper()
			c.Advance(time.Minute)
			if _, err := w.dbt.CreateDebate(ctx, as, debates.NewDebate{SpaceID: space.ID, Question: q, Description: d}); err != nil {
				t.Fatal(err)
			}
		}
		// The strong matches first, then newer weak ones.
		propose("Jardin partagé : un jardin pour l’école", "Un jardin potager, des jardiniers, un jardin ouvert.")
		debate("Quel jardin pour le square ?", "Un jardin de plantes, ou un jardin d’enfants.")
		propose("Des bancs", "Installer des bancs rue Lecourbe, près des commerces, et peut-être un jardin plus tard.")
		propose("Un éclairage", "Éclairer la rue la nuit, les commerces, la placette ; sans oublier le jardin du square.")
		debate("Des horaires d’été", "Ouvrir plus tard l’été, bibliothèque, piscine et jardin compris.")

		for _, q := range []string{"jardin", "JARDINS", "jardîn"} {
			res, err := w.svc.Search(ctx, search.Query{Text: q})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(res.Hits[search.Proposal]); len(got) != 3 || got[0] != "Jardin partagé : un jardin pour l’école" {
				t.Errorf("%s: proposals %q, want the jardin one first", q, got)
			}
			if got := ids(res.Hits[search.Debate]); len(got) != 2 || got[0] != "Quel jardin pour le square ?" {
				t.Errorf("%s: debates %q, want the jardin one first", q, got)
			}
			hs := res.Hits[search.Proposal]
			if len(hs) == 3 && !(hs[0].Score > hs[1].Score && hs[0].Score > 0 && hs[0].Score < 1) {
				t.Errorf("%s: scores %v, %v", q, hs[0].Score, hs[1].Score)
			}
			if len(res.Order) < 2 || res.Hits[res.Order[0]][0].Score < res.Hits[res.Order[1]][0].Score {
				t.Errorf("%s: kinds in order %v", q, res.Order)
			}
		}
	})
}

// TestSearchRankedTiers: the newest search.Ranked matches are ordered
// by relevance on the first pages, older ones follow newest first; the
// pages neither overlap nor skip, and the last says there is no more.
// With a few more matches than are ranked, and with matches dense
// enough among the newest proposals that PostgreSQL walks them by date
// rather than counting them (search.Dense).
func TestSearchRankedTiers(t *testing.T) {
	t.Parallel()
	for _, total := range []int{search.Ranked + 5, search.Dense + search.Ranked} {
		t.Run(fmt.Sprint(total), func(t *testing.T) {
			t.Parallel()
			rankedTiers(t, total)
		})
	}
}

func rankedTiers(t *testing.T, total int) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		w := newWorld(t, dialect, proposals.WithProposalLimits([]ratelimit.Rule{{Max: 10_000, Window: time.Minute}}, nil))
		ctx, c, as := w.ctx, w.clock, accounts.As(w.alice)
		now := c.Now()
		space, err := w.sp.Create(ctx, accounts.System, spaces.NewSpace{Slug: "fontaines",
			Phases: []spaces.PhaseInput{{Kind: spaces.Proposals, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(24 * time.Hour)}}, Title: "Fontaines"})
		if err != nil {
			t.Fatal(err)
		}
		for i := range total {
			c.Advance(time.Second)
			title, body := fmt.Sprintf("Banc numéro %d", i), "Près d’une fontaine."
			if i == 0 || i == total-100 { // strong: the oldest (past the ranked ones) and one among them
				title, body = fmt.Sprintf("Fontaine %d : une fontaine, des fontaines", i), "Une fontaine à boire."
			}
			if _, err := w.pr.Create(ctx, as, space.ID, proposals.Input{Title: title, Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		var all []search.Hit
		for page := 1; page <= (total+search.PerKind-1)/search.PerKind; page++ {
			res, err := w.svc.Search(ctx, search.Query{Text: "fontaine", Kind: search.Proposal, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			if more := res.More[search.Proposal]; more != (page*search.PerKind < total) {
				t.Errorf("page %d: more %v", page, more)
			}
			all = append(all, res.Hits[search.Proposal]...)
		}
		seen := map[string]bool{}
		for _, h := range all {
			if seen[h.ID] {
				t.Errorf("%q twice", h.Title)
			}
			seen[h.ID] = true
		}
		if len(all) != total {
			t.Fatalf("%d hits, want %d", len(all), total)
		}
		if want := fmt.Sprintf("Fontaine %d : une fontaine, des fontaines", total-100); all[0].Title != want {
			t.Errorf("first %q, want %q", all[0].Title, want)
		}
		// Past the ranked ones: the oldest, newest first, the strong
		// oldest last.
		rest := all[search.Ranked:]
		if rest[len(rest)-1].Title != "Fontaine 0 : une fontaine, des fontaines" || rest[0].Title != fmt.Sprintf("Banc numéro %d", total-search.Ranked-1) {
			t.Errorf("after the ranked ones: %q", ids(rest))
		}
	})
}

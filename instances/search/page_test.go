package search_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/moderation"
	"agora/instances/proposals"
	"agora/instances/search"
	"agora/instances/spaces"
	"agora/storage/ratelimit"
	"agora/storage/storagetest"
)

// TestSearchPages: results come newest first a page at a time, More says
// when another page follows, a space narrows them, words match other
// forms of words (plural, accents, capitals) in comments and debates, an edited comment is found by its new
// words only, a hidden debate's comments are never found, and a bad page
// or an unknown space is refused.
func TestSearchPages(t *testing.T) {
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		w := newWorld(t, dialect, proposals.WithProposalLimits([]ratelimit.Rule{{Max: 10_000, Window: time.Minute}}, nil))
		ctx, c, sp, pr, dbt, mod, svc, alice, moderator := w.ctx, w.clock, w.sp, w.pr, w.dbt, w.mod, w.svc, w.alice, w.moderator
		as := accounts.As(alice)
		now := c.Now()
		space := func(slug string) *spaces.Space {
			s, err := sp.Create(ctx, accounts.System, spaces.NewSpace{Slug: slug, Title: "Espace " + slug,
				Phases: []spaces.PhaseInput{{Kind: spaces.Proposals, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(24 * time.Hour)}}})
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		nord, sud := space("nord"), space("sud")
		var first *proposals.Proposal
		for i := range 45 {
			c.Advance(time.Second)
			p, err := pr.Create(ctx, as, nord.ID, proposals.Input{Title: fmt.Sprintf("Fontaine numéro %d", i), Body: "Une fontaine."})
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = p
			}
		}
		c.Advance(time.Second)
		if _, err := pr.Create(ctx, as, sud.ID, proposals.Input{Title: "Fontaine du sud", Body: "Au sud."}); err != nil {
			t.Fatal(err)
		}

		// Most relevant first, then newest, 20 by 20: the pages neither
		// overlap nor skip.
		var titles []string
		var all []search.Hit
		for page := 1; page <= 3; page++ {
			res, err := svc.Search(ctx, search.Query{Text: "fontaine", Kind: search.Proposal, Page: page})
			if err != nil {
				t.Fatal(err)
			}
			hs := res.Hits[search.Proposal]
			wantLen, wantMore := 20, true
			if page == 3 {
				wantLen, wantMore = 6, false
			}
			if len(hs) != wantLen || res.More[search.Proposal] != wantMore {
				t.Fatalf("page %d: %d hits, more %v; want %d, %v", page, len(hs), res.More[search.Proposal], wantLen, wantMore)
			}
			for _, h := range hs {
				titles = append(titles, h.Title)
			}
			all = append(all, hs...)
		}
		seen := map[string]bool{}
		for i, h := range all {
			if seen[h.ID] {
				t.Errorf("%q on two pages", h.Title)
			}
			seen[h.ID] = true
			if i > 0 {
				prev := all[i-1]
				if h.Score > prev.Score || h.Score == prev.Score && h.CreatedAt.After(prev.CreatedAt) {
					t.Errorf("%q (%v, %v) after %q (%v, %v)", h.Title, h.Score, h.CreatedAt, prev.Title, prev.Score, prev.CreatedAt)
				}
			}
		}
		// The 45 alike by score, newest first.
		if i := slices.Index(titles, "Fontaine numéro 44"); i < 0 || i+44 >= len(titles) || titles[i+44] != "Fontaine numéro 0" {
			t.Errorf("order: %q", titles)
		}
		// A space narrows.
		res, err := svc.Search(ctx, search.Query{Text: "fontaine", Space: "sud"})
		if err != nil || len(res.Hits[search.Proposal]) != 1 || res.Hits[search.Proposal][0].Title != "Fontaine du sud" {
			t.Errorf("in sud: %+v, %v", res, err)
		}

		// Comments and debates: the start of a word, accents aside.
		d, err := dbt.CreateDebate(ctx, as, debates.NewDebate{SpaceID: sud.ID, Question: "Où mettre les bancs ?", Description: "Près des écoles."})
		if err != nil {
			t.Fatal(err)
		}
		onDebate, err := dbt.Add(ctx, as, debates.NewComment{Target: debates.Target{Kind: debates.TargetDebate, ID: d.ID}, Body: "Devant la médiathèque."})
		if err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Second)
		onProposal, err := dbt.Add(ctx, as, debates.NewComment{Target: debates.Target{Kind: debates.TargetProposal, ID: first.ID}, Body: "Une médiathèque aussi."})
		if err != nil {
			t.Fatal(err)
		}
		found := func(q search.Query, k search.Kind) []string {
			t.Helper()
			res, err := svc.Search(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, h := range res.Hits[k] {
				out = append(out, h.ID)
			}
			return out
		}
		if got := found(search.Query{Text: "ÉCOLE"}, search.Debate); len(got) != 1 || got[0] != d.ID {
			t.Errorf("debates for ÉCOLE = %v", got)
		}
		if got := found(search.Query{Text: "MEDIATHEQUES"}, search.Comment); len(got) != 2 || got[0] != onProposal.ID {
			t.Errorf("comments for MEDIATHEQUES = %v, want both, newest first", got)
		}
		if got := found(search.Query{Text: "mediatheque", Space: "nord"}, search.Comment); len(got) != 1 || got[0] != onProposal.ID {
			t.Errorf("comments in nord = %v, want the one on the proposal", got)
		}
		if _, err := dbt.Edit(ctx, as, onDebate.ID, "Devant la piscine."); err != nil {
			t.Fatal(err)
		}
		if got := found(search.Query{Text: "piscine"}, search.Comment); len(got) != 1 {
			t.Errorf("edited comment by its new words = %v", got)
		}
		if got := found(search.Query{Text: "mediatheque", Space: "sud"}, search.Comment); len(got) != 0 {
			t.Errorf("edited comment by its old words = %v", got)
		}
		if err := mod.Hide(ctx, moderator, moderation.Target{Kind: moderation.TargetDebate, ID: d.ID}, "hors sujet"); err != nil {
			t.Fatal(err)
		}
		if got := found(search.Query{Text: "piscine"}, search.Comment); len(got) != 0 {
			t.Errorf("a hidden debate's comment was found: %v", got)
		}
		if got := found(search.Query{Text: "bancs"}, search.Debate); len(got) != 0 {
			t.Errorf("a hidden debate was found: %v", got)
		}

		// Refused.
		for _, q := range []search.Query{{Text: "fontaine", Page: 51}, {Text: "fontaine", Page: -1}} {
			if _, err := svc.Search(ctx, q); !errors.Is(err, search.ErrPage) {
				t.Errorf("page %d: %v, want ErrPage", q.Page, err)
			}
		}
		if _, err := svc.Search(ctx, search.Query{Text: "fontaine", Space: "ouest"}); !errors.Is(err, search.ErrSpace) {
			t.Errorf("unknown space: %v, want ErrSpace", err)
		}
		for _, s := range []string{"0", "x", "51", "1e3"} {
			if _, err := search.ParsePage(s); !errors.Is(err, search.ErrPage) {
				t.Errorf("ParsePage(%q) = %v", s, err)
			}
		}
	})
}

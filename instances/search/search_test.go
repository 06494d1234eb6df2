package search_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/instancestest"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/proposals"
	"agora/instances/search"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

// world is what a search test writes with: the services over one
// database, a clock, and alice, a verified resident, beside a moderator.
type world struct {
	ctx       context.Context
	clock     *storagetest.Clock
	sp        *spaces.Service
	pr        *proposals.Service
	dbt       *debates.Service
	mod       *moderation.Service
	svc       *search.Service
	alice     *accounts.Account
	moderator accounts.Actor
}

func newWorld(t *testing.T, dialect string, opts ...proposals.Option) world {
	t.Helper()
	ctx := t.Context()
	db := storagetest.MigratedDB(t, dialect)
	c := storagetest.NewClock(time.Now().UTC())
	md := markup.New()
	acc := accounts.NewService(db, c.Now)
	sp := spaces.NewService(db, md, c.Now)
	alice := instancestest.Account(t, acc, "alice")
	if err := acc.VerifyByOperator(ctx, alice.ID, accounts.Electoral{}); err != nil {
		t.Fatal(err)
	}
	return world{ctx: ctx, clock: c, sp: sp, pr: proposals.NewService(db, md, acc, sp, c.Now, opts...),
		dbt: debates.NewService(db, md, c.Now), mod: moderation.NewService(db, c.Now), svc: search.NewService(db),
		alice: alice, moderator: accounts.As(instancestest.Account(t, acc, "moderatrice", accounts.Moderator))}
}

func ids(hits []search.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Title)
	}
	return out
}

// TestSearch: every kind is found by its words whatever their accents and
// case, hidden things never; bad searches are refused with ErrQuery, and
// operator syntax is only words.
func TestSearch(t *testing.T) {
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		w := newWorld(t, dialect)
		ctx, c, sp, pr, dbt, mod, svc, alice, moderator := w.ctx, w.clock, w.sp, w.pr, w.dbt, w.mod, w.svc, w.alice, w.moderator
		now := c.Now()
		space, err := sp.Create(ctx, accounts.System, spaces.NewSpace{Slug: "ecoles", Title: "Les Écoles du quartier", Description: "Cours d’école.",
			Phases: []spaces.PhaseInput{{Kind: spaces.Proposals, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(24 * time.Hour)}}})
		if err != nil {
			t.Fatal(err)
		}
		p, err := pr.Create(ctx, accounts.As(alice), space.ID, proposals.Input{Title: "Végétaliser la cour de l’école", Body: "Des arbres."})
		if err != nil {
			t.Fatal(err)
		}
		hidden, err := pr.Create(ctx, accounts.As(alice), space.ID, proposals.Input{Title: "Une école cachée", Body: "Secret."})
		if err != nil {
			t.Fatal(err)
		}
		if err := mod.Hide(ctx, moderator, moderation.Target{Kind: moderation.TargetProposal, ID: hidden.ID}, "doublon"); err != nil {
			t.Fatal(err)
		}
		d, err := dbt.CreateDebate(ctx, accounts.As(alice), debates.NewDebate{SpaceID: space.ID, Question: "Faut-il fermer la rue de l’ÉCOLE ?"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dbt.Add(ctx, accounts.As(alice), debates.NewComment{Target: debates.Target{Kind: debates.TargetProposal, ID: p.ID},
			Body: "Oui, une cour d’école plus verte."}); err != nil {
			t.Fatal(err)
		}
		rude, err := dbt.Add(ctx, accounts.As(alice), debates.NewComment{Target: debates.Target{Kind: debates.TargetDebate, ID: d.ID},
			Body: "Une école de grossièretés."})
		if err != nil {
			t.Fatal(err)
		}
		if err := mod.Hide(ctx, moderator, moderation.Target{Kind: moderation.TargetComment, ID: rude.ID}, "insulte"); err != nil {
			t.Fatal(err)
		}

		res, err := svc.Search(ctx, search.Query{Text: "ECOLE"})
		if err != nil {
			t.Fatal(err)
		}
		want := map[search.Kind][]string{
			search.Proposal: {"Végétaliser la cour de l’école"},
			search.Debate:   {"Faut-il fermer la rue de l’ÉCOLE ?"},
			search.Comment:  {"Oui, une cour d’école plus verte."},
			search.Space:    {"Les Écoles du quartier"},
		}
		for k, w := range want {
			if got := ids(res.Hits[k]); !slices.Equal(got, w) {
				t.Errorf("%s: found %q, want %q", k, got, w)
			}
		}
		// Every word must match; a kind narrows.
		res, err = svc.Search(ctx, search.Query{Text: "école verte", Kind: search.Comment})
		if err != nil || len(res.Hits) != 1 || len(res.Hits[search.Comment]) != 1 {
			t.Errorf("école verte in comments = %+v, %v", res, err)
		}
		// Operator syntax is words, and matches nothing here.
		for _, q := range []string{`"école" OR cour*`, `NEAR(école cour)`, `école' -- ; DROP TABLE proposals`, "100%_école"} {
			if _, err := svc.Search(ctx, search.Query{Text: q}); err != nil {
				t.Errorf("Search(%q) = %v", q, err)
			}
		}
		for _, q := range []string{strings.Repeat("école ", 2000), "", "a", "!!!", "\xff\xfe"} {
			if _, err := svc.Search(ctx, search.Query{Text: q}); !errors.Is(err, search.ErrQuery) {
				t.Errorf("Search(%.20q…) = %v, want ErrQuery", q, err)
			}
		}
		if _, err := svc.Search(ctx, search.Query{Text: "école", Kind: "budget"}); !errors.Is(err, search.ErrKind) {
			t.Errorf("unknown kind: %v", err)
		}
	})
}

package main

import (
	"context"
	"fmt"
	"time"

	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/instances/debates"
	"agora/instances/decisions"
	"agora/instances/demo"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/projects"
	"agora/instances/proposals"
	"agora/instances/reports"
	"agora/instances/site"
	"agora/instances/spaces"
)

func cmdAdminCreateSpace(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin create-space", "--slug S --title T [--kind process|council|assembly] [flags]",
		"Open a participatory space. With no more options it takes a proposal phase of 30 days from now,\n"+
			"then evaluation and implementation; phases, categories and limits are changed in the web form.")
	slug := fs.String("slug", "", "short name in URLs, e.g. budget-2027 (a-z, 0-9, -)")
	title := fs.String("title", "", "title shown to residents")
	kind := fs.String("kind", "process", "process, council or assembly")
	description := fs.String("description", "", "description, in Markdown")
	threshold := fs.Int("threshold", spaces.DefaultThreshold, "supports that send a proposal to official review (0: never)")
	unverified := fs.Bool("unverified-may-propose", false, "let residents not yet verified propose (supports still need verification)")
	cfg, err := parseAdminConfig(e, fs, args)
	if err != nil {
		return err
	}
	if *slug == "" || *title == "" {
		return usageError{"create-space needs --slug and --title"}
	}
	n, err := openExistingNode(ctx, &cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	sp, err := spaces.NewService(n.db, markup.New(), nil).Create(ctx, accounts.System, spaces.NewSpace{
		Slug: *slug, Title: *title, Kind: spaces.Kind(*kind), Description: *description,
		SupportThreshold: *threshold, UnverifiedMayPropose: *unverified,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created space %s: %s/spaces/%s\n", sp.Slug, cfg.BaseURL, sp.Slug)
	return nil
}

func cmdAdminDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin demo", "[flags]",
		"Load the demo arrondissement, Paris 15e: a participatory budget and a neighbourhood council, each with\n"+
			"a debate; residents, staff, proposals in every state with official answers, supports, comments, a\nhidden comment in the moderation log, and apps in the catalogue. Refused if already loaded.")
	cfg, err := parseAdminConfig(e, fs, args)
	if err != nil {
		return err
	}
	n, err := openExistingNode(ctx, &cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	if err := loadDemo(ctx, n); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo loaded: %s/spaces/%s\nsign in as its administrator with: agora admin login-link --handle demo_admin\n",
		cfg.BaseURL, demo.BudgetSlug)
	return nil
}

// loadDemo loads the demo through the node's services.
func loadDemo(ctx context.Context, n *node) error {
	md := markup.New()
	acc := accounts.NewService(n.db, nil)
	sp := spaces.NewService(n.db, md, nil)
	return demo.Load(ctx, demo.Services{
		Accounts: acc, Spaces: sp, Proposals: proposals.NewService(n.db, md, acc, sp, nil),
		Debates: debates.NewService(n.db, md, nil), Moderation: moderation.NewService(n.db, nil),
		Apps: apps.NewService(n.db, n.blobs, nil, apps.Options{}), Site: site.NewService(n.db, nil),
		Decisions: func(now func() time.Time) *decisions.Service { return decisions.NewService(n.db, acc, sp, now) },
		Projects:  projects.NewService(n.db, n.blobs, nil),
		Voting: func(now func() time.Time) *projects.Voting {
			return projects.NewVoting(n.db, projects.NewService(n.db, n.blobs, now), decisions.NewService(n.db, acc, sp, now), now)
		},
		Reports: func(now func() time.Time) *reports.Service { return reports.NewService(n.db, now) },
		Council: func(now func() time.Time) *reports.Council {
			return reports.NewCouncil(n.db, reports.NewService(n.db, now), sp, decisions.NewService(n.db, acc, sp, now), now)
		},
	}, time.Now())
}

func cmdAdminSeed(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin seed", "[--scale F] [flags]",
		"Fill an empty node with a large generated space for performance measurements:\n"+
			"at scale 1, 50,000 residents, 100,000 proposals, 1,000,000 supports, 500,000 comments\n"+
			"(300 on one proposal). Never on a real node: the content is generated.")
	scale := fs.Float64("scale", 1, "fraction of the full size, e.g. 0.01 for a quick run")
	seed := fs.Uint64("seed", 1, "random seed (the same seed builds the same node)")
	cfg, err := parseAdminConfig(e, fs, args)
	if err != nil {
		return err
	}
	if *scale <= 0 || *scale > 10 {
		return usageError{"--scale is between 0 and 10"}
	}
	n, err := openExistingNode(ctx, &cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	start := time.Now()
	z := demo.Large.Scale(*scale)
	got, err := demo.Seed(ctx, n.db, z, *seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "seeded %+v in %s\nspace: %s/spaces/%s\nproposal with %d comments: %s/proposals/%s\n",
		z, time.Since(start).Round(time.Second), cfg.BaseURL, got.SpaceSlug, z.HotComments, cfg.BaseURL, got.HotID)
	return nil
}

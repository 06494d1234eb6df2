package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"agora/federation/coordination"
	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/markup"
	"agora/instances/spaces"
)

// The commands of one decision across several nodes
// (docs/DECISIONS.md): coordinate publishes a process, join runs one on
// this node, collect gathers the parts now rather than at serve's next
// round.

// listFlag is a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// whenFlag reads a time as RFC 3339, or as a duration from now.
func whenFlag(v string, now time.Time) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither a time (2027-03-01T08:00:00Z) nor a duration from now (90m)", v)
	}
	return now.Add(d), nil
}

// runner is the admin or official an admin command acts as.
func runner(ctx context.Context, n *node, handle string) (accounts.Actor, error) {
	if handle == "" {
		return accounts.Actor{}, usageError{"--by HANDLE names the admin or official who does it"}
	}
	a, err := accounts.NewService(n.db, nil).ByHandle(ctx, handle)
	if err != nil {
		return accounts.Actor{}, fmt.Errorf("--by %s: %w", handle, err)
	}
	return accounts.As(a), nil
}

func decisionsService(n *node) *decisions.Service {
	acc := accounts.NewService(n.db, nil)
	return decisions.NewService(n.db, acc, spaces.NewService(n.db, markup.New(), nil), nil)
}

func cmdAdminDecisionsCoordinate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin decisions coordinate", "--by HANDLE --question Q --option KEY=LABEL... --closes T --participant URL... [flags]",
		"Publish one decision across several nodes, coordinated by this node: the question, options, method,\n"+
			"times and the participating nodes' base URLs. Each node then joins it (agora admin decisions join);\n"+
			"with --space, this node joins it at once (it must be one of the participants).\n"+
			"Times are RFC 3339 or a duration from now (90m).")
	by := fs.String("by", "", "handle of the admin or official who publishes it")
	question := fs.String("question", "", "the question")
	description := fs.String("description", "", "a description")
	method := fs.String("method", "single", "single, approval, ranked, score or budget")
	var options, participants listFlag
	fs.Var(&options, "option", "an option, KEY=LABEL (budget: KEY=LABEL=COST); repeat for each")
	fs.Var(&participants, "participant", "a participating node's base URL; repeat for each")
	statusQuo := fs.String("status-quo", "", "ranked: the key of the status quo option")
	scoreMin := fs.Int("score-min", 0, "score: the lowest score")
	scoreMax := fs.Int("score-max", 0, "score: the highest score")
	budget := fs.Int64("budget-total", 0, "budget: the total")
	quorum := fs.Int64("quorum", 0, "counted weight needed, over every node, for the result to stand")
	delegation := fs.Bool("delegation", false, "each node's delegations apply within it")
	opens := fs.String("opens", "0s", "opening time")
	closes := fs.String("closes", "", "closing time")
	deadline := fs.String("deadline", "", "when parts not yet counted are shown missing (default: one hour after closing)")
	space := fs.String("space", "", "join it on this node too, in this space (slug)")
	cfg, err := parseAdminConfig(e, fs, args)
	if err != nil {
		return err
	}
	now := time.Now()
	in := decisions.ProcessInput{Input: decisions.Input{Question: *question, Description: *description,
		Method: decisions.Method(*method), StatusQuo: *statusQuo, ScoreMin: *scoreMin, ScoreMax: *scoreMax,
		BudgetTotal: *budget, Quorum: *quorum, Delegation: *delegation}, Participants: participants}
	for _, o := range options {
		parts := strings.SplitN(o, "=", 3)
		if len(parts) < 2 {
			return usageError{fmt.Sprintf("--option %q: write KEY=LABEL", o)}
		}
		opt := decisions.Option{Key: parts[0], Label: parts[1]}
		if len(parts) == 3 {
			if opt.Cost, err = strconv.ParseInt(parts[2], 10, 64); err != nil {
				return usageError{fmt.Sprintf("--option %q: the cost is a whole number", o)}
			}
		}
		in.Options = append(in.Options, opt)
	}
	for _, t := range []struct {
		flag, v string
		to      *time.Time
	}{{"opens", *opens, &in.OpensAt}, {"closes", *closes, &in.ClosesAt}, {"deadline", *deadline, &in.Deadline}} {
		if *t.to, err = whenFlag(t.v, now); err != nil {
			return usageError{"--" + t.flag + ": " + err.Error()}
		}
	}
	n, err := openExistingNode(ctx, &cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	actor, err := runner(ctx, n, *by)
	if err != nil {
		return err
	}
	svc := decisionsService(n)
	p, err := svc.CreateProcess(ctx, actor, cfg.BaseURL.String(), in)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "process published: %s\n", p.ID)
	if *space != "" {
		v, err := join(ctx, n, svc, actor, cfg.BaseURL.String(), *space, "", p)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "joined: vote %s/votes/%s\n", cfg.BaseURL, v.ID)
	}
	fmt.Fprintf(e.stdout, "aggregate, after closing: %s/aggregate.json\n", p.ID)
	return nil
}

func join(ctx context.Context, n *node, svc *decisions.Service, actor accounts.Actor, self, slug, category string, p *decisions.Process) (*decisions.Vote, error) {
	sp, err := spaces.NewService(n.db, markup.New(), nil).BySlug(ctx, slug)
	if err != nil {
		return nil, fmt.Errorf("--space %s: %w", slug, err)
	}
	return svc.Join(ctx, actor, self, sp.ID, category, p)
}

func cmdAdminDecisionsJoin(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin decisions join", "--by HANDLE --space SLUG [flags] PROCESS-URL",
		"Run on this node a decision coordinated by another node: fetch its process and open a vote with its\n"+
			"question, options, method and times, for this node's verified residents. After closing, the\n"+
			"coordinator fetches this node's part, signed by its instance key.")
	by := fs.String("by", "", "handle of the admin or official who opens the vote here")
	space := fs.String("space", "", "the space (slug) the vote is in")
	category := fs.String("category", "", "the space's category whose delegations apply first")
	cfg, err := parseAdminConfig(e, fs, args, "federation-allow-private")
	if err != nil {
		return err
	}
	if fs.NArg() != 1 || *space == "" {
		return usageError{"join needs --space SLUG and one PROCESS-URL"}
	}
	n, err := openExistingNode(ctx, &cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	actor, err := runner(ctx, n, *by)
	if err != nil {
		return err
	}
	svc := decisionsService(n)
	co, err := coordination.New(coordination.Config{BaseURL: cfg.BaseURL.String(), UserAgent: "Agora/" + buildVersion(),
		AllowPrivate: cfg.FederationAllowPrivate}, svc, nil, nil)
	if err != nil {
		return err
	}
	p, err := co.FetchProcess(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	v, err := join(ctx, n, svc, actor, cfg.BaseURL.String(), *space, *category, p)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "joined %q: vote %s/votes/%s, closes %s\n", p.Question, cfg.BaseURL, v.ID, v.ClosesAt.Format(time.RFC3339))
	return nil
}

func cmdAdminDecisionsCollect(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin decisions collect", "[flags]",
		"Fetch now the parts of the closed processes this node coordinates, and publish each aggregate\n"+
			"whose parts are all in or whose deadline has passed (serve does it every minute).")
	cfg, err := parseAdminConfig(e, fs, args, "federation-allow-private")
	if err != nil {
		return err
	}
	n, err := openExistingNode(ctx, &cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	co, err := coordination.New(coordination.Config{BaseURL: cfg.BaseURL.String(), UserAgent: "Agora/" + buildVersion(),
		AllowPrivate: cfg.FederationAllowPrivate}, decisionsService(n), nil, nil)
	if err != nil {
		return err
	}
	made, err := co.Collect(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "aggregates published: %d\n", made)
	return nil
}

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/projects"
	"agora/instances/spaces"
)

// budgetCommands are the tasks on participatory budgets.
func budgetCommands() []command {
	return []command{
		{"import", "--space SLUG FILE.pb", "load a finished edition from a Pabulib .pb file", cmdAdminBudgetImport},
	}
}

func cmdAdminBudget(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		printCommands(e.stderr, "agora admin budget", budgetCommands())
		return usageError{"budget needs a command"}
	}
	return dispatch(ctx, e, "agora admin budget", budgetCommands(), args)
}

// cmdAdminBudgetImport loads a finished edition: its projects, their
// votes and the result by the file's rule. A bad file is refused with its
// line and reason, and nothing is stored. The budget's URL is the last
// line printed.
func cmdAdminBudgetImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin budget import", "--space SLUG FILE.pb",
		"Load a finished participatory budget from a Pabulib .pb file (approval votes) into a space:\n"+
			"each project_id is kept as the project's reference, the file's rule chooses the result\n"+
			"(greedy when it names none), and the file is kept for download and recount.\n"+
			"Prints the budget's URL on its last line.")
	space := fs.String("space", "", "the slug of the space that receives the budget")
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		args = append(args[1:len(args):len(args)], args[0])
	}
	cfg, err := parseAdminConfig(e, fs, args)
	if err != nil {
		return err
	}
	if *space == "" || fs.NArg() != 1 {
		return usageError{"import needs --space SLUG and one FILE.pb"}
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := openExistingNode(ctx, &cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	sp, err := spaces.NewService(n.db, nil, nil).BySlug(ctx, *space)
	if errors.Is(err, spaces.ErrNotFound) {
		return fmt.Errorf("no space %q on this node (agora admin create-space opens one)", *space)
	}
	if err != nil {
		return err
	}
	b, err := projects.NewService(n.db, n.blobs, nil).Import(ctx, accounts.System, sp.ID, f, budgets.Limits{})
	var pe *budgets.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %s; nothing was stored", fs.Arg(0), pe.Line, pe.Reason)
	}
	if err != nil {
		return fmt.Errorf("%s: %w; nothing was stored", fs.Arg(0), err)
	}
	list, err := projects.NewService(n.db, n.blobs, nil).Projects(ctx, b.ID)
	if err != nil {
		return err
	}
	funded := 0
	for _, p := range list {
		if p.Funded {
			funded++
		}
	}
	fmt.Fprintf(e.stdout, "imported %q: %d projects, %d funded by the rule %s\n", b.Title, len(list), funded, b.Rule)
	fmt.Fprintf(e.stdout, "%s/budgets/%s\n", strings.TrimSuffix(cfg.BaseURL.String(), "/"), b.ID)
	return nil
}

package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"agora/instances/accounts"
	"agora/instances/reports"
)

// open311Commands are the tasks on the Open311 API.
func open311Commands() []command {
	return []command{
		{"create-key", "--name NAME", "make an API key for a client that creates service requests; prints it on its last line", cmdAdminOpen311CreateKey},
	}
}

func cmdAdminOpen311(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		printCommands(e.stderr, "agora admin open311", open311Commands())
		return usageError{"open311 needs a command"}
	}
	return dispatch(ctx, e, "agora admin open311", open311Commands(), args)
}

// cmdAdminOpen311CreateKey opens an account for the client (its requests
// are that account's reports, never a person's) and makes its key. The
// key is shown once: only its hash is kept.
func cmdAdminOpen311CreateKey(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin open311 create-key", "--name NAME [flags]",
		"Make an Open311 API key for a client (an app, another city's system) that creates service requests.\n"+
			"The client gets an account of its own, named NAME. The key is printed on the last line, once.")
	name := fs.String("name", "", "the client's name, shown as the author of its requests")
	cfg, err := parseAdminConfig(e, fs, args)
	if err != nil {
		return err
	}
	if *name == "" {
		return usageError{"create-key needs --name"}
	}
	n, err := openExistingNode(ctx, &cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	suffix := make([]byte, 6)
	if _, err := rand.Read(suffix); err != nil {
		return err
	}
	acc, err := accounts.NewService(n.db, nil).Create(ctx, accounts.System, accounts.NewAccount{
		Handle: "open311_" + hex.EncodeToString(suffix), DisplayName: *name})
	if err != nil {
		return fmt.Errorf("open the client's account: %w", err)
	}
	key, err := reports.NewService(n.db, nil).CreateKey(ctx, accounts.System, *name, acc.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Open311 key for %q (account @%s); keep it, it is not shown again:\n%s\n", *name, acc.Handle, key)
	return nil
}

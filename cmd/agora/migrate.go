package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"agora/storage/database"
)

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora migrate", "up|down|status [flags]",
		"Manage the database schema. 'serve' applies pending migrations itself;\n"+
			"'down' rolls back the last group applied together (take a backup first).")
	load := configFlags(fs, e.getenv, "data-dir", "database-url")
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		fs.Usage()
		if len(args) == 0 {
			return usageError{"migrate needs up, down or status"}
		}
		return nil
	}
	action, args := args[0], args[1:]
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return err
	}
	if action != "up" && action != "down" && action != "status" {
		return usageError{fmt.Sprintf("unknown migrate action %q (want up, down or status)", action)}
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	m := database.NewMigrator(db)

	switch action {
	case "up", "down":
		run, verb := m.Up, "applied"
		if action == "down" {
			run, verb = m.Down, "rolled back"
		}
		names, err := run(ctx)
		for _, n := range names {
			fmt.Fprintf(e.stdout, "%s %s\n", verb, n)
		}
		if err != nil {
			return err
		}
		if len(names) == 0 {
			fmt.Fprintf(e.stdout, "nothing to do\n")
		}
		return nil
	default:
		st, err := m.Status(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "MIGRATION\tSTATUS\tAPPLIED AT")
		for _, s := range st {
			status, at := "pending", ""
			if s.Applied {
				status, at = "applied", s.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
			}
			fmt.Fprintf(tw, "%s_%s\t%s\t%s\n", s.Name, s.Comment, status, at)
		}
		return tw.Flush()
	}
}

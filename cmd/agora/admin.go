package main

import (
	"context"
	"fmt"

	"agora/storage/database"
)

// adminCommands are the administration tasks; later features add theirs.
func adminCommands() []command {
	return []command{
		{"check", "[flags]", "check the configuration, database, migrations and blob store without serving", cmdAdminCheck},
		{"backup", "--to FILE [flags]", "write a consistent copy of the SQLite database while the node runs", cmdAdminBackup},
		{"create-user", "--handle H [--role R]... [--verified]", "create an account (e.g. the first admin)", cmdAdminCreateUser},
		{"districts", "[NAME]...", "list the node's districts, or replace them (votes by district)", cmdAdminDistricts},
		{"login-link", "--handle H", "print a single-use sign-in URL valid 15 minutes", cmdAdminLoginLink},
		{"set-role", "--handle H --role R [--remove]", "grant or remove a role", cmdAdminSetRole},
		{"census-hash", "--salt-file F", "hash a census extract for residency verification, offline", cmdAdminCensusHash},
		{"create-space", "--slug S --title T [--kind K]", "open a participatory space", cmdAdminCreateSpace},
		{"demo", "", "load the demo arrondissement (Paris 15e): spaces, proposals, debates, apps", cmdAdminDemo},
		{"seed", "[--scale F]", "fill an empty node with generated content for performance measurements", cmdAdminSeed},
		{"apps", "import FILE-OR-URL", "the catalogue of free software: publish an app from its publiccode.yml", cmdAdminApps},
		{"budget", "import --space SLUG FILE.pb", "participatory budgets: load a finished edition from a Pabulib file", cmdAdminBudget},
		{"open311", "create-key --name NAME", "the Open311 API: make a key for a client that creates requests", cmdAdminOpen311},
		{"decisions", "verify URL-OR-FILE", "binding votes: recompute a closed vote's published results", cmdAdminDecisions},
		{"mail", "bounce [--file F]", "email: record a bounce piped from the node's MTA (hard ones stop email to the address)", cmdAdminMail},
	}
}

func cmdAdmin(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		printCommands(e.stderr, "agora admin", adminCommands())
		return usageError{"admin needs a command"}
	}
	return dispatch(ctx, e, "agora admin", adminCommands(), args)
}

// cmdAdminCheck is an operator's pre-flight: everything serve would check,
// plus a write and read of the blob store, then exit.
func cmdAdminCheck(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin check", "[flags]", "Check the configuration, database, migrations and blob store, then exit.")
	cfg, err := parseAdminConfig(e, fs, args)
	if err != nil {
		return err
	}
	n, err := openExistingNode(ctx, &cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	if err := database.Ready(ctx, n.db); err != nil {
		return settingErr("AGORA_DATABASE_URL", err)
	}
	if err := n.blobs.Ping(ctx); err != nil {
		return settingErr("AGORA_BLOB_URL", err)
	}
	dialect := "SQLite"
	if database.IsPostgres(n.db) {
		dialect = "PostgreSQL"
	}
	fmt.Fprintf(e.stdout, "ok: %s, database %s migrated, blob store reachable, base URL %s\n", cfg.NodeName, dialect, cfg.BaseURL)
	return nil
}

func cmdAdminBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin backup", "--to FILE [flags]",
		"Write a consistent copy of the SQLite database to FILE, safe while the node runs.\n"+
			"Back up the blob directory after it (see docs/ADMIN.md). PostgreSQL: use pg_dump.")
	to := fs.String("to", "", "file to write; must not exist")
	cfg, err := parseAdminConfig(e, fs, args)
	if err != nil {
		return err
	}
	if *to == "" {
		return usageError{"backup needs --to FILE"}
	}
	db, err := openExistingDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := database.BackupSQLite(ctx, db, *to); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up to %s\n", *to)
	return nil
}

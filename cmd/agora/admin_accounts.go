package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"agora/instances/accounts"
)

// roleList is a repeatable --role flag.
type roleList []accounts.Role

func (l *roleList) String() string { return fmt.Sprint(*l) }
func (l *roleList) Set(v string) error {
	r, err := accounts.ParseRole(v)
	if err != nil {
		return err
	}
	*l = append(*l, r)
	return nil
}

// withAccounts loads the configuration, opens the node and runs fn with
// the accounts service.
func withAccounts(ctx context.Context, e *env, fs *flag.FlagSet, args []string,
	fn func(cfg Config, svc *accounts.Service) error) error {
	cfg, err := parseAdminConfig(e, fs, args)
	if err != nil {
		return err
	}
	n, err := openExistingNode(ctx, &cfg)
	if err != nil {
		return err
	}
	defer n.Close()
	return fn(cfg, accounts.NewService(n.db, nil))
}

func cmdAdminCreateUser(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin create-user", "--handle H [--display-name N] [--role R]... [--verified] [flags]",
		"Create an account from the command line, e.g. the first admin of a new node.\n"+
			"Then give its owner a sign-in link (agora admin login-link) to add a passkey.")
	handle := fs.String("handle", "", "handle: 1 to 30 of a-z, 0-9 and _")
	name := fs.String("display-name", "", "display name (default: the handle)")
	lang := fs.String("language", "fr", "language of the account's pages: fr or en")
	service := fs.String("service", "", "city service the account answers for (officials)")
	verified := fs.Bool("verified", false, "record the account's residency as verified by the operator")
	born := fs.String("birth-date", "", "with --verified: date of birth YYYY-MM-DD, for votes with an age floor")
	district := fs.String("district", "", "with --verified: the resident's district, one of those agora admin districts lists")
	var roles roleList
	fs.Var(&roles, "role", "role to grant (resident, agent, official, moderator, admin); repeatable")
	return withAccounts(ctx, e, fs, args, func(cfg Config, svc *accounts.Service) error {
		if *handle == "" {
			return usageError{"create-user needs --handle"}
		}
		if *name == "" {
			*name = *handle
		}
		birth, err := accounts.ParseBirthDate(*born)
		if err != nil {
			return err
		}
		if !*verified && (birth != 0 || *district != "") {
			return usageError{"--birth-date and --district go with --verified"}
		}
		if *district != "" { // checked before the account exists: a refusal creates nothing
			list, err := svc.Districts(ctx)
			if err != nil {
				return err
			}
			if !slices.Contains(list, *district) {
				return fmt.Errorf("--district %q: %w", *district, accounts.ErrDistrict)
			}
		}
		acc, err := svc.Create(ctx, accounts.System, accounts.NewAccount{
			Handle: *handle, DisplayName: *name, Language: *lang, Roles: roles, Service: *service,
		})
		if err != nil {
			return err
		}
		if *verified {
			if err := svc.VerifyByOperator(ctx, acc.ID, accounts.Electoral{BirthDate: birth, District: *district}); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.stdout, "created @%s (%s)\n", acc.Handle, acc.ID)
		return nil
	})
}

func cmdAdminLoginLink(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin login-link", "--handle H [flags]",
		"Print a single-use sign-in URL for an account, valid 15 minutes (last line of output).")
	handle := fs.String("handle", "", "handle of the account")
	return withAccounts(ctx, e, fs, args, func(cfg Config, svc *accounts.Service) error {
		if *handle == "" {
			return usageError{"login-link needs --handle"}
		}
		acc, err := svc.ByHandle(ctx, *handle)
		if err != nil {
			return fmt.Errorf("no account with handle %q: %w", *handle, err)
		}
		token, err := svc.NewLoginLinkToken(ctx, accounts.System, acc.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Sign-in link for @%s, valid %s, single use:\n%s/login/link/%s\n",
			acc.Handle, accounts.LoginLinkTTL, cfg.BaseURL, token)
		return nil
	})
}

func cmdAdminSetRole(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin set-role", "--handle H --role R [--remove] [flags]", "Grant or remove a role.")
	handle := fs.String("handle", "", "handle of the account")
	role := fs.String("role", "", "agent, official, moderator or admin")
	service := fs.String("service", "", "city service the account answers for (officials)")
	remove := fs.Bool("remove", false, "remove the role instead of granting it")
	reason := fs.String("reason", "set from the command line", "why, for the audit log")
	return withAccounts(ctx, e, fs, args, func(cfg Config, svc *accounts.Service) error {
		if *handle == "" || *role == "" {
			return usageError{"set-role needs --handle and --role"}
		}
		r, err := accounts.ParseRole(*role)
		if err != nil {
			return err
		}
		acc, err := svc.ByHandle(ctx, *handle)
		if err != nil {
			return fmt.Errorf("no account with handle %q: %w", *handle, err)
		}
		if err := svc.SetRole(ctx, accounts.System, acc.ID, r, *service, *remove, *reason); err != nil {
			return err
		}
		verb := "granted"
		if *remove {
			verb = "removed"
		}
		fmt.Fprintf(e.stdout, "%s %s: @%s\n", verb, r, acc.Handle)
		return nil
	})
}

// cmdAdminCensusHash turns a city's census extract into the file Agora
// imports, on the city's own machine: no database, no network.
func cmdAdminCensusHash(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin census-hash", "--salt-file F [--in census.csv] [--out hashes.csv]",
		"Hash a census extract for residency verification (see docs/ACCOUNTS.md).\n"+
			"Input CSV columns: family_name,given_name,birth_date,postal_code (header line required).\n"+
			"Output: the 'hash' CSV to import in Administration > Residency, with the same salt.")
	saltFile := fs.String("salt-file", "", "file holding the secret salt (at least 16 characters)")
	in := fs.String("in", "-", "census CSV to read, - for standard input")
	out := fs.String("out", "-", "hash CSV to write, - for standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *saltFile == "" {
		return usageError{"census-hash needs --salt-file"}
	}
	b, err := os.ReadFile(*saltFile)
	if err != nil {
		return fmt.Errorf("read salt: %w", err)
	}
	salt := strings.TrimSpace(string(b))
	if len(salt) < 16 {
		return accounts.ErrSalt
	}
	var r io.Reader = os.Stdin
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	w := e.stdout
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	return hashCensus(r, w, salt)
}

func hashCensus(r io.Reader, w io.Writer, salt string) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 4
	cw := csv.NewWriter(w)
	cw.Write([]string{"hash"})
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("census file: %w", err)
		}
		if line == 1 {
			if strings.TrimPrefix(rec[0], "\ufeff") != "family_name" {
				return fmt.Errorf("census file line 1: header must be family_name,given_name,birth_date,postal_code")
			}
			continue
		}
		h, err := accounts.CensusHash(salt, accounts.Identity{FamilyName: rec[0], GivenName: rec[1], BirthDate: rec[2], PostalCode: rec[3]})
		if err != nil {
			return fmt.Errorf("census file line %d: %w", line, err)
		}
		cw.Write([]string{h})
	}
	cw.Flush()
	return cw.Error()
}

// cmdAdminDistricts lists the node's districts, or replaces the list.
func cmdAdminDistricts(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin districts", "[NAME]...",
		"Without names, print the node's districts, one per line. With names, replace the list\n"+
			"(in that order): votes may be restricted to one, and a desk records a resident's.")
	clear := fs.Bool("clear", false, "remove every district")
	return withAccounts(ctx, e, fs, args, func(cfg Config, svc *accounts.Service) error {
		names := fs.Args()
		if *clear && len(names) > 0 {
			return usageError{"--clear takes no names"}
		}
		if *clear || len(names) > 0 {
			if err := svc.SetDistricts(ctx, accounts.System, names); err != nil {
				return err
			}
		}
		list, err := svc.Districts(ctx)
		if err != nil {
			return err
		}
		for _, n := range list {
			fmt.Fprintln(e.stdout, n)
		}
		return nil
	})
}

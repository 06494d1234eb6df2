// Command agora runs an Agora node: a civic participation platform for one
// arrondissement or municipality, federated over ActivityPub.
//
// This package only wires things together: it reads the configuration,
// builds each part with its dependencies, and runs or stops them in order.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	_ "time/tzdata" // time zones in the static binary and the minimal image
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// env is what a command may touch of the outside world, passed in so
// tests can run commands in-process.
type env struct {
	getenv         func(string) string
	stdout, stderr io.Writer
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "[flags]", "run the node: web pages, APIs and background work", cmdServe},
		{"migrate", "up|down|status [flags]", "apply, roll back or list database migrations", cmdMigrate},
		{"admin", "COMMAND [flags]", "administration tasks (see agora admin --help)", cmdAdmin},
		{"healthcheck", "[flags]", "exit 0 if the local node answers /healthz (for Docker)", cmdHealthcheck},
		{"version", "", "print the version", cmdVersion},
	}
}

// usageError is a mistake in the command line; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		printCommands(stderr, "agora", commands())
		return 2
	}
	err := dispatch(ctx, e, "agora", commands(), args)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "agora: %v\n", err)
		return 2
	default:
		// One line that names what is wrong: operators read this first.
		fmt.Fprintf(stderr, "agora: %s\n", strings.ReplaceAll(err.Error(), "\n", "; "))
		return 1
	}
}

func dispatch(ctx context.Context, e *env, prog string, cmds []command, args []string) error {
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" || name == "-help" {
		printCommands(e.stdout, prog, cmds)
		return nil
	}
	for _, c := range cmds {
		if c.name == name {
			return c.run(ctx, e, args[1:])
		}
	}
	printCommands(e.stderr, prog, cmds)
	return usageError{fmt.Sprintf("unknown command %q", name)}
}

func printCommands(w io.Writer, prog string, cmds []command) {
	fmt.Fprintf(w, "Usage: %s COMMAND\n\nCommands:\n", prog)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun '%s COMMAND --help' for the flags of a command.\n", prog)
}

// newFlags returns a flag set for a subcommand that prints its usage on
// --help and reports errors without exiting the process.
func newFlags(e *env, name, args, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s %s\n\n%s\n\nFlags (each also read from the environment variable in brackets):\n", name, args, summary)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, turning a bad flag into a usage error.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

// parseConfig registers the configuration flags on fs (all of them, or
// only those named), parses args, and resolves flag > environment >
// default into a Config.
func parseConfig(e *env, fs *flag.FlagSet, args []string, names ...string) (Config, error) {
	load := configFlags(fs, e.getenv, names...)
	if err := parse(fs, args); err != nil {
		return Config{}, err
	}
	return load()
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"agora/instances/notifications"
)

// mailCommands are the tasks on the node's email.
func mailCommands() []command {
	return []command{
		{"bounce", "[--file F] [--recipient ADDR]", "record a bounce read from stdin (an MTA pipe): a delivery status notification or a plain bounce", cmdAdminMailBounce},
	}
}

func cmdAdminMail(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		printCommands(e.stderr, "agora admin mail", mailCommands())
		return usageError{"mail needs a command"}
	}
	return dispatch(ctx, e, "agora admin mail", mailCommands(), args)
}

// cmdAdminMailBounce records a bounce that came back after the SMTP
// server took an email: the node's MTA pipes what comes to the bounces=
// address of AGORA_SMTP_URL (and its +KEY forms) into this command
// (docs/ADMIN.md). A message that is no bounce, or names no address the
// node writes to, exits 1 with the reason and changes nothing.
func cmdAdminMailBounce(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin mail bounce", "[--file F] [--recipient ADDR] [flags]",
		"Read a bounce (an RFC 3464 delivery status notification, or a plain bounce) from stdin or --file,\n"+
			"and record it on the address it is about: a hard bounce stops email to it, soft ones are counted.\n"+
			"For an MTA pipe: Postfix `bounces unix - n n - - pipe flags=q user=agora argv=agora admin mail bounce --recipient ${recipient}`.")
	file := fs.String("file", "", "read the bounce from this file instead of stdin")
	rcpt := fs.String("recipient", "", "the address the MTA delivered the bounce to (bounces+KEY@...), when it knows it")
	cfg, err := parseAdminConfig(e, fs, args)
	if err != nil {
		return err
	}
	var in io.Reader = os.Stdin
	if *file != "" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	ctx, cancel := context.WithTimeout(ctx, bounceTimeout)
	defer cancel()
	b, err := notifications.ParseBounce(in, *rcpt)
	if err != nil {
		return err
	}
	db, err := openExistingDatabase(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := notifications.NewService(db, nil).RecordBounce(ctx, b)
	if err != nil {
		if errors.Is(err, notifications.ErrBounceUnknown) {
			return fmt.Errorf("%w (recipient %q)", err, b.Recipient)
		}
		return err
	}
	kind := "soft"
	if b.Hard {
		kind = "hard"
	}
	fmt.Fprintf(e.stdout, "%s bounce of %s (%s) recorded on %d address(es)\n", kind, b.Recipient, b.Status, n)
	return nil
}

// bounceTimeout bounds one bounce's reading and recording: an MTA pipe
// must not hang on a slow database.
const bounceTimeout = 30 * time.Second

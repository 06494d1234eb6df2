package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"agora/instances/decisions"
)

// decisionsCommands are the tasks on binding votes.
func decisionsCommands() []command {
	return []command{
		{"verify", "URL-OR-FILE", "recompute a closed vote's published results from its ballots", cmdAdminDecisionsVerify},
	}
}

func cmdAdminDecisions(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		printCommands(e.stderr, "agora admin decisions", decisionsCommands())
		return usageError{"decisions needs a command"}
	}
	return dispatch(ctx, e, "agora admin decisions", decisionsCommands(), args)
}

// publishedLimit bounds a published document read by verify: a million
// ballots take about 100 MB.
const publishedLimit = 1 << 30

// cmdAdminDecisionsVerify needs no node: anyone with the binary can
// check any node's published results.
func cmdAdminDecisionsVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "agora admin decisions verify", "URL-OR-FILE",
		"Read a closed vote's published results (an http(s) URL or a file), check every ballot,\n"+
			"count them again and compare with the published result. Exits 1 on any difference.")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"verify needs one URL-OR-FILE"}
	}
	r, err := openPublished(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	defer r.Close()
	p, err := decisions.Verify(io.LimitReader(r, publishedLimit))
	if err != nil {
		return fmt.Errorf("verify %s: %w", fs.Arg(0), err)
	}
	res := p.Result
	fmt.Fprintf(e.stdout, "ok: %q, %d ballots weighing %d (%d through delegation, %d lost), %d in the electorate; order: %s\n",
		p.Question, res.Ballots, res.Weight, res.Delegated, res.Lost.NoVote+res.Lost.Cycle, p.Electorate, strings.Join(res.Order, " > "))
	return nil
}

func openPublished(ctx context.Context, src string) (io.ReadCloser, error) {
	if !strings.HasPrefix(src, "http://") && !strings.HasPrefix(src, "https://") {
		f, err := os.Open(src)
		if err != nil {
			return nil, fmt.Errorf("read published results: %w", err)
		}
		return f, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("fetch published results: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("fetch published results: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		cancel()
		return nil, fmt.Errorf("fetch published results: %s answered %s", src, resp.Status)
	}
	return cancelOnClose{resp.Body, cancel}, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// closeVotesEvery is how often serve closes the votes whose closing
// time has passed. Every process does it; a vote is closed once (its row
// is locked while it is counted), so several at once are fine.
const closeVotesEvery = time.Minute

// closeVotes closes due votes until ctx ends.
func closeVotes(ctx context.Context, log *slog.Logger, svc *decisions.Service) {
	t := time.NewTicker(closeVotesEvery)
	defer t.Stop()
	for {
		if n, err := svc.CloseDue(ctx); err != nil && ctx.Err() == nil {
			log.Error("close votes", "err", err)
		} else if n > 0 {
			log.Info("votes closed and published", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

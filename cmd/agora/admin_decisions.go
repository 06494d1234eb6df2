package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"agora/federation/coordination"
	"agora/instances/decisions"
	"agora/instances/projects"
	"agora/instances/reports"
	"agora/instances/spaces"
)

// decisionsCommands are the tasks on binding votes.
func decisionsCommands() []command {
	return []command{
		{"verify", "URL-OR-FILE", "recompute a closed vote's published results, or an aggregate across nodes from every part", cmdAdminDecisionsVerify},
		{"coordinate", "--by H --question Q --option K=L... --closes T --participant URL...", "publish one decision across several nodes, coordinated here", cmdAdminDecisionsCoordinate},
		{"join", "--by H --space SLUG PROCESS-URL", "run on this node a decision coordinated by another", cmdAdminDecisionsJoin},
		{"collect", "", "fetch the parts of closed processes coordinated here and publish their aggregates", cmdAdminDecisionsCollect},
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
	fs := newFlags(e, "agora admin decisions verify", "[--allow-private] URL-OR-FILE",
		"Read a closed vote's published results (an http(s) URL or a file), check every ballot,\n"+
			"count them again and compare with the published result. Exits 1 on any difference.\n"+
			"Given the aggregate of a decision across several nodes, fetch every node's part, check its\n"+
			"digest and its node's signature, count it again, merge the parts and compare; list missing nodes.")
	allowPrivate := fs.Bool("allow-private", false, "let an aggregate's parts be fetched from loopback and private addresses (tests)")
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
	br := bufio.NewReaderSize(io.LimitReader(r, publishedLimit), 4096)
	if isAggregate(br) {
		return verifyAggregate(ctx, e, br, *allowPrivate)
	}
	p, err := decisions.Verify(br)
	if err != nil {
		return fmt.Errorf("verify %s: %w", fs.Arg(0), err)
	}
	res := p.Result
	fmt.Fprintf(e.stdout, "ok: %q, %d ballots weighing %d (%d through delegation, %d lost), %d in the electorate; order: %s\n",
		p.Question, res.Ballots, res.Weight, res.Delegated, res.Lost.NoVote+res.Lost.Cycle, p.Electorate, strings.Join(res.Order, " > "))
	return nil
}

// isAggregate peeks at a document's first field: aggregates begin with
// their format.
func isAggregate(br *bufio.Reader) bool {
	head, _ := br.Peek(4096)
	dec := json.NewDecoder(bytes.NewReader(head))
	var format string
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	if key, err := dec.Token(); err != nil || key != "format" {
		return false
	}
	return dec.Decode(&format) == nil && format == decisions.AggregateFormat
}

// verifyAggregate checks an aggregate across nodes: every counted part
// fetched again from its node and checked, the parts merged again.
func verifyAggregate(ctx context.Context, e *env, r io.Reader, allowPrivate bool) error {
	a, err := decisions.ParseAggregate(r)
	if err != nil {
		return err
	}
	src := coordination.NewSource("Agora/"+buildVersion(), allowPrivate)
	parts, err := decisions.VerifyAggregate(ctx, a, src)
	if err != nil {
		return fmt.Errorf("verify aggregate of %s: %w", a.Process.ID, err)
	}
	for _, p := range parts {
		if p.Status == decisions.PartCounted {
			fmt.Fprintf(e.stdout, "part %s: counted, signed by %s, %d ballots weighing %d, %d in the electorate\n",
				p.Node, p.KeyID, p.Result.Ballots, p.Result.Weight, p.Electorate)
		} else {
			fmt.Fprintf(e.stdout, "part %s: %s (%s)\n", p.Node, p.Status, p.Reason)
			// The coordinator may have missed it, or say so wrongly: ask.
			if env, err := src.Envelope(ctx, p.Node, a.Process.ID); err == nil {
				if _, err := a.Process.CheckPart(ctx, src, p.Node, *env); err == nil {
					fmt.Fprintf(e.stdout, "note: %s serves a valid part now; the aggregate, made at %s, does not count it\n",
						p.Node, a.AggregatedAt.Format(time.RFC3339))
				}
			}
		}
	}
	res := a.Result
	fmt.Fprintf(e.stdout, "ok: %q across %d nodes (%d missing: %s), %d ballots weighing %d, %d in the electorate; order: %s\n",
		a.Process.Question, len(a.Parts), len(a.Missing), strings.Join(a.Missing, " "), res.Ballots, res.Weight, a.Electorate,
		strings.Join(res.Order, " > "))
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

// closeVotes closes due votes, counts the participatory budgets whose
// votes have all closed, writes the ranks of the councils' votes on
// suggestions, and announces opened votes and begun phases to
// the followers of their space, until ctx ends.
func closeVotes(ctx context.Context, log *slog.Logger, svc *decisions.Service, voting *projects.Voting, council *reports.Council, sp *spaces.Service) {
	t := time.NewTicker(closeVotesEvery)
	defer t.Stop()
	for {
		if n, err := svc.CloseDue(ctx); err != nil && ctx.Err() == nil {
			log.Error("close votes", "err", err)
		} else if n > 0 {
			log.Info("votes closed and published", "count", n)
		}
		if n, err := voting.CountDue(ctx); err != nil && ctx.Err() == nil {
			log.Error("count budgets", "err", err)
		} else if n > 0 {
			log.Info("participatory budgets counted", "count", n)
		}
		// Closed council votes on suggestions: each suggestion's rank.
		if n, err := council.RankDue(ctx); err != nil && ctx.Err() == nil {
			log.Error("rank suggestions", "err", err)
		} else if n > 0 {
			log.Info("council votes on suggestions ranked", "count", n)
		}
		// Followers of a space hear that a vote opened, that a phase began.
		if _, err := svc.AnnounceOpened(ctx); err != nil && ctx.Err() == nil {
			log.Error("announce opened votes", "err", err)
		}
		if sp != nil {
			if _, err := sp.AnnouncePhases(ctx); err != nil && ctx.Err() == nil {
				log.Error("announce phases", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

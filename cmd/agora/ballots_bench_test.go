package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/markup"
	"agora/instances/spaces"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// BenchmarkBallots measures ballots cast through HTTP, as residents cast
// them: the real binary on loopback, one open approval vote, verified
// residents each signed in with their own session, 64 clients posting
// ballots closed-loop (each client votes as its residents in turn, so a
// resident replaces their ballot now and then, as residents may until
// closing). It reports ballots per second, p50 and p99, on SQLite and
// PostgreSQL, and checks afterwards that no resident has more than one
// ballot and that receipts are distinct.
//
//	AGORA_BENCH_SECONDS  load duration (default 5)
//
// Run it with -benchtime 1x.
func BenchmarkBallots(b *testing.B) {
	seconds, residents := 5, 2000
	if v, err := strconv.Atoi(os.Getenv("AGORA_BENCH_SECONDS")); err == nil && v > 0 {
		seconds = v
	}
	if testing.Short() {
		seconds, residents = 1, 200
	}
	const clients = 64
	bin := buildAgora(b)
	for _, dialect := range storagetest.Dialects {
		b.Run(dialect, func(b *testing.B) {
			dataDir := b.TempDir()
			dbURL := storagetest.DatabaseURL(b, dialect)
			env := append(os.Environ(), "AGORA_DATA_DIR="+dataDir, "AGORA_DATABASE_URL="+dbURL, "AGORA_LOG_LEVEL=warn")
			migrate := exec.Command(bin, "migrate", "up")
			migrate.Env = env
			if out, err := migrate.CombinedOutput(); err != nil {
				b.Fatalf("migrate: %v\n%s", err, out)
			}
			voteID, options := seedBallotVote(b, dbURL, dataDir)
			tokens := residentSessions(b, dbURL, dataDir, residents)

			srv := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
			srv.Env = env
			addr := startAndWait(b, srv)
			defer stopAgora(b, srv)
			target := "http://" + addr + "/votes/" + voteID + "/ballot"
			r := loadWith(b, srv.Process.Pid, clients, time.Duration(seconds)*time.Second, func(i int) func(*http.Client) (*http.Response, error) {
				n := i
				return func(c *http.Client) (*http.Response, error) {
					tok := tokens[n%len(tokens)]
					n += clients
					// An approval ballot of one or two options.
					form := url.Values{"option": {options[n%len(options)]}}
					if n%3 == 0 {
						form.Add("option", options[(n+1)%len(options)])
					}
					req, err := http.NewRequest("POST", target, strings.NewReader(form.Encode()))
					if err != nil {
						return nil, err
					}
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.AddCookie(&http.Cookie{Name: "agora_session", Value: tok})
					return c.Do(req)
				}
			})
			b.ReportMetric(r.rps, "ballots/s")
			b.ReportMetric(r.p50.Seconds()*1000, "p50-ms")
			b.ReportMetric(r.p99.Seconds()*1000, "p99-ms")
			b.ReportMetric(r.rssMB, "MB-RSS-peak")
			b.ReportMetric(float64(r.errors), "errors")
			if r.errors > 0 {
				b.Errorf("%d ballots failed", r.errors)
			}
			checkBallots(b, dbURL, dataDir, voteID, residents)
		})
	}
}

// seedBallotVote opens an approval vote, open now for an hour, in the
// node's database.
func seedBallotVote(b *testing.B, dbURL, dataDir string) (voteID string, options []string) {
	b.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, dbURL, dataDir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	acc := accounts.NewService(db, nil)
	sp := spaces.NewService(db, markup.New(), nil)
	space, err := sp.Create(ctx, accounts.System, spaces.NewSpace{Slug: "conseil", Title: "Conseil de quartier", Kind: spaces.Process})
	if err != nil {
		b.Fatal(err)
	}
	official, err := acc.Create(ctx, accounts.System, accounts.NewAccount{Handle: "elu", DisplayName: "Élue", Roles: []accounts.Role{accounts.Official}})
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	in := decisions.Input{Question: "Quels aménagements pour la place ?", Method: decisions.Approval, Delegation: true,
		OpensAt: now.Add(-time.Minute), ClosesAt: now.Add(time.Hour)}
	for i, label := range []string{"Des arbres", "Des bancs", "Une fontaine", "Des jeux", "Un kiosque", "Rien"} {
		in.Options = append(in.Options, decisions.Option{Key: fmt.Sprint(i + 1), Label: label})
		options = append(options, fmt.Sprint(i+1))
	}
	v, err := decisions.NewService(db, acc, sp, nil).Create(ctx, accounts.As(official), space.ID, in)
	if err != nil {
		b.Fatal(err)
	}
	return v.ID, options
}

// checkBallots checks that no resident has more than one ballot and that
// every ballot has its own receipt.
func checkBallots(b *testing.B, dbURL, dataDir, voteID string, residents int) {
	b.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, dbURL, dataDir)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	var rows, voters, receipts int
	if err := db.NewRaw("SELECT count(*), count(DISTINCT voter_id), count(DISTINCT receipt) FROM decision_ballots WHERE vote_id = ?", voteID).
		Scan(ctx, &rows, &voters, &receipts); err != nil {
		b.Fatal(err)
	}
	if rows != voters || rows != receipts || rows == 0 || rows > residents {
		b.Errorf("%d ballot rows, %d voters, %d receipts for %d residents", rows, voters, receipts, residents)
	}
}

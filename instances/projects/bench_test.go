package projects_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/budgets"
	"agora/instances/decisions"
	"agora/instances/instancestest"
	"agora/instances/markup"
	"agora/instances/projects"
	"agora/instances/spaces"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// benchVoters is how many residents vote in BenchmarkEditionCount, each
// in their district's envelope and in the city-wide one: 100,000 (the
// issue's 200,000 ballots) with AGORA_BENCH_BUDGETS=full, a fiftieth of
// it otherwise, so CI runs it under -benchtime 1x in seconds.
func benchVoters() int {
	if os.Getenv("AGORA_BENCH_BUDGETS") == "full" {
		return 100_000
	}
	return 2_000
}

// BenchmarkEditionCount counts a city-size edition voted on the node
// (issue 17, "Performance"): 20 envelopes (19 districts and the whole
// city) of 30 projects each, 600 projects, and two knapsack ballots per
// voter, read from the database. Each iteration is Voting.Compare: every
// envelope's published ballots read from the database and counted by
// greedy and by Equal Shares. The decisions count that closes the 20
// votes (electorate, totals, frozen results) runs once before, and is
// reported as close-ms.
func BenchmarkEditionCount(b *testing.B) {
	nv := benchVoters()
	for _, dialect := range storagetest.Dialects {
		b.Run(fmt.Sprintf("%s/%dk-ballots/600-projects/20-headings", dialect, 2*nv/1000), func(b *testing.B) {
			ctx := context.Background()
			v, budgetID, closes := seedEdition(b, dialect, nv)
			start := time.Now()
			for _, l := range closes {
				if _, err := v.dec.Close(ctx, l); err != nil {
					b.Fatal(err)
				}
			}
			closeMS := float64(time.Since(start).Milliseconds())
			var cmp budgets.Comparison
			cpu := storagetest.CPUTime()
			for b.Loop() {
				var err error
				if cmp, err = v.voting.Compare(ctx, budgetID); err != nil {
					b.Fatal(err)
				}
			}
			cpu = storagetest.CPUTime() - cpu
			b.ReportMetric(closeMS, "close-ms")
			// The process's CPU time per count (the database driver
			// included, not the PostgreSQL server): on a shared machine
			// the wall time says more of the neighbours than of the count.
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			var voters int64
			for _, h := range cmp.Headings {
				voters += h.Chosen.Voters
				if len(h.Chosen.Funded) == 0 || len(h.Other.Funded) == 0 {
					b.Fatalf("heading %s funds nothing", h.Heading)
				}
			}
			if voters != int64(2*nv) {
				b.Fatalf("counted %d ballots, want %d", voters, 2*nv)
			}
		})
	}
}

type benchEdition struct {
	voting *projects.Voting
	dec    *decisions.Service
}

// seedEdition opens the edition through the services, then writes the
// voters, their residencies and ballots as plain rows in batches, and
// moves the clock past closing. It returns the votes to close.
func seedEdition(b *testing.B, dialect string, nv int) (benchEdition, string, []string) {
	b.Helper()
	ctx := context.Background()
	db := storagetest.MigratedDB(b, dialect)
	clock := storagetest.NewClock(time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC))
	acc := accounts.NewService(db, clock.Now)
	dec := decisions.NewService(db, acc, spaces.NewService(db, markup.New(), clock.Now), clock.Now)
	svc := projects.NewService(db, storagetest.NewBlobStore(b, "local"), clock.Now)
	voting := projects.NewVoting(db, svc, dec, clock.Now)
	official := accounts.As(instancestest.Account(b, acc, "voirie", accounts.Official))
	spaceID := instancestest.Space(b, db, clock.Now(), "budget-2027")

	const districts, perHeading = 19, 30
	var names []string
	in := projects.BudgetInput{SpaceID: spaceID, Title: "Budget participatif", BallotKind: projects.Knapsack}
	for d := 1; d <= districts; d++ {
		names = append(names, fmt.Sprintf("Quartier %d", d))
		in.Headings = append(in.Headings, projects.HeadingInput{Name: names[d-1], Amount: 1_000_000})
	}
	in.Headings = append(in.Headings, projects.HeadingInput{Name: "Toute la ville", Amount: 5_000_000})
	if err := acc.SetDistricts(ctx, accounts.System, names); err != nil {
		b.Fatal(err)
	}
	bud, err := svc.CreateBudget(ctx, official, in)
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(17, 2027))
	var list []projects.Project
	for _, h := range bud.Headings {
		for i := range perHeading {
			cost := (h.Amount / 10) * int64(5+rng.IntN(25)) / 10 // 5 % to 30 % of the envelope
			list = append(list, projects.Project{ID: database.NewID(), BudgetID: bud.ID, Heading: h.Slug, Ref: strconv.Itoa(len(list) + 1),
				Title: fmt.Sprintf("Projet %d", i+1), Cost: cost, Review: projects.Feasible, CreatedAt: clock.Now(), UpdatedAt: clock.Now()})
		}
	}
	if _, err := db.NewInsert().Model(&list).Exec(ctx); err != nil {
		b.Fatal(err)
	}
	window := projects.VoteInput{OpensAt: clock.Now().Add(time.Hour), ClosesAt: clock.Now().Add(21 * 24 * time.Hour)}
	if _, err := voting.OpenVote(ctx, official, bud.ID, window); err != nil {
		b.Fatal(err)
	}
	ballots, err := voting.Ballots(ctx, bud.ID)
	if err != nil {
		b.Fatal(err)
	}

	type account struct {
		bun.BaseModel `bun:"table:accounts"`
		ID            string    `bun:"id"`
		Handle        string    `bun:"handle"`
		DisplayName   string    `bun:"display_name"`
		Language      string    `bun:"language"`
		Public        bool      `bun:"public"`
		WebAuthnID    []byte    `bun:"webauthn_id"`
		CreatedAt     time.Time `bun:"created_at"`
	}
	type residency struct {
		bun.BaseModel `bun:"table:residencies"`
		AccountID     string    `bun:"account_id"`
		Method        string    `bun:"method"`
		Document      string    `bun:"document"`
		VerifierID    string    `bun:"verifier_id"`
		VerifiedAt    time.Time `bun:"verified_at"`
		ExpiresAt     time.Time `bun:"expires_at"`
		RevokedReason string    `bun:"revoked_reason"`
		District      string    `bun:"district"`
	}
	type ballot struct {
		bun.BaseModel `bun:"table:decision_ballots"`
		VoteID        string    `bun:"vote_id"`
		VoterID       string    `bun:"voter_id"`
		Receipt       string    `bun:"receipt"`
		Content       string    `bun:"content"`
		Channel       string    `bun:"channel"`
		EnteredBy     string    `bun:"entered_by"`
		Desk          string    `bun:"desk"`
		CastAt        time.Time `bun:"cast_at"`
		Changes       int       `bun:"changes"`
	}
	at := clock.Now()
	ids := make([]string, nv)
	for i := range ids {
		ids[i] = database.NewID()
	}
	storagetest.InsertRows(b, db, "accounts", nv, 3000, func(i int) account {
		return account{ID: ids[i], Handle: fmt.Sprintf("v%d", i), DisplayName: "V", Language: "fr", WebAuthnID: []byte(ids[i]), CreatedAt: at}
	})
	storagetest.InsertRows(b, db, "residencies", nv, 3000, func(i int) residency {
		return residency{AccountID: ids[i], Method: "operator", VerifiedAt: at, ExpiresAt: at.Add(400 * 24 * time.Hour), District: names[i%districts]}
	})
	// A knapsack ballot: projects in a random order, each kept while the
	// ballot still fits the envelope, at most eight.
	content := func(hb projects.HeadingBallot) string {
		var marks []int
		var cost int64
		for _, p := range rng.Perm(len(hb.Vote.Options))[:8] {
			if c := hb.Vote.Options[p].Cost; cost+c <= hb.Vote.BudgetTotal {
				marks, cost = append(marks, p), cost+c
			}
		}
		slices.Sort(marks)
		s := make([]string, len(marks))
		for i, m := range marks {
			s[i] = strconv.Itoa(m)
		}
		return strings.Join(s, ",")
	}
	channels := []string{"online", "online", "online", "online", "online", "online", "online", "online", "desk", "paper"}
	storagetest.InsertRows(b, db, "ballots", 2*nv, 3000, func(i int) ballot {
		hb := ballots[len(ballots)-1] // the city-wide envelope, then the district's
		if i >= nv {
			hb = ballots[(i-nv)%districts]
		}
		return ballot{VoteID: hb.Vote.ID, VoterID: ids[i%nv], Receipt: decisions.NewReceipt(), Content: content(hb),
			Channel: channels[i%len(channels)], CastAt: window.OpensAt}
	})
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatalf("analyze: %v", err)
	}
	clock.Set(window.ClosesAt)
	var votes []string
	for _, hb := range ballots {
		votes = append(votes, hb.Vote.ID)
	}
	return benchEdition{voting: voting, dec: dec}, bud.ID, votes
}

package decisions_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"agora/instances/accounts"
	"agora/instances/decisions"
	"agora/instances/instancestest"
	"agora/instances/markup"
	"agora/instances/spaces"
	"agora/storage/storagetest"
)

const day = 24 * time.Hour

var start = instancestest.Start

// The tables this package writes, and those its acts touch beside them.
var tables = []string{"decision_votes", "decision_options", "decision_ballots", "decision_delegates",
	"decision_delegations", "decision_results", "decision_processes", "decision_process_parts", "decision_vote_processes",
	"audit_log", "outbox_events"}

type fixture struct {
	storagetest.Tables
	ctx     context.Context
	acc     *accounts.Service
	svc     *decisions.Service
	clock   *storagetest.Clock
	spaceID string
	handles int
}

// run runs fn on SQLite and PostgreSQL, each on its own database.
func run(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	storagetest.Parallel(t, newFixture, fn)
}

func newFixture(t testing.TB, dialect string) *fixture {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	c := storagetest.NewClock(start)
	acc := accounts.NewService(db, c.Now)
	sp := spaces.NewService(db, markup.New(), c.Now)
	f := &fixture{Tables: storagetest.Tables{DB: db, Names: tables}, ctx: t.Context(), acc: acc,
		svc: decisions.NewService(db, acc, sp, c.Now), clock: c}
	f.spaceID = instancestest.Space(t, db, start, "conseil", "voirie", "ecoles")
	return f
}

// account opens an account with roles; resident opens a verified one.
func (f *fixture) account(t testing.TB, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	f.handles++
	return instancestest.Account(t, f.acc, fmt.Sprintf("p%d", f.handles), roles...)
}

func (f *fixture) resident(t testing.TB, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	a := f.account(t, roles...)
	if err := f.acc.VerifyByOperator(f.ctx, a.ID, accounts.Electoral{}); err != nil {
		t.Fatalf("verify: %v", err)
	}
	return a
}

func (f *fixture) delegate(t testing.TB) *accounts.Account {
	t.Helper()
	a := f.resident(t)
	if err := f.svc.Agree(f.ctx, accounts.As(a)); err != nil {
		t.Fatalf("agree: %v", err)
	}
	return a
}

// input is a vote open from one day after start for a week, changed by
// change.
func input(m decisions.Method, change func(*decisions.Input)) decisions.Input {
	in := decisions.Input{
		Question: "Quel aménagement pour la place ?", Method: m, Delegation: true,
		Options: []decisions.Option{{Key: "a", Label: "Des arbres"}, {Key: "b", Label: "Des bancs"},
			{Key: "c", Label: "Une fontaine"}, {Key: "d", Label: "Rien"}},
		OpensAt: start.Add(day), ClosesAt: start.Add(8 * day),
	}
	switch m {
	case decisions.Score:
		in.ScoreMin, in.ScoreMax = 0, 5
	case decisions.Budget:
		in.BudgetTotal = 100
		for i := range in.Options {
			in.Options[i].Cost = int64(30 + 10*i)
		}
	}
	if change != nil {
		change(&in)
	}
	return in
}

// vote opens a vote as an official and moves the clock inside its window.
func (f *fixture) vote(t testing.TB, m decisions.Method, change func(*decisions.Input)) *decisions.Vote {
	t.Helper()
	v, err := f.svc.Create(f.ctx, accounts.As(f.account(t, accounts.Official)), f.spaceID, input(m, change))
	if err != nil {
		t.Fatalf("create vote: %v", err)
	}
	if f.clock.Now().Before(v.OpensAt) {
		f.clock.Set(v.OpensAt)
	}
	return v
}

func (f *fixture) cast(t testing.TB, who *accounts.Account, v *decisions.Vote, c decisions.Choice) decisions.Cast {
	t.Helper()
	r, err := f.svc.Cast(f.ctx, accounts.As(who), v.ID, c, false)
	if err != nil {
		t.Fatalf("cast: %v", err)
	}
	return r
}

// close moves the clock past the vote's closing and closes it.
func (f *fixture) close(t testing.TB, v *decisions.Vote) *decisions.Tally {
	t.Helper()
	if f.clock.Now().Before(v.ClosesAt) {
		f.clock.Set(v.ClosesAt)
	}
	res, err := f.svc.Close(f.ctx, v.ID)
	if err != nil {
		t.Fatalf("close: %v", err)
	}
	return res
}

func opts(keys ...string) decisions.Choice { return decisions.Choice{Options: keys} }
func rank(keys ...string) decisions.Choice { return decisions.Choice{Ranking: keys} }

func totals(r decisions.Result) map[string]int64 {
	out := map[string]int64{}
	for _, t := range r.Totals {
		out[t.Key] = t.Votes + t.Score
	}
	return out
}

func equalOrder(t testing.TB, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

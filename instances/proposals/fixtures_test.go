package proposals_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/markup"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/ratelimit"
	"agora/storage/storagetest"
)

// start is when every test's clock begins: a time with microseconds, so
// the way each dialect stores fractions is exercised too.
var start = time.Date(2026, time.November, 24, 9, 30, 0, 123456000, time.UTC)

const day = 24 * time.Hour

// The phases of the space most tests use: proposals for ten days, then
// supports only for ten, then evaluation for ten.
var (
	supportsFrom   = start.Add(10 * day)
	evaluationFrom = start.Add(20 * day)
	closedFrom     = start.Add(30 * day)
)

type clock = storagetest.Clock

// fixture is one test's services on a fresh, migrated database.
type fixture struct {
	storagetest.Tables
	ctx     context.Context
	db      *bun.DB
	acc     *accounts.Service
	spaces  *spaces.Service
	svc     *proposals.Service
	clock   *clock
	dialect string
	handles int
}

// run runs fn on SQLite and on PostgreSQL, each on its own database, in
// parallel with the other tests of the package.
func run(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	storagetest.Parallel(t, newFixture, fn)
}

func newFixture(t testing.TB, dialect string) *fixture {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	c := storagetest.NewClock(start)
	md := markup.New()
	acc := accounts.NewService(db, c.Now)
	sp := spaces.NewService(db, md, c.Now)
	return &fixture{Tables: storagetest.Tables{DB: db, Names: tables}, ctx: t.Context(), db: db, acc: acc, spaces: sp,
		svc: proposals.NewService(db, md, acc, sp, c.Now, unpaced), clock: c, dialect: dialect}
}

// unpaced lifts the limits on publishing for tests that publish many
// proposals at one frozen time; pace_test.go tests the real ones.
var unpaced = proposals.WithProposalLimits([]ratelimit.Rule{{Max: 1000, Window: time.Minute}}, []ratelimit.Rule{{Max: 1000, Window: time.Minute}})

// account opens an account as the node itself, with the given roles;
// officials answer for the "Voirie" service.
func (f *fixture) account(t testing.TB, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	in := accounts.NewAccount{Handle: handle, DisplayName: "Name of " + handle, Roles: roles}
	if slices.Contains(roles, accounts.Official) {
		in.Service = "Voirie"
	}
	acc, err := f.acc.Create(f.ctx, accounts.System, in)
	if err != nil {
		t.Fatalf("create %s: %v", handle, err)
	}
	return acc
}

// resident opens a verified resident's account.
func (f *fixture) resident(t testing.TB, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	acc := f.account(t, handle, roles...)
	if err := f.acc.VerifyByOperator(f.ctx, acc.ID, accounts.Electoral{}); err != nil {
		t.Fatalf("verify %s: %v", handle, err)
	}
	return acc
}

// residents opens n verified residents.
func (f *fixture) residents(t testing.TB, n int) []*accounts.Account {
	t.Helper()
	out := make([]*accounts.Account, n)
	for i := range out {
		f.handles++
		out[i] = f.resident(t, fmt.Sprintf("habitant_%d", f.handles))
	}
	return out
}

// space opens a space with the phases above (proposals, supports,
// evaluation), no categories and the default limits, changed by change.
func (f *fixture) space(t testing.TB, slug string, change func(*spaces.NewSpace)) *spaces.Space {
	t.Helper()
	in := spaces.NewSpace{
		Slug: slug, Title: "Budget participatif", Kind: spaces.Process,
		Phases: []spaces.PhaseInput{
			{Kind: spaces.Proposals, StartsAt: start, EndsAt: supportsFrom},
			{Kind: spaces.Supports, StartsAt: supportsFrom, EndsAt: evaluationFrom},
			{Kind: spaces.Evaluation, StartsAt: evaluationFrom, EndsAt: closedFrom},
		},
	}
	if change != nil {
		change(&in)
	}
	sp, err := f.spaces.Create(f.ctx, accounts.System, in)
	if err != nil {
		t.Fatalf("create space %s: %v", slug, err)
	}
	return sp
}

// propose publishes a proposal by who with a valid body.
func (f *fixture) propose(t testing.TB, who accounts.Actor, spaceID, title string) *proposals.Proposal {
	t.Helper()
	return f.proposeIn(t, who, spaceID, proposals.Input{Title: title, Body: "Pourquoi : " + title + "."})
}

func (f *fixture) proposeIn(t testing.TB, who accounts.Actor, spaceID string, in proposals.Input) *proposals.Proposal {
	t.Helper()
	p, err := f.svc.Create(f.ctx, who, spaceID, in)
	if err != nil {
		t.Fatalf("create proposal %q: %v", in.Title, err)
	}
	return p
}

// get reads a proposal back.
func (f *fixture) get(t testing.TB, id string) *proposals.Proposal {
	t.Helper()
	p, err := f.svc.ByID(f.ctx, id)
	if err != nil {
		t.Fatalf("load proposal %s: %v", id, err)
	}
	return p
}

// timeline returns a proposal's events as "kind:from>to" lines.
func (f *fixture) timeline(t testing.TB, id string) []string {
	t.Helper()
	events, err := f.svc.Timeline(f.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = fmt.Sprintf("%s:%s>%s", e.Kind, e.FromState, e.ToState)
	}
	return out
}

// exec runs a statement the services never run, to set up a case.
func (f *fixture) exec(t testing.TB, query string, args ...any) {
	t.Helper()
	if _, err := f.db.NewRaw(query, args...).Exec(f.ctx); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	// The service caches the shuffle keys of a space for a few seconds.
	proposals.ForgetCaches(f.svc)
}

// tables are every table the proposals package writes.
var tables = []string{"proposals", "proposal_supports", "proposal_events", "outbox_events"}

// refused checks that err is want and that nothing was written.
func (f *fixture) refused(t testing.TB, before storagetest.Snapshot, err, want error, what string) {
	t.Helper()
	wantErr(t, err, want, what)
	f.Unchanged(t, before, what)
}

// wantErr fails unless err is want (nil meaning success).
func wantErr(t testing.TB, err, want error, what string) {
	t.Helper()
	if want == nil && err != nil {
		t.Fatalf("%s: %v, want success", what, err)
	}
	if want != nil && !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

func ptr(v float64) *float64 { return &v }

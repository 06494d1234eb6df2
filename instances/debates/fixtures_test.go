package debates_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/instancestest"
	"agora/instances/markup"
	"agora/storage/storagetest"
)

// start is when every test's clock begins.
var start = instancestest.Start

type clock = storagetest.Clock

// fixture is one test's services on a fresh, migrated database, with a
// space, a resident and a proposal to comment on.
type fixture struct {
	storagetest.Tables
	ctx      context.Context
	db       *bun.DB
	svc      *debates.Service
	accounts *accounts.Service
	clock    *clock
	dialect  string

	space    string
	alice    *accounts.Account
	proposal debates.Target
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
	f := &fixture{Tables: storagetest.Tables{DB: db, Names: tables}, ctx: context.Background(), db: db, svc: debates.NewService(db, markup.New(), c.Now),
		accounts: accounts.NewService(db, c.Now), clock: c, dialect: dialect}
	f.alice = f.account(t, "alice")
	f.space = f.newSpace(t, "centre")
	f.proposal = debates.Target{Kind: debates.TargetProposal, ID: f.newProposal(t, f.space, f.alice.ID)}
	return f
}

// tables are every table this package writes, and those it reads.
var tables = []string{"debates", "comments", "comment_versions", "comment_supports", "outbox_events", "proposals", "spaces"}

// account opens an account as the node itself, with the given roles.
func (f *fixture) account(t testing.TB, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	return instancestest.Account(t, f.accounts, handle, roles...)
}

func (f *fixture) newSpace(t testing.TB, slug string) string {
	return instancestest.Space(t, f.db, start, slug)
}

func (f *fixture) newProposal(t testing.TB, spaceID, authorID string) string {
	return instancestest.Proposal(t, f.db, start, spaceID, authorID)
}

// debate opens a debate in the fixture's space as alice.
func (f *fixture) debate(t testing.TB) *debates.Debate {
	t.Helper()
	d, err := f.svc.CreateDebate(f.ctx, accounts.As(f.alice), debates.NewDebate{
		SpaceID: f.space, Question: "Should the square be car-free?", Description: "On *Sundays*."})
	if err != nil {
		t.Fatalf("create debate: %v", err)
	}
	return d
}

// comment writes a comment one second after the previous one, so thread
// order is known.
func (f *fixture) comment(t testing.TB, actor accounts.Actor, target debates.Target, parentID, body string) *debates.Comment {
	t.Helper()
	f.clock.Advance(7 * time.Second) // apart enough for CommentLimits: ten a minute
	c, err := f.svc.Add(f.ctx, actor, debates.NewComment{Target: target, ParentID: parentID, Body: body})
	if err != nil {
		t.Fatalf("comment %q: %v", body, err)
	}
	return c
}

// hide hides a row as moderation would, without depending on it.
func (f *fixture) hide(t testing.TB, table, id string) {
	t.Helper()
	if _, err := f.db.NewUpdate().Table(table).Set("hidden_at = ?", f.clock.Now()).Set("hidden_reason = 'spam'").
		Where("id = ?", id).Exec(f.ctx); err != nil {
		t.Fatalf("hide %s: %v", id, err)
	}
}

// events returns the outbox as "kind type id actor" lines, oldest first.
func (f *fixture) events(t testing.TB) []string { return instancestest.Events(t, f.db) }

// commentCount reads a target's comment_count and checks it against its
// visible comments.
func (f *fixture) commentCount(t testing.TB, target debates.Target) int {
	return instancestest.CommentCount(t, f.db, target)
}

// wantErr fails unless err is want (nil meaning success).
var wantErr = instancestest.WantErr

package debates_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/markup"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// start is when every test's clock begins: a time with microseconds, so
// the way each dialect stores fractions is exercised too.
var start = time.Date(2026, time.November, 24, 9, 30, 0, 123456000, time.UTC)

type clock = storagetest.Clock

// fixture is one test's services on a fresh, migrated database, with a
// space, a resident and a proposal to comment on.
type fixture struct {
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
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		fn(t, newFixture(t, dialect))
	})
}

func newFixture(t testing.TB, dialect string) *fixture {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	c := storagetest.NewClock(start)
	f := &fixture{ctx: context.Background(), db: db, svc: debates.NewService(db, markup.New(), c.Now),
		accounts: accounts.NewService(db, c.Now), clock: c, dialect: dialect}
	f.alice = f.account(t, "alice")
	f.space = f.newSpace(t, "centre")
	f.proposal = debates.Target{Kind: debates.TargetProposal, ID: f.newProposal(t, f.space, f.alice.ID)}
	return f
}

// tables are every table this package writes, and those it reads.
var tables = []string{"debates", "comments", "comment_versions", "comment_supports", "outbox_events", "proposals", "spaces"}

// state is every row of every table, to compare before and after
// something that must change nothing.
type state = storagetest.Snapshot

func (f *fixture) state(t testing.TB) state { return storagetest.TakeSnapshot(t, f.db, tables...) }

func (f *fixture) rows(t testing.TB, table string) []string { return storagetest.Rows(t, f.db, table) }

// unchanged fails the test if any table differs from before.
func (f *fixture) unchanged(t testing.TB, before state, what string) {
	t.Helper()
	before.Unchanged(t, f.db, what)
}

// count counts the rows of a table that match where.
func (f *fixture) count(t testing.TB, table, where string, args ...any) int {
	t.Helper()
	return storagetest.Count(t, f.db, table, where, args...)
}

// account opens an account as the node itself, with the given roles.
func (f *fixture) account(t testing.TB, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	acc, err := f.accounts.Create(f.ctx, accounts.System, accounts.NewAccount{
		Handle: handle, DisplayName: "Name of " + handle, Roles: roles,
	})
	if err != nil {
		t.Fatalf("create %s: %v", handle, err)
	}
	return acc
}

// spaceRow and proposalRow are written with plain inserts: package
// proposals is not this package's to depend on.
type spaceRow struct {
	bun.BaseModel `bun:"table:spaces"`

	ID, Slug, Title, Description, Kind  string
	TitleMax, BodyMax, SupportThreshold int
	UnverifiedMayPropose                bool
	CreatedAt, UpdatedAt                time.Time
}

type proposalRow struct {
	bun.BaseModel `bun:"table:proposals"`

	ID, SpaceID, AuthorID, Desk, Title, Body, BodyHTML, Category, Address, State, HiddenReason string
	SupportCount, CommentCount                                                                 int
	RandKey                                                                                    int64
	CreatedAt, UpdatedAt                                                                       time.Time
}

func (f *fixture) newSpace(t testing.TB, slug string) string {
	t.Helper()
	s := &spaceRow{ID: database.NewID(), Slug: slug, Title: "Space " + slug, Kind: "proposals",
		TitleMax: 150, BodyMax: 5000, CreatedAt: start, UpdatedAt: start}
	if _, err := f.db.NewInsert().Model(s).Exec(f.ctx); err != nil {
		t.Fatalf("insert space: %v", err)
	}
	return s.ID
}

func (f *fixture) newProposal(t testing.TB, spaceID, authorID string) string {
	t.Helper()
	p := &proposalRow{ID: database.NewID(), SpaceID: spaceID, AuthorID: authorID, Title: "A bench", Body: "Here.",
		BodyHTML: "<p>Here.</p>", State: "published", CreatedAt: start, UpdatedAt: start}
	if _, err := f.db.NewInsert().Model(p).Exec(f.ctx); err != nil {
		t.Fatalf("insert proposal: %v", err)
	}
	return p.ID
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
func (f *fixture) events(t testing.TB) []string {
	t.Helper()
	var rows []struct {
		Kind       string
		ObjectType string
		ObjectID   string
		ActorID    *string
	}
	if err := f.db.NewSelect().Table("outbox_events").Column("kind", "object_type", "object_id", "actor_id").
		Order("id").Scan(f.ctx, &rows); err != nil {
		t.Fatalf("read outbox: %v", err)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		actor := "-"
		if r.ActorID != nil {
			actor = *r.ActorID
		}
		out[i] = strings.Join([]string{r.Kind, r.ObjectType, r.ObjectID, actor}, " ")
	}
	return out
}

// commentCount reads a target's comment_count and checks it against its
// visible comments.
func (f *fixture) commentCount(t testing.TB, target debates.Target) int {
	t.Helper()
	table := map[debates.TargetKind]string{debates.TargetProposal: "proposals", debates.TargetDebate: "debates"}[target.Kind]
	var n int
	if err := f.db.NewSelect().Table(table).Column("comment_count").Where("id = ?", target.ID).Scan(f.ctx, &n); err != nil {
		t.Fatalf("read comment count: %v", err)
	}
	visible := f.count(t, "comments", "target_kind = ? AND target_id = ? AND hidden_at IS NULL AND deleted_at IS NULL", target.Kind, target.ID)
	if n != visible {
		t.Errorf("%s %s: comment_count %d, but %d visible comments", target.Kind, target.ID, n, visible)
	}
	return n
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

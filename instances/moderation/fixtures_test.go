package moderation_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/instancestest"
	"agora/instances/markup"
	"agora/instances/moderation"
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
	svc      *moderation.Service
	debates  *debates.Service
	accounts *accounts.Service
	clock    *clock
	dialect  string

	space     string
	alice     *accounts.Account
	moderator *accounts.Account
	proposal  string
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
	f := &fixture{Tables: storagetest.Tables{DB: db, Names: tables}, ctx: context.Background(), db: db, svc: moderation.NewService(db, c.Now),
		debates: debates.NewService(db, markup.New(), c.Now), accounts: accounts.NewService(db, c.Now), clock: c, dialect: dialect}
	f.alice = f.account(t, "alice")
	f.moderator = f.account(t, "moderator_1", accounts.Moderator)
	f.space = f.newSpace(t, "centre", "mobility", "greenery")
	f.proposal = f.newProposal(t, f.space, f.alice.ID)
	return f
}

// tables are every table this package writes, and those it reads.
var tables = []string{"reports", "moderation_log", "outbox_events", "proposals", "proposal_supports", "debates", "comments", "space_categories"}

// account opens an account as the node itself, with the given roles.
func (f *fixture) account(t testing.TB, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	return instancestest.Account(t, f.accounts, handle, roles...)
}

type supportRow struct {
	bun.BaseModel `bun:"table:proposal_supports"`

	ProposalID, AccountID, Desk string
	CreatedAt                   time.Time
}

// newSpace adds a space with the given categories.
func (f *fixture) newSpace(t testing.TB, slug string, categories ...string) string {
	return instancestest.Space(t, f.db, start, slug, categories...)
}

// support records supports of a proposal and sets its count, as package
// proposals would.
func (f *fixture) support(t testing.TB, proposalID string, by ...*accounts.Account) {
	t.Helper()
	for _, a := range by {
		if _, err := f.db.NewInsert().Model(&supportRow{ProposalID: proposalID, AccountID: a.ID, CreatedAt: start}).Exec(f.ctx); err != nil {
			t.Fatalf("insert support: %v", err)
		}
	}
	if _, err := f.db.NewUpdate().Table("proposals").Set("support_count = support_count + ?", len(by)).
		Where("id = ?", proposalID).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
}

// supporters returns who supports a proposal, sorted, and checks its
// support_count against them.
func (f *fixture) supporters(t testing.TB, proposalID string) []string {
	t.Helper()
	var ids []string
	if err := f.db.NewSelect().Table("proposal_supports").Column("account_id").Where("proposal_id = ?", proposalID).
		Order("account_id").Scan(f.ctx, &ids); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := f.db.NewSelect().Table("proposals").Column("support_count").Where("id = ?", proposalID).Scan(f.ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n != len(ids) {
		t.Errorf("proposal %s: support_count %d, but %d supports", proposalID, n, len(ids))
	}
	return ids
}

func (f *fixture) newProposal(t testing.TB, spaceID, authorID string) string {
	return instancestest.Proposal(t, f.db, start, spaceID, authorID)
}

// debate opens a debate in the fixture's space as alice.
func (f *fixture) debate(t testing.TB) *debates.Debate {
	t.Helper()
	d, err := f.debates.CreateDebate(f.ctx, accounts.As(f.alice), debates.NewDebate{SpaceID: f.space, Question: "Car-free square?"})
	if err != nil {
		t.Fatalf("create debate: %v", err)
	}
	return d
}

// comment writes a comment on the fixture's proposal as alice.
func (f *fixture) comment(t testing.TB, parentID, body string) *debates.Comment {
	t.Helper()
	f.clock.Advance(time.Second)
	c, err := f.debates.Add(f.ctx, accounts.As(f.alice), debates.NewComment{
		Target: debates.Target{Kind: debates.TargetProposal, ID: f.proposal}, ParentID: parentID, Body: body})
	if err != nil {
		t.Fatalf("comment %q: %v", body, err)
	}
	return c
}

// mod is the fixture's moderator acting.
func (f *fixture) mod() accounts.Actor { return accounts.As(f.moderator) }

// proposalFields reads what moderation changes of a proposal.
type proposalFields struct {
	State, Category, MergedInto, HiddenReason string
	SupportCount, CommentCount                int
	Hidden                                    bool
}

func (f *fixture) proposalFields(t testing.TB, id string) proposalFields {
	t.Helper()
	var p struct {
		State, Category, HiddenReason string
		MergedInto                    *string
		SupportCount, CommentCount    int
		HiddenAt                      *time.Time
	}
	if err := f.db.NewSelect().Table("proposals").
		Column("state", "category", "hidden_reason", "merged_into", "support_count", "comment_count", "hidden_at").
		Where("id = ?", id).Scan(f.ctx, &p); err != nil {
		t.Fatalf("read proposal: %v", err)
	}
	out := proposalFields{State: p.State, Category: p.Category, HiddenReason: p.HiddenReason,
		SupportCount: p.SupportCount, CommentCount: p.CommentCount, Hidden: p.HiddenAt != nil}
	if p.MergedInto != nil {
		out.MergedInto = *p.MergedInto
	}
	return out
}

// hidden reads whether a row is hidden, and why.
func (f *fixture) hidden(t testing.TB, table, id string) (bool, string) {
	t.Helper()
	var row struct {
		HiddenAt     *time.Time
		HiddenReason string
	}
	if err := f.db.NewSelect().Table(table).Column("hidden_at", "hidden_reason").Where("id = ?", id).Scan(f.ctx, &row); err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	return row.HiddenAt != nil, row.HiddenReason
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

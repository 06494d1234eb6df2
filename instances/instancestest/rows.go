// Package instancestest holds what the domain packages' tests share:
// accounts opened as the node, and spaces and proposals written as plain
// rows, for packages that must not depend on the package that owns them
// (debates and moderation read proposals, never call package proposals).
// Only tests import it.
package instancestest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// Account opens an account as the node itself, with the given roles; its
// name is "Name of <handle>".
func Account(t testing.TB, svc *accounts.Service, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	acc, err := svc.Create(context.Background(), accounts.System, accounts.NewAccount{
		Handle: handle, DisplayName: "Name of " + handle, Roles: roles,
	})
	if err != nil {
		t.Fatalf("create %s: %v", handle, err)
	}
	return acc
}

// The rows are today's shapes of the tables, written with plain inserts.

type spaceRow struct {
	bun.BaseModel `bun:"table:spaces"`

	ID, Slug, Title, Description, Kind  string
	TitleMax, BodyMax, SupportThreshold int
	UnverifiedMayPropose                bool
	CreatedAt, UpdatedAt                time.Time
}

type categoryRow struct {
	bun.BaseModel `bun:"table:space_categories"`

	SpaceID, Slug, NameFR, NameEN string
	Position                      int
}

type proposalRow struct {
	bun.BaseModel `bun:"table:proposals"`

	ID, SpaceID, AuthorID, Desk, Title, Body, BodyHTML, Category, Address, State, HiddenReason string
	SupportCount, CommentCount                                                                 int
	RandKey                                                                                    int64
	CreatedAt, UpdatedAt                                                                       time.Time
}

// Space adds a space of proposals with the given categories (slug and
// names alike), created at, and returns its id.
func Space(t testing.TB, db bun.IDB, at time.Time, slug string, categories ...string) string {
	t.Helper()
	s := &spaceRow{ID: database.NewID(), Slug: slug, Title: "Space " + slug, Kind: "proposals",
		TitleMax: 150, BodyMax: 5000, CreatedAt: at, UpdatedAt: at}
	if _, err := db.NewInsert().Model(s).Exec(context.Background()); err != nil {
		t.Fatalf("insert space: %v", err)
	}
	for i, c := range categories {
		row := &categoryRow{SpaceID: s.ID, Slug: c, NameFR: c, NameEN: c, Position: i}
		if _, err := db.NewInsert().Model(row).Exec(context.Background()); err != nil {
			t.Fatalf("insert category: %v", err)
		}
	}
	return s.ID
}

// Proposal adds a published proposal of author in a space, created at,
// and returns its id.
func Proposal(t testing.TB, db bun.IDB, at time.Time, spaceID, authorID string) string {
	t.Helper()
	p := &proposalRow{ID: database.NewID(), SpaceID: spaceID, AuthorID: authorID, Title: "A bench", Body: "Here.",
		BodyHTML: "<p>Here.</p>", State: "published", CreatedAt: at, UpdatedAt: at}
	if _, err := db.NewInsert().Model(p).Exec(context.Background()); err != nil {
		t.Fatalf("insert proposal: %v", err)
	}
	return p.ID
}

// Events returns the outbox as "kind type id actor" lines, oldest first.
func Events(t testing.TB, db bun.IDB) []string {
	t.Helper()
	var rows []struct {
		Kind       string
		ObjectType string
		ObjectID   string
		ActorID    *string
	}
	if err := db.NewSelect().Table("outbox_events").Column("kind", "object_type", "object_id", "actor_id").
		Order("id").Scan(context.Background(), &rows); err != nil {
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

// CommentCount reads a target's comment_count and checks it against its
// visible comments.
func CommentCount(t testing.TB, db bun.IDB, target debates.Target) int {
	t.Helper()
	table := map[debates.TargetKind]string{debates.TargetProposal: "proposals", debates.TargetDebate: "debates"}[target.Kind]
	var n int
	if err := db.NewSelect().Table(table).Column("comment_count").Where("id = ?", target.ID).Scan(context.Background(), &n); err != nil {
		t.Fatalf("read comment count: %v", err)
	}
	visible := storagetest.Count(t, db, "comments", "target_kind = ? AND target_id = ? AND hidden_at IS NULL AND deleted_at IS NULL", target.Kind, target.ID)
	if n != visible {
		t.Errorf("%s %s: comment_count %d, but %d visible comments", target.Kind, target.ID, n, visible)
	}
	return n
}

// WantErr fails unless err is want (nil meaning success).
func WantErr(t testing.TB, err, want error, what string) {
	t.Helper()
	if want == nil && err != nil {
		t.Fatalf("%s: %v, want success", what, err)
	}
	if want != nil && !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
}

// Start is when a test's clock begins: a time with microseconds, so the
// way each dialect stores fractions is exercised too.
var Start = time.Date(2026, time.November, 24, 9, 30, 0, 123456000, time.UTC)

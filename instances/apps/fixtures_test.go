package apps_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/instances/accounts"
	"agora/instances/apps"
	"agora/storage/storagetest"
)

// start is when every test's clock begins, with microseconds so each
// dialect's fractions are exercised.
var start = time.Date(2026, time.November, 24, 9, 30, 0, 123456000, time.UTC)

// artifactLimit is the largest artifact the tests' catalogue accepts.
const artifactLimit = 256 << 10

// fixture is one test's catalogue on a fresh, migrated database and an
// empty blob store.
type fixture struct {
	ctx     context.Context
	db      *bun.DB
	store   *storagetest.BlobStore
	acc     *accounts.Service
	svc     *apps.Service
	clock   *storagetest.Clock
	admin   accounts.Actor
	dialect string
}

// run runs fn on SQLite and on PostgreSQL with a local blob store, in
// parallel with the package's other tests.
func run(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		fn(t, newFixture(t, dialect, "local"))
	})
}

// runStores runs fn on each database with each blob store (local disk
// and S3).
func runStores(t *testing.T, fn func(t *testing.T, f *fixture)) {
	t.Helper()
	t.Parallel()
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		for _, kind := range []string{"local", "s3"} {
			t.Run(kind, func(t *testing.T) {
				t.Parallel()
				fn(t, newFixture(t, dialect, kind))
			})
		}
	})
}

func newFixture(t *testing.T, dialect, store string) *fixture {
	t.Helper()
	db := storagetest.MigratedDB(t, dialect)
	bs := storagetest.NewBlobStore(t, store)
	c := storagetest.NewClock(start)
	acc := accounts.NewService(db, c.Now)
	f := &fixture{ctx: t.Context(), db: db, store: bs, acc: acc, clock: c, dialect: dialect,
		svc: apps.NewService(db, bs, c.Now, apps.Options{MaxArtifactSize: artifactLimit, MaxImageSize: 64 << 10})}
	f.admin = accounts.As(f.account(t, "intendant", accounts.Admin))
	return f
}

// account opens an account as the node, with roles.
func (f *fixture) account(t testing.TB, handle string, roles ...accounts.Role) *accounts.Account {
	t.Helper()
	a, err := f.acc.Create(f.ctx, accounts.System, accounts.NewAccount{Handle: handle, DisplayName: "Name of " + handle, Roles: roles})
	if err != nil {
		t.Fatalf("create %s: %v", handle, err)
	}
	return a
}

// testdata returns a test file's content.
func testdata(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// variant is minimal.yml with replacements (old, new, old, new...).
func variant(t testing.TB, replace ...string) string {
	t.Helper()
	doc := testdata(t, "minimal.yml")
	for i := 0; i+1 < len(replace); i += 2 {
		if !strings.Contains(doc, replace[i]) {
			t.Fatalf("minimal.yml has no %q", replace[i])
		}
		doc = strings.Replace(doc, replace[i], replace[i+1], 1)
	}
	return doc
}

// publish publishes a document as the admin.
func (f *fixture) publish(t testing.TB, doc string) *apps.App {
	t.Helper()
	a, fes, err := f.svc.Publish(f.ctx, f.admin, strings.NewReader(doc))
	if err != nil {
		t.Fatalf("publish: %v %v", err, fes)
	}
	return a
}

// app publishes minimal.yml under another name and repository.
func (f *fixture) app(t testing.TB, name string, replace ...string) *apps.App {
	t.Helper()
	repl := append([]string{"name: Agora", "name: " + name,
		"https://git.example.org/agora/agora.git", "https://git.example.org/" + slug(name) + ".git"}, replace...)
	return f.publish(t, variant(t, repl...))
}

func slug(s string) string { return strings.ReplaceAll(strings.ToLower(s), " ", "-") }

// tables are every table the catalogue writes.
var tables = []string{"apps", "app_tags", "app_releases", "app_artifacts", "app_media", "app_adoptions", "outbox_events"}

func (f *fixture) state(t testing.TB) storagetest.Snapshot {
	return storagetest.TakeSnapshot(t, f.db, tables...)
}

func (f *fixture) count(t testing.TB, table, where string, args ...any) int {
	t.Helper()
	return storagetest.Count(t, f.db, table, where, args...)
}

// refused checks that err is want and that nothing was written.
func (f *fixture) refused(t testing.TB, before storagetest.Snapshot, err, want error, what string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: error %v, want %v", what, err, want)
	}
	before.Unchanged(t, f.db, what)
}

// blobs lists the files the store holds (blobs and temporary files).
func (f *fixture) blobs(t testing.TB) []string {
	t.Helper()
	files := f.store.Files(t)
	slices.Sort(files)
	return files
}

// read returns a blob's content.
func (f *fixture) read(t testing.TB, key string) []byte {
	t.Helper()
	o, err := f.store.Open(f.ctx, key)
	if err != nil {
		t.Fatalf("open blob %s: %v", key, err)
	}
	defer o.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(o); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// events returns the outbox as "kind object_type" lines, in order.
func (f *fixture) events(t testing.TB) []string {
	t.Helper()
	var rows []struct {
		Kind       string `bun:"kind"`
		ObjectType string `bun:"object_type"`
	}
	if err := f.db.NewSelect().Table("outbox_events").Column("kind", "object_type").Order("id").Scan(f.ctx, &rows); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.Kind+" "+r.ObjectType)
	}
	return out
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

package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/uptrace/bun"

	"agora/storage/database"
)

// Dialects are the databases every storage test runs on.
var Dialects = []string{"sqlite", "postgres"}

// DatabaseURL returns a database URL of the given dialect that belongs to
// this test alone: a fresh SQLite file, or a fresh PostgreSQL schema (from
// AGORA_TEST_POSTGRES_URL) dropped when the test ends.
func DatabaseURL(t testing.TB, dialect string) string {
	t.Helper()
	switch dialect {
	case "sqlite":
		return "sqlite:" + filepath.Join(t.TempDir(), "agora.db")
	case "postgres":
		return postgresSchemaURL(t)
	}
	t.Fatalf("unknown dialect %q", dialect)
	return ""
}

// OpenDB opens an empty database of the given dialect for this test.
func OpenDB(t testing.TB, dialect string) *bun.DB {
	t.Helper()
	db, err := database.Open(context.Background(), DatabaseURL(t, dialect), t.TempDir())
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// MigratedDB opens a database of the given dialect with every migration
// applied.
func MigratedDB(t testing.TB, dialect string) *bun.DB {
	t.Helper()
	db := OpenDB(t, dialect)
	if _, err := database.NewMigrator(db).Up(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	return db
}

// ForEachDialect runs fn as a subtest on each dialect.
func ForEachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

func postgresSchemaURL(t testing.TB) string {
	t.Helper()
	base := Env(t, "AGORA_TEST_POSTGRES_URL", "PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open PostgreSQL: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create test schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("drop test schema: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop test schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("AGORA_TEST_POSTGRES_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Parallel runs fn once per dialect, each on its own fixture made by
// newFixture, in parallel with each other and with the package's other
// parallel tests: the shape of most domain packages' tests.
func Parallel[F any](t *testing.T, newFixture func(t testing.TB, dialect string) F, fn func(t *testing.T, f F)) {
	t.Helper()
	t.Parallel()
	ForEachDialect(t, func(t *testing.T, dialect string) {
		t.Parallel()
		fn(t, newFixture(t, dialect))
	})
}

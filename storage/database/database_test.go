package database_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/storage/database"
	"agora/storage/storagetest"
)

func TestOpenRejectsBadURLs(t *testing.T) {
	tests := []struct {
		url, want string
	}{
		{"mysql://root@localhost/agora", `unknown database URL scheme "mysql"`},
		{"sqlite:", "sqlite URL has no file path"},
		{"postgres://agora:hunter2@127.0.0.1:1/agora?connect_timeout=2", "cannot reach PostgreSQL at 127.0.0.1:1/agora"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			db, err := database.Open(context.Background(), tt.url, t.TempDir())
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error leaks the password: %q", err)
			}
		})
	}
}

func TestOpenDefaultCreatesSQLiteInDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db, err := database.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if database.IsPostgres(db) {
		t.Fatal("default database is PostgreSQL, want SQLite")
	}
	if _, err := os.Stat(filepath.Join(dir, database.FileName)); err != nil {
		t.Fatalf("no database file in the data dir: %v", err)
	}
	var mode string
	if err := db.NewRaw("PRAGMA journal_mode").Scan(context.Background(), &mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

func TestMigrateUpDownUp(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storagetest.OpenDB(t, dialect)
		m := database.NewMigrator(db)

		if err := database.Ready(ctx, db); err == nil {
			t.Fatal("Ready on an empty database succeeded")
		}
		st, err := m.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 0 {
			t.Fatal("no migrations registered")
		}
		for _, s := range st {
			if s.Applied {
				t.Fatalf("%s applied on an empty database", s.Name)
			}
		}

		applied, err := m.Up(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != len(st) {
			t.Fatalf("Up applied %d migrations, want %d", len(applied), len(st))
		}
		if err := database.Ready(ctx, db); err != nil {
			t.Fatalf("Ready after Up: %v", err)
		}
		if n, err := m.Pending(ctx); err != nil || n != 0 {
			t.Fatalf("Pending after Up = %d, %v", n, err)
		}
		// Up again is a no-op.
		if again, err := m.Up(ctx); err != nil || len(again) != 0 {
			t.Fatalf("second Up = %v, %v; want nothing", again, err)
		}

		rolled, err := m.Down(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rolled) != len(st) {
			t.Fatalf("Down rolled back %d, want %d", len(rolled), len(st))
		}
		if err := database.Ready(ctx, db); err == nil {
			t.Fatal("Ready after Down succeeded")
		}
		if n, _ := m.Pending(ctx); n != len(st) {
			t.Fatalf("Pending after Down = %d, want %d", n, len(st))
		}
		if _, err := m.Up(ctx); err != nil {
			t.Fatalf("Up after Down: %v", err)
		}
		if err := database.Ready(ctx, db); err != nil {
			t.Fatalf("Ready after Up, Down, Up: %v", err)
		}
	})
}

// Every up migration must be safe to run twice: a crash can fall between
// its commit and the row that records it.
func TestMigrationsAreIdempotent(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storagetest.MigratedDB(t, dialect)
		st, err := database.NewMigrator(db).Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range st {
			if err := database.RerunUp(ctx, db, s.Name); err != nil {
				t.Errorf("re-running %s_%s: %v", s.Name, s.Comment, err)
			}
		}
		if err := database.Ready(ctx, db); err != nil {
			t.Fatal(err)
		}
	})
}

func TestTranslate(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storagetest.MigratedDB(t, dialect)
		type row struct {
			bun.BaseModel `bun:"table:node_settings"`
			Key           string    `bun:"key,pk"`
			Value         string    `bun:"value"`
			UpdatedAt     time.Time `bun:"updated_at"`
		}
		_, err := db.NewInsert().Model(&row{Key: "created_at", Value: "x", UpdatedAt: time.Now()}).Exec(ctx)
		if err = database.Translate(err); !errors.Is(err, database.ErrConflict) {
			t.Errorf("duplicate key: got %v, want ErrConflict", err)
		}
		err = db.NewSelect().Model(new(row)).Where("key = ?", "nope").Scan(ctx)
		if err = database.Translate(err); !errors.Is(err, database.ErrNotFound) {
			t.Errorf("missing row: got %v, want ErrNotFound", err)
		}
		if database.Translate(nil) != nil {
			t.Error("Translate(nil) != nil")
		}
	})
}

func TestNodeSecretIsStable(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storagetest.MigratedDB(t, dialect)
		a, err := database.NodeSecret(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		b, err := database.NodeSecret(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != 32 || string(a) != string(b) {
			t.Fatalf("secret changed or wrong size: %x %x", a, b)
		}
	})
}

// Package database opens the node's relational database: SQLite by
// default (pure Go, so CGO_ENABLED=0 builds work), PostgreSQL when given a
// postgres:// URL. Both are reached through bun; no code outside this
// package needs to know which one it talks to.
package database

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the SQLite file created in the data directory when no
// database URL is given.
const FileName = "agora.db"

// Open connects to the database named by rawURL and checks that it answers.
//
//   - "" opens (or creates) dataDir/agora.db with SQLite;
//   - "sqlite:PATH" or "sqlite://PATH" opens that SQLite file;
//   - "postgres://..." or "postgresql://..." opens PostgreSQL.
//
// Errors never contain the password of a PostgreSQL URL.
func Open(ctx context.Context, rawURL, dataDir string) (*bun.DB, error) {
	switch {
	case rawURL == "":
		return openSQLite(ctx, filepath.Join(dataDir, FileName))
	case strings.HasPrefix(rawURL, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(rawURL, "sqlite:"), "//")
		if path == "" {
			return nil, errors.New("sqlite URL has no file path (want sqlite:PATH)")
		}
		return openSQLite(ctx, path)
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		return openPostgres(ctx, rawURL)
	}
	scheme, _, ok := strings.Cut(rawURL, ":")
	if !ok {
		scheme = rawURL
	}
	return nil, fmt.Errorf("unknown database URL scheme %q (want postgres:// or sqlite:PATH, or leave empty for SQLite in the data directory)", scheme)
}

// sqliteIdle is how many SQLite connections stay open between bursts.
const sqliteIdle = 16

// sqliteParams make every pooled connection behave the same: WAL so readers
// never block the writer, foreign keys enforced, a busy timeout instead of
// immediate "database is locked" errors, and BEGIN IMMEDIATE so a read
// transaction never fails when it later wants to write.
const sqliteParams = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate&_time_format=sqlite"

func openSQLite(ctx context.Context, path string) (*bun.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	sqldb := sql.OpenDB(&serialConnector{dsn: "file:" + path + "?" + sqliteParams, turns: newWriteTurns()})
	// Opening a connection reads the whole schema (a quarter of the CPU
	// of an inbox flood when database/sql's default of 2 idle connections
	// made every burst open and close them): keep up to sqliteIdle open
	// between bursts, and let them go after a minute of calm so an idle
	// node's memory returns. The number open is not capped: code that
	// reads outside its transaction must never wait on itself.
	sqldb.SetMaxIdleConns(sqliteIdle)
	sqldb.SetConnMaxIdleTime(time.Minute)
	db := bun.NewDB(sqldb, sqlitedialect.New())
	if err := ping(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, rawURL string) (*bun.DB, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse quotes the input, password included: say less.
		return nil, errors.New("malformed PostgreSQL URL")
	}
	where := u.Host + u.Path
	connector, err := newConnector(u)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL %s: %w", where, redact(err, u))
	}
	sqldb := sql.OpenDB(connector)
	// Several serve processes share one PostgreSQL: keep each one's share
	// modest and recycle connections so a failover is picked up.
	// As many idle as open: a burst that needs them all does not close
	// and reopen half of them (a connection costs a round of
	// authentication); a minute of calm lets them go.
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(20)
	sqldb.SetConnMaxIdleTime(time.Minute)
	sqldb.SetConnMaxLifetime(30 * time.Minute)
	db := bun.NewDB(sqldb, pgdialect.New())
	if err := ping(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("cannot reach PostgreSQL at %s: %w", where, redact(err, u))
	}
	return db, nil
}

// ping checks the database answers a real query within a few seconds, so
// an unreachable server fails start-up quickly and clearly.
func ping(ctx context.Context, db *bun.DB) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var one int
	return db.NewRaw("SELECT 1").Scan(ctx, &one)
}

// redact removes the URL's password from an error, should a driver quote it.
func redact(err error, u *url.URL) error {
	pass, ok := u.User.Password()
	if !ok || pass == "" || !strings.Contains(err.Error(), pass) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), pass, "xxxxx"))
}

// IsPostgres reports whether db talks to PostgreSQL (else SQLite).
func IsPostgres(db bun.IDB) bool {
	return db.Dialect().Name() == dialect.PG
}

// Ready checks that the database answers and that its schema is in place:
// a node whose migrations were rolled back is not ready to serve.
func Ready(ctx context.Context, db bun.IDB) error {
	var created string
	err := db.NewSelect().Table("node_settings").Column("value").
		Where("key = ?", "created_at").Scan(ctx, &created)
	if err != nil {
		return fmt.Errorf("database not ready: %w", err)
	}
	return nil
}

// BackupSQLite writes a consistent copy of a SQLite database to path while
// it stays in use. The file must not exist yet.
func BackupSQLite(ctx context.Context, db *bun.DB, path string) error {
	if IsPostgres(db) {
		return errors.New("the database is PostgreSQL: back it up with pg_dump")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	}
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// NodeSecret returns the node's random secret (32 bytes), created on first
// use and kept in node_settings: it keys HMACs that must agree across
// processes and restarts. It never leaves the node.
func NodeSecret(ctx context.Context, db bun.IDB) ([]byte, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	if _, err := db.NewRaw("INSERT INTO node_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
		"secret", hex.EncodeToString(fresh), now).Exec(ctx); err != nil {
		return nil, fmt.Errorf("create node secret: %w", err)
	}
	var v string
	if err := db.NewRaw("SELECT value FROM node_settings WHERE key = ?", "secret").Scan(ctx, &v); err != nil {
		return nil, fmt.Errorf("read node secret: %w", err)
	}
	return hex.DecodeString(v)
}

// NewID returns an opaque, stable id for a new row: 16 random bytes in
// lowercase base32 (26 characters). Ids become ActivityPub ids and URLs, so
// they reveal nothing (no order, no count) and never change.
func NewID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

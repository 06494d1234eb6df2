package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"agora/storage/blobs"
	"agora/storage/database"
)

// node holds the long-lived parts every command opens the same way.
type node struct {
	db    *bun.DB
	blobs blobs.Store
}

// openDatabase prepares the data directory and opens the database. Each
// failure names the setting to fix.
func openDatabase(ctx context.Context, cfg Config) (*bun.DB, error) {
	if err := checkDataDir(cfg.DataDir); err != nil {
		return nil, settingErr("AGORA_DATA_DIR", err)
	}
	db, err := database.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, settingErr("AGORA_DATABASE_URL", err)
	}
	return db, nil
}

// openNode opens the blob store and the database, and applies pending
// migrations. The blob store comes first: a wrong blob URL is refused
// before a database file is created. On error nothing stays open.
func openNode(ctx context.Context, cfg Config, log *slog.Logger) (*node, error) {
	if err := checkDataDir(cfg.DataDir); err != nil {
		return nil, settingErr("AGORA_DATA_DIR", err)
	}
	store, err := blobs.Open(ctx, cfg.BlobURL, cfg.DataDir)
	if err != nil {
		return nil, settingErr("AGORA_BLOB_URL", err)
	}
	db, err := openDatabase(ctx, cfg)
	if err != nil {
		return nil, err
	}
	applied, err := database.NewMigrator(db).Up(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, name := range applied {
		log.Info("migration applied", "migration", name)
	}
	return &node{db: db, blobs: store}, nil
}

func (n *node) Close() error {
	if err := n.db.Close(); err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return nil
}

// checkDataDir creates the data directory if needed and proves it is
// writable, so a read-only volume fails start-up, not the first upload.
func checkDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("cannot create %s: %w", dir, unwrapPath(err))
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("%s is not writable: %w", dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	return nil
}

// unwrapPath drops the path a *PathError repeats, keeping the message short.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// adminSettings are the settings an admin command takes as flags: where
// the node keeps its data, and the URL its printed links start with.
// Every other setting is still read from the environment.
var adminSettings = []string{"data-dir", "database-url", "blob-url", "base-url"}

// parseAdminConfig is parseConfig for admin commands: their --help lists
// only adminSettings and the command's own flags.
func parseAdminConfig(e *env, fs *flag.FlagSet, args []string, extra ...string) (Config, error) {
	return parseConfig(e, fs, args, append(slices.Clone(adminSettings), extra...)...)
}

// noDatabaseError is an admin command refusing to run on a database that
// is not a node's: admin commands never create one, since a command run
// from the wrong folder would otherwise start a new, empty node.
type noDatabaseError struct {
	where  string // the database looked at, e.g. /home/me/data/agora.db
	reason string
}

func (e *noDatabaseError) Error() string {
	return fmt.Sprintf("%s at %s: admin commands never create a database. "+
		"Run the command where the node keeps its data, or point at its database with "+
		"--data-dir (AGORA_DATA_DIR) or --database-url (AGORA_DATABASE_URL), as given to agora serve; "+
		"a new node creates its database on its first agora serve (or agora migrate up)", e.reason, e.where)
}

// describeDatabase names the database cfg points at for an operator,
// and the SQLite file behind it ("" for PostgreSQL).
func describeDatabase(cfg Config) (where, sqliteFile string) {
	switch u := cfg.DatabaseURL; {
	case u == "":
		sqliteFile = filepath.Join(cfg.DataDir, database.FileName)
	case strings.HasPrefix(u, "sqlite:"):
		sqliteFile = strings.TrimPrefix(strings.TrimPrefix(u, "sqlite:"), "//")
	default:
		p, err := url.Parse(u)
		if err != nil {
			return "PostgreSQL (malformed URL)", ""
		}
		return "PostgreSQL " + p.Host + p.Path, ""
	}
	if abs, err := filepath.Abs(sqliteFile); err == nil {
		sqliteFile = abs
	}
	return sqliteFile, sqliteFile
}

// openExistingNode is openNode for admin commands: it refuses, creating
// nothing (no data directory, no file, no tables), unless the database
// is already a node's. Pending migrations are then applied as serve would.
// A base URL the operator left unset becomes the one the node serves at.
func openExistingNode(ctx context.Context, cfg *Config) (*node, error) {
	db, err := openExistingDatabase(ctx, *cfg)
	if err != nil {
		return nil, err
	}
	db.Close()
	n, err := openNode(ctx, *cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, err
	}
	cfg.BaseURL = adminBaseURL(ctx, n.db, *cfg)
	return n, nil
}

// openExistingDatabase opens the database only if it holds a node.
func openExistingDatabase(ctx context.Context, cfg Config) (*bun.DB, error) {
	where, file := describeDatabase(cfg)
	if file != "" {
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			return nil, &noDatabaseError{where: where, reason: "no database"}
		} else if err != nil {
			return nil, settingErr("AGORA_DATABASE_URL", err)
		}
	}
	db, err := database.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, settingErr("AGORA_DATABASE_URL", err)
	}
	if err := database.Ready(ctx, db); err != nil {
		db.Close()
		return nil, &noDatabaseError{where: where, reason: "no Agora node in the database"}
	}
	return db, nil
}

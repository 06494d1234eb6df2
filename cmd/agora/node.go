package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

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

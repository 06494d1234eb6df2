package blobs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// localStore keeps blobs in a directory:
//
//	<dir>/sha256/ab/cd/abcd…   one file per blob, fanned out so that no
//	                            directory grows past 65536 entries
//	<dir>/tmp/                  uploads in progress, on the same file system
//	                            so that rename is atomic
//
// Files are created 0600 and directories 0700: blobs may hold personal data
// and only the node reads them.
type localStore struct {
	root string // <dir>/sha256
	tmp  string // <dir>/tmp
}

// openLocal opens the store in dir, creating it if needed.
func openLocal(dir string) (*localStore, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open blob directory %q: %w", dir, err)
	}
	s := &localStore{root: filepath.Join(dir, "sha256"), tmp: filepath.Join(dir, "tmp")}
	for _, d := range []string{s.root, s.tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("open blob directory: %w", err)
		}
	}
	if err := checkWritable(s.tmp); err != nil {
		return nil, fmt.Errorf("open blob directory: %w", err)
	}
	sweepTemp(s.tmp)
	return s, nil
}

// path returns the file name of a valid key.
func (s *localStore) path(key string) string {
	return filepath.Join(s.root, key[0:2], key[2:4], key)
}

func (s *localStore) Put(ctx context.Context, r io.Reader) (Info, error) {
	f, info, err := spool(ctx, s.tmp, r, true)
	if err != nil {
		return Info{}, fmt.Errorf("put blob: %w", err)
	}
	renamed := false
	defer func() {
		if !renamed {
			discard(f)
		}
	}()
	final := s.path(info.Key)
	if fi, err := os.Lstat(final); err == nil && fi.Size() == info.Size {
		return info, nil // already stored: skip the fsync too
	}
	// Data must be on disk before the name is, or a crash could leave a
	// complete-looking name over a partial file.
	if err := f.Sync(); err != nil {
		return Info{}, fmt.Errorf("put blob %s: sync: %w", info.Key, err)
	}
	if err := f.Close(); err != nil {
		return Info{}, fmt.Errorf("put blob %s: close: %w", info.Key, err)
	}
	dir := filepath.Dir(final)
	created, err := makeDirs(dir)
	if err != nil {
		return Info{}, fmt.Errorf("put blob %s: %w", info.Key, err)
	}
	if err := os.Rename(f.Name(), final); err != nil {
		return Info{}, fmt.Errorf("put blob %s: %w", info.Key, err)
	}
	renamed = true
	// The new name, and any new fan-out directory, is durable only once its
	// parent is synced. Syncing after the rename rather than after each
	// mkdir lets the first sync commit them all at once.
	for _, d := range append([]string{dir}, created...) {
		if err := syncDir(d); err != nil {
			return Info{}, fmt.Errorf("put blob %s: %w", info.Key, err)
		}
	}
	return info, nil
}

// makeDirs creates dir and any missing parents. It returns the parents
// whose entries it changed, which the caller must sync.
func makeDirs(dir string) (changed []string, err error) {
	err = os.Mkdir(dir, 0o700)
	switch {
	case err == nil:
	case errors.Is(err, fs.ErrExist):
		return nil, nil
	case errors.Is(err, fs.ErrNotExist):
		if changed, err = makeDirs(filepath.Dir(dir)); err != nil {
			return nil, err
		}
		if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
	default:
		return nil, err
	}
	return append(changed, filepath.Dir(dir)), nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync directory %s: %w", dir, err)
	}
	return nil
}

func (s *localStore) Open(ctx context.Context, key string) (Object, error) {
	if err := checkKey(key); err != nil {
		return nil, fmt.Errorf("open blob: %w", err)
	}
	f, err := os.Open(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("open blob %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open blob %s: %w", key, err)
	}
	return &localObject{File: f, info: Info{Key: key, Size: fi.Size()}}, nil
}

// localObject is an open blob file. Embedding *os.File passes its
// ReadAt and WriteTo through for callers that can use them.
type localObject struct {
	*os.File
	info Info
}

func (o *localObject) Info() Info { return o.info }

func (s *localStore) Stat(ctx context.Context, key string) (Info, error) {
	if err := checkKey(key); err != nil {
		return Info{}, fmt.Errorf("stat blob: %w", err)
	}
	fi, err := os.Stat(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return Info{}, fmt.Errorf("stat blob %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return Info{}, fmt.Errorf("stat blob %s: %w", key, err)
	}
	return Info{Key: key, Size: fi.Size()}, nil
}

// Delete removes the blob's file. Empty fan-out directories are kept: removing
// them would race with a Put about to rename a file into them.
func (s *localStore) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return fmt.Errorf("delete blob: %w", err)
	}
	if err := os.Remove(s.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete blob %s: %w", key, err)
	}
	return nil
}

// Ping checks that both directories are still there (a volume may have
// gone away under us) and that the temporary one is writable.
func (s *localStore) Ping(ctx context.Context) error {
	if _, err := os.Stat(s.root); err != nil {
		return fmt.Errorf("ping blob directory: %w", err)
	}
	if err := checkWritable(s.tmp); err != nil {
		return fmt.Errorf("ping blob directory: %w", err)
	}
	return nil
}

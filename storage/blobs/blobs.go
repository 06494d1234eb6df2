// Package blobs is the node's blob store: attachments, app release
// artifacts, logos. Blobs are content-addressed: a blob's key is the
// lowercase hex SHA-256 of its bytes, so storing the same content twice
// stores it once.
//
// Two implementations sit behind [Store]: a local directory (the default)
// and an S3-compatible bucket through minio-go. [Open] picks one from a URL.
//
// Blobs are streamed, never held whole in memory: an operation uses a
// bounded amount of memory (well under a few MiB) whatever the blob size.
//
// The store does not count references. Because identical content shares one
// key, callers that record which rows point at a blob must check no other
// row does before calling [Store.Delete].
package blobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Info describes one stored blob.
type Info struct {
	Key  string // lowercase hex SHA-256 of the content
	Size int64
}

// Object is an open blob: read it as a stream, seek for ranges.
// http.ServeContent works on it without buffering (set Content-Type first,
// or ServeContent reads 512 bytes to sniff one). An Object is not safe for
// concurrent use.
type Object interface {
	io.ReadSeekCloser
	Info() Info
}

// Store holds blobs. Implementations are safe for concurrent use, including
// by several processes sharing the same directory or bucket.
type Store interface {
	// Put streams r into the store and returns its key and size. Nothing is
	// stored unless r is read to EOF: if r fails, or ctx ends, Put leaves
	// neither the blob nor any temporary file behind. Storing content that
	// is already present succeeds and returns the same Info.
	Put(ctx context.Context, r io.Reader) (Info, error)
	// Open opens the blob for reading. It returns ErrNotFound if the blob is
	// absent and ErrInvalidKey if key is not a lowercase hex SHA-256. The
	// object's reads are bound to ctx; close it when done.
	Open(ctx context.Context, key string) (Object, error)
	// Stat returns the blob's Info, or ErrNotFound or ErrInvalidKey.
	Stat(ctx context.Context, key string) (Info, error)
	// Delete removes the blob. Deleting an absent blob is not an error, so
	// that a retried or concurrent clean-up succeeds (as S3 does).
	Delete(ctx context.Context, key string) error
	// Ping checks the store is reachable, writable and readable, for /readyz.
	Ping(ctx context.Context) error
}

var (
	// ErrNotFound is returned when no blob has the key.
	ErrNotFound = errors.New("blob not found")
	// ErrInvalidKey is returned when a key is not 64 lowercase hex digits.
	// Checking keys first also keeps them from escaping the store's
	// directory or prefix ("../etc/passwd").
	ErrInvalidKey = errors.New("invalid blob key (want 64 lowercase hex digits)")
)

// Open opens the store that rawURL names:
//
//   - "": the local directory filepath.Join(dataDir, "blobs")
//   - "file:///abs/path" or a plain path: a local directory
//   - "s3://ACCESS:SECRET@HOST[:PORT]/BUCKET[/PREFIX][?secure=false][&region=R]":
//     an S3-compatible bucket, addressed path-style. TLS is on unless
//     secure=false. The bucket must exist. Put spools each blob to a
//     temporary file under filepath.Join(dataDir, "tmp") (os.TempDir() if
//     dataDir is empty) to learn its hash before naming the object.
//
// Local directories are created if missing. Errors never contain the secret
// key.
func Open(ctx context.Context, rawURL, dataDir string) (Store, error) {
	if rawURL == "" {
		if dataDir == "" {
			return nil, errors.New("open blob store: no blob URL and no data directory")
		}
		return openLocal(filepath.Join(dataDir, "blobs"))
	}
	scheme, _, ok := strings.Cut(rawURL, "://")
	if !ok {
		return openLocal(rawURL)
	}
	if !validScheme(scheme) {
		// Do not echo it: a malformed URL may have the keys where the
		// scheme should be.
		return nil, errors.New("open blob store: malformed blob URL (want a directory, file:// or s3://)")
	}
	switch strings.ToLower(scheme) {
	case "file":
		u, err := url.Parse(rawURL)
		if err != nil {
			return nil, fmt.Errorf("open blob store: %w", err)
		}
		if (u.Host != "" && u.Host != "localhost") || !filepath.IsAbs(u.Path) {
			return nil, fmt.Errorf("open blob store: file URL %q must name an absolute path (file:///path)", rawURL)
		}
		return openLocal(u.Path)
	case "s3":
		cfg, err := parseS3URL(rawURL)
		if err != nil {
			return nil, fmt.Errorf("open blob store: %w", err)
		}
		spoolDir := os.TempDir()
		if dataDir != "" {
			spoolDir = filepath.Join(dataDir, "tmp")
		}
		return openS3(ctx, cfg, spoolDir)
	default:
		return nil, fmt.Errorf("open blob store: unknown blob URL scheme %q (want a directory, file:// or s3://)", scheme)
	}
}

// validScheme reports whether s is a URL scheme per RFC 3986.
func validScheme(s string) bool {
	for i, c := range s {
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// checkKey returns ErrInvalidKey unless key is 64 lowercase hex digits.
func checkKey(key string) error {
	if len(key) != 2*sha256.Size {
		return fmt.Errorf("%w: %q", ErrInvalidKey, key)
	}
	for _, c := range []byte(key) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return fmt.Errorf("%w: %q", ErrInvalidKey, key)
		}
	}
	return nil
}

const (
	// tempPrefix starts the name of every temporary file, so that sweeping a
	// shared directory such as os.TempDir() only touches ours.
	tempPrefix = "agora-blob-"
	// staleAfter is how old a temporary file must be to be swept as the
	// leftover of a crash; no upload in progress is that old.
	staleAfter = 24 * time.Hour
	// chunkSize is the unit Put reads, writes and hashes, in two buffers:
	// large enough to keep syscalls few, small enough to bound memory.
	chunkSize = 1 << 20
)

// spool copies r into a new temporary file in dir while hashing it. On
// success the caller owns the file and must close and remove it; on error
// nothing is left in dir. With writeback, spool starts writing each chunk
// to disk as soon as it is in the file, for a caller that will fsync it.
func spool(ctx context.Context, dir string, r io.Reader, writeback bool) (_ *os.File, _ Info, err error) {
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return nil, Info{}, fmt.Errorf("create temporary file: %w", err)
	}
	defer func() {
		if err != nil {
			discard(f)
		}
	}()
	// Hashing costs as much CPU as the copy itself, so it runs beside it:
	// a goroutine hashes chunk i while this loop writes chunk i and reads
	// chunk i+1 into the other buffer. Not io.Copy through an
	// io.MultiWriter: that would hash in line, and reading whole chunks
	// keeps syscalls few even when r returns small pieces (HTTP bodies do).
	h := sha256.New()
	var hashing sync.WaitGroup // at most one chunk: h is not safe for concurrent use
	defer hashing.Wait()
	bufs := [2][]byte{make([]byte, chunkSize), make([]byte, chunkSize)}
	var size int64
	for i := 0; ; i++ {
		if err := ctx.Err(); err != nil {
			return nil, Info{}, err
		}
		// The chunk that last used this buffer was hashed before the
		// previous one was handed over, so the buffer is free.
		buf := bufs[i%2]
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				return nil, Info{}, fmt.Errorf("write temporary file: %w", err)
			}
			if writeback {
				startWriteback(f, size, int64(n))
			}
			size += int64(n)
			hashing.Wait()
			hashing.Go(func() { h.Write(buf[:n]) })
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			return nil, Info{}, fmt.Errorf("read blob content: %w", rerr)
		}
	}
	hashing.Wait()
	return f, Info{Key: hex.EncodeToString(h.Sum(nil)), Size: size}, nil
}

// discard closes and removes a temporary file.
func discard(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

// sweepTemp removes temporary files in dir left behind by a crash. Errors
// are ignored: a leftover costs only disk space, and the next start retries.
func sweepTemp(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), tempPrefix) || !e.Type().IsRegular() {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleAfter {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// checkWritable creates and removes a file in dir.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, tempPrefix+"ping-*")
	if err != nil {
		return fmt.Errorf("directory %q is not writable: %w", dir, err)
	}
	discard(f)
	return nil
}

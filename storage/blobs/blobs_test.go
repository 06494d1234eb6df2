package blobs_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"agora/storage/blobs"
	"agora/storage/storagetest"
)

// infoOf streams r through SHA-256: the Info a store should report for it.
func infoOf(t testing.TB, r io.Reader) blobs.Info {
	t.Helper()
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		t.Fatal(err)
	}
	return blobs.Info{Key: hex.EncodeToString(h.Sum(nil)), Size: n}
}

func bytesOf(t testing.TB, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func put(t testing.TB, s blobs.Store, r io.Reader) blobs.Info {
	t.Helper()
	info, err := s.Put(t.Context(), r)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return info
}

// checkBlob checks that the store holds want, by Stat and by reading it back.
func checkBlob(t testing.TB, s blobs.Store, want blobs.Info) {
	t.Helper()
	got, err := s.Stat(t.Context(), want.Key)
	if err != nil || got != want {
		t.Fatalf("Stat = %+v, %v; want %+v", got, err, want)
	}
	obj, err := s.Open(t.Context(), want.Key)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer obj.Close()
	if obj.Info() != want {
		t.Errorf("Object.Info = %+v, want %+v", obj.Info(), want)
	}
	if got := infoOf(t, obj); got != want {
		t.Errorf("content read back is %+v, want %+v", got, want)
	}
}

func TestRoundTrip(t *testing.T) {
	storagetest.ForEachBlobStore(t, func(t *testing.T, s *storagetest.BlobStore) {
		tests := []struct {
			name string
			size int64
		}{
			{"empty", 0},
			{"one byte", 1},
			{"small", 1000},
			{"over the copy buffer", 1<<20 + 7},
			{"over one S3 part", 17 << 20},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				want := infoOf(t, storagetest.Payload(uint64(i), tt.size))
				if got := put(t, s, storagetest.Payload(uint64(i), tt.size)); got != want {
					t.Fatalf("Put = %+v, want %+v", got, want)
				}
				checkBlob(t, s, want)
			})
		}
	})
}

func TestDedup(t *testing.T) {
	storagetest.ForEachBlobStore(t, func(t *testing.T, s *storagetest.BlobStore) {
		first := put(t, s, storagetest.Payload(1, 5000))
		second := put(t, s, storagetest.Payload(1, 5000))
		if first != second {
			t.Fatalf("same content stored as %+v then %+v", first, second)
		}
		files := s.Files(t)
		if len(files) != 1 || !strings.HasSuffix(files[0], first.Key) {
			t.Fatalf("store holds %q, want one file for %s", files, first.Key)
		}
		other := put(t, s, storagetest.Payload(2, 5000))
		if other.Key == first.Key {
			t.Fatal("different content got the same key")
		}
		if files := s.Files(t); len(files) != 2 {
			t.Fatalf("store holds %q, want two files", files)
		}
	})
}

// TestLargeBlob streams 64 MiB in and out, and checks that neither way
// allocates anything near the blob's size.
func TestLargeBlob(t *testing.T) {
	const size = 64 << 20
	// The ceiling is on all bytes allocated during one Put or one read,
	// garbage included, so it bounds what was held at once. A store that
	// buffered the blob would allocate at least its size. Under it, locally
	// 1 MiB of copy buffer; on S3 also minio-go's per-chunk signing garbage,
	// about 10% of the size over plain HTTP (live memory stays small).
	const maxAlloc = size / 4
	storagetest.ForEachBlobStore(t, func(t *testing.T, s *storagetest.BlobStore) {
		want := infoOf(t, storagetest.Payload(64, size))

		var got blobs.Info
		alloc := allocated(func() { got = put(t, s, storagetest.Payload(64, size)) })
		if got != want {
			t.Fatalf("Put = %+v, want %+v", got, want)
		}
		t.Logf("Put of %d MiB allocated %.1f MiB", size>>20, float64(alloc)/(1<<20))
		if alloc > maxAlloc {
			t.Errorf("Put of %d MiB allocated %d MiB, want at most %d MiB", size>>20, alloc>>20, maxAlloc>>20)
		}

		alloc = allocated(func() { checkBlob(t, s, want) })
		t.Logf("reading %d MiB back allocated %.1f MiB", size>>20, float64(alloc)/(1<<20))
		if alloc > maxAlloc {
			t.Errorf("reading %d MiB back allocated %d MiB, want at most %d MiB", size>>20, alloc>>20, maxAlloc>>20)
		}
	})
}

// allocated returns how many bytes the heap allocated while f ran.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestSeek(t *testing.T) {
	const size = 1 << 20
	storagetest.ForEachBlobStore(t, func(t *testing.T, s *storagetest.BlobStore) {
		data := bytesOf(t, storagetest.Payload(3, size))
		info := put(t, s, bytes.NewReader(data))
		obj, err := s.Open(t.Context(), info.Key)
		if err != nil {
			t.Fatal(err)
		}
		defer obj.Close()

		// One object, several seeks in a row: each read must follow the
		// previous seek, whatever was read before it.
		steps := []struct {
			offset  int64
			whence  int
			n       int
			wantPos int64
		}{
			{0, io.SeekStart, 10, 0},
			{500_000, io.SeekStart, 1000, 500_000},
			{-5, io.SeekCurrent, 20, 500_995},
			{100, io.SeekCurrent, 1, 501_115},
			{-100, io.SeekEnd, 100, size - 100},
			{0, io.SeekStart, 64 << 10, 0},
		}
		for _, st := range steps {
			pos, err := obj.Seek(st.offset, st.whence)
			if err != nil || pos != st.wantPos {
				t.Fatalf("Seek(%d, %d) = %d, %v; want %d", st.offset, st.whence, pos, err, st.wantPos)
			}
			buf := make([]byte, st.n)
			if _, err := io.ReadFull(obj, buf); err != nil {
				t.Fatalf("read %d bytes at %d: %v", st.n, pos, err)
			}
			if !bytes.Equal(buf, data[pos:pos+int64(st.n)]) {
				t.Fatalf("read %d bytes at %d: wrong content", st.n, pos)
			}
		}
		if _, err := obj.Seek(0, io.SeekEnd); err != nil {
			t.Fatal(err)
		}
		if n, err := obj.Read(make([]byte, 10)); n != 0 || err != io.EOF {
			t.Fatalf("Read at end = %d, %v; want 0, EOF", n, err)
		}
		if _, err := obj.Seek(-1, io.SeekStart); err == nil {
			t.Fatal("Seek to a negative position succeeded")
		}
	})
}

func TestServeContent(t *testing.T) {
	const size = 1 << 20
	storagetest.ForEachBlobStore(t, func(t *testing.T, s *storagetest.BlobStore) {
		data := bytesOf(t, storagetest.Payload(4, size))
		info := put(t, s, bytes.NewReader(data))
		serve := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			obj, err := s.Open(r.Context(), info.Key)
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			defer obj.Close()
			w.Header().Set("Content-Type", "application/octet-stream")
			http.ServeContent(w, r, "", time.Time{}, obj)
		})

		tests := []struct {
			rangeHeader string
			wantStatus  int
			wantBody    []byte
		}{
			{"", http.StatusOK, data},
			{"bytes=0-9", http.StatusPartialContent, data[:10]},
			{"bytes=1000-1999", http.StatusPartialContent, data[1000:2000]},
			{"bytes=1048000-", http.StatusPartialContent, data[1048000:]},
			{"bytes=-100", http.StatusPartialContent, data[size-100:]},
			{"bytes=2000000-", http.StatusRequestedRangeNotSatisfiable, nil},
		}
		for _, tt := range tests {
			t.Run(tt.rangeHeader, func(t *testing.T) {
				req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/blob", nil)
				if tt.rangeHeader != "" {
					req.Header.Set("Range", tt.rangeHeader)
				}
				rec := httptest.NewRecorder()
				serve(rec, req)
				if rec.Code != tt.wantStatus {
					t.Fatalf("status %d, want %d: %s", rec.Code, tt.wantStatus, rec.Body.Bytes()[:min(rec.Body.Len(), 200)])
				}
				if tt.wantBody != nil && !bytes.Equal(rec.Body.Bytes(), tt.wantBody) {
					t.Fatalf("body of %d bytes, want %d bytes; content differs", rec.Body.Len(), len(tt.wantBody))
				}
			})
		}
	})
}

func TestNotFound(t *testing.T) {
	absent := infoOf(t, strings.NewReader("never stored")).Key
	storagetest.ForEachBlobStore(t, func(t *testing.T, s *storagetest.BlobStore) {
		if _, err := s.Open(t.Context(), absent); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Open of an absent blob: %v, want ErrNotFound", err)
		}
		if _, err := s.Stat(t.Context(), absent); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Stat of an absent blob: %v, want ErrNotFound", err)
		}
		if err := s.Delete(t.Context(), absent); err != nil {
			t.Errorf("Delete of an absent blob: %v, want nil", err)
		}
	})
}

func TestInvalidKey(t *testing.T) {
	valid := infoOf(t, strings.NewReader("x")).Key
	keys := map[string]string{
		"empty":      "",
		"path":       "../etc/passwd",
		"uppercase":  strings.ToUpper(valid),
		"too short":  valid[:63],
		"too long":   valid + "0",
		"not hex":    "g" + valid[1:],
		"slash":      valid[:10] + "/" + valid[11:],
		"dot dot":    "../" + valid[3:],
		"with space": " " + valid[1:],
	}
	storagetest.ForEachBlobStore(t, func(t *testing.T, s *storagetest.BlobStore) {
		ops := map[string]func(key string) error{
			"Open": func(key string) error {
				obj, err := s.Open(t.Context(), key)
				if err == nil {
					obj.Close()
				}
				return err
			},
			"Stat":   func(key string) error { _, err := s.Stat(t.Context(), key); return err },
			"Delete": func(key string) error { return s.Delete(t.Context(), key) },
		}
		for name, key := range keys {
			for op, f := range ops {
				if err := f(key); !errors.Is(err, blobs.ErrInvalidKey) {
					t.Errorf("%s(%s key %q): %v, want ErrInvalidKey", op, name, key, err)
				}
			}
		}
	})
}

func TestDelete(t *testing.T) {
	storagetest.ForEachBlobStore(t, func(t *testing.T, s *storagetest.BlobStore) {
		kept := put(t, s, storagetest.Payload(5, 100))
		gone := put(t, s, storagetest.Payload(6, 100))
		if err := s.Delete(t.Context(), gone.Key); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, err := s.Stat(t.Context(), gone.Key); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Stat after Delete: %v, want ErrNotFound", err)
		}
		if _, err := s.Open(t.Context(), gone.Key); !errors.Is(err, blobs.ErrNotFound) {
			t.Errorf("Open after Delete: %v, want ErrNotFound", err)
		}
		if err := s.Delete(t.Context(), gone.Key); err != nil {
			t.Errorf("second Delete: %v, want nil", err)
		}
		checkBlob(t, s, kept)
		if files := s.Files(t); len(files) != 1 {
			t.Errorf("store holds %q after Delete, want only %s", files, kept.Key)
		}
	})
}

// failingReader yields r's bytes until n have been read, then calls fail
// once: it returns fail's error, or if that is nil goes on reading r.
type failingReader struct {
	r    io.Reader
	n    int64
	fail func() error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 && f.fail != nil {
		if err := f.fail(); err != nil {
			return 0, err
		}
		f.fail, f.n = nil, math.MaxInt64
	}
	if int64(len(p)) > f.n {
		p = p[:f.n]
	}
	n, err := f.r.Read(p)
	f.n -= int64(n)
	return n, err
}

// TestFailedPut checks that a Put that cannot read to the end stores
// nothing and leaves no temporary file.
func TestFailedPut(t *testing.T) {
	const readBeforeFailure = 3<<20 + 5
	partial := infoOf(t, storagetest.Payload(7, readBeforeFailure))
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		wantErr error
		// reader returns the reader to Put and the context to Put with.
		reader func(ctx context.Context) (io.Reader, context.Context)
	}{
		{"reader fails", errBoom, func(ctx context.Context) (io.Reader, context.Context) {
			return &failingReader{storagetest.Payload(7, 10<<20), readBeforeFailure, func() error { return errBoom }}, ctx
		}},
		{"context cancelled", context.Canceled, func(ctx context.Context) (io.Reader, context.Context) {
			ctx, cancel := context.WithCancel(ctx)
			return &failingReader{storagetest.Payload(7, 10<<20), readBeforeFailure, func() error {
				cancel()
				return nil // keep the data coming: Put must notice ctx itself
			}}, ctx
		}},
	}
	storagetest.ForEachBlobStore(t, func(t *testing.T, s *storagetest.BlobStore) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r, ctx := tt.reader(t.Context())
				info, err := s.Put(ctx, r)
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Put = %+v, %v; want error %v", info, err, tt.wantErr)
				}
				if _, err := s.Stat(t.Context(), partial.Key); !errors.Is(err, blobs.ErrNotFound) {
					t.Errorf("Stat of what was read before the failure: %v, want ErrNotFound", err)
				}
				if files := s.Files(t); len(files) != 0 {
					t.Errorf("failed Put left %q behind", files)
				}
			})
		}
	})
}

func TestPing(t *testing.T) {
	storagetest.ForEachBlobStore(t, func(t *testing.T, s *storagetest.BlobStore) {
		if err := s.Ping(t.Context()); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		if files := s.Files(t); len(files) != 0 {
			t.Errorf("Ping left %q behind", files)
		}
	})
}

func TestLocalPingFailsWhenDirectoryGoes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "blobs")
	s, err := blobs.Open(t.Context(), dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := s.Ping(t.Context()); err == nil {
		t.Fatal("Ping succeeded on a removed directory")
	}
}

func TestLocalLayout(t *testing.T) {
	dir := t.TempDir()
	s, err := blobs.Open(t.Context(), "file://"+dir, "")
	if err != nil {
		t.Fatal(err)
	}
	info := put(t, s, strings.NewReader("hello"))
	want := filepath.Join(dir, "sha256", info.Key[:2], info.Key[2:4], info.Key)
	if b, err := os.ReadFile(want); err != nil || string(b) != "hello" {
		t.Fatalf("read %s: %q, %v", want, b, err)
	}
	if entries, err := os.ReadDir(filepath.Join(dir, "tmp")); err != nil || len(entries) != 0 {
		t.Fatalf("tmp holds %v, %v; want it empty", entries, err)
	}
}

// secret is the S3 secret key in the URLs below; no error may show it.
const secret = "SeCrEt/k+ey"

func TestOpenURL(t *testing.T) {
	dataDir := t.TempDir()
	notADir := filepath.Join(dataDir, "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		url     string
		dataDir string
		wantErr string // substring; "" for success
		wantDir string // for local stores: where blobs go
	}{
		{"default", "", dataDir, "", filepath.Join(dataDir, "blobs")},
		{"plain path", filepath.Join(dataDir, "a"), "", "", filepath.Join(dataDir, "a")},
		{"file URL", "file://" + filepath.Join(dataDir, "b"), "", "", filepath.Join(dataDir, "b")},
		{"file URL localhost", "file://localhost" + filepath.Join(dataDir, "c"), "", "", filepath.Join(dataDir, "c")},
		{"nothing", "", "", "no blob URL and no data directory", ""},
		{"relative file URL", "file://relative/path", "", "absolute path", ""},
		{"not writable", filepath.Join(notADir, "blobs"), "", "not a directory", ""},
		{"unknown scheme", "ftp://host/x", "", `unknown blob URL scheme "ftp" (want a directory, file:// or s3://)`, ""},
		{"keys before the scheme", "AK:" + secret + "@host://x", "", "malformed blob URL", ""},
		{"no keys", "s3://127.0.0.1:1/bucket", "", "no access and secret key", ""},
		{"no secret", "s3://AK@127.0.0.1:1/bucket", "", "both an access and a secret key", ""},
		{"no bucket", "s3://AK:" + secret + "@127.0.0.1:1/", "", "no bucket", ""},
		{"no host", "s3://AK:" + secret + "@/bucket", "", "no host", ""},
		{"bad host", "s3://AK:" + secret + "@[::1/bucket", "", "s3 blob URL", ""},
		{"bad escape", "s3://AK:" + secret + "%zz@127.0.0.1:1/bucket", "", "bad percent-encoding", ""},
		{"bad secure", "s3://AK:" + secret + "@127.0.0.1:1/bucket?secure=maybe", "", `secure="maybe"`, ""},
		{"unknown parameter", "s3://AK:" + secret + "@127.0.0.1:1/bucket?sekure=false", "", `unknown parameter "sekure"`, ""},
		{"unreachable", "s3://AK:" + secret + "@127.0.0.1:1/bucket?secure=false", "", "s3://127.0.0.1:1/bucket", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
			defer cancel()
			s, err := blobs.Open(ctx, tt.url, tt.dataDir)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("Open(%q) succeeded, want error %q", tt.url, tt.wantErr)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Open(%q): %v, want error containing %q", tt.url, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "SeCrEt") {
					t.Errorf("Open(%q) error shows the secret key: %v", tt.url, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open(%q): %v", tt.url, err)
			}
			info := put(t, s, strings.NewReader(tt.name))
			if _, err := os.Stat(filepath.Join(tt.wantDir, "sha256", info.Key[:2], info.Key[2:4], info.Key)); err != nil {
				t.Errorf("blob not where expected: %v", err)
			}
		})
	}
}

func TestParseS3URL(t *testing.T) {
	tests := []struct {
		url  string
		want blobs.S3Config
	}{
		{"s3://AK:SK@host:9000/bucket", blobs.S3Config{Endpoint: "host:9000", Access: "AK", Secret: "SK", Bucket: "bucket", Secure: true}},
		{"s3://AK:SK@host/bucket/", blobs.S3Config{Endpoint: "host", Access: "AK", Secret: "SK", Bucket: "bucket", Secure: true}},
		{"s3://AK:SK@host/bucket/a/b/?secure=false&region=eu-west-3",
			blobs.S3Config{Endpoint: "host", Access: "AK", Secret: "SK", Bucket: "bucket", Prefix: "a/b", Region: "eu-west-3"}},
		{"s3://AK:" + secret + "@host/bucket?secure=true",
			blobs.S3Config{Endpoint: "host", Access: "AK", Secret: secret, Bucket: "bucket", Secure: true}},
		{"s3://AK:SeCrEt%2Fk%2Bey%40@host/bucket",
			blobs.S3Config{Endpoint: "host", Access: "AK", Secret: "SeCrEt/k+ey@", Bucket: "bucket", Secure: true}},
		{"S3://AK:SK@host/bucket", blobs.S3Config{Endpoint: "host", Access: "AK", Secret: "SK", Bucket: "bucket", Secure: true}},
		{"s3://AK:p@ss@[::1]:9000/bucket",
			blobs.S3Config{Endpoint: "[::1]:9000", Access: "AK", Secret: "p@ss", Bucket: "bucket", Secure: true}},
	}
	for _, tt := range tests {
		got, err := blobs.ParseS3URL(tt.url)
		if err != nil || got != tt.want {
			t.Errorf("ParseS3URL(%q) = %+v, %v; want %+v", tt.url, got, err, tt.want)
		}
	}
}

// TestOpenS3 checks what Open reports about a reachable server that will
// not serve: a missing bucket, wrong keys.
func TestOpenS3(t *testing.T) {
	raw := storagetest.Env(t, storagetest.S3URLEnv, "an S3-compatible server")
	cfg, err := blobs.ParseS3URL(raw)
	if err != nil {
		t.Fatal(err)
	}
	s3URL := func(secret, bucket string) string {
		return fmt.Sprintf("s3://%s:%s@%s/%s?secure=%t", cfg.Access, url.PathEscape(secret), cfg.Endpoint, bucket, cfg.Secure)
	}
	tests := []struct {
		name, url, wantErr string
	}{
		{"missing bucket", s3URL(cfg.Secret, "agora-no-such-bucket"), `bucket "agora-no-such-bucket" does not exist`},
		{"wrong secret", s3URL(secret, cfg.Bucket), "s3://" + cfg.Endpoint + "/" + cfg.Bucket},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := blobs.Open(t.Context(), tt.url, t.TempDir())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Open: %v, want error containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "SeCrEt") || strings.Contains(err.Error(), cfg.Secret) {
				t.Errorf("error shows the secret key: %v", err)
			}
		})
	}
}

// TestOpenSweepsStaleTemp checks that opening a store removes what a crash
// left in tmp, but not another process's upload in progress.
func TestOpenSweepsStaleTemp(t *testing.T) {
	dir := t.TempDir()
	if _, err := blobs.Open(t.Context(), dir, ""); err != nil {
		t.Fatal(err)
	}
	fresh := filepath.Join(dir, "tmp", "agora-blob-fresh")
	stale := filepath.Join(dir, "tmp", "agora-blob-stale")
	for _, name := range []string{fresh, stale} {
		if err := os.WriteFile(name, []byte("partial"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, err := blobs.Open(t.Context(), dir, ""); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"agora-blob-fresh"}) {
		t.Fatalf("tmp holds %q after Open, want only the fresh upload", names)
	}
}

package storagetest

import (
	"context"
	"crypto/rand"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"agora/storage/blobs"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3URLEnv names the variable that points tests at an S3-compatible server:
// s3://ACCESS:SECRET@HOST:PORT/BUCKET?secure=false. The bucket is created
// if missing; each test works under its own random prefix in it.
const S3URLEnv = "AGORA_TEST_S3_URL"

// BlobStore is an empty blob store for one test, with a view of what its
// backend really holds.
type BlobStore struct {
	blobs.Store
	// Files lists, in no particular order, every file or object the store
	// keeps: blobs and temporary files alike, so tests can check that a
	// failed Put left nothing behind.
	Files func(tb testing.TB) []string
}

// ForEachBlobStore runs test as a subtest on a fresh store of each kind.
// The s3 subtest is skipped (or fails in CI) when S3URLEnv is unset.
func ForEachBlobStore(t *testing.T, test func(t *testing.T, s *BlobStore)) {
	t.Helper()
	for _, kind := range []string{"local", "s3"} {
		t.Run(kind, func(t *testing.T) {
			test(t, NewBlobStore(t, kind))
		})
	}
}

// NewBlobStore opens an empty store of the given kind ("local" or "s3"),
// removed when the test ends.
func NewBlobStore(tb testing.TB, kind string) *BlobStore {
	tb.Helper()
	switch kind {
	case "local":
		return newLocalBlobStore(tb)
	case "s3":
		return newS3BlobStore(tb)
	default:
		tb.Fatalf("unknown blob store kind %q", kind)
		return nil
	}
}

func newLocalBlobStore(tb testing.TB) *BlobStore {
	tb.Helper()
	dataDir := tb.TempDir()
	s, err := blobs.Open(tb.Context(), "", dataDir)
	if err != nil {
		tb.Fatal(err)
	}
	return &BlobStore{Store: s, Files: func(tb testing.TB) []string {
		return walkFiles(tb, dataDir)
	}}
}

func newS3BlobStore(tb testing.TB) *BlobStore {
	tb.Helper()
	raw := S3URL(tb)
	client, _ := S3Client(tb)
	u, _ := url.Parse(raw)
	bucket, prefix, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	dataDir := tb.TempDir()
	s, err := blobs.Open(tb.Context(), raw, dataDir)
	if err != nil {
		tb.Fatal(err)
	}
	return &BlobStore{Store: s, Files: func(tb testing.TB) []string {
		return append(listS3(tb.Context(), tb, client, bucket, prefix), walkFiles(tb, dataDir)...)
	}}
}

// S3URL returns the blob URL of an empty prefix of the S3 server S3URLEnv
// names, for this test alone: s3://ACCESS:SECRET@HOST:PORT/BUCKET/PREFIX.
// Every object under it is removed when the test ends. Several stores, or
// several processes, opened on it share its objects, as the processes of
// one node do. It skips the test (or fails it in CI) when S3URLEnv is
// unset.
func S3URL(tb testing.TB) string {
	tb.Helper()
	client, u := S3Client(tb)
	bucket, basePrefix, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")

	// A random prefix per test keeps parallel tests and runs apart.
	prefix := strings.Trim(basePrefix+"/test-"+strings.ToLower(rand.Text()), "/")
	u.Path = "/" + bucket + "/" + prefix
	tb.Cleanup(func() {
		// tb.Context() is already cancelled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for _, name := range listS3(ctx, tb, client, bucket, prefix) {
			if err := client.RemoveObject(ctx, bucket, prefix+"/"+name, minio.RemoveObjectOptions{}); err != nil {
				tb.Errorf("clean up S3 object %s/%s: %v", prefix, name, err)
			}
		}
	})
	return u.String()
}

// listS3 lists the objects under prefix, relative to it.
func listS3(ctx context.Context, tb testing.TB, client *minio.Client, bucket, prefix string) []string {
	var names []string
	for oi := range client.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: prefix + "/", Recursive: true}) {
		if oi.Err != nil {
			tb.Fatalf("list S3 prefix %s: %v", prefix, oi.Err)
		}
		names = append(names, strings.TrimPrefix(oi.Key, prefix+"/"))
	}
	return names
}

// walkFiles lists the regular files under dir, relative to it.
func walkFiles(tb testing.TB, dir string) []string {
	var names []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return err
			}
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		tb.Fatal(fmt.Errorf("list %s: %w", dir, err))
	}
	return names
}

// S3Client returns a minio-go client for the server S3URLEnv names, with the
// parsed URL, creating its bucket if missing. It skips the test (or fails it
// in CI) when S3URLEnv is unset. Tests use it to look under a store, and
// benchmarks to measure the bare client.
func S3Client(tb testing.TB) (*minio.Client, *url.URL) {
	tb.Helper()
	raw := Env(tb, S3URLEnv, "an S3-compatible server")
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error quotes the URL, secret included.
		tb.Fatalf("%s is not a valid URL", S3URLEnv)
	}
	secret, _ := u.User.Password()
	region := u.Query().Get("region")
	client, err := minio.New(u.Host, &minio.Options{
		Creds:        credentials.NewStaticV4(u.User.Username(), secret, ""),
		Secure:       u.Query().Get("secure") != "false",
		Region:       region,
		BucketLookup: minio.BucketLookupPath,
	})
	if err != nil {
		tb.Fatalf("S3 client for %s: %v", u.Host, err)
	}
	bucket, _, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	ok, err := client.BucketExists(tb.Context(), bucket)
	if err != nil {
		tb.Fatalf("S3 bucket %q at %s: %v", bucket, u.Host, err)
	}
	if !ok {
		err := client.MakeBucket(tb.Context(), bucket, minio.MakeBucketOptions{Region: region})
		if err != nil && minio.ToErrorResponse(err).Code != minio.BucketAlreadyOwnedByYou {
			tb.Fatalf("create S3 bucket %q at %s: %v", bucket, u.Host, err)
		}
	}
	return client, u
}

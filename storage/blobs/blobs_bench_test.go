package blobs_test

// Benchmarks of each store beside the bare operation it is built on, in the
// same run, so that the ratio means something on any machine:
//
//	go test -run '^$' -bench . -benchtime 10x -count 6 ./storage/blobs/
//
// with AGORA_TEST_S3_URL set for the S3 ones. Each Put writes new content,
// so none is skipped as a duplicate; blobs are deleted between iterations,
// off the clock. Put hashes on a second core beside the copy, so other load
// on the machine costs it more than the baselines: compare on a quiet one.

import (
	"context"
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"agora/storage/blobs"
	"agora/storage/storagetest"

	"github.com/minio/minio-go/v7"
)

const benchSize = 64 << 20

func BenchmarkPut(b *testing.B) {
	b.Run("local", func(b *testing.B) {
		benchPut(b, storagetest.NewBlobStore(b, "local"))
	})
	b.Run("local-baseline", func(b *testing.B) {
		// A plain file copy, synced like Put's.
		dir := b.TempDir()
		b.SetBytes(benchSize)
		for i := 0; b.Loop(); i++ {
			f, err := os.Create(filepath.Join(dir, "blob"))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(f, storagetest.Payload(uint64(i), benchSize)); err != nil {
				b.Fatal(err)
			}
			if err := f.Sync(); err != nil {
				b.Fatal(err)
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			os.Remove(f.Name())
			b.StartTimer()
		}
	})
	b.Run("s3", func(b *testing.B) {
		benchPut(b, storagetest.NewBlobStore(b, "s3"))
	})
	b.Run("s3-baseline", func(b *testing.B) {
		// minio-go told the size, with the part size our store ends up with.
		client, bucket, name := benchObject(b)
		b.SetBytes(benchSize)
		for i := 0; b.Loop(); i++ {
			_, err := client.PutObject(b.Context(), bucket, name, storagetest.Payload(uint64(i), benchSize), benchSize,
				minio.PutObjectOptions{PartSize: 16 << 20})
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if err := client.RemoveObject(b.Context(), bucket, name, minio.RemoveObjectOptions{}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
	})
}

func benchPut(b *testing.B, s blobs.Store) {
	b.SetBytes(benchSize)
	for i := 0; b.Loop(); i++ {
		info := put(b, s, storagetest.Payload(uint64(i), benchSize))
		b.StopTimer()
		if err := s.Delete(b.Context(), info.Key); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

func BenchmarkRead(b *testing.B) {
	b.Run("local", func(b *testing.B) {
		benchRead(b, storagetest.NewBlobStore(b, "local"))
	})
	b.Run("local-baseline", func(b *testing.B) {
		name := filepath.Join(b.TempDir(), "blob")
		f, err := os.Create(name)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(f, storagetest.Payload(1, benchSize)); err != nil {
			b.Fatal(err)
		}
		f.Close()
		b.SetBytes(benchSize)
		for b.Loop() {
			f, err := os.Open(name)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, f); err != nil {
				b.Fatal(err)
			}
			f.Close()
		}
	})
	b.Run("s3", func(b *testing.B) {
		benchRead(b, storagetest.NewBlobStore(b, "s3"))
	})
	b.Run("s3-baseline", func(b *testing.B) {
		client, bucket, name := benchObject(b)
		_, err := client.PutObject(b.Context(), bucket, name, storagetest.Payload(1, benchSize), benchSize, minio.PutObjectOptions{PartSize: 16 << 20})
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(benchSize)
		for b.Loop() {
			obj, err := client.GetObject(b.Context(), bucket, name, minio.GetObjectOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, obj); err != nil {
				b.Fatal(err)
			}
			obj.Close()
		}
	})
}

func benchRead(b *testing.B, s blobs.Store) {
	info := put(b, s, storagetest.Payload(1, benchSize))
	b.SetBytes(benchSize)
	for b.Loop() {
		obj, err := s.Open(b.Context(), info.Key)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, obj); err != nil {
			b.Fatal(err)
		}
		obj.Close()
	}
}

// benchObject returns a client and a fresh object name for the baselines,
// removing the object when the benchmark ends.
func benchObject(b *testing.B) (client *minio.Client, bucket, name string) {
	client, u := storagetest.S3Client(b)
	bucket, _, _ = strings.Cut(strings.Trim(u.Path, "/"), "/")
	name = "bench-" + strings.ToLower(rand.Text())
	b.Cleanup(func() {
		// b.Context() is cancelled by now.
		client.RemoveObject(context.Background(), bucket, name, minio.RemoveObjectOptions{})
	})
	return client, bucket, name
}

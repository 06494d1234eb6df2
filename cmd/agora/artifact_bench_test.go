package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"agora/storage/storagetest"
)

// BenchmarkArtifactTransfer measures a release artifact going up to the
// real server (multipart, streamed to the blob store) and coming back
// down (http.ServeContent over the blob), on local disk and on S3 (when
// AGORA_TEST_S3_URL is set), beside the bare operation each is built on,
// in the same run: a plain file copy synced like the store's for local
// disk, minio-go PutObject and GetObject for S3. It reports MB/s of each,
// the ratio to the baseline, and the growth of the server's resident
// memory while it transfers (peak during the transfer minus before).
//
//	AGORA_BENCH_ARTIFACT_MB  size of the artifact (default 200)
//
// Run it with -benchtime 1x: one upload and one download per store.
func BenchmarkArtifactTransfer(b *testing.B) {
	size := int64(200) << 20
	if v, err := strconv.Atoi(os.Getenv("AGORA_BENCH_ARTIFACT_MB")); err == nil && v > 0 {
		size = int64(v) << 20
	}
	bin := buildAgora(b)
	b.Run("local", func(b *testing.B) {
		benchArtifacts(b, bin, size, "", localBaseline(b, size), httpBaseline(b, size))
	})
	b.Run("s3", func(b *testing.B) {
		client, u := storagetest.S3Client(b)
		bucket, base, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
		prefix := strings.Trim(base+"/bench-"+strings.ToLower(rand.Text()), "/")
		b.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			for oi := range client.ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: prefix + "/", Recursive: true}) {
				if oi.Err == nil {
					client.RemoveObject(ctx, bucket, oi.Key, minio.RemoveObjectOptions{})
				}
			}
		})
		blobURL := *u
		blobURL.Path = "/" + bucket + "/" + prefix
		benchArtifacts(b, bin, size, blobURL.String(), s3Baseline(b, client, bucket, prefix+"/baseline", size), nil)
	})
}

// baseline runs the bare upload and download of i's payload and returns
// how long each took.
type baseline func(i int) (up, down time.Duration)

// localBaseline writes the payload to a file, synced as the store does,
// and reads it back.
func localBaseline(b *testing.B, size int64) baseline {
	dir := b.TempDir()
	return func(i int) (time.Duration, time.Duration) {
		name := filepath.Join(dir, "artifact")
		start := time.Now()
		f, err := os.Create(name)
		if err == nil {
			_, err = io.CopyBuffer(f, storagetest.Payload(uint64(i), size), make([]byte, transferBuffer))
		}
		if err == nil {
			err = f.Sync()
		}
		if err == nil {
			err = f.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
		up := time.Since(start)
		start = time.Now()
		f, err = os.Open(name)
		if err == nil {
			_, err = drain(f)
			f.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
		down := time.Since(start)
		os.Remove(name)
		return up, down
	}
}

// s3Baseline puts the payload with minio-go, told its size and with the
// part size the store ends up with, and gets it back.
func s3Baseline(b *testing.B, client *minio.Client, bucket, name string, size int64) baseline {
	return func(i int) (time.Duration, time.Duration) {
		ctx := context.Background()
		start := time.Now()
		if _, err := client.PutObject(ctx, bucket, name, storagetest.Payload(uint64(i), size), size,
			minio.PutObjectOptions{PartSize: 16 << 20}); err != nil {
			b.Fatal(err)
		}
		up := time.Since(start)
		start = time.Now()
		obj, err := client.GetObject(ctx, bucket, name, minio.GetObjectOptions{})
		if err == nil {
			_, err = drain(obj)
			obj.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
		return up, time.Since(start)
	}
}

// httpBaseline is a bare net/http server on loopback that writes an
// upload's body to a file, synced, and serves it back with
// http.ServeContent: what HTTP on this machine costs before anything of
// Agora's (multipart, SHA-256, the database), for reference.
func httpBaseline(b *testing.B, size int64) baseline {
	name := filepath.Join(b.TempDir(), "artifact")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			http.ServeFile(w, r, name)
			return
		}
		f, err := os.Create(name)
		if err == nil {
			_, err = io.CopyBuffer(onlyWriter{f}, r.Body, make([]byte, transferBuffer))
		}
		if err == nil {
			err = f.Sync()
		}
		if err == nil {
			err = f.Close()
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}))
	b.Cleanup(srv.Close)
	client := &http.Client{Transport: &http.Transport{WriteBufferSize: transferBuffer, ReadBufferSize: transferBuffer}}
	return func(i int) (time.Duration, time.Duration) {
		pr, pw := io.Pipe()
		go func() {
			_, err := io.CopyBuffer(pw, storagetest.Payload(uint64(i), size), make([]byte, transferBuffer))
			pw.CloseWithError(err)
		}()
		start := time.Now()
		resp, err := client.Post(srv.URL, "application/octet-stream", pr)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("bare upload: %v %v", resp, err)
		}
		resp.Body.Close()
		up := time.Since(start)
		start = time.Now()
		resp, err = client.Get(srv.URL)
		if err == nil {
			_, err = drain(resp.Body)
			resp.Body.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
		return up, time.Since(start)
	}
}

// benchArtifacts starts a node on blobURL ("" for local disk), publishes
// an app as an admin, then uploads and downloads one artifact per
// iteration, each beside its baseline (and the bare HTTP reference, if
// given).
func benchArtifacts(b *testing.B, bin string, size int64, blobURL string, base, bare baseline) {
	dataDir := b.TempDir()
	env := append(os.Environ(), "AGORA_DATA_DIR="+dataDir, "AGORA_DATABASE_URL=", "AGORA_BLOB_URL="+blobURL, "AGORA_LOG_LEVEL=warn")
	admin := func(args ...string) string {
		cmd := exec.Command(bin, append([]string{"admin"}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			b.Fatalf("agora admin %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	yml := filepath.Join(dataDir, "publiccode.yml")
	if err := os.WriteFile(yml, []byte(testPublicCode), 0o600); err != nil {
		b.Fatal(err)
	}
	out := admin("apps", "import", yml)
	slug := regexp.MustCompile(`/apps/(\S+)`).FindStringSubmatch(out)
	if slug == nil {
		b.Fatalf("no app URL in %q", out)
	}
	admin("create-user", "--handle", "bench", "--role", "admin", "--verified")
	lines := strings.Split(strings.TrimSpace(admin("login-link", "--handle", "bench")), "\n")
	link, err := url.Parse(lines[len(lines)-1])
	if err != nil {
		b.Fatal(err)
	}

	srv := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	srv.Env = env
	addr := startAndWait(b, srv)
	defer stopAgora(b, srv)
	// The client moves data in large pieces, as the baselines do: a
	// transfer is measured, not the client's 4 KiB default buffers.
	client := &http.Client{
		Transport:     &http.Transport{WriteBufferSize: transferBuffer, ReadBufferSize: transferBuffer},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Get("http://" + addr + link.Path)
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "agora_session" && c.Value != "" {
			session = c
		}
	}
	if session == nil {
		b.Fatalf("no session from the sign-in link (%d)", resp.StatusCode)
	}

	mb := float64(size) / 1e6
	var upSum, downSum, upBase, downBase, upBare, downBare time.Duration
	var upRSS, downRSS float64
	for i := 0; i < b.N; i++ {
		pid := srv.Process.Pid
		w := watchRSS(pid)
		start := time.Now()
		uploadArtifact(b, client, addr, slug[1], session, i, size)
		upSum += time.Since(start)
		upRSS = max(upRSS, w.stop())
		id := newestArtifact(b, client, addr, slug[1])

		w = watchRSS(pid)
		start = time.Now()
		downloadArtifact(b, client, addr, slug[1]+"/artifacts/"+id, size)
		downSum += time.Since(start)
		downRSS = max(downRSS, w.stop())

		b.StopTimer()
		u, d := base(i)
		upBase += u
		downBase += d
		if bare != nil {
			u, d = bare(i)
			upBare += u
			downBare += d
		}
		b.StartTimer()
	}
	rate := func(d time.Duration) float64 { return mb * float64(b.N) / d.Seconds() }
	b.ReportMetric(rate(upSum), "upload-MB/s")
	b.ReportMetric(rate(upBase), "upload-baseline-MB/s")
	b.ReportMetric(upBase.Seconds()/upSum.Seconds(), "upload-ratio")
	b.ReportMetric(upRSS, "upload-RSS-growth-MB")
	b.ReportMetric(rate(downSum), "download-MB/s")
	b.ReportMetric(rate(downBase), "download-baseline-MB/s")
	b.ReportMetric(downBase.Seconds()/downSum.Seconds(), "download-ratio")
	b.ReportMetric(downRSS, "download-RSS-growth-MB")
	if bare != nil {
		b.ReportMetric(rate(upBare), "upload-bare-http-MB/s")
		b.ReportMetric(rate(downBare), "download-bare-http-MB/s")
	}
}

// uploadArtifact posts a release with one artifact of i's payload,
// written to the request as it is sent.
func uploadArtifact(b *testing.B, client *http.Client, addr, slug string, session *http.Cookie, i int, size int64) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		mw.WriteField("version", fmt.Sprintf("1.0.%d", i))
		f, err := mw.CreateFormFile("artifacts", fmt.Sprintf("bench-%d.bin", i))
		if err == nil {
			_, err = io.CopyBuffer(onlyWriter{f}, storagetest.Payload(uint64(i), size), make([]byte, transferBuffer))
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/apps/"+slug+"/releases/new", pr)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(session)
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("upload: %d\n%s", resp.StatusCode, body)
	}
}

// newestArtifact reads the id of the newest artifact on the app's page,
// which lists releases newest first.
func newestArtifact(b *testing.B, client *http.Client, addr, slug string) string {
	page, err := client.Get("http://" + addr + "/apps/" + slug)
	if err != nil {
		b.Fatal(err)
	}
	html, _ := io.ReadAll(page.Body)
	page.Body.Close()
	m := regexp.MustCompile(`/apps/` + regexp.QuoteMeta(slug) + `/artifacts/([a-z0-9]+)`).FindSubmatch(html)
	if m == nil {
		b.Fatal("no artifact link on the app's page")
	}
	return string(m[1])
}

func downloadArtifact(b *testing.B, client *http.Client, addr, path string, size int64) {
	resp, err := client.Get("http://" + addr + "/apps/" + path)
	if err != nil {
		b.Fatal(err)
	}
	n, err := drain(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || n != size {
		b.Fatalf("download: %d, %d bytes of %d, %v", resp.StatusCode, n, size, err)
	}
}

// transferBuffer is how much every side of the benchmark reads or
// writes at a time.
const transferBuffer = 1 << 20

// drain reads r to its end in transferBuffer pieces (io.Discard's own
// ReadFrom would read 8 KiB at a time) and returns how many bytes came.
func drain(r io.Reader) (int64, error) {
	buf := make([]byte, transferBuffer)
	var n int64
	for {
		k, err := r.Read(buf)
		n += int64(k)
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// onlyWriter hides a writer's ReadFrom, so io.CopyBuffer uses its buffer.
type onlyWriter struct{ io.Writer }

// rssWatch samples a process's resident memory until stopped.
type rssWatch struct {
	before, peak float64
	mu           sync.Mutex
	done         chan struct{}
	wg           sync.WaitGroup
}

func watchRSS(pid int) *rssWatch {
	w := &rssWatch{before: rssOf(pid), done: make(chan struct{})}
	w.peak = w.before
	w.wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-t.C:
				if mb := rssOf(pid); mb > 0 {
					w.mu.Lock()
					w.peak = max(w.peak, mb)
					w.mu.Unlock()
				}
			}
		}
	})
	return w
}

// stop returns the growth: the peak seen minus the memory before.
func (w *rssWatch) stop() float64 {
	close(w.done)
	w.wg.Wait()
	return w.peak - w.before
}

package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
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
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"agora/storage/storagetest"
)

// BenchmarkArtifactTransfer measures a release artifact going up to the
// real server (multipart, streamed to the blob store; and as the raw
// body of a PUT, the same way) and coming back
// down into a file (http.ServeContent over the blob), on local disk and
// on S3 (when AGORA_TEST_S3_URL is set), beside the bare operation each
// is built on, in the same run: a plain file copy for local disk (into
// the store synced as the store syncs, out of it as cp copies), minio-go
// PutObject and GetObject for S3. For local disk it also measures a bare
// net/http server doing the same transfers with no code of Agora's: what
// HTTP on loopback allows on this machine. It reports MB/s of each, the
// ratio to the baseline, and the growth of the server's resident memory
// (the peak while transferring minus the memory before).
//
//	AGORA_BENCH_ARTIFACT_MB  size of the artifact (default 200)
//
// -benchtime Nx runs N measured rounds per store, after one untimed.
func BenchmarkArtifactTransfer(b *testing.B) {
	size := int64(200) << 20
	if v, err := strconv.Atoi(os.Getenv("AGORA_BENCH_ARTIFACT_MB")); err == nil && v > 0 {
		size = int64(v) << 20
	}
	bin := buildAgora(b)
	// Every transfer writes the page cache (the store's file, the
	// client's copy, the baselines'); each removes its files once
	// measured, so 16 artifacts' worth of used memory is plenty (at most
	// 4 GiB: the memory is really taken while it is touched).
	if err := prefault(int(min(16*size, 4<<30))); err != nil {
		b.Fatal(err)
	}
	b.Run("local", func(b *testing.B) {
		forget := func(dataDir, key string) error {
			return os.Remove(filepath.Join(dataDir, "blobs", "sha256", key[0:2], key[2:4], key))
		}
		var read time.Duration
		benchArtifacts(b, bin, size, "", forget, localBaseline(b, size, &read), httpBaseline(b, size))
		b.ReportMetric(float64(size)/1e6*float64(b.N)/read.Seconds(), "download-file-read-MB/s")
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
		forget := func(_, key string) error {
			return client.RemoveObject(context.Background(), bucket, prefix+"/sha256/"+key, minio.RemoveObjectOptions{})
		}
		benchArtifacts(b, bin, size, blobURL.String(), forget, s3Baseline(b, client, bucket, prefix+"/baseline", size), nil)
	})
}

// baseline runs the bare upload and download of i's payload and returns
// how long each took.
type baseline func(i int) (up, down time.Duration)

// localBaseline writes the payload to a file, synced as the store does,
// then copies that file to another, as cp does (not synced): the plain
// file copy each direction is measured against. read, when not nil, adds
// the time of reading the file alone, for reference.
func localBaseline(b *testing.B, size int64, read *time.Duration) baseline {
	dir := b.TempDir()
	return func(i int) (time.Duration, time.Duration) {
		name := filepath.Join(dir, "artifact")
		start := time.Now()
		f, err := os.Create(name)
		if err == nil {
			_, err = copyAll(f, storagetest.Payload(uint64(i), size))
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
		defer os.Remove(name)
		start = time.Now()
		f, err = os.Open(name)
		if err == nil {
			_, err = save(dir, f)
			f.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
		down := time.Since(start)
		if read != nil && i > 0 {
			start = time.Now()
			f, err = os.Open(name)
			if err == nil {
				_, err = copyAll(nil, f)
				f.Close()
			}
			if err != nil {
				b.Fatal(err)
			}
			*read += time.Since(start)
		}
		return up, down
	}
}

// s3Baseline puts the payload with minio-go, told its size and with the
// part size the store ends up with, and gets it back.
func s3Baseline(b *testing.B, client *minio.Client, bucket, name string, size int64) baseline {
	dir := b.TempDir()
	return func(i int) (time.Duration, time.Duration) {
		// A new object each round, removed once read, as the node's are.
		ctx, name := context.Background(), fmt.Sprintf("%s-%d", name, i)
		defer client.RemoveObject(ctx, bucket, name, minio.RemoveObjectOptions{})
		start := time.Now()
		if _, err := client.PutObject(ctx, bucket, name, storagetest.Payload(uint64(i), size), size,
			minio.PutObjectOptions{PartSize: 16 << 20}); err != nil {
			b.Fatal(err)
		}
		up := time.Since(start)
		start = time.Now()
		obj, err := client.GetObject(ctx, bucket, name, minio.GetObjectOptions{})
		if err == nil {
			_, err = save(dir, obj)
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
	dir := b.TempDir()
	name := filepath.Join(dir, "artifact")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			http.ServeFile(w, r, name)
			return
		}
		f, err := os.Create(name)
		if err == nil {
			_, err = copyAll(f, r.Body)
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
			_, err := copyAll(pw, storagetest.Payload(uint64(i), size))
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
			_, err = save(dir, resp.Body)
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
// given). forget removes a stored artifact from the store behind the
// node's back once measured, as the baselines remove theirs: see below.
func benchArtifacts(b *testing.B, bin string, size int64, blobURL string, forget func(dataDir, key string) error, base, bare baseline) {
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
	// Admin commands never create the database: migrate creates it.
	migrate := exec.Command(bin, "migrate", "up")
	migrate.Env = env
	if out, err := migrate.CombinedOutput(); err != nil {
		b.Fatalf("migrate: %v\n%s", err, out)
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

	// On a virtual machine, writing into memory the guest never touched
	// costs a fault on the host: seen here, 600 ms of system time for
	// 200 MB written into the page cache, against 60 ms into pages used
	// before. A side that kept its files while the other removed its own
	// would pay that on every round (it did: the node's upload measured
	// 2.4× slower than after a cache drop). So every side removes what it
	// wrote once measured, and one untimed round comes first, so that no
	// side writes into untouched memory. Memory growth is still counted
	// from before that round.
	// The kernel keeps the peak (VmHWM): reset it to the memory now,
	// read it at the end. Polling /proc instead slowed the server it
	// watched (its transfers measured up to 2.8× slower).
	pid := srv.Process.Pid
	if err := os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0); err != nil {
		b.Logf("cannot reset the server's peak memory (%v): the growth reported includes its start", err)
	}
	rssBefore := rssOf(pid)
	downloads := b.TempDir()
	var upSum, putSum, downSum, upBase, downBase, upBare, downBare time.Duration
	for i := 0; i <= b.N; i++ { // round 0 is the warm-up
		start := time.Now()
		uploadArtifact(b, client, addr, slug[1], session, i, size)
		up := time.Since(start)
		id := newestArtifact(b, client, addr, slug[1])
		start = time.Now()
		key := downloadArtifact(b, client, addr, slug[1]+"/artifacts/"+id, downloads, size)
		down := time.Since(start)
		if err := forget(dataDir, key); err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		key = putArtifact(b, client, addr, slug[1], session, i, size)
		put := time.Since(start)
		if err := forget(dataDir, key); err != nil {
			b.Fatal(err)
		}

		b.StopTimer()
		u, d := base(i)
		var bu, bd time.Duration
		if bare != nil {
			bu, bd = bare(i)
		}
		b.StartTimer()
		if i == 0 {
			continue
		}
		upSum, putSum, downSum, upBase, downBase, upBare, downBare = upSum+up, putSum+put, downSum+down, upBase+u, downBase+d, upBare+bu, downBare+bd
	}
	mb := float64(size) / 1e6
	rate := func(d time.Duration) float64 { return mb * float64(b.N) / d.Seconds() }
	b.ReportMetric(rate(upSum), "upload-MB/s")
	b.ReportMetric(rate(upBase), "upload-baseline-MB/s")
	b.ReportMetric(upBase.Seconds()/upSum.Seconds(), "upload-ratio")
	b.ReportMetric(rate(putSum), "upload-put-MB/s")
	b.ReportMetric(upBase.Seconds()/putSum.Seconds(), "upload-put-ratio")
	b.ReportMetric(rate(downSum), "download-MB/s")
	b.ReportMetric(rate(downBase), "download-baseline-MB/s")
	b.ReportMetric(downBase.Seconds()/downSum.Seconds(), "download-ratio")
	b.ReportMetric(peakRSSOf(pid)-rssBefore, "RSS-growth-MB")
	if bare != nil {
		b.ReportMetric(rate(upBare), "upload-bare-http-MB/s")
		b.ReportMetric(rate(downBare), "download-bare-http-MB/s")
		b.ReportMetric(upBare.Seconds()/upSum.Seconds(), "upload-of-bare-http")
		b.ReportMetric(upBare.Seconds()/putSum.Seconds(), "upload-put-of-bare-http")
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
			_, err = copyAll(f, storagetest.Payload(uint64(i), size))
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

// putArtifact adds a release whose one file is i's payload, sent as the
// body of a PUT (written to the request as it is sent, as the form's
// and the bare server's are), and returns its blob key.
func putArtifact(b *testing.B, client *http.Client, addr, slug string, session *http.Cookie, i int, size int64) string {
	pr, pw := io.Pipe()
	go func() {
		_, err := copyAll(pw, storagetest.Payload(uint64(i), size))
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPut, fmt.Sprintf("http://%s/apps/%s/releases/2.0.%d/bench-%d.bin", addr, slug, i, i), pr)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.AddCookie(session)
	resp, err := client.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	var ans struct {
		SHA256 string
		Size   int64
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(body, &ans) != nil || ans.Size != size {
		b.Fatalf("put: %d\n%s", resp.StatusCode, body)
	}
	return ans.SHA256
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

// downloadArtifact saves an artifact in dir and returns its blob key
// (the ETag, its SHA-256).
func downloadArtifact(b *testing.B, client *http.Client, addr, path, dir string, size int64) string {
	resp, err := client.Get("http://" + addr + "/apps/" + path)
	if err != nil {
		b.Fatal(err)
	}
	n, err := save(dir, resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK || n != size {
		b.Fatalf("download: %d, %d bytes of %d, %v", resp.StatusCode, n, size, err)
	}
	return strings.Trim(resp.Header.Get("ETag"), `"`)
}

// transferBuffer is how much every side of the benchmark reads or
// writes at a time.
const transferBuffer = 1 << 20

// save writes r to a new file in dir, as a browser or curl -o saves a
// download (not synced), and removes it: every download of the
// benchmark, the node's and the baselines', ends in a file.
func save(dir string, r io.Reader) (int64, error) {
	f, err := os.CreateTemp(dir, "download-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	n, err := copyAll(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// copyAll copies r to w (nil: nowhere) in whole transferBuffer pieces,
// the same way on every side: not io.Copy, which would hand a file to
// sendfile or copy_file_range, or read 8 KiB at a time into io.Discard.
func copyAll(w io.Writer, r io.Reader) (int64, error) {
	buf := make([]byte, transferBuffer)
	var n int64
	for {
		k, err := io.ReadFull(r, buf)
		if k > 0 && w != nil {
			if _, werr := w.Write(buf[:k]); werr != nil {
				return n, werr
			}
		}
		n += int64(k)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

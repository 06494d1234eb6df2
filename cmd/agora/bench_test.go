package main

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// buildAgora builds the real, static binary once per benchmark.
func buildAgora(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "agora")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startAgora starts the binary on a random port with dataDir, and returns
// the process and its address once it logged that it listens.
func startAgora(b *testing.B, bin, dataDir string) (*exec.Cmd, string) {
	b.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "AGORA_ADDR=127.0.0.1:0", "AGORA_DATA_DIR="+dataDir, "AGORA_DATABASE_URL=", "AGORA_BLOB_URL=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	re := regexp.MustCompile(`msg=listening addr=(\S+)`)
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			go func() {
				for sc.Scan() {
				}
			}()
			return cmd, m[1]
		}
	}
	cmd.Process.Kill()
	b.Fatal("agora exited before listening")
	return nil, ""
}

func waitReady(b *testing.B, addr string) {
	b.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
	}
	b.Fatal("not ready within 10s")
}

func stopAgora(b *testing.B, cmd *exec.Cmd) {
	b.Helper()
	cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil {
		b.Fatalf("agora exit: %v", err)
	}
}

// BenchmarkStartupToReady measures the time from exec to /readyz 200 on
// SQLite, on a fresh data directory (database created and migrated) and on
// an existing one.
func BenchmarkStartupToReady(b *testing.B) {
	bin := buildAgora(b)
	existing := b.TempDir()
	cmd, addr := startAgora(b, bin, existing)
	waitReady(b, addr)
	stopAgora(b, cmd)

	for _, tc := range []struct {
		name  string
		fresh bool
	}{{"fresh", true}, {"existing", false}} {
		b.Run(tc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				dir := existing
				if tc.fresh {
					dir = b.TempDir()
				}
				start := time.Now()
				cmd, addr := startAgora(b, bin, dir)
				waitReady(b, addr)
				b.ReportMetric(float64(time.Since(start).Microseconds())/1000, "ms-to-ready")
				b.StopTimer()
				stopAgora(b, cmd)
				b.StartTimer()
			}
		})
	}
}

// BenchmarkIdleRSS reports the resident memory of a node on SQLite two
// seconds after it became ready and served one home page, and the size
// of the static binary.
func BenchmarkIdleRSS(b *testing.B) {
	bin := buildAgora(b)
	fi, err := os.Stat(bin)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		cmd, addr := startAgora(b, bin, b.TempDir())
		waitReady(b, addr)
		if resp, err := http.Get("http://" + addr + "/"); err == nil {
			resp.Body.Close()
		}
		time.Sleep(2 * time.Second)
		b.ReportMetric(rssMB(b, cmd.Process.Pid), "MB-RSS")
		// The binary's own pages (file-backed: shared, clean, dropped by
		// the kernel under pressure) apart from the process's memory.
		b.ReportMetric(statusMB(cmd.Process.Pid, "RssFile"), "MB-RSS-file")
		b.ReportMetric(statusMB(cmd.Process.Pid, "RssAnon"), "MB-RSS-anon")
		b.ReportMetric(float64(fi.Size())/1e6, "MB-binary")
		stopAgora(b, cmd)
	}
}

func rssMB(b *testing.B, pid int) float64 {
	b.Helper()
	status, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmRSS")
	return 0
}

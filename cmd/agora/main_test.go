package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"agora/federation"
	"agora/frontend/browsertest"
	"agora/storage/storagetest"
)

// TestMain lets the test binary play the agora binary: a test re-executes
// it with AGORA_TEST_HELPER=serve to get a real process, with real signals
// and a real exit code, whose handler also has a slow route; with
// AGORA_TEST_HELPER=cli it runs its arguments as the agora command line
// does, so a crash (which no recover catches) is seen as a crash.
func TestMain(m *testing.M) {
	switch os.Getenv("AGORA_TEST_HELPER") {
	case "serve":
		os.Exit(helperServe())
	case "cli":
		os.Exit(run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
	}
	// One Chromium for the page tests of the binary (started only if one runs).
	browsertest.Main(m)
}

func helperServe() int {
	e := &env{getenv: os.Getenv, stdout: os.Stdout, stderr: os.Stderr}
	fs := newFlags(e, "serve", "", "")
	load := configFlags(fs, os.Getenv)
	cfg, err := load()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	slow := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/test/slow" {
				next.ServeHTTP(w, r)
				return
			}
			fmt.Fprintln(os.Stderr, "slow request started")
			time.Sleep(1500 * time.Millisecond)
			w.Write([]byte("slow request done"))
		})
	}
	// Federation tests run several nodes: retries, coalescing and the
	// rescue of a crashed delivery take seconds, not minutes. The rescue
	// also bounds each job's time, so a test that needs jobs to last as
	// long as in production (a slow peer) sets AGORA_TEST_RESCUE_AFTER.
	rescueAfter := 3 * time.Second
	if d, err := time.ParseDuration(os.Getenv("AGORA_TEST_RESCUE_AFTER")); err == nil {
		rescueAfter = d
	}
	fast := func(c *federation.Config) {
		c.RetryBase, c.CoalesceUpdates, c.RescueAfter = time.Second, time.Second, rescueAfter
	}
	if err := serve(context.Background(), cfg, e, serveHooks{wrap: slow, federation: fast}); err != nil {
		fmt.Fprintf(os.Stderr, "agora: %v\n", err)
		return 1
	}
	return 0
}

// runCmd runs the agora command line in-process.
func runCmd(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpOnEveryCommand(t *testing.T) {
	for _, args := range [][]string{
		{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"version", "--help"},
		{"admin", "--help"}, {"admin", "check", "--help"}, {"admin", "backup", "--help"}, {"healthcheck", "--help"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, out, errOut := runCmd(t, nil, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(out+errOut, "Usage:") {
				t.Errorf("no usage printed: %q %q", out, errOut)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"frobnicate"}, {"serve", "--no-such-flag"}, {"migrate"}, {"migrate", "sideways"}, {"admin"}, {"admin", "nope"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			if code, _, _ := runCmd(t, nil, args...); code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runCmd(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "agora ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

// Bad settings stop serve before it listens, with exactly one line that
// names the setting, and leave no data behind.
func TestServeRefusesBadSettings(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o600)

	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"unknown database scheme", map[string]string{"AGORA_DATABASE_URL": "mysql://root@localhost/agora"}, `AGORA_DATABASE_URL (--database-url): unknown database URL scheme "mysql"`},
		{"unreachable PostgreSQL", map[string]string{"AGORA_DATABASE_URL": "postgres://agora:s3cret@127.0.0.1:1/agora?connect_timeout=2"}, "AGORA_DATABASE_URL (--database-url): cannot reach PostgreSQL at 127.0.0.1:1/agora"},
		{"unknown blob scheme", map[string]string{"AGORA_BLOB_URL": "ftp://files.example.org/x"}, `AGORA_BLOB_URL (--blob-url): open blob store: unknown blob URL scheme "ftp"`},
		{"port in use", map[string]string{"AGORA_ADDR": busy.Addr().String()}, "AGORA_ADDR (--addr): cannot listen on " + busy.Addr().String() + ": bind: address already in use"},
		{"data dir not writable", map[string]string{"AGORA_DATA_DIR": filepath.Join(file, "data")}, "AGORA_DATA_DIR (--data-dir): cannot create"},
		{"bad base URL", map[string]string{"AGORA_BASE_URL": "localhost"}, "AGORA_BASE_URL (--base-url)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{"AGORA_ADDR": "127.0.0.1:0", "AGORA_DATA_DIR": filepath.Join(t.TempDir(), "data")}
			for k, v := range tt.env {
				env[k] = v
			}
			code, _, errOut := runCmd(t, env, "serve")
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if len(lines) != 1 {
				t.Errorf("want one line, got %d:\n%s", len(lines), errOut)
			}
			if !strings.Contains(lines[len(lines)-1], tt.want) {
				t.Errorf("stderr %q does not say %q", errOut, tt.want)
			}
			if strings.Contains(errOut, "s3cret") {
				t.Error("a password leaked into the error")
			}
			if strings.Contains(errOut, "listening") {
				t.Error("serve listened despite a bad setting")
			}
			if _, err := os.Stat(filepath.Join(env["AGORA_DATA_DIR"], "agora.db")); err == nil && tt.name != "port in use" {
				t.Error("a database was created despite a bad setting")
			}
		})
	}
}

func TestMigrateCommand(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		env := map[string]string{"AGORA_DATA_DIR": t.TempDir(), "AGORA_DATABASE_URL": storagetest.DatabaseURL(t, dialect)}
		steps := []struct {
			args []string
			want *regexp.Regexp
		}{
			{[]string{"migrate", "status"}, regexp.MustCompile(`(?m)^\d{14}_node_settings\s+pending`)},
			{[]string{"migrate", "up"}, regexp.MustCompile(`(?m)^applied \d{14}_node_settings$`)},
			{[]string{"migrate", "up"}, regexp.MustCompile(`(?m)^nothing to do$`)},
			{[]string{"migrate", "status"}, regexp.MustCompile(`(?m)^\d{14}_node_settings\s+applied\s+\d{4}-`)},
			{[]string{"admin", "check"}, regexp.MustCompile(`^ok: Agora, database (SQLite|PostgreSQL) migrated`)},
			{[]string{"migrate", "down"}, regexp.MustCompile(`(?m)^rolled back \d{14}_node_settings$`)},
			{[]string{"migrate", "status"}, regexp.MustCompile(`(?m)^\d{14}_node_settings\s+pending`)},
		}
		for _, s := range steps {
			code, out, errOut := runCmd(t, env, s.args...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", s.args, code, errOut)
			}
			if !s.want.MatchString(out) {
				t.Fatalf("%v printed %q, want %s", s.args, out, s.want)
			}
		}
	})
}

// helperProcess is the test binary running as `agora serve`.
type helperProcess struct {
	cmd  *exec.Cmd
	addr string

	// Every line the process wrote to stderr is kept, read or not: a
	// process whose log nobody reads must never block on a full pipe.
	mu    sync.Mutex
	lines []string
	seen  int           // lines waitLine has looked at
	ended bool          // stderr is closed
	more  chan struct{} // a line came or stderr closed
}

// startHelper starts a serve process with the given environment and waits
// until it listens.
func startHelper(t *testing.T, env ...string) *helperProcess {
	t.Helper()
	h := launchHelper(t, env...)
	h.listening(t)
	return h
}

// launchHelper starts a serve process and returns at once; listening
// waits until it serves.
func launchHelper(t *testing.T, env ...string) *helperProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "AGORA_TEST_HELPER=serve", "AGORA_ADDR=127.0.0.1:0"), env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	h := &helperProcess{cmd: cmd, more: make(chan struct{}, 1)}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			h.mu.Lock()
			h.lines = append(h.lines, sc.Text())
			h.mu.Unlock()
			h.signal()
		}
		h.mu.Lock()
		h.ended = true
		h.mu.Unlock()
		h.signal()
	}()
	return h
}

// listening waits until the process listens and returns its address.
func (h *helperProcess) listening(t *testing.T) string {
	t.Helper()
	h.addr = regexp.MustCompile(`addr=(\S+)`).FindStringSubmatch(h.waitLine(t, "msg=listening"))[1]
	return h.addr
}

func (h *helperProcess) signal() {
	select {
	case h.more <- struct{}{}:
	default:
	}
}

// lineWait bounds how long a test waits for a process's log line.
const lineWait = 90 * time.Second

// waitLine waits for a log line containing substr, after the lines it
// already looked at, and returns it.
func (h *helperProcess) waitLine(t *testing.T, substr string) string {
	t.Helper()
	// Generous: a node migrating PostgreSQL on a busy two-core machine
	// can take seconds; a process that truly hangs still fails the test.
	timeout := time.After(lineWait)
	for {
		h.mu.Lock()
		for h.seen < len(h.lines) {
			l := h.lines[h.seen]
			h.seen++
			if strings.Contains(l, substr) {
				h.mu.Unlock()
				return l
			}
		}
		ended := h.ended
		h.mu.Unlock()
		if ended {
			t.Fatalf("process ended before %q:\n%s", substr, h.log())
		}
		select {
		case <-h.more:
		case <-timeout:
			t.Fatalf("no %q within %s:\n%s", substr, lineWait, h.log())
		}
	}
}

// log returns everything the process wrote to stderr so far.
func (h *helperProcess) log() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return strings.Join(h.lines, "\n")
}

// The real process: starts on a random port, becomes ready, serves, and on
// SIGTERM finishes a slow in-flight request before exiting 0.
func TestServeGracefulShutdown(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		h := startHelper(t, "AGORA_DATA_DIR="+t.TempDir(), "AGORA_DATABASE_URL="+storagetest.DatabaseURL(t, dialect),
			"AGORA_NODE_NAME=Paris 15e")
		base := "http://" + h.addr

		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("/readyz = %d", resp.StatusCode)
		}
		resp, err = http.Get(base + "/")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "Paris 15e") {
			t.Fatalf("home page lacks the node name:\n%s", body)
		}

		type result struct {
			body string
			err  error
		}
		slow := make(chan result, 1)
		go func() {
			resp, err := http.Get(base + "/test/slow")
			if err != nil {
				slow <- result{err: err}
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			slow <- result{string(b), err}
		}()
		h.waitLine(t, "slow request started")
		if err := h.cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		h.waitLine(t, "shutting down")
		// New connections are refused while the slow one finishes (the
		// listener closes just after the log line).
		refused := false
		for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			c, err := net.DialTimeout("tcp", h.addr, time.Second)
			if err != nil {
				refused = true
				break
			}
			c.Close()
		}
		if !refused {
			t.Error("still accepting connections a second after SIGTERM")
		}
		r := <-slow
		if r.err != nil || r.body != "slow request done" {
			t.Fatalf("in-flight request: %q, %v", r.body, r.err)
		}
		h.waitLine(t, "msg=stopped")
		if err := h.cmd.Wait(); err != nil {
			t.Fatalf("exit: %v\n%s", err, h.log())
		}
		if h.cmd.ProcessState.ExitCode() != 0 {
			t.Fatalf("exit code %d", h.cmd.ProcessState.ExitCode())
		}
	})
}

func TestAdminBackup(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"AGORA_DATA_DIR": dir}
	if code, _, errOut := runCmd(t, env, "migrate", "up"); code != 0 {
		t.Fatal(errOut)
	}
	to := filepath.Join(t.TempDir(), "backup.db")
	if code, out, errOut := runCmd(t, env, "admin", "backup", "--to", to); code != 0 || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %d %s %s", code, out, errOut)
	}
	// The copy is a working database: a node started on it is migrated.
	code, out, errOut := runCmd(t, map[string]string{"AGORA_DATA_DIR": t.TempDir(), "AGORA_DATABASE_URL": "sqlite:" + to}, "migrate", "up")
	if code != 0 || !strings.Contains(out, "nothing to do") {
		t.Fatalf("migrate on the backup: %d %q %s", code, out, errOut)
	}
	// A second backup to the same file is refused and changes nothing.
	if code, _, errOut := runCmd(t, env, "admin", "backup", "--to", to); code != 1 || !strings.Contains(errOut, "already exists") {
		t.Fatalf("overwrite: %d %s", code, errOut)
	}
	if code, _, _ := runCmd(t, env, "admin", "backup"); code != 2 {
		t.Fatal("backup without --to accepted")
	}
}

// Every answer of a running node carries the security headers: pages,
// and what federation answers before the pages (ActivityPub JSON,
// WebFinger, NodeInfo, a refused inbox delivery).
func TestEveryAnswerIsSecured(t *testing.T) {
	h := startHelper(t, "AGORA_DATA_DIR="+t.TempDir(), "AGORA_DATABASE_URL="+storagetest.DatabaseURL(t, "sqlite"))
	base := "http://" + h.addr
	for _, tt := range []struct{ method, path, accept string }{
		{"GET", "/", ""},
		{"GET", "/.well-known/webfinger?resource=acct:nobody@localhost", ""},
		{"GET", "/.well-known/nodeinfo", ""},
		{"GET", "/actor", "application/activity+json"},
		{"POST", "/inbox", "application/activity+json"},
		{"GET", "/no/such/page", ""},
	} {
		r, err := http.NewRequest(tt.method, base+tt.path, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		if tt.accept != "" {
			r.Header.Set("Accept", tt.accept)
			r.Header.Set("Content-Type", tt.accept)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s (%d): X-Content-Type-Options %q", tt.method, tt.path, resp.StatusCode, got)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s %s (%d): Content-Security-Policy %q", tt.method, tt.path, resp.StatusCode, csp)
		}
	}
}

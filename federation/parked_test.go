package federation

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/federation/as2"
	"agora/instances/accounts"
	"agora/instances/debates"
	"agora/instances/markup"
	"agora/instances/moderation"
	"agora/instances/proposals"
	"agora/instances/spaces"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// An inbox job whose worker panics every time is tried inboxAttempts
// times (River records each panic as the attempt's error), then parked
// with that error; an admin can run it again or drop it.
func TestPanickingInboxJobIsParked(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		n := buildNode(t, dialect, func(c *Config) { c.RetryBase = 20 * time.Millisecond })
		r := newRemote(t, "127.0.0.2")
		ada := r.actor("ada")
		like, other := r.base+"/likes/panic", r.base+"/likes/drop"
		var calls atomic.Int32
		var healed atomic.Bool
		n.fed.beforeApply = func(_ context.Context, id string) {
			if id == like {
				calls.Add(1)
			}
			if id == other || id == like && !healed.Load() {
				panic("boom " + id)
			}
		}
		if err := n.fed.Start(context.WithoutCancel(n.ctx)); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{like, other} {
			if status, reason := n.deliver(t, r, activity("Like", id, ada, n.proposalIRI())); status != 202 {
				t.Fatalf("%d %s", status, reason)
			}
		}
		var parked []ParkedJob
		eventually(t, "both jobs parked", func() bool {
			var err error
			parked, err = n.fed.ParkedJobs(n.ctx, 0)
			return err == nil && len(parked) == 2
		})
		byID := map[string]ParkedJob{}
		for _, p := range parked {
			for _, id := range []string{like, other} {
				if strings.Contains(p.Summary, id) {
					byID[id] = p
				}
			}
		}
		p := byID[like]
		if p.Kind != "ap_inbox" || p.Attempts != inboxAttempts || p.LastError != "panic: boom "+like ||
			p.Summary != "Like "+like+" from "+ada || p.At.IsZero() {
			t.Errorf("parked job %+v", p)
		}
		if got := calls.Load(); got != inboxAttempts {
			t.Errorf("tried %d times, want %d", got, inboxAttempts)
		}
		if ok, _ := n.db.NewSelect().Model((*received)(nil)).Where("activity_id = ? AND processed_at IS NULL", like).Exists(n.ctx); !ok {
			t.Errorf("the parked activity has an outcome")
		}

		// Retried once it can apply, it applies.
		healed.Store(true)
		if err := n.fed.RetryParked(n.ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if got := n.outcome(t, like); !strings.HasPrefix(got, "like of proposal") {
			t.Errorf("outcome after retry %q", got)
		}
		// Dropped, it is gone; neither can be done to a job not parked.
		if err := n.fed.DropParked(n.ctx, byID[other].ID); err != nil {
			t.Fatal(err)
		}
		if left, err := n.fed.ParkedJobs(n.ctx, 0); err != nil || len(left) != 0 {
			t.Errorf("parked after drop and retry: %v %v", left, err)
		}
		for _, id := range []int64{p.ID, byID[other].ID, 1 << 40} {
			if err := n.fed.RetryParked(n.ctx, id); !errors.Is(err, ErrNotParked) {
				t.Errorf("RetryParked(%d) = %v, want ErrNotParked", id, err)
			}
			if err := n.fed.DropParked(n.ctx, id); !errors.Is(err, ErrNotParked) {
				t.Errorf("DropParked(%d) = %v, want ErrNotParked", id, err)
			}
		}
	})
}

// An inbox job whose process dies while applying it (killed: as a fatal
// error such as a stack overflow does, which no recover catches) is left
// "running"; the next process rescues it after RescueAfter and tries it
// again, counting an attempt each time; after inboxAttempts deaths it is
// parked instead of being run again. Each process here is this test
// binary run again (TestFederationJobProcess), killed by its own worker.
func TestKilledInboxJobIsRescuedThenParked(t *testing.T) {
	forEachDialect(t, func(t *testing.T, dialect string) {
		dbURL, dir := storagetest.DatabaseURL(t, dialect), t.TempDir()
		db, err := database.Open(t.Context(), dbURL, dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		if _, err := database.NewMigrator(db).Up(t.Context()); err != nil {
			t.Fatal(err)
		}
		s := jobService(t, db)
		id := "https://remote.example/likes/fatal"
		a, err := as2.Parse(mustJSON(activity("Like", id, "https://remote.example/users/ada", "https://paris15.example/proposals/x")))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.accept(t.Context(), a, mustJSON(a.Raw)); err != nil {
			t.Fatal(err)
		}
		job := func() (state string, attempt int) {
			t.Helper()
			err := db.NewSelect().Table("river_job").Column("state", "attempt").Where("kind = 'ap_inbox'").Scan(t.Context(), &state, &attempt)
			if err != nil {
				t.Fatal(err)
			}
			return state, attempt
		}
		for life := 1; life <= inboxAttempts; life++ {
			mark := filepath.Join(dir, fmt.Sprintf("life%d", life))
			code := runJobProcess(t, dbURL, dir, "die", mark)
			if _, err := os.Stat(mark); err != nil || code != -1 {
				t.Fatalf("life %d: the job did not run and kill its process (exit %d, %v)", life, code, err)
			}
			if state, attempt := job(); state != "running" || attempt != life {
				t.Fatalf("life %d: job %s at attempt %d, want running at %d", life, state, attempt, life)
			}
			// Time passes: the dead process's leadership expires and the
			// job has been running for longer than RescueAfter.
			forgetLeader(t, db)
			time.Sleep(1100 * time.Millisecond)
		}
		mark := filepath.Join(dir, "last")
		if code := runJobProcess(t, dbURL, dir, "live", mark); code != 0 {
			t.Fatalf("last life: exit %d", code)
		}
		if _, err := os.Stat(mark); err == nil {
			t.Errorf("the job ran again after %d deaths", inboxAttempts)
		}
		if state, attempt := job(); state != "discarded" || attempt != inboxAttempts {
			t.Errorf("job %s at attempt %d, want discarded (parked) at %d", state, attempt, inboxAttempts)
		}
		parked, err := s.ParkedJobs(t.Context(), 10)
		if err != nil || len(parked) != 1 {
			t.Fatalf("parked %v, %v", parked, err)
		}
		if p := parked[0]; p.Attempts != inboxAttempts || !strings.Contains(p.LastError, "process stopped") || !strings.Contains(p.Summary, id) {
			t.Errorf("parked %+v", p)
		}
	})
}

// forgetLeader removes River's leader: the killed process never resigned,
// and its leadership would otherwise expire only after River's TTL.
func forgetLeader(t *testing.T, db *bun.DB) {
	t.Helper()
	if _, err := db.NewDelete().Table("river_leader").Where("1 = 1").Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// runJobProcess runs one process of TestKilledInboxJobIsRescuedThenParked
// and returns its exit code (-1 when killed by a signal).
func runJobProcess(t *testing.T, dbURL, dir, mode, mark string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestFederationJobProcess$", "-test.v")
	cmd.Env = append(os.Environ(), "AGORA_FED_JOB_PROCESS=1", "AGORA_FED_DB="+dbURL, "AGORA_FED_DIR="+dir,
		"AGORA_FED_MODE="+mode, "AGORA_FED_MARK="+mark)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("run process: %v\n%s", err, out)
	}
	code := cmd.ProcessState.ExitCode()
	if code > 0 {
		t.Logf("process (%s) output:\n%s", mode, out)
	}
	return code
}

// TestFederationJobProcess is a process of the node for
// TestKilledInboxJobIsRescuedThenParked: it runs the job workers on the
// test's database. In mode "die", the inbox worker kills its own process
// as it starts; in mode "live", it would apply the job (and leaves a mark),
// and the process stops once no inbox job is left to run.
func TestFederationJobProcess(t *testing.T) {
	if os.Getenv("AGORA_FED_JOB_PROCESS") != "1" {
		t.Skip("a helper process of TestKilledInboxJobIsRescuedThenParked")
	}
	ctx := context.Background()
	db, err := database.Open(ctx, os.Getenv("AGORA_FED_DB"), os.Getenv("AGORA_FED_DIR"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := jobService(t, db)
	mark, die := os.Getenv("AGORA_FED_MARK"), os.Getenv("AGORA_FED_MODE") == "die"
	s.beforeApply = func(context.Context, string) {
		if err := os.WriteFile(mark, nil, 0o600); err != nil {
			panic(err)
		}
		if die {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.Stop(ctx)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		if die {
			continue
		}
		n, err := db.NewSelect().Table("river_job").Where("kind = 'ap_inbox' AND state IN ('available', 'retryable', 'running', 'scheduled')").Count(ctx)
		if err == nil && n == 0 {
			return
		}
	}
	t.Fatal("the inbox job neither killed the process nor ended")
}

// jobService is a node's federation on db, its workers not started, with
// a one-second RescueAfter.
func jobService(t *testing.T, db *bun.DB) *Service {
	t.Helper()
	md := markup.New()
	acc := accounts.NewService(db, nil)
	sp := spaces.NewService(db, md, nil)
	base, _ := url.Parse("http://127.0.0.1:1")
	s, err := New(Config{BaseURL: base, NodeName: "test", Version: "test", AllowPrivate: true,
		RescueAfter: time.Second, RetryBase: 20 * time.Millisecond},
		Deps{DB: db, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)), Accounts: acc, Spaces: sp,
			Proposals: proposals.NewService(db, md, acc, sp, nil), Debates: debates.NewService(db, md, nil),
			Moderation: moderation.NewService(db, nil), Markup: md})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

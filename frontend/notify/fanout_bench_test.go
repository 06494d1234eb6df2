package notify_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"agora/frontend/notify"
	"agora/instances/accounts"
	"agora/instances/notifications"
	"agora/instances/proposals"
	"agora/storage/database"
	"agora/storage/storagetest"
)

// BenchmarkNotifyFanout measures the target: an official answers
// a proposal followed by many residents, each with a verified address and
// email "immediately". It reports how long the answer's transaction takes
// (every web notification written in it), how long until every email was
// handed to the SMTP server, the peak RSS of the process (the
// benchmark's own seeding included) and its CPU time per email. It runs
// against two servers: Mailpit, which stores each message (about 1 ms of
// its own CPU per email), and a sink that checks, counts and discards
// them (sink_test.go), so that the node's pace is measured apart from a
// storing server's.
//
//	AGORA_BENCH_FOLLOWERS  how many follow the proposal (default 500; the 50000)
//
// Run it with -benchtime 1x. The emails it sends are deleted from Mailpit
// afterwards. -bench NotifyFanout/sink runs only the sink's.
func BenchmarkNotifyFanout(b *testing.B) {
	followers := 500
	if v, err := strconv.Atoi(os.Getenv("AGORA_BENCH_FOLLOWERS")); err == nil && v > 0 {
		followers = v
	}
	for _, server := range []string{"mailpit", "sink"} {
		b.Run(server, func(b *testing.B) {
			for _, dialect := range storagetest.Dialects {
				b.Run(dialect, func(b *testing.B) { fanout(b, server, dialect, followers) })
			}
		})
	}
}

// fanout is one run of BenchmarkNotifyFanout against server: "mailpit"
// (the test suites' Mailpit, which stores every message) or "sink" (an
// SMTP sink in a process of its own, sink_test.go, which checks, counts
// and discards them).
func fanout(b *testing.B, server, dialect string, followers int) {
	ctx := context.Background()
	var smtpURL, api string
	var sink *sinkProcess
	if server == "mailpit" {
		smtpURL, api = storagetest.SMTPServer(b)
	} else {
		// AGORA_BENCH_PIPELINING=false: a sink that does not advertise
		// PIPELINING, for the courier as it was before it used it.
		sink = startSinkProcess(b, sinkConfig{Pipelining: os.Getenv("AGORA_BENCH_PIPELINING") != "false", Unsubscribe: "https://paris15.example/notifications/unsubscribe/"})
		smtpURL = sink.URL
	}
	db := storagetest.MigratedDB(b, dialect)
	n, courier, _ := mailNode(b, db, smtpURL)
	sp := n.Space(b, "quartier", 0)
	author, _ := n.Resident(b, "autrice", true)
	p := n.Propose(b, author, sp, "Un banc au square")
	domain := "bench-" + database.NewID() + ".example"
	if api != "" {
		defer clearMailpit(b, api, domain)
	}
	seedFollowers(b, db, n.Clock.Now(), p.ID, followers, domain)
	if database.IsPostgres(db) {
		// The residents, their follows and addresses were there long
		// before the answer: statistics as autovacuum would have them,
		// not those of the tables' first rows.
		if _, err := db.ExecContext(ctx, "ANALYZE accounts, follows, notification_email, notifications"); err != nil {
			b.Fatal(err)
		}
	}
	official := accounts.As(n.Staff[accounts.Official])
	var cpu time.Duration
	b.ResetTimer()
	for range b.N {
		start, cpu0 := time.Now(), selfCPU()
		if err := n.Proposals.Answer(ctx, official, p.ID, proposals.Study, "Nous l’étudions."); err != nil {
			b.Fatal(err)
		}
		written := time.Since(start)
		sent, err := courier.DeliverDue(ctx)
		if err != nil {
			b.Fatal(err)
		}
		mailed := time.Since(start)
		cpu += selfCPU() - cpu0
		b.StopTimer()
		if sent != followers {
			b.Fatalf("%d emails sent, want %d", sent, followers)
		}
		var left int
		if err := db.NewSelect().Table("notifications").ColumnExpr("count(*)").
			Where("subject_id = ? AND kind = 'answer' AND NOT mailed", p.ID).Where("account_id IN (SELECT account_id FROM notification_email)").Scan(ctx, &left); err != nil {
			b.Fatal(err)
		}
		if left != 0 {
			b.Fatalf("%d notifications not mailed", left)
		}
		b.ReportMetric(written.Seconds(), "write-s")
		b.ReportMetric(mailed.Seconds(), "mailed-s")
		b.ReportMetric(float64(followers)/mailed.Seconds(), "emails/s")
		b.ReportMetric(selfMB("VmHWM"), "MB-RSS-peak")
		// Back to review for the next round, unmailed.
		if _, err := db.NewUpdate().Table("proposals").Set("state = 'published'").Where("id = ?", p.ID).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	// The node's CPU per email: this process's (the courier, the
	// benchmark, and SQLite; PostgreSQL's and the server's are not in it).
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N*followers), "node-µs-CPU/email")
	if sink != nil {
		st, sinkCPU := sink.Stop(b)
		if st.Accepted != b.N*followers || st.Bad != 0 || st.Duplicates != (b.N-1)*followers {
			b.Fatalf("the sink took %d emails (%d malformed: %q, %d twice), want %d", st.Accepted, st.Bad, st.Errors, st.Duplicates, b.N*followers)
		}
		b.ReportMetric(float64(sinkCPU.Microseconds())/float64(st.Accepted), "sink-µs-CPU/email")
	}
}

// seedFollowers adds count residents who follow the proposal and want
// email at once at a verified address of domain, in batches.
func seedFollowers(b testing.TB, db *bun.DB, now time.Time, proposalID string, count int, domain string) {
	b.Helper()
	type account struct {
		bun.BaseModel `bun:"table:accounts"`
		ID            string    `bun:"id,pk"`
		Handle        string    `bun:"handle"`
		DisplayName   string    `bun:"display_name"`
		Language      string    `bun:"language"`
		Public        bool      `bun:"public"`
		WebAuthnID    []byte    `bun:"webauthn_id"`
		CreatedAt     time.Time `bun:"created_at"`
	}
	type follow struct {
		bun.BaseModel `bun:"table:follows"`
		AccountID     string    `bun:"account_id"`
		TargetKind    string    `bun:"target_kind"`
		TargetID      string    `bun:"target_id"`
		CreatedAt     time.Time `bun:"created_at"`
	}
	type email struct {
		bun.BaseModel  `bun:"table:notification_email"`
		AccountID      string     `bun:"account_id"`
		Address        string     `bun:"address"`
		VerifiedAt     *time.Time `bun:"verified_at"`
		TokenHash      string     `bun:"token_hash"`
		Frequency      string     `bun:"frequency"`
		Since          time.Time  `bun:"since"`
		UnsubscribeKey string     `bun:"unsubscribe_key"`
		BounceKey      string     `bun:"bounce_key"` // unique, as the node makes them
		Failure        string     `bun:"failure"`
	}
	since := now.Add(-time.Hour)
	const chunk = 500
	for i := 0; i < count; i += chunk {
		var as []account
		var fs []follow
		var es []email
		for j := i; j < min(i+chunk, count); j++ {
			id := database.NewID()
			lang := "fr"
			if j%2 == 1 {
				lang = "en"
			}
			as = append(as, account{ID: id, Handle: fmt.Sprintf("f%d_%s", j, id[:8]), DisplayName: fmt.Sprintf("Résident %d", j),
				Language: lang, WebAuthnID: []byte(id), CreatedAt: now})
			fs = append(fs, follow{AccountID: id, TargetKind: "proposal", TargetID: proposalID, CreatedAt: now})
			es = append(es, email{AccountID: id, Address: fmt.Sprintf("r%d@%s", j, domain), VerifiedAt: &since,
				Frequency: "immediate", Since: since, UnsubscribeKey: fmt.Sprintf("%s%040d", id[:8], j), BounceKey: fmt.Sprintf("%s%016d", id[:8], j)})
		}
		err := db.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
			for _, m := range []any{&as, &fs, &es} {
				if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatalf("seed followers: %v", err)
		}
	}
}

// clearMailpit deletes what the benchmark sent to domain.
func clearMailpit(b *testing.B, api, domain string) {
	req, _ := http.NewRequest(http.MethodDelete, api+"/api/v1/search?query="+url.QueryEscape("to:"+domain), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Logf("clear Mailpit: %v", err)
		return
	}
	resp.Body.Close()
}

// selfMB reads a memory figure of this process, in MB.
func selfMB(field string) float64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	m := regexp.MustCompile(field + `:\s+(\d+) kB`).FindSubmatch(status)
	if m == nil {
		return 0
	}
	kb, _ := strconv.Atoi(string(m[1]))
	return float64(kb) / 1024
}

// BenchmarkSMTPBaseline sends the same number of emails as
// BenchmarkNotifyFanout straight to the SMTP server on as many
// connections as the courier uses, without the database: the server's
// own pace, to compare with the courier's; against Mailpit and against
// the sink.
func BenchmarkSMTPBaseline(b *testing.B) {
	count := 500
	if v, err := strconv.Atoi(os.Getenv("AGORA_BENCH_FOLLOWERS")); err == nil && v > 0 {
		count = v
	}
	b.Run("mailpit", func(b *testing.B) {
		smtpURL, api := storagetest.SMTPServer(b)
		baseline(b, smtpURL, api, count)
	})
	b.Run("sink", func(b *testing.B) {
		sink := startSinkProcess(b, sinkConfig{Pipelining: os.Getenv("AGORA_BENCH_PIPELINING") != "false"})
		baseline(b, sink.URL, "", count)
		if st, _ := sink.Stop(b); st.Accepted != b.N*count || st.Bad != 0 {
			b.Fatalf("the sink took %d, %d malformed %q, want %d", st.Accepted, st.Bad, st.Errors, b.N*count)
		}
	})
}

// baseline is one run of BenchmarkSMTPBaseline; api is Mailpit's, or "".
func baseline(b *testing.B, smtpURL, api string, count int) {
	m, err := notifications.ParseSMTP(smtpURL, "agora@paris15.example")
	if err != nil {
		b.Fatal(err)
	}
	domain := "baseline-" + database.NewID() + ".example"
	if api != "" {
		defer clearMailpit(b, api, domain)
	}
	ctx := context.Background()
	for range b.N {
		start := time.Now()
		next := make(chan int)
		var wg sync.WaitGroup
		var failed atomic.Int64
		for range notify.Connections {
			wg.Go(func() {
				s := m.Session()
				defer s.Close()
				for i := range next {
					msg := notifications.Message{To: fmt.Sprintf("r%d@%s", i, domain), Subject: "Réponse officielle",
						Text: "Bonjour,\n\nUne proposition que vous suivez a reçu une réponse officielle.\n", HTML: "<p>Bonjour,</p>"}
					if err := s.Send(ctx, msg); err != nil {
						failed.Add(1)
					}
				}
			})
		}
		for i := range count {
			next <- i
		}
		close(next)
		wg.Wait()
		if failed.Load() > 0 {
			b.Fatalf("%d emails failed", failed.Load())
		}
		b.ReportMetric(float64(count)/time.Since(start).Seconds(), "emails/s")
	}
}

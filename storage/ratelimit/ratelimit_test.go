package ratelimit_test

import (
	"context"
	"testing"
	"time"

	"agora/storage/ratelimit"
	"agora/storage/storagetest"
)

func TestAllow(t *testing.T) {
	storagetest.ForEachDialect(t, func(t *testing.T, dialect string) {
		ctx := context.Background()
		db := storagetest.MigratedDB(t, dialect)
		now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
		l := ratelimit.New(db, []byte("secret"), func() time.Time { return now })
		rule := ratelimit.Rule{Max: 3, Window: time.Minute}

		for i := 1; i <= 3; i++ {
			if ok, _, err := l.Allow(ctx, "ip:192.0.2.1", rule); err != nil || !ok {
				t.Fatalf("attempt %d refused: %v", i, err)
			}
		}
		now = now.Add(20 * time.Second)
		ok, wait, err := l.Allow(ctx, "ip:192.0.2.1", rule)
		if err != nil || ok {
			t.Fatalf("4th attempt allowed (%v)", err)
		}
		if wait != 40*time.Second {
			t.Errorf("retry after %v, want 40s", wait)
		}
		// Another key has its own count.
		if ok, _, _ := l.Allow(ctx, "ip:192.0.2.2", rule); !ok {
			t.Error("another key refused")
		}
		// A new window starts afresh.
		now = now.Add(41 * time.Second)
		if ok, _, _ := l.Allow(ctx, "ip:192.0.2.1", rule); !ok {
			t.Error("refused in a new window")
		}
		// Keys are not stored in clear.
		var n int
		if err := db.NewRaw("SELECT count(*) FROM rate_limits WHERE key LIKE '%192.0.2%'").Scan(ctx, &n); err != nil || n != 0 {
			t.Errorf("clear keys stored: %d, %v", n, err)
		}
	})
}

func TestWait(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	rules := []ratelimit.Rule{{Max: 2, Window: time.Minute}, {Max: 3, Window: time.Hour}}
	ago := func(ds ...time.Duration) []time.Time {
		out := make([]time.Time, len(ds))
		for i, d := range ds {
			out[i] = now.Add(-d)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		times []time.Time
		want  time.Duration
	}{
		{"none", nil, 0},
		{"one", ago(time.Second), 0},
		{"two in the minute", ago(10*time.Second, 20*time.Second), 40 * time.Second},
		{"two, one older than the minute", ago(10*time.Second, 70*time.Second), 0},
		{"three in the hour", ago(2*time.Minute, 3*time.Minute, 50*time.Minute), 10 * time.Minute},
		{"both rules: the longer wait", ago(10*time.Second, 20*time.Second, 59*time.Minute), time.Minute},
	} {
		if got := ratelimit.Wait(tc.times, rules, now); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if l := ratelimit.Longest(rules); l != rules[1] {
		t.Errorf("Longest = %v", l)
	}
	if l := ratelimit.Longest([]ratelimit.Rule{{Max: 50, Window: time.Minute}, {Max: 20, Window: time.Hour}}); l.Max != 50 || l.Window != time.Hour {
		t.Errorf("Longest of a larger short rule = %v", l)
	}
}

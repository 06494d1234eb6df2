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

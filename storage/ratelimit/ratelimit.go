// Package ratelimit counts attempts per key in fixed time windows, in the
// database, so every process behind a load balancer shares the counts.
package ratelimit

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Limiter answers "may this key try again now?".
type Limiter struct {
	db  *bun.DB
	now func() time.Time
	key []byte // keys are stored as HMACs: no IP address or handle sits in the table
}

// New returns a limiter over db. secret makes stored keys unreadable; now
// is the clock (nil for time.Now).
func New(db *bun.DB, secret []byte, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{db: db, now: now, key: secret}
}

// Rule is a limit: at most Max attempts per Window.
type Rule struct {
	Max    int
	Window time.Duration
}

type row struct {
	bun.BaseModel `bun:"table:rate_limits,alias:rl"`
	Key           string    `bun:"key,pk"`
	WindowStart   time.Time `bun:"window_start"`
	Count         int       `bun:"count"`
}

// Allow counts one attempt for key and reports whether it is within the
// rule, and if not, how long until the window ends.
func (l *Limiter) Allow(ctx context.Context, key string, r Rule) (bool, time.Duration, error) {
	now := l.now().UTC().Truncate(time.Microsecond)
	mac := hmac.New(sha256.New, l.key)
	mac.Write([]byte(key))
	k := hex.EncodeToString(mac.Sum(nil))
	expired := now.Add(-r.Window)
	got := new(row)
	// One statement: start a window, or count in the current one.
	err := l.db.NewInsert().Model(&row{Key: k, WindowStart: now, Count: 1}).
		On("CONFLICT (key) DO UPDATE").
		Set("count = CASE WHEN rl.window_start <= ? THEN 1 ELSE rl.count + 1 END", expired).
		Set("window_start = CASE WHEN rl.window_start <= ? THEN ? ELSE rl.window_start END", expired, now).
		Returning("count, window_start").
		Scan(ctx, &got.Count, &got.WindowStart)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit: %w", err)
	}
	if got.Count <= r.Max {
		return true, 0, nil
	}
	return false, got.WindowStart.Add(r.Window).Sub(now), nil
}

// Purge deletes windows older than maxWindow.
// Kept is how long the node keeps a counter's row, from the start of its
// window: longer than any rule's window. The page on personal data says
// it.
const Kept = time.Hour

func (l *Limiter) Purge(ctx context.Context, maxWindow time.Duration) error {
	_, err := l.db.NewDelete().Model((*row)(nil)).Where("window_start < ?", l.now().UTC().Add(-maxWindow)).Exec(ctx)
	return err
}

// Wait returns how long until one more act is within every rule, given
// when the acts in the longest rule's window happened, newest first (0:
// now). Rules of this kind slide: they count the acts themselves, kept
// where they are stored (comments, proposals), so a refused attempt
// costs nothing and every process sees the same.
func Wait(newestFirst []time.Time, rules []Rule, now time.Time) time.Duration {
	var wait time.Duration
	for _, r := range rules {
		if r.Max <= 0 || len(newestFirst) < r.Max {
			continue
		}
		if d := newestFirst[r.Max-1].Add(r.Window).Sub(now); d > wait {
			wait = d
		}
	}
	return wait
}

// Longest returns how far back, and how many acts, Wait needs to see:
// the longest window of the rules and their largest Max.
func Longest(rules []Rule) Rule {
	var l Rule
	for _, r := range rules {
		l.Window = max(l.Window, r.Window)
		l.Max = max(l.Max, r.Max)
	}
	return l
}
